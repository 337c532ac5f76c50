//! Bulk changes to a selection of members: what the UI asks for, what it hears while the
//! job runs, and the result per member.
//!
//! The work itself is the portal client's bulk helpers (batched where the API allows, checked
//! before any retry so nothing is applied twice); this module validates the request against
//! the organization's roles, user types and groups, and turns outcomes into rows the UI lists.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use portal_client::{ItemOutcome, Outcome};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::Settled;
use crate::licenses::{Held, Offers};
use crate::members::shared::{owned_all, shared_all};
use crate::members::{Member, Names};
use crate::session::Console;

mod licenses;
pub mod plan;
mod record;
pub(crate) use licenses::{current_holdings, licenses_after};
use licenses::{rows_with, wanted_entitlements};
pub use plan::{BulkPlan, PlanItem, Verdict};

/// What a bulk job does to each selected member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum BulkKind {
    /// Give each member the role `target` (a base role or a custom role's id).
    SetRole,
    /// Give each member the user type `target`.
    SetUserType,
    /// Disable each member (they can no longer sign in; nothing is deleted).
    Disable,
    /// Enable each member again.
    Enable,
    /// Add each member to the group `target` (a group id).
    AddToGroup,
    /// Remove each member from the group `target`.
    RemoveFromGroup,
    /// Give each member the entitlement `target` (`<item id>/<entitlement>`), keeping what
    /// else they hold of the license (another ArcGIS Pro level is replaced).
    AssignLicense,
    /// Take the entitlement `target` from each member, or everything of a license with
    /// `<item id>/*`.
    RevokeLicense,
    /// Give each member the app bundle `target` (`bundle/<id>`).
    GiveBundle,
    /// Take the app bundle `target` from each member.
    TakeBundle,
}

/// A bulk job as the UI submits it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkRequest {
    pub kind: BulkKind,
    /// The role id, user type id, group id or license key; empty for enable and disable.
    pub target: String,
    pub usernames: Vec<String>,
}

/// How far a bulk job is: members with an outcome, of all selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkProgress {
    pub done: u32,
    pub total: u32,
}

/// One member's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum BulkOutcome {
    /// The change is in place.
    Done,
    /// Not changed; `reason` says why (the portal's own words where it gave some).
    Failed,
    /// Not attempted: the job was cancelled first.
    Skipped,
}

/// One row of a bulk job's result list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub username: String,
    pub outcome: BulkOutcome,
    pub reason: Option<String>,
}

/// A finished (or cancelled) bulk job: every selected member, once, with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    pub items: Vec<BulkItem>,
    pub done: u32,
    pub failed: u32,
    pub skipped: u32,
}

impl BulkReport {
    /// The report of the client's outcomes.
    pub(crate) fn new(outcomes: Vec<ItemOutcome>) -> Self {
        let mut report = BulkReport {
            items: Vec::with_capacity(outcomes.len()),
            done: 0,
            failed: 0,
            skipped: 0,
        };
        for o in outcomes {
            let (outcome, reason) = match o.outcome {
                Outcome::Done => {
                    report.done += 1;
                    (BulkOutcome::Done, None)
                }
                Outcome::Failed(r) => {
                    report.failed += 1;
                    (BulkOutcome::Failed, Some(r))
                }
                Outcome::Skipped(r) => {
                    report.skipped += 1;
                    (BulkOutcome::Skipped, Some(r))
                }
            };
            report.items.push(BulkItem {
                username: o.username,
                outcome,
                reason,
            });
        }
        report
    }

    /// The members whose change is in place.
    pub(crate) fn done_names(&self) -> HashSet<&str> {
        self.items
            .iter()
            .filter(|i| i.outcome == BulkOutcome::Done)
            .map(|i| i.username.as_str())
            .collect()
    }
}

/// A request with its usernames trimmed and de-duplicated (first spelling kept), checked
/// against what the organization offers.
pub(crate) fn validate(
    mut request: BulkRequest,
    names: &Names,
    groups: Option<&[String]>,
    offers: Option<&Offers>,
) -> Result<BulkRequest> {
    let mut seen = HashSet::new();
    request.usernames = request
        .usernames
        .iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty() && seen.insert(u.to_lowercase()))
        .collect();
    if request.usernames.is_empty() {
        return Err(Error::InvalidInput("Select at least one member.".into()));
    }
    request.target = request.target.trim().to_string();
    let target = request.target.as_str();
    let known = |ids: &[crate::members::Choice]| ids.iter().any(|c| c.id == target);
    let (ok, what) = match request.kind {
        BulkKind::Disable | BulkKind::Enable => (true, ""),
        BulkKind::SetRole => (known(&names.choices().roles), "role"),
        BulkKind::SetUserType => (known(&names.choices().user_types), "user type"),
        BulkKind::AddToGroup | BulkKind::RemoveFromGroup => (
            groups.unwrap_or_default().iter().any(|g| g == target),
            "group",
        ),
        BulkKind::AssignLicense => (
            matches!(
                offers.and_then(|o| o.find(target)),
                Some(Held::Entitlement(..))
            ),
            "license",
        ),
        BulkKind::RevokeLicense => (
            match target.strip_suffix("/*") {
                Some(item) => offers.is_some_and(|o| o.products.iter().any(|p| p.item_id == item)),
                None => matches!(
                    offers.and_then(|o| o.find(target)),
                    Some(Held::Entitlement(..))
                ),
            },
            "license",
        ),
        BulkKind::GiveBundle | BulkKind::TakeBundle => (
            matches!(offers.and_then(|o| o.find(target)), Some(Held::Bundle(b)) if b.purchased.is_some()),
            "app bundle",
        ),
    };
    if !ok {
        return Err(Error::InvalidInput(if request.target.is_empty() {
            format!("Choose a {what}.")
        } else {
            format!(
                "The organization has no {what} '{}'. Reload and choose again.",
                request.target
            )
        }));
    }
    Ok(request)
}

/// A member as the portal holds it after the job's change (for the cache), or `None` when
/// the row does not change (already in the group, or not in it).
pub(crate) fn changed(
    m: &Member,
    kind: BulkKind,
    target: &str,
    names: &Names,
    offers: Option<&Offers>,
) -> Option<Member> {
    let mut m = m.clone();
    match kind {
        BulkKind::SetRole => {
            if let Some(base) = names.base_role(target) {
                m.role = base;
            }
            m.role_id = target.into();
            m.role_name = names.role_name(target).into();
        }
        BulkKind::SetUserType => {
            m.user_type = target.into();
            m.user_type_name = names.user_type_name(target).into();
        }
        BulkKind::Disable => m.disabled = true,
        BulkKind::Enable => m.disabled = false,
        BulkKind::AddToGroup => {
            if m.groups.iter().any(|g| g == target) {
                return None;
            }
            m.groups.push(target.into());
        }
        BulkKind::RemoveFromGroup => {
            let before = m.groups.len();
            m.groups.retain(|g| g != target);
            if m.groups.len() == before {
                return None;
            }
        }
        BulkKind::AssignLicense
        | BulkKind::RevokeLicense
        | BulkKind::GiveBundle
        | BulkKind::TakeBundle => {
            m.licenses = shared_all(licenses_after(
                &owned_all(&m.licenses),
                kind,
                target,
                offers,
            )?);
        }
    }
    Some(m)
}

/// The running job's place: one job (bulk change or reclaim) at a time, cancelled through it;
/// cleared however the job ends.
pub(crate) struct BulkSlot<'a>(&'a Mutex<Option<Arc<AtomicBool>>>);

impl Drop for BulkSlot<'_> {
    fn drop(&mut self) {
        *self.0.lock().expect("bulk lock") = None;
    }
}

impl Console {
    /// Takes the job slot, or says a job is already running; returns its cancel flag too.
    pub(crate) fn job_slot(&self) -> Result<(BulkSlot<'_>, Arc<AtomicBool>)> {
        let cancel = Arc::new(AtomicBool::new(false));
        let mut slot = self.bulk_cancel.lock().expect("bulk lock");
        if slot.is_some() {
            return Err(Error::InvalidInput(
                "A bulk change is already running. Wait for it to finish or cancel it.".into(),
            ));
        }
        *slot = Some(cancel.clone());
        Ok((BulkSlot(&self.bulk_cancel), cancel))
    }
}

impl Console {
    /// Runs a bulk change on the selected members; `progress` hears as members get their
    /// outcome. Every member is reported once (done, failed with the reason, or skipped when
    /// cancelled); the members whose change is in place are updated in the cache. One job
    /// runs at a time; `cancel_bulk` stops it between requests.
    pub async fn bulk(
        &self,
        request: BulkRequest,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<BulkReport> {
        let (client, names) = self.names().await?;
        let offers = self.offers().await;
        let request = self.checked(request, &names, offers.as_deref()).await?;
        let (_slot, cancel) = self.job_slot()?;
        let options = portal_client::BulkOptions {
            cancel: cancel.clone(),
            ..Default::default()
        };
        let jobs = client.bulk(options);
        let report = |done: usize, total: usize| {
            progress(BulkProgress {
                done: u32::try_from(done).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
            })
        };
        let rows = self.members().await?;
        let (names_in, target) = (&request.usernames, request.target.as_str());
        // What each member holds of the license now, read from the portal: another
        // administrator may have changed it since the load, and the list sent replaces all of
        // it.
        let license_item = target.split('/').next().unwrap_or_default();
        let held = match request.kind {
            BulkKind::AssignLicense | BulkKind::RevokeLicense => {
                Some(current_holdings(&client, license_item).await?)
            }
            _ => None,
        };
        let group_title = match request.kind {
            BulkKind::AddToGroup | BulkKind::RemoveFromGroup => self
                .groups(false)
                .await?
                .iter()
                .find(|g| g.id == target)
                .map(|g| g.title.clone()),
            _ => None,
        };
        let bundle_item = match request.kind {
            BulkKind::GiveBundle | BulkKind::TakeBundle => {
                match offers.as_deref().and_then(|o| o.find(target)) {
                    Some(Held::Bundle(b)) => Some(b.item_id.clone()),
                    _ => {
                        return Err(Error::InvalidInput(
                            "Reload: the app bundle is not known.".into(),
                        ))
                    }
                }
            }
            _ => None,
        };
        let context = record::Context {
            names: &names,
            offers: offers.as_deref(),
            rows: rows
                .iter()
                .map(|m| (m.username.to_lowercase(), m))
                .collect(),
            group_title,
            held: held.as_ref(),
        };
        let recorder = self
            .record(
                kind_id(request.kind),
                record::summary(&request, &context),
                &record::changes(&request, &context),
            )
            .await?;
        // A license change's rows, as the portal holds them once it is done.
        let mut license_rows: Option<Vec<Member>> = None;
        let outcomes = match request.kind {
            BulkKind::SetRole => jobs.set_role(names_in, target, report).await,
            BulkKind::SetUserType => jobs.set_user_type(names_in, target, report).await,
            BulkKind::Disable => jobs.set_disabled(names_in, true, report).await,
            BulkKind::Enable => jobs.set_disabled(names_in, false, report).await,
            BulkKind::AddToGroup => jobs.add_to_group(target, names_in, report).await,
            BulkKind::RemoveFromGroup => jobs.remove_from_group(target, names_in, report).await,
            BulkKind::AssignLicense | BulkKind::RevokeLicense => {
                let held = held.unwrap_or_default();
                let wanted =
                    wanted_entitlements(&held, names_in, request.kind, target, offers.as_deref());
                let outcomes = jobs.set_entitlements(license_item, &wanted, report).await;
                license_rows = Some(rows_with(&rows, license_item, &wanted, &outcomes));
                outcomes
            }
            BulkKind::GiveBundle | BulkKind::TakeBundle => {
                let give = request.kind == BulkKind::GiveBundle;
                let item = bundle_item.unwrap_or_default();
                jobs.set_bundle(&item, names_in, give, report).await
            }
        };
        recorder.settle(&Settled::from_outcomes(
            &record::field_of(request.kind, target, offers.as_deref()),
            &outcomes,
        ));
        recorder.finish(cancel.load(Ordering::Relaxed));
        let result = BulkReport::new(outcomes);
        let done = result.done_names();
        let changed: Vec<Member> = match license_rows {
            Some(rows) => rows,
            None => rows
                .iter()
                .filter(|m| done.contains(m.username.as_str()))
                .filter_map(|m| changed(m, request.kind, target, &names, offers.as_deref()))
                .collect(),
        };
        self.remember(&client, changed).await?;
        Ok(result)
    }

    /// The request checked against what the organization offers (`validate`); the groups are
    /// read only for a group change.
    async fn checked(
        &self,
        request: BulkRequest,
        names: &Names,
        offers: Option<&Offers>,
    ) -> Result<BulkRequest> {
        let groups = match request.kind {
            BulkKind::AddToGroup | BulkKind::RemoveFromGroup => Some(
                self.groups(false)
                    .await?
                    .iter()
                    .map(|g| g.id.clone())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        };
        validate(request, names, groups.as_deref(), offers)
    }

    /// What a bulk change would do to each selected member, and the seats it needs, before
    /// anything is sent (`plan`).
    pub async fn preview_bulk(&self, request: BulkRequest) -> Result<BulkPlan> {
        let (_, names) = self.names().await?;
        let offers = self.offers().await;
        let request = self.checked(request, &names, offers.as_deref()).await?;
        let rows = self.members().await?;
        let me = self.signed_in_username().await?;
        Ok(plan::plan(&request, &rows, &names, offers.as_deref(), &me))
    }

    /// Asks the running bulk job to stop; members not yet sent are skipped. Answers whether a
    /// job was running.
    pub fn cancel_bulk(&self) -> bool {
        match self.bulk_cancel.lock().expect("bulk lock").as_ref() {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// The journal's name of a bulk kind (its wire name: `setRole`, `addToGroup`, …).
pub(crate) fn kind_id(kind: BulkKind) -> &'static str {
    match kind {
        BulkKind::SetRole => "setRole",
        BulkKind::SetUserType => "setUserType",
        BulkKind::Disable => "disable",
        BulkKind::Enable => "enable",
        BulkKind::AddToGroup => "addToGroup",
        BulkKind::RemoveFromGroup => "removeFromGroup",
        BulkKind::AssignLicense => "assignLicense",
        BulkKind::RevokeLicense => "revokeLicense",
        BulkKind::GiveBundle => "giveBundle",
        BulkKind::TakeBundle => "takeBundle",
    }
}
