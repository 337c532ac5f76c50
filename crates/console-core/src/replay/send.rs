//! Sending recorded values again, as the job a `Recorder` records: undo sends changes'
//! "before", resume their "after". The order is the one the portal accepts: members created
//! and people invited first (later changes need them), licenses and bundles taken away before
//! user types change (a lower type may not hold them), the members' own fields (the import's
//! code), licenses and bundles given after, and members deleted and invitations withdrawn
//! last. The cache follows what the portal took.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use portal_client::NewMember;
use serde_json::Value;

use crate::bulk::BulkProgress;
use crate::error::Result;
use crate::import::plan::Update;
use crate::journal::{self, field, ChangeOutcome, HistoryFilter, Recorder, Settled};
use crate::members::{Member, Names};
use crate::session::Console;

/// One recorded change to send: the value wanted (`target`) and the one the portal holds now
/// (`current`), in the journal's terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ToSend {
    pub member: String,
    pub field: String,
    pub target: Option<Value>,
    pub current: Option<Value>,
}

/// How one change is sent.
enum Step {
    /// With the other member updates (`Console::run_updates`).
    Member,
    /// A license's entitlements: before the user types when it takes some away, after them
    /// when it gives some.
    License {
        item_id: String,
        entitlements: Vec<String>,
        taking: bool,
    },
    Bundle {
        bundle_id: String,
        give: bool,
    },
    /// A member created (again), from the recorded account without its password.
    Create(Box<NewMember>),
    /// A person invited (again).
    Invite(Box<NewMember>),
    /// A member deleted, their content and groups to `receiver` first when one was named.
    Delete {
        receiver: Option<String>,
    },
    /// A pending invitation withdrawn (its id).
    Withdraw(String),
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The account (or invitation) a creation recorded, without a password: such a member gets
/// an email to set one, or signs in through the identity provider.
pub(crate) fn recorded_member(v: &Value) -> NewMember {
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    NewMember {
        username: text("username"),
        password: None,
        first_name: text("firstName"),
        last_name: text("lastName"),
        email: text("email"),
        role: text("role"),
        user_type: text("userType"),
        groups: strings(v.get("groups")),
        credits: v.get("credits").and_then(Value::as_f64),
        description: None,
        idp_username: Some(text("idpUsername")).filter(|s| !s.is_empty()),
    }
}

fn step(i: &ToSend) -> Step {
    let object_with = |k: &str| i.target.as_ref().filter(|t| t.get(k).is_some());
    if i.field == field::MEMBER {
        return match object_with("username") {
            Some(t) => Step::Create(Box::new(recorded_member(t))),
            None => Step::Delete {
                receiver: i
                    .target
                    .as_ref()
                    .and_then(|t| t.get("receiver"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
        };
    }
    if i.field == field::INVITATION {
        return match object_with("email") {
            Some(t) => Step::Invite(Box::new(recorded_member(t))),
            None => Step::Withdraw(
                i.current
                    .as_ref()
                    .and_then(|c| c.get("invitation"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
        };
    }
    if let Some(item_id) = i.field.strip_prefix("license:") {
        let entitlements = strings(i.target.as_ref());
        let now: HashSet<String> = strings(i.current.as_ref()).into_iter().collect();
        let taking = entitlements.iter().all(|e| now.contains(e));
        return Step::License {
            item_id: item_id.to_string(),
            entitlements,
            taking,
        };
    }
    if let Some(id) = i.field.strip_prefix("bundle:") {
        return Step::Bundle {
            bundle_id: id.to_string(),
            give: i.target.as_ref().and_then(Value::as_bool).unwrap_or(false),
        };
    }
    Step::Member
}

/// The member updates that send `items`, one per member.
fn updates(items: &[&ToSend], current: &HashMap<String, Member>, names: &Names) -> Vec<Update> {
    let mut by: BTreeMap<String, Update> = BTreeMap::new();
    for i in items {
        let u = by.entry(i.member.to_lowercase()).or_insert_with(|| Update {
            username: i.member.clone(),
            ..Update::default()
        });
        let text = || {
            i.target
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        match i.field.as_str() {
            field::FIRST_NAME => u.first_name = Some(text().unwrap_or_default()),
            field::LAST_NAME => u.last_name = Some(text().unwrap_or_default()),
            field::EMAIL => u.email = text(),
            field::DESCRIPTION => u.description = Some(text().unwrap_or_default()),
            field::ACCESS => u.access = text(),
            field::ROLE => u.role = text(),
            field::USER_TYPE => u.user_type = text(),
            field::CREDITS => u.credits = i.target.as_ref().and_then(Value::as_f64),
            field::DISABLED => u.disabled = i.target.as_ref().and_then(Value::as_bool),
            f => {
                if let Some(id) = f.strip_prefix("group:") {
                    if i.target.as_ref().and_then(Value::as_bool) == Some(true) {
                        u.join.push(id.to_string());
                    } else {
                        u.leave.push(id.to_string());
                    }
                }
            }
        }
    }
    for u in by.values_mut() {
        // The new user type does not allow the member's current role: the role goes first.
        if let (Some(t), Some(m)) = (&u.user_type, current.get(&u.username.to_lowercase())) {
            u.role_first =
                u.role.is_some() && names.choices().incompatibility(&m.role_id, t).is_some();
        }
    }
    by.into_values().collect()
}

impl Console {
    /// Sends `items` as the job `recorder` records (each outcome settled there), in the order
    /// the portal accepts; `cancel` stops it between steps, `progress` hears how many items
    /// have been sent. The cache then holds what the portal took.
    ///
    /// Members in `keep` are not deleted (another change of theirs could not be replayed); the
    /// reason is theirs.
    pub(crate) async fn send_recorded(
        &self,
        items: &[ToSend],
        keep: &HashMap<String, String>,
        recorder: &Recorder,
        cancel: &std::sync::Arc<AtomicBool>,
        progress: &mut (dyn FnMut(BulkProgress) + Send),
    ) -> Result<()> {
        let (client, names) = self.names().await?;
        let offers = self.offers().await;
        let total = items.len();
        let mut sent = 0;
        let mut tick = |n: usize| {
            sent += n;
            progress(BulkProgress {
                done: u32::try_from(sent).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
            });
        };
        let jobs = client.bulk(portal_client::BulkOptions {
            cancel: cancel.clone(),
            ..Default::default()
        });
        let stopped = || cancel.load(Ordering::Relaxed);
        let mut failed: HashMap<String, String> = HashMap::new();
        let steps: Vec<(&ToSend, Step)> = items.iter().map(|i| (i, step(i))).collect();
        let bundle_item = |id: &str| {
            offers
                .as_deref()
                .and_then(|o| o.bundles.iter().find(|b| b.id == id))
                .map(|b| b.item_id.clone())
        };
        // Members created and people invited first: the rest may concern them.
        let creates: Vec<NewMember> = steps
            .iter()
            .filter_map(|(_, s)| match s {
                Step::Create(m) => Some(m.as_ref().clone()),
                _ => None,
            })
            .collect();
        let invites: Vec<NewMember> = steps
            .iter()
            .filter_map(|(_, s)| match s {
                Step::Invite(m) => Some(m.as_ref().clone()),
                _ => None,
            })
            .collect();
        let mut created = Vec::new();
        for (people, f) in [(&creates, field::MEMBER), (&invites, field::INVITATION)] {
            if people.is_empty() || stopped() {
                continue;
            }
            let outcomes = if f == field::MEMBER {
                jobs.create_members(people, |_, _| {}).await
            } else {
                jobs.invite_people(people, |_, _| {}).await
            };
            if f == field::MEMBER {
                created.extend(
                    outcomes
                        .iter()
                        .filter(|o| o.outcome == portal_client::Outcome::Done)
                        .map(|o| o.username.clone()),
                );
            }
            recorder.settle(&Settled::from_outcomes(f, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            tick(people.len());
        }
        for taking in [true, false] {
            if !taking {
                // The members' own fields, between licenses taken and licenses given.
                let members: Vec<&ToSend> = steps
                    .iter()
                    .filter(|(i, s)| {
                        matches!(s, Step::Member) && !failed.contains_key(&i.member.to_lowercase())
                    })
                    .map(|(i, _)| *i)
                    .collect();
                if !members.is_empty() && !stopped() {
                    let rows = self.members().await?;
                    let current: HashMap<String, Member> = rows
                        .iter()
                        .map(|m| (m.username.to_lowercase(), m.clone()))
                        .collect();
                    let updates = updates(&members, &current, &names);
                    let refs: Vec<&Update> = updates.iter().collect();
                    self.run_updates(&jobs, &refs, recorder, &mut failed)
                        .await?;
                    tick(members.len());
                }
            }
            let mut licenses: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
            let mut bundles: BTreeMap<(String, bool), Vec<String>> = BTreeMap::new();
            for (i, s) in &steps {
                match s {
                    Step::License {
                        item_id,
                        entitlements,
                        taking: t,
                    } if *t == taking => licenses
                        .entry(item_id.clone())
                        .or_default()
                        .push((i.member.clone(), entitlements.clone())),
                    Step::Bundle { bundle_id, give } if *give != taking => bundles
                        .entry((bundle_id.clone(), *give))
                        .or_default()
                        .push(i.member.clone()),
                    _ => {}
                }
            }
            for (item_id, wanted) in licenses {
                let n = wanted.len();
                let outcomes = jobs.set_entitlements(&item_id, &wanted, |_, _| {}).await;
                recorder.settle(&Settled::from_outcomes(
                    &field::license(&item_id),
                    &outcomes,
                ));
                journal::note_failures(&outcomes, &mut failed);
                tick(n);
            }
            for ((bundle_id, give), usernames) in bundles {
                let f = field::bundle(&bundle_id);
                let Some(item) = bundle_item(&bundle_id) else {
                    let why = "The app bundle is no longer offered by the organization.";
                    let settled: Vec<Settled> = usernames
                        .iter()
                        .map(|u| Settled {
                            member: u.clone(),
                            field: f.clone(),
                            outcome: ChangeOutcome::Failed,
                            message: Some(why.into()),
                        })
                        .collect();
                    recorder.settle(&settled);
                    continue;
                };
                let outcomes = jobs.set_bundle(&item, &usernames, give, |_, _| {}).await;
                recorder.settle(&Settled::from_outcomes(&f, &outcomes));
                journal::note_failures(&outcomes, &mut failed);
                tick(usernames.len());
            }
        }
        // Members deleted and invitations withdrawn last: a member's licenses went first.
        let mut deleted = Vec::new();
        for (i, s) in &steps {
            if stopped() {
                break;
            }
            match s {
                Step::Delete { receiver } => {
                    let key = i.member.to_lowercase();
                    let result = match failed.get(&key).or_else(|| keep.get(&key)) {
                        // An earlier step of the member failed (a license not taken back).
                        Some(why) => Err(crate::error::Error::Refused(format!(
                            "Not deleted: an earlier step failed: {why}"
                        ))),
                        None => client
                            .users()
                            .delete(&i.member, receiver.as_deref())
                            .await
                            .map_err(crate::error::Error::from),
                    };
                    if result.is_ok() {
                        deleted.push(i.member.clone());
                    }
                    recorder.settle(&[Settled::of(&i.member, field::MEMBER, &result)]);
                    tick(1);
                }
                Step::Withdraw(id) => {
                    let result = client.invitations().delete(id).await;
                    recorder.settle(&[Settled::of(&i.member, field::INVITATION, &result)]);
                    tick(1);
                }
                _ => {}
            }
        }
        // A member's changes after one that failed were not sent (settling keeps outcomes
        // already written).
        let not_sent: Vec<Settled> = items
            .iter()
            .filter_map(|i| {
                failed.get(&i.member.to_lowercase()).map(|why| Settled {
                    member: i.member.clone(),
                    field: i.field.clone(),
                    outcome: ChangeOutcome::Skipped,
                    message: Some(format!(
                        "Not sent: an earlier change of the member failed: {why}"
                    )),
                })
            })
            .collect();
        recorder.settle(&not_sent);
        self.remember_sent(&client, &names, recorder.id(), items, &created, &deleted)
            .await
    }

    /// The cache after a replay: members created read from the portal, the values of `items`
    /// the job has as done put where the portal took them, the members deleted gone.
    pub(crate) async fn remember_sent(
        &self,
        client: &portal_client::Client,
        names: &Names,
        job: i64,
        items: &[ToSend],
        created: &[String],
        deleted: &[String],
    ) -> Result<()> {
        let rows = self.members().await?;
        let by_name: HashMap<String, &Member> = rows
            .iter()
            .map(|m| (m.username.to_lowercase(), m))
            .collect();
        let wanted: HashMap<(String, &str), &ToSend> = items
            .iter()
            .filter(|i| i.field != field::MEMBER && i.field != field::INVITATION)
            .map(|i| ((i.member.to_lowercase(), i.field.as_str()), i))
            .collect();
        let mut changed: BTreeMap<String, Member> = BTreeMap::new();
        for username in created {
            if let Some(fresh) = client.users().get(username).await? {
                changed.insert(username.to_lowercase(), names.member(fresh));
            }
        }
        let done = self
            .history(HistoryFilter {
                job: Some(job),
                limit: Some(u32::MAX),
                ..HistoryFilter::default()
            })
            .await?
            .into_iter()
            .filter(|c| c.outcome == ChangeOutcome::Done);
        for o in done {
            let key = o.member.to_lowercase();
            let Some(item) = wanted.get(&(key.clone(), o.field.as_str())) else {
                continue;
            };
            let Some(mut m) = changed
                .get(&key)
                .cloned()
                .or_else(|| by_name.get(&key).map(|m| (*m).clone()))
            else {
                continue;
            };
            if let Some(v) = &item.target {
                journal::set_value(&mut m, &o.field, v, names);
            }
            changed.insert(key, m);
        }
        self.remember(client, changed.into_values().collect())
            .await?;
        self.forget_members(client, deleted).await
    }
}
