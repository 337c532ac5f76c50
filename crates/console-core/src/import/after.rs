//! The run of an import after its creations and invitations: existing members' changes, each
//! row's outcome, and the cache brought up to date.

use std::collections::{BTreeMap, HashMap};

use portal_client::UserUpdate;

use super::plan::{self, Outgoing, Planned};
use super::{ImportReport, RowAction, RowOutcome};
use crate::error::Result;
use crate::journal::{self, field, Settled};
use crate::members::{Member, SharedStr};
use crate::session::{now_ms, Console};

impl Console {
    /// Existing members' changes, in the order the portal accepts: profiles, enabled or
    /// disabled, user types (after the role where the new type does not allow the current
    /// one), roles, credits, groups joined and left. (Undo sends its member changes here too.)
    pub(crate) async fn run_updates(
        &self,
        jobs: &portal_client::Bulk<'_>,
        updates: &[&plan::Update],
        recorder: &crate::journal::Recorder,
        failed: &mut HashMap<String, String>,
    ) -> Result<()> {
        let ok =
            |u: &str, failed: &HashMap<String, String>| !failed.contains_key(&u.to_lowercase());
        let profiles: Vec<(String, UserUpdate)> = updates
            .iter()
            .filter(|u| {
                u.first_name.is_some()
                    || u.last_name.is_some()
                    || u.email.is_some()
                    || u.description.is_some()
                    || u.access.is_some()
            })
            .map(|u| {
                (
                    u.username.clone(),
                    UserUpdate {
                        first_name: u.first_name.clone(),
                        last_name: u.last_name.clone(),
                        email: u.email.clone(),
                        description: u.description.clone(),
                        access: u.access.clone(),
                        ..UserUpdate::default()
                    },
                )
            })
            .collect();
        if !profiles.is_empty() {
            let outcomes = jobs.update_profiles(&profiles, |_, _| {}).await;
            for (username, p) in &profiles {
                let o = outcomes.iter().find(|o| &o.username == username);
                let settled: Vec<Settled> = [
                    (field::FIRST_NAME, p.first_name.is_some()),
                    (field::LAST_NAME, p.last_name.is_some()),
                    (field::EMAIL, p.email.is_some()),
                    (field::DESCRIPTION, p.description.is_some()),
                    (field::ACCESS, p.access.is_some()),
                ]
                .into_iter()
                .filter(|(_, sent)| *sent)
                .flat_map(|(f, _)| {
                    Settled::from_outcomes(f, o.map(std::slice::from_ref).unwrap_or_default())
                })
                .collect();
                recorder.settle(&settled);
            }
            journal::note_failures(&outcomes, failed);
        }
        for disable in [true, false] {
            let names: Vec<String> = updates
                .iter()
                .filter(|u| ok(&u.username, failed) && u.disabled == Some(disable))
                .map(|u| u.username.clone())
                .collect();
            if !names.is_empty() {
                let outcomes = jobs.set_disabled(&names, disable, |_, _| {}).await;
                recorder.settle(&Settled::from_outcomes(field::DISABLED, &outcomes));
                journal::note_failures(&outcomes, failed);
            }
        }
        // User types and roles, grouped by target, in the order the portal accepts: a member
        // whose new type does not allow their current role gets the role first.
        let by = |pick: fn(&plan::Update) -> Option<&String>,
                  first: Option<bool>,
                  failed: &HashMap<String, String>| {
            let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for u in updates
                .iter()
                .filter(|u| ok(&u.username, failed) && first.is_none_or(|f| u.role_first == f))
            {
                if let Some(t) = pick(u) {
                    groups
                        .entry(t.clone())
                        .or_default()
                        .push(u.username.clone());
                }
            }
            groups
        };
        for (t, names) in by(|u| u.user_type.as_ref(), Some(false), failed) {
            let outcomes = jobs.set_user_type(&names, &t, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::USER_TYPE, &outcomes));
            journal::note_failures(&outcomes, failed);
        }
        for (r, names) in by(|u| u.role.as_ref(), None, failed) {
            let outcomes = jobs.set_role(&names, &r, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::ROLE, &outcomes));
            journal::note_failures(&outcomes, failed);
        }
        for (t, names) in by(|u| u.user_type.as_ref(), Some(true), failed) {
            let outcomes = jobs.set_user_type(&names, &t, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::USER_TYPE, &outcomes));
            journal::note_failures(&outcomes, failed);
        }
        let credits: Vec<(String, f64)> = updates
            .iter()
            .filter(|u| ok(&u.username, failed))
            .filter_map(|u| u.credits.map(|c| (u.username.clone(), c)))
            .collect();
        if !credits.is_empty() {
            let outcomes = jobs.assign_credits(&credits, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::CREDITS, &outcomes));
            journal::note_failures(&outcomes, failed);
        }
        let mut joins: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut leaves: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for u in updates.iter().filter(|u| ok(&u.username, failed)) {
            for g in &u.join {
                joins.entry(g.clone()).or_default().push(u.username.clone());
            }
            for g in &u.leave {
                leaves
                    .entry(g.clone())
                    .or_default()
                    .push(u.username.clone());
            }
        }
        for (g, names) in joins {
            let outcomes = jobs.add_to_group(&g, &names, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(&field::group(&g), &outcomes));
            journal::note_failures(&outcomes, failed);
        }
        for (g, names) in leaves {
            let outcomes = jobs.remove_from_group(&g, &names, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(&field::group(&g), &outcomes));
            journal::note_failures(&outcomes, failed);
        }
        Ok(())
    }

    /// Every row's outcome.
    pub(super) fn import_report(
        &self,
        job: i64,
        planned: &[Planned],
        failed: &HashMap<String, String>,
    ) -> ImportReport {
        let mut report = ImportReport {
            job,
            rows: Vec::with_capacity(planned.len()),
            applied: 0,
            failed: 0,
            skipped: 0,
            invalid: 0,
            unchanged: 0,
        };
        for p in planned {
            let key = match &p.send {
                Outgoing::Invite(m) => m.email.to_lowercase(),
                _ => p.plan.username.to_lowercase(),
            };
            let (outcome, reason) = match (&p.send, p.plan.action) {
                (Outgoing::Nothing, RowAction::Unchanged) => {
                    report.unchanged += 1;
                    ("unchanged", None)
                }
                (Outgoing::Nothing, _) => {
                    report.invalid += 1;
                    ("invalid", p.plan.reason.clone())
                }
                (_, _) => match failed.get(&key) {
                    Some(why) if why == "cancelled" => {
                        report.skipped += 1;
                        ("skipped", Some(why.clone()))
                    }
                    Some(why) => {
                        report.failed += 1;
                        ("failed", Some(why.clone()))
                    }
                    None => {
                        report.applied += 1;
                        ("done", None)
                    }
                },
            };
            report.rows.push(RowOutcome {
                row: p.plan.row,
                username: p.plan.username.clone(),
                email: p.plan.email.clone(),
                action: p.plan.action,
                outcome: outcome.to_string(),
                reason,
            });
        }
        report
    }

    /// The cache after an import: new members added, and each updated member's changes that
    /// went through (a row that failed part way is read again at the next load).
    pub(super) async fn remember_import(
        &self,
        client: &portal_client::Client,
        names: &crate::members::Names,
        planned: &[Planned],
        failed: &HashMap<String, String>,
    ) -> Result<()> {
        let members = self.members().await?;
        // Only the rows the import changed are copied.
        let cached: HashMap<String, &Member> = members
            .iter()
            .map(|m| (m.username.to_lowercase(), m))
            .collect();
        let mut rows = Vec::new();
        for p in planned {
            match &p.send {
                Outgoing::Create(m, joined) if !failed.contains_key(&m.username.to_lowercase()) => {
                    rows.push(Member {
                        username: m.username.clone(),
                        full_name: format!("{} {}", m.first_name, m.last_name)
                            .trim()
                            .to_string(),
                        first_name: m.first_name.clone(),
                        last_name: m.last_name.clone(),
                        email: m.email.clone(),
                        role: names
                            .base_role(&m.role)
                            .unwrap_or(portal_client::BaseRole::User),
                        role_id: m.role.as_str().into(),
                        role_name: names.role_name(&m.role).into(),
                        user_type: m.user_type.as_str().into(),
                        user_type_name: names.user_type_name(&m.user_type).into(),
                        disabled: false,
                        last_login: None,
                        created: now_ms(),
                        provider: if m.idp_username.is_some() {
                            "enterprise".into()
                        } else {
                            "arcgis".into()
                        },
                        idp_username: m.idp_username.clone(),
                        description: String::new(),
                        access: portal_client::ProfileVisibility::default(),
                        groups: m.groups.iter().chain(joined).map(SharedStr::from).collect(),
                        credits: m.credits,
                        licenses: Vec::new(),
                    });
                }
                Outgoing::Update(u) if !failed.contains_key(&u.username.to_lowercase()) => {
                    let Some(mut m) = cached.get(&u.username.to_lowercase()).map(|m| (*m).clone())
                    else {
                        continue;
                    };
                    if let Some(v) = &u.first_name {
                        m.first_name.clone_from(v);
                    }
                    if let Some(v) = &u.last_name {
                        m.last_name.clone_from(v);
                    }
                    if u.first_name.is_some() || u.last_name.is_some() {
                        m.full_name = format!("{} {}", m.first_name, m.last_name)
                            .trim()
                            .to_string();
                    }
                    if let Some(v) = &u.email {
                        m.email.clone_from(v);
                    }
                    if let Some(t) = &u.user_type {
                        m.user_type = SharedStr::from(t);
                        m.user_type_name = names.user_type_name(t).into();
                    }
                    if let Some(r) = &u.role {
                        if let Some(base) = names.base_role(r) {
                            m.role = base;
                        }
                        m.role_id = SharedStr::from(r);
                        m.role_name = names.role_name(r).into();
                    }
                    if let Some(c) = u.credits {
                        m.credits = Some(c);
                    }
                    m.groups.retain(|g| !u.leave.iter().any(|l| l == g));
                    m.groups.extend(u.join.iter().map(SharedStr::from));
                    rows.push(m);
                }
                _ => {}
            }
        }
        self.remember(client, rows).await
    }
}
