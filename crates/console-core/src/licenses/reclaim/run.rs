//! The reclaim job: revocations, then role changes, then downgrades, as one job.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::record::reclaim_changes;
use super::{ReclaimItem, ReclaimRequest};
use crate::bulk::{BulkItem, BulkOutcome, BulkProgress, BulkReport};
use crate::error::{Error, Result};
use crate::journal::{self, field, Settled};
use crate::licenses::Held;
use crate::members::Member;
use crate::session::Console;

impl Console {
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
                m.licenses.extend(
                    kept.iter()
                        .map(|e| crate::licenses::entitlement_key(item_id, e).into()),
                );
            }
            for b in bundles_taken.get(&key).into_iter().flatten() {
                m.licenses.retain(|k| k != b);
            }
            if let (true, Some(r)) = (roles_given.contains(&key), &i.new_role) {
                if let Some(base) = names.base_role(r) {
                    m.role = base;
                }
                m.role_id = r.as_str().into();
                m.role_name = names.role_name(r).into();
            }
            if let (true, Some(t)) = (types_given.contains(&key), request.downgrade_to.as_deref()) {
                m.user_type = t.into();
                m.user_type_name = names.user_type_name(t).into();
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
