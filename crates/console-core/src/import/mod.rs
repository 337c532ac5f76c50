//! Importing members from a CSV file: read (`parse`), planned row by row before anything is
//! sent (`plan`, the dry run), then the valid rows run as one job recorded in the journal. The
//! file's columns are the app's export and ArcGIS's upload file (`columns`).
//!
//! The plan is kept in Rust between the dry run and the confirmation: passwords read from the
//! file never leave this process, and the job runs exactly what was previewed.

use std::collections::{BTreeMap, HashMap};

use portal_client::NewMember;
use serde::{Deserialize, Serialize};

mod after;
pub mod columns;
pub mod parse;
pub mod plan;

pub use columns::Column;
pub use plan::{FieldChange, ImportPlan, RowAction, RowPlan};

use crate::bulk::BulkProgress;
use crate::error::{Error, Result};
use crate::journal::{self, field, ChangeOutcome, NewChange, Settled};
use crate::session::Console;
use plan::{Outgoing, Planned};

/// A dry run kept for its confirmation.
pub(crate) struct Prepared {
    /// The portal and administrator it was planned for.
    portal: String,
    admin: String,
    file_name: String,
    planned: Vec<Planned>,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RowOutcome {
    pub row: u32,
    pub username: String,
    pub email: String,
    pub action: RowAction,
    /// `done`, `failed`, `skipped` (cancelled, or an earlier step of the row failed), or
    /// `invalid` (never sent) and `unchanged`.
    pub outcome: String,
    pub reason: Option<String>,
}

/// An import's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    #[specta(type = f64)]
    pub job: i64,
    pub rows: Vec<RowOutcome>,
    pub applied: u32,
    pub failed: u32,
    pub skipped: u32,
    pub invalid: u32,
    pub unchanged: u32,
}

impl ImportReport {
    /// The result as CSV: row, username, email, action, outcome, reason.
    pub fn to_csv(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail =
            |e: csv::Error| Error::InvalidInput(format!("The result could not be written: {e}"));
        w.write_record(["Row", "Username", "Email", "Action", "Outcome", "Reason"])
            .map_err(fail)?;
        for r in &self.rows {
            w.write_record([
                r.row.to_string().as_str(),
                &r.username,
                &r.email,
                r.action.id(),
                &r.outcome,
                r.reason.as_deref().unwrap_or_default(),
            ])
            .map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::InvalidInput(format!("The result could not be written: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::InvalidInput(e.to_string()))
    }
}

fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Console {
    /// The dry run of a file: every row's plan, checked against the cached members, the
    /// organization's roles, user types, groups and seats. Nothing is sent; the plan is kept
    /// for `run_import`.
    pub async fn plan_import(&self, file_name: &str, bytes: &[u8]) -> Result<ImportPlan> {
        let table = parse::read(bytes)?;
        let (_, names) = self.names().await?;
        let members = self.members().await?;
        if members.is_empty() {
            return Err(Error::InvalidInput(
                "Load the organization first: the import is checked against its members.".into(),
            ));
        }
        let groups = self.groups(false).await?;
        let offers = self.offers().await;
        let online = self.arcgis_online().await?;
        let cx = plan::Context {
            members: &members,
            names: &names,
            groups: &groups,
            offers: offers.as_deref(),
            online,
        };
        let (plan, planned) = plan::plan(&table, &cx);
        let (portal, admin) = self.who().await?;
        *self.import.lock().expect("import lock") = Some(Prepared {
            portal,
            admin,
            file_name: file_name.to_string(),
            planned,
        });
        Ok(plan)
    }

    /// Runs the valid rows of the last dry run as one job (cancelled with `cancel_bulk`):
    /// members created, people invited, then existing members' profiles, user types, roles,
    /// credits and groups. Each change is recorded before it is sent; each row gets its
    /// outcome (the portal's reason when refused).
    pub async fn run_import(
        &self,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<ImportReport> {
        let (portal, admin) = self.who().await?;
        let prepared = self
            .import
            .lock()
            .expect("import lock")
            .take()
            .filter(|p| p.portal == portal && p.admin == admin)
            .ok_or_else(|| Error::InvalidInput("Preview the file first.".into()))?;
        let (_slot, cancel) = self.job_slot()?;
        let (client, names) = self.names().await?;
        let record: Vec<NewChange> = prepared
            .planned
            .iter()
            .flat_map(|p| p.record.iter().cloned())
            .collect();
        let valid = prepared
            .planned
            .iter()
            .filter(|p| !matches!(p.send, Outgoing::Nothing))
            .count();
        let recorder = self
            .record(
                "import",
                format!(
                    "Import {}, {} {}",
                    prepared.file_name,
                    valid,
                    if valid == 1 { "row" } else { "rows" }
                ),
                &record,
            )
            .await?;
        let jobs = client.bulk(portal_client::BulkOptions {
            cancel: cancel.clone(),
            ..Default::default()
        });
        let total = valid.max(1);
        let mut steps_done = 0usize;
        let mut tick = |k: usize, progress: &mut dyn FnMut(BulkProgress)| {
            steps_done += k;
            progress(BulkProgress {
                done: n(steps_done.min(total)),
                total: n(total),
            });
        };
        // Each row's first failure, by its key (username, or email for an invitation).
        let mut failed: HashMap<String, String> = HashMap::new();
        let creates: Vec<NewMember> = prepared
            .planned
            .iter()
            .filter_map(|p| match &p.send {
                Outgoing::Create(m, _) => Some(m.clone()),
                _ => None,
            })
            .collect();
        if !creates.is_empty() {
            let outcomes = jobs.create_members(&creates, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::MEMBER, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            tick(creates.len(), &mut progress);
            // ArcGIS Enterprise: the new members join their groups once they exist.
            let mut joins: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for p in &prepared.planned {
                if let Outgoing::Create(m, groups) = &p.send {
                    if !failed.contains_key(&m.username.to_lowercase()) {
                        for g in groups {
                            joins.entry(g.clone()).or_default().push(m.username.clone());
                        }
                    }
                }
            }
            for (g, names) in joins {
                let outcomes = jobs.add_to_group(&g, &names, |_, _| {}).await;
                recorder.settle(&Settled::from_outcomes(&field::group(&g), &outcomes));
                journal::note_failures(&outcomes, &mut failed);
            }
        }
        let invites: Vec<NewMember> = prepared
            .planned
            .iter()
            .filter_map(|p| match &p.send {
                Outgoing::Invite(m) => Some(m.clone()),
                _ => None,
            })
            .collect();
        if !invites.is_empty() {
            // A person with an open invitation already is not invited again: after a lost
            // answer, an open invitation is what says this one went through.
            let open: std::collections::HashSet<String> = match client.invitations().list().await {
                Ok(list) => list
                    .iter()
                    .filter(|i| i.username.as_deref().is_none_or(str::is_empty))
                    .filter_map(|i| i.email.as_deref().map(str::to_lowercase))
                    .collect(),
                Err(e) => {
                    let why = format!("The open invitations could not be read: {}", e.reason());
                    invites
                        .iter()
                        .map(|m| m.email.to_lowercase())
                        .inspect(|e| {
                            failed.insert(e.clone(), why.clone());
                        })
                        .collect()
                }
            };
            let (already, invites): (Vec<NewMember>, Vec<NewMember>) = invites
                .into_iter()
                .partition(|m| open.contains(&m.email.to_lowercase()));
            for m in &already {
                let why = failed
                    .entry(m.email.to_lowercase())
                    .or_insert_with(|| format!("{} has an open invitation already.", m.email))
                    .clone();
                recorder.settle(&[Settled {
                    member: m.email.clone(),
                    field: field::INVITATION.into(),
                    outcome: ChangeOutcome::Failed,
                    message: Some(why),
                }]);
            }
            let outcomes = jobs.invite_people(&invites, |_, _| {}).await;
            recorder.settle(&Settled::from_outcomes(field::INVITATION, &outcomes));
            journal::note_failures(&outcomes, &mut failed);
            tick(already.len() + invites.len(), &mut progress);
        }
        let updates: Vec<&plan::Update> = prepared
            .planned
            .iter()
            .filter_map(|p| match &p.send {
                Outgoing::Update(u) => Some(u),
                _ => None,
            })
            .collect();
        self.run_updates(&jobs, &updates, &recorder, &mut failed)
            .await?;
        tick(updates.len(), &mut progress);
        // A row's changes after one that failed were not sent.
        recorder.settle(&journal::not_sent(
            &record,
            &failed,
            "Not sent: an earlier change of this row failed.",
        ));
        let job = recorder.id();
        recorder.finish(cancel.load(std::sync::atomic::Ordering::Relaxed));
        let report = self.import_report(job, &prepared.planned, &failed);
        self.remember_import(&client, &names, &prepared.planned, &failed)
            .await?;
        Ok(report)
    }

    /// Whether the signed-in portal is ArcGIS Online.
    pub(crate) async fn arcgis_online(&self) -> Result<bool> {
        let active = self.active.read().await;
        Ok(active.as_ref().ok_or(Error::NoSession)?.arcgis_online)
    }
}
