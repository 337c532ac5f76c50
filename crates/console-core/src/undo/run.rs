//! Sending an undo: the plan read again (what the administrator previewed may be stale), its
//! changes recorded as a new job, then sent in the order the portal accepts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::Ordering;

use serde_json::Value;

use super::{UndoItem, UndoOutcome, UndoPlan, UndoReport, UndoRequest, UndoVerdict};
use crate::bulk::BulkProgress;
use crate::error::{Error, Result};
use crate::import::plan::Update;
use crate::journal::{self, field, ChangeOutcome, HistoryFilter, NewChange, Settled};
use crate::members::Member;
use crate::session::Console;

/// How one undone change is sent.
enum Step {
    /// Set back with the other member updates (`Console::run_updates`).
    Member,
    /// Entitlements of a license set back: before the user types when it takes some away,
    /// after them when it gives some back.
    License {
        item_id: String,
        entitlements: Vec<String>,
        taking: bool,
    },
    Bundle {
        bundle_id: String,
        give: bool,
    },
    /// A member the job created, deleted.
    Delete,
    /// An invitation the job sent, withdrawn.
    Withdraw(String),
}

fn step(i: &UndoItem) -> Step {
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    if i.field == field::MEMBER {
        return Step::Delete;
    }
    if i.field == field::INVITATION {
        let id = i
            .current
            .as_ref()
            .and_then(|c| c.get("invitation"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Step::Withdraw(id.to_string());
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

/// The member updates that set `items` back, one per member.
fn updates(
    items: &[&UndoItem],
    current: &HashMap<String, Member>,
    console_names: &crate::members::Names,
) -> Vec<Update> {
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
            u.role_first = u.role.is_some()
                && console_names
                    .choices()
                    .incompatibility(&m.role_id, t)
                    .is_some();
        }
    }
    by.into_values().collect()
}

impl Console {
    /// Undoes a job (or one change of it): the plan is read again against the portal, and
    /// only what is still as the job left it is set back, as a new job recorded with
    /// `undo_of`. Conflicts and refusals are left alone (they are in the plan). One job runs
    /// at a time; `cancel_bulk` stops it between steps.
    pub async fn undo(
        &self,
        request: UndoRequest,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<UndoReport> {
        let plan: UndoPlan = self.plan_undo(request).await?;
        let items: Vec<&UndoItem> = plan
            .items
            .iter()
            .filter(|i| i.verdict == UndoVerdict::Undo)
            .collect();
        if items.is_empty() {
            return Err(Error::InvalidInput(format!(
                "Nothing of job {} can be undone now: {} unchanged, {} in conflict, {} refused.",
                plan.job, plan.unchanged, plan.conflicts, plan.refused
            )));
        }
        let (client, names) = self.names().await?;
        let offers = self.offers().await;
        let (_slot, cancel) = self.job_slot()?;
        let record: Vec<NewChange> = items
            .iter()
            .map(|i| NewChange {
                member: i.member.clone(),
                field: i.field.clone(),
                before: i.current.clone(),
                after: i.target.clone(),
                before_text: i.current_text.clone(),
                after_text: i.before_text.clone(),
            })
            .collect();
        let summary = format!("Undo of job {}: {}", plan.job, plan.summary);
        let recorder = self
            .record_job("undo", summary, Some(plan.job), &record)
            .await?;
        let total = items.len();
        let mut sent = 0;
        let mut tick = |n: usize, sent: &mut usize| {
            *sent += n;
            progress(BulkProgress {
                done: u32::try_from(*sent).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
            });
        };
        let jobs = client.bulk(portal_client::BulkOptions {
            cancel: cancel.clone(),
            ..Default::default()
        });
        let mut failed: HashMap<String, String> = HashMap::new();
        let steps: Vec<(&UndoItem, Step)> = items.iter().map(|i| (*i, step(i))).collect();
        let bundle_item = |id: &str| {
            offers
                .as_deref()
                .and_then(|o| o.bundles.iter().find(|b| b.id == id))
                .map(|b| b.item_id.clone())
        };
        // Licenses and bundles taken away first (a lower user type may not hold them) …
        for taking in [true, false] {
            if !taking {
                // … the members' own fields in between …
                let members: Vec<&UndoItem> = steps
                    .iter()
                    .filter(|(_, s)| matches!(s, Step::Member))
                    .map(|(i, _)| *i)
                    .collect();
                if !members.is_empty() && !cancel.load(Ordering::Relaxed) {
                    let rows = self.members().await?;
                    let current: HashMap<String, Member> = rows
                        .iter()
                        .map(|m| (m.username.to_lowercase(), m.clone()))
                        .collect();
                    let updates = updates(&members, &current, &names);
                    let refs: Vec<&Update> = updates.iter().collect();
                    self.run_updates(&jobs, &refs, &recorder, &mut failed)
                        .await?;
                    tick(members.len(), &mut sent);
                }
            }
            // … and given back after.
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
                tick(n, &mut sent);
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
                tick(usernames.len(), &mut sent);
            }
        }
        // Members the job created, deleted; invitations it sent, withdrawn.
        let mut deleted = Vec::new();
        for (i, s) in &steps {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            match s {
                Step::Delete => {
                    let result = client.users().delete(&i.member, None).await;
                    if result.is_ok() {
                        deleted.push(i.member.clone());
                    }
                    recorder.settle(&[Settled::of(&i.member, field::MEMBER, &result)]);
                    tick(1, &mut sent);
                }
                Step::Withdraw(id) => {
                    let result = client.invitations().delete(id).await;
                    recorder.settle(&[Settled::of(&i.member, field::INVITATION, &result)]);
                    tick(1, &mut sent);
                }
                _ => {}
            }
        }
        let job = recorder.id();
        recorder.finish(cancel.load(Ordering::Relaxed));
        let report = self.undo_report(job).await?;
        self.remember_undo(&client, &names, &report, &items, &deleted)
            .await?;
        Ok(report)
    }

    /// The undo job's outcomes, as the journal has them.
    async fn undo_report(&self, job: i64) -> Result<UndoReport> {
        let changes = self
            .history(HistoryFilter {
                job: Some(job),
                limit: Some(u32::MAX),
                ..HistoryFilter::default()
            })
            .await?;
        let mut report = UndoReport {
            job,
            items: Vec::with_capacity(changes.len()),
            done: 0,
            failed: 0,
            skipped: 0,
        };
        for c in changes.into_iter().rev() {
            match c.outcome {
                ChangeOutcome::Done => report.done += 1,
                ChangeOutcome::Skipped => report.skipped += 1,
                _ => report.failed += 1,
            }
            report.items.push(UndoOutcome {
                member: c.member,
                field: c.field,
                outcome: c.outcome,
                reason: c.message,
            });
        }
        Ok(report)
    }

    /// The cache after an undo: the values set back where the portal took them, the members
    /// deleted gone.
    async fn remember_undo(
        &self,
        client: &portal_client::Client,
        names: &crate::members::Names,
        report: &UndoReport,
        items: &[&UndoItem],
        deleted: &[String],
    ) -> Result<()> {
        let rows = self.members().await?;
        let mut changed: BTreeMap<String, Member> = BTreeMap::new();
        for o in report
            .items
            .iter()
            .filter(|o| o.outcome == ChangeOutcome::Done)
        {
            let key = o.member.to_lowercase();
            let Some(item) = items
                .iter()
                .find(|i| i.member.eq_ignore_ascii_case(&o.member) && i.field == o.field)
            else {
                continue;
            };
            let Some(m) = changed.get(&key).cloned().or_else(|| {
                rows.iter()
                    .find(|m| m.username.to_lowercase() == key)
                    .cloned()
            }) else {
                continue;
            };
            let mut m = m;
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
