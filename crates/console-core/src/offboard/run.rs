//! The offboarding job: the impact report read again, every change recorded before the first
//! request, then licenses and bundles taken back, content and groups handed to the receiver,
//! and the members removed in batches. A member whose earlier step failed is not deleted.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use super::{Impact, OffboardRequest};
use crate::bulk::{BulkItem, BulkOutcome, BulkProgress, BulkReport};
use crate::error::{Error, Result};
use crate::journal::{self, field, NewChange, Settled};
use crate::replay::ToSend;
use crate::session::Console;

/// What one member's offboarding records: each license and bundle taken back, then the
/// account itself.
fn changes_of(
    m: &Impact,
    member: Option<&crate::members::Member>,
    receiver: Option<&str>,
) -> Vec<NewChange> {
    let mut by_item: BTreeMap<&str, (Vec<String>, Vec<&str>)> = BTreeMap::new();
    let mut out = Vec::new();
    for (key, name) in m.keys.iter().zip(&m.licenses) {
        if let Some(id) = key.strip_prefix("bundle/") {
            out.push(NewChange {
                member: m.username.clone(),
                field: field::bundle(id),
                before: Some(json!(true)),
                after: Some(json!(false)),
                before_text: format!("holds {name}"),
                after_text: format!("does not hold {name}"),
            });
        } else if let Some((item, entitlement)) = key.split_once('/') {
            let e = by_item.entry(item).or_default();
            e.0.push(entitlement.to_string());
            e.1.push(name);
        }
    }
    for (item, (entitlements, names)) in by_item {
        out.push(NewChange {
            member: m.username.clone(),
            field: field::license(item),
            before: Some(json!(entitlements)),
            after: Some(json!([])),
            before_text: names.join(", "),
            after_text: "none".into(),
        });
    }
    out.push(NewChange {
        member: m.username.clone(),
        field: field::MEMBER.into(),
        before: member.and_then(|m| serde_json::to_value(m).ok()),
        after: receiver.map(|r| json!({ "receiver": r })),
        before_text: member.map_or_else(String::new, |m| {
            format!("{}: {}, {}", m.full_name, m.user_type_name, m.role_name)
        }),
        after_text: match receiver {
            Some(r) => format!("deleted; content and groups to {r}"),
            None => "deleted".into(),
        },
    });
    out
}

impl Console {
    /// Deletes the members of `request` that can go (the impact report is read again first),
    /// as one job: licenses and bundles taken back, content and groups handed to the receiver,
    /// the members removed. Every selected member gets an outcome; one job runs at a time and
    /// `cancel_bulk` stops it between requests.
    pub async fn offboard(
        &self,
        request: OffboardRequest,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<BulkReport> {
        let (_slot, cancel) = self.job_slot()?;
        let plan = self.plan_offboard(request).await?;
        let going: Vec<&Impact> = plan
            .members
            .iter()
            .filter(|m| m.refused.is_none())
            .collect();
        if going.is_empty() {
            return Err(Error::InvalidInput(
                "None of the selected members can be deleted: the report says why.".into(),
            ));
        }
        let receiver = plan.receiver.as_deref();
        let (client, names) = self.names().await?;
        let offers = self.offers().await;
        let groups = self.groups(false).await?;
        let rows = self.members().await?;
        let mut record = Vec::new();
        for m in &going {
            let row = rows
                .iter()
                .find(|r| r.username.eq_ignore_ascii_case(&m.username));
            record.extend(changes_of(m, row, receiver));
        }
        let summary = format!(
            "Offboard {} {}{}",
            going.len(),
            if going.len() == 1 {
                "member"
            } else {
                "members"
            },
            receiver.map_or_else(String::new, |r| format!(", content and groups to {r}"))
        );
        let recorder = self.record("offboard", summary, &record).await?;
        let total = u32::try_from(going.len()).unwrap_or(u32::MAX);
        progress(BulkProgress { done: 0, total });
        let jobs = client.bulk(portal_client::BulkOptions {
            cancel: cancel.clone(),
            ..Default::default()
        });
        let mut failed: HashMap<String, String> = HashMap::new();
        // Content and owned groups to the receiver first: a member whose content could not be
        // handed over keeps their account and their licenses.
        if let Some(r) = receiver {
            let owners: Vec<String> = going
                .iter()
                .filter(|m| m.items > 0 || m.folders > 0 || !m.groups_owned.is_empty())
                .filter(|m| !failed.contains_key(&m.username.to_lowercase()))
                .map(|m| m.username.clone())
                .collect();
            if !owners.is_empty() {
                let outcomes = jobs.reassign_to(&owners, r, |_, _| {}).await;
                journal::note_failures(&outcomes, &mut failed);
            }
        }
        // Then their licenses and bundles taken back, before the accounts go: the seats they free
        // are on the record.
        let mut by_item: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
        let mut by_bundle: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in record
            .iter()
            .filter(|c| !failed.contains_key(&c.member.to_lowercase()))
        {
            if let Some(item) = c.field.strip_prefix("license:") {
                by_item
                    .entry(item.to_string())
                    .or_default()
                    .push((c.member.clone(), Vec::new()));
            } else if let Some(id) = c.field.strip_prefix("bundle:") {
                by_bundle
                    .entry(id.to_string())
                    .or_default()
                    .push(c.member.clone());
            }
        }
        for (item, wanted) in by_item {
            let outcomes = jobs.set_entitlements(&item, &wanted, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(&field::license(&item), &outcomes));
            journal::note_failures(&outcomes, &mut failed);
        }
        for (id, usernames) in by_bundle {
            let f = field::bundle(&id);
            let item = offers
                .as_deref()
                .and_then(|o| o.bundles.iter().find(|b| b.id == id))
                .map(|b| b.item_id.clone());
            let Some(item) = item else {
                // No longer offered: nothing to take back, the deletion releases it.
                let settled: Vec<Settled> = usernames
                    .iter()
                    .map(|u| Settled {
                        member: u.clone(),
                        field: f.clone(),
                        outcome: journal::ChangeOutcome::Skipped,
                        message: Some(
                            "The app bundle is no longer offered: the deletion releases it.".into(),
                        ),
                    })
                    .collect();
                recorder.settle(&settled);
                continue;
            };
            let outcomes = jobs.set_bundle(&item, &usernames, false, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(&f, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
        }
        // The members removed, in batches.
        let leaving: Vec<String> = going
            .iter()
            .filter(|m| !failed.contains_key(&m.username.to_lowercase()))
            .map(|m| m.username.clone())
            .collect();
        let mut removed = Vec::new();
        if !leaving.is_empty() {
            let outcomes = jobs
                .remove_members(&leaving, |done, _| {
                    progress(BulkProgress {
                        done: u32::try_from(done).unwrap_or(u32::MAX),
                        total,
                    });
                })
                .await;
            recorder.settle(&Settled::from_outcomes(field::MEMBER, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            removed = outcomes
                .into_iter()
                .filter(|o| o.outcome == portal_client::Outcome::Done)
                .map(|o| o.username)
                .collect();
        }
        recorder.settle(&journal::not_sent(
            &record,
            &failed,
            "Not sent: an earlier step of this member failed.",
        ));
        let job = recorder.id();
        recorder.finish(cancel.load(std::sync::atomic::Ordering::Relaxed));
        // The cache: the members gone, and the licenses taken from members who stay.
        let taken: Vec<ToSend> = record
            .iter()
            .filter(|c| c.field != field::MEMBER)
            .map(|c| ToSend {
                member: c.member.clone(),
                field: c.field.clone(),
                target: c.after.clone(),
                current: c.before.clone(),
            })
            .collect();
        self.remember_sent(&client, &names, job, &taken, &[], &removed)
            .await?;
        if let Some(r) = receiver {
            self.hand_over_groups(&client, &groups, &removed, r).await?;
        }
        Ok(report(&plan.members, &failed))
    }
}

/// Every selected member's outcome: deleted, failed (with the first reason), skipped when
/// cancelled, or refused by the report.
fn report(members: &[Impact], failed: &HashMap<String, String>) -> BulkReport {
    let mut r = BulkReport {
        items: Vec::with_capacity(members.len()),
        done: 0,
        failed: 0,
        skipped: 0,
    };
    for m in members {
        let (outcome, reason) = match (&m.refused, failed.get(&m.username.to_lowercase())) {
            (Some(why), _) => (BulkOutcome::Failed, Some(format!("Not deleted: {why}"))),
            (None, Some(why)) if why == "cancelled" => (BulkOutcome::Skipped, Some(why.clone())),
            (None, Some(why)) => (BulkOutcome::Failed, Some(why.clone())),
            (None, None) => (BulkOutcome::Done, None),
        };
        match outcome {
            BulkOutcome::Done => r.done += 1,
            BulkOutcome::Failed => r.failed += 1,
            BulkOutcome::Skipped => r.skipped += 1,
        }
        r.items.push(BulkItem {
            username: m.username.clone(),
            outcome,
            reason,
        });
    }
    r
}
