//! Reclaiming seats: members holding a paid user type or license who have not signed in for
//! N days (or never, and were created more than N days ago). The plan says, per member, what
//! would be revoked and whether the user type goes down, and what seats would come back; the
//! job then revokes, changes roles where the lower type needs it, and downgrades.
//!
//! Order matters, and is ArcGIS's: licenses the lower type cannot hold are revoked first
//! (the portal refuses the type otherwise), then the role is lowered where the lower type does
//! not allow it (a lower role is always allowed by the higher type), then the type.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Held, Offers};
use crate::bulk::{BulkItem, BulkOutcome, BulkProgress, BulkReport};
use crate::error::{Error, Result};
use crate::journal::{self, field, NewChange, Settled};
use crate::members::{Member, Names};
use crate::session::{now_ms, Console};

const DAY_MS: i64 = 86_400_000;

/// What to reclaim.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimRequest {
    /// Members idle this many days or more.
    pub days: u32,
    /// Also members who never signed in (and were created more than `days` ago).
    pub include_never: bool,
    /// User types to downgrade from.
    pub user_types: Vec<String>,
    /// The user type to downgrade to (`None`: keep the user type).
    pub downgrade_to: Option<String>,
    /// The role to give where the lower user type does not allow the member's role.
    pub downgrade_role: Option<String>,
    /// License keys to revoke (`<item id>/<entitlement>`, `bundle/<id>`).
    pub licenses: Vec<String>,
}

/// One member of a reclaim plan.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimItem {
    pub username: String,
    pub full_name: String,
    #[specta(type = Option<f64>)]
    pub last_login: Option<i64>,
    pub user_type_name: String,
    /// License keys that would be revoked.
    pub revoke: Vec<String>,
    /// Whether the user type goes down.
    pub downgrade: bool,
    /// The role given first, where the lower type needs it.
    pub new_role: Option<String>,
    /// Why (part of) the member cannot be reclaimed; what can be done still is.
    pub problem: Option<String>,
}

/// Seats that would come back, per user type, license or bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Freed {
    pub key: String,
    pub name: String,
    pub count: u32,
}

/// The plan of a reclaim.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimPlan {
    pub items: Vec<ReclaimItem>,
    pub freed: Vec<Freed>,
}

fn idle(m: &Member, request: &ReclaimRequest, now: i64) -> bool {
    let before = now - i64::from(request.days) * DAY_MS;
    match m.last_login {
        Some(t) => t < before,
        None => request.include_never && m.created < before,
    }
}

/// The plan, from the rows.
pub fn plan_reclaim(
    request: &ReclaimRequest,
    rows: &[Member],
    names: &Names,
    offers: &Offers,
    me: &str,
    now: i64,
) -> ReclaimPlan {
    let target = request.downgrade_to.as_deref();
    // Seats of the lower type left for the downgrades (members taken in order; `None`: no
    // limit): a member past them keeps their type (and what it needs), and says why.
    let mut seats_left: Option<i64> = target.and_then(|t| {
        offers
            .type_seats(t)
            .map(|bought| bought - rows.iter().filter(|m| m.user_type == t).count() as i64)
    });
    let mut items = Vec::new();
    let mut freed: BTreeMap<String, u32> = BTreeMap::new();
    for m in rows.iter().filter(|m| idle(m, request, now)) {
        if m.username.eq_ignore_ascii_case(me) {
            continue;
        }
        let mut revoke: Vec<String> = m
            .licenses
            .iter()
            .filter(|k| request.licenses.contains(k))
            .cloned()
            .collect();
        let wants_down =
            target.is_some_and(|t| t != m.user_type) && request.user_types.contains(&m.user_type);
        let mut downgrade = false;
        let mut new_role = None;
        let mut problem = None;
        if let (true, Some(t)) = (wants_down, target) {
            let t_name = names.user_type_name(t);
            let role_fits = if names.choices().incompatibility(&m.role_id, t).is_none() {
                true
            } else {
                match request.downgrade_role.as_deref() {
                    Some(r) if names.choices().incompatibility(r, t).is_none() => {
                        new_role = Some(r.to_string());
                        true
                    }
                    _ => {
                        problem = Some(format!(
                            "{t_name} does not allow the role {}: choose a role to give",
                            m.role_name
                        ));
                        false
                    }
                }
            };
            if role_fits && seats_left.is_some_and(|left| left <= 0) {
                new_role = None;
                problem = Some(format!("no seat of {t_name} is left to downgrade to"));
            } else if role_fits {
                downgrade = true;
                if let Some(left) = seats_left.as_mut() {
                    *left -= 1;
                }
                // What the lower type cannot hold goes too.
                for k in &m.licenses {
                    if offers.blocks_type(k, t, &t_name).is_some() && !revoke.contains(k) {
                        revoke.push(k.clone());
                    }
                }
            }
        }
        let reclaims = !revoke.is_empty() || downgrade;
        if !reclaims && problem.is_none() {
            continue;
        }
        for k in &revoke {
            *freed.entry(k.clone()).or_default() += 1;
        }
        if downgrade {
            *freed.entry(m.user_type.clone()).or_default() += 1;
        }
        items.push(ReclaimItem {
            username: m.username.clone(),
            full_name: m.full_name.clone(),
            last_login: m.last_login,
            user_type_name: m.user_type_name.clone(),
            revoke,
            downgrade,
            new_role,
            problem,
        });
    }
    let freed = freed
        .into_iter()
        .map(|(key, count)| Freed {
            name: if offers.find(&key).is_some() {
                offers.name_of(&key)
            } else {
                names.user_type_name(&key)
            },
            key,
            count,
        })
        .collect();
    ReclaimPlan { items, freed }
}

impl Console {
    /// The reclaim plan for `request`, from the cached members.
    pub async fn plan_reclaim(&self, request: ReclaimRequest) -> Result<ReclaimPlan> {
        let (_, names) = self.names().await?;
        let offers = self.offers().await.ok_or_else(|| {
            Error::InvalidInput(
                "Load the organization first: its licenses are not read yet.".into(),
            )
        })?;
        let rows = self.members().await?;
        let me = self.signed_in_username().await?;
        Ok(plan_reclaim(
            &request,
            &rows,
            &names,
            &offers,
            &me,
            now_ms(),
        ))
    }

    /// Reclaims what the plan of `request` says for the members in `usernames` (those the
    /// administrator kept), as one job (it takes the bulk job's slot: one job at a time,
    /// cancelled by `cancel_bulk`): revocations, then role changes, then downgrades. A member
    /// is done when every step of theirs is; the first failed step's reason is theirs. Every
    /// step that went through is in the cache, whatever the member's later steps did.
    pub async fn reclaim(
        &self,
        request: ReclaimRequest,
        usernames: Vec<String>,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<BulkReport> {
        let plan = self.plan_reclaim(request.clone()).await?;
        let keep: HashSet<String> = usernames.iter().map(|u| u.to_lowercase()).collect();
        let items: Vec<ReclaimItem> = plan
            .items
            .into_iter()
            .filter(|i| keep.contains(&i.username.to_lowercase()))
            .filter(|i| !i.revoke.is_empty() || i.downgrade)
            .collect();
        if items.is_empty() {
            return Err(Error::InvalidInput(
                "Nothing to reclaim for the members kept.".into(),
            ));
        }
        let (_slot, cancel) = self.job_slot()?;
        let offers = self.offers().await.unwrap_or_default();
        let (client, names) = self.names().await?;
        let rows = self.members().await?;
        let changes = reclaim_changes(&items, &rows, &request, &names, &offers);
        let members = if items.len() == 1 {
            "1 member".to_string()
        } else {
            format!("{} members", items.len())
        };
        let recorder = self
            .record("reclaim", format!("Reclaim, {members}"), &changes)
            .await?;
        let jobs = client.bulk(portal_client::BulkOptions {
            cancel: cancel.clone(),
            ..Default::default()
        });
        let total = items.len() * 3;
        let mut steps_done = 0usize;
        let mut tick = |k: usize, progress: &mut dyn FnMut(BulkProgress)| {
            steps_done += k;
            progress(BulkProgress {
                done: u32::try_from(steps_done.min(total)).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
            });
        };
        let mut failed: HashMap<String, String> = HashMap::new();
        // What went through, per member (lower-cased): each license's keys now, roles, types.
        let mut licenses_now: HashMap<String, Vec<(String, Vec<String>)>> = HashMap::new();
        let mut bundles_taken: HashMap<String, Vec<String>> = HashMap::new();
        let mut roles_given: HashSet<String> = HashSet::new();
        let mut types_given: HashSet<String> = HashSet::new();
        let done = |o: &portal_client::ItemOutcome| o.outcome == portal_client::Outcome::Done;
        // 1. Licenses, license by license (each member's list read from the portal now, so a
        //    license given since the load is kept), then bundles.
        for p in &offers.products {
            let prefix = format!("{}/", p.item_id);
            let mine: Vec<&ReclaimItem> = items
                .iter()
                .filter(|i| i.revoke.iter().any(|k| k.starts_with(&prefix)))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let held = crate::bulk::current_holdings(&client, &p.item_id).await?;
            let wanted: Vec<(String, Vec<String>)> = mine
                .iter()
                .map(|i| {
                    let kept = held
                        .get(&i.username.to_lowercase())
                        .into_iter()
                        .flatten()
                        .filter(|k| !i.revoke.contains(k))
                        .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
                        .collect();
                    (i.username.clone(), kept)
                })
                .collect();
            let outcomes = jobs.set_entitlements(&p.item_id, &wanted, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(
                &field::license(&p.item_id),
                &outcomes,
            ));
            journal::note_failures(&outcomes, &mut failed);
            for (o, (_, kept)) in outcomes.iter().zip(&wanted) {
                if done(o) {
                    licenses_now
                        .entry(o.username.to_lowercase())
                        .or_default()
                        .push((p.item_id.clone(), kept.clone()));
                }
            }
            tick(mine.len(), &mut progress);
        }
        for b in &offers.bundles {
            let takers: Vec<String> = items
                .iter()
                .filter(|i| i.revoke.contains(&b.key))
                .map(|i| i.username.clone())
                .collect();
            if takers.is_empty() {
                continue;
            }
            let outcomes = jobs.set_bundle(&b.item_id, &takers, false, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(&field::bundle(&b.id), &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            for o in outcomes.iter().filter(|o| done(o)) {
                bundles_taken
                    .entry(o.username.to_lowercase())
                    .or_default()
                    .push(b.key.clone());
            }
            tick(takers.len(), &mut progress);
        }
        // 2. Roles the lower type needs, 3. the downgrade: only for members whose earlier
        // steps went through.
        let ok = |i: &ReclaimItem, failed: &HashMap<String, String>| {
            !failed.contains_key(&i.username.to_lowercase())
        };
        let mut by_role: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for i in items.iter().filter(|i| i.downgrade && ok(i, &failed)) {
            if let Some(r) = &i.new_role {
                by_role
                    .entry(r.clone())
                    .or_default()
                    .push(i.username.clone());
            }
        }
        for (role, members) in by_role {
            let outcomes = jobs.set_role(&members, &role, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::ROLE, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            roles_given.extend(
                outcomes
                    .iter()
                    .filter(|o| done(o))
                    .map(|o| o.username.to_lowercase()),
            );
            tick(members.len(), &mut progress);
        }
        let down: Vec<String> = items
            .iter()
            .filter(|i| i.downgrade && ok(i, &failed))
            .map(|i| i.username.clone())
            .collect();
        if let (false, Some(t)) = (down.is_empty(), request.downgrade_to.as_deref()) {
            let outcomes = jobs.set_user_type(&down, t, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::USER_TYPE, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            types_given.extend(
                outcomes
                    .iter()
                    .filter(|o| done(o))
                    .map(|o| o.username.to_lowercase()),
            );
        }
        tick(total, &mut progress);
        // A member's steps after one that failed were not sent.
        recorder.settle(&journal::not_sent(
            &changes,
            &failed,
            "Not sent: an earlier step of this member failed.",
        ));
        recorder.finish(cancel.load(std::sync::atomic::Ordering::Relaxed));
        // Every member's outcome, and their rows as the portal now holds them.
        let by_name: HashMap<String, &Member> = rows
            .iter()
            .map(|m| (m.username.to_lowercase(), m))
            .collect();
        let mut report = BulkReport {
            items: Vec::new(),
            done: 0,
            failed: 0,
            skipped: 0,
        };
        let mut changed = Vec::new();
        for i in &items {
            let key = i.username.to_lowercase();
            let (outcome, reason) = match failed.get(&key) {
                Some(why) => {
                    report.failed += 1;
                    (BulkOutcome::Failed, Some(why.clone()))
                }
                None => {
                    report.done += 1;
                    (BulkOutcome::Done, None)
                }
            };
            report.items.push(BulkItem {
                username: i.username.clone(),
                outcome,
                reason,
            });
            let Some(m) = by_name.get(&key) else {
                continue;
            };
            let mut m = (*m).clone();
            for (item_id, kept) in licenses_now.get(&key).into_iter().flatten() {
                let prefix = format!("{item_id}/");
                m.licenses.retain(|k| !k.starts_with(&prefix));
                m.licenses
                    .extend(kept.iter().map(|e| super::entitlement_key(item_id, e)));
            }
            for b in bundles_taken.get(&key).into_iter().flatten() {
                m.licenses.retain(|k| k != b);
            }
            if let (true, Some(r)) = (roles_given.contains(&key), &i.new_role) {
                if let Some(base) = names.base_role(r) {
                    m.role = base;
                }
                m.role_id = r.clone();
                m.role_name = names.role_name(r);
            }
            if let (true, Some(t)) = (types_given.contains(&key), request.downgrade_to.as_deref()) {
                m.user_type = t.to_string();
                m.user_type_name = names.user_type_name(t);
                // A bundle the lower type includes is no longer given.
                m.licenses.retain(|k| {
                    !matches!(offers.find(k), Some(Held::Bundle(b)) if b.included_in.iter().any(|x| x == t))
                });
            }
            changed.push(m);
        }
        self.remember(&client, changed).await?;
        Ok(report)
    }
}

/// What a reclaim records before it sends anything: per member, each license's entitlements
/// (as cached) and what is kept, each bundle taken, the role given where the lower type needs
/// it, and the downgrade.
fn reclaim_changes(
    items: &[ReclaimItem],
    rows: &[Member],
    request: &ReclaimRequest,
    names: &Names,
    offers: &Offers,
) -> Vec<NewChange> {
    use serde_json::json;
    let by_name: HashMap<String, &Member> = rows
        .iter()
        .map(|m| (m.username.to_lowercase(), m))
        .collect();
    let text = |keys: &[&String]| {
        if keys.is_empty() {
            "none".to_string()
        } else {
            keys.iter()
                .map(|k| offers.name_of(k))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut changes = Vec::new();
    for i in items {
        let Some(m) = by_name.get(&i.username.to_lowercase()) else {
            continue;
        };
        let change = |field: String, before, after, before_text, after_text| NewChange {
            member: m.username.clone(),
            field,
            before: Some(before),
            after: Some(after),
            before_text,
            after_text,
        };
        for p in &offers.products {
            let prefix = format!("{}/", p.item_id);
            if !i.revoke.iter().any(|k| k.starts_with(&prefix)) {
                continue;
            }
            let held: Vec<&String> = m
                .licenses
                .iter()
                .filter(|k| k.starts_with(&prefix))
                .collect();
            let kept: Vec<&String> = held
                .iter()
                .copied()
                .filter(|k| !i.revoke.contains(*k))
                .collect();
            let bare = |keys: &[&String]| {
                json!(keys
                    .iter()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .collect::<Vec<_>>())
            };
            changes.push(change(
                field::license(&p.item_id),
                bare(&held),
                bare(&kept),
                text(&held),
                text(&kept),
            ));
        }
        for b in offers.bundles.iter().filter(|b| i.revoke.contains(&b.key)) {
            changes.push(change(
                field::bundle(&b.id),
                json!(true),
                json!(false),
                b.name.clone(),
                "none".into(),
            ));
        }
        if !i.downgrade {
            continue;
        }
        if let Some(r) = &i.new_role {
            changes.push(change(
                field::ROLE.into(),
                json!(m.role_id),
                json!(r),
                m.role_name.clone(),
                names.role_name(r),
            ));
        }
        if let Some(t) = request.downgrade_to.as_deref() {
            changes.push(change(
                field::USER_TYPE.into(),
                json!(m.user_type),
                json!(t),
                m.user_type_name.clone(),
                names.user_type_name(t),
            ));
        }
    }
    changes
}
