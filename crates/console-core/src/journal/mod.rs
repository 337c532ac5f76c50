//! The journal: a record of every change Memberdesk sends to a portal, kept in
//! `journal.sqlite` in the data folder (`store`). A change is one member's one field (a role,
//! a user type, a group's membership, a license's entitlements, a profile field) with its value
//! before and after, grouped in the job that sent it (a bulk change, an edit, a reclaim).
//!
//! A job is written, with every change pending, before its first request; each change gets its
//! outcome (done, failed with the portal's reason, skipped when cancelled) as the job learns
//! it, and a job that stops on an error leaves what it could not learn as unknown. A job whose
//! process vanished (a crash, a kill) is found still running at the next start and marked
//! interrupted.
//!
//! What is deliberately not here: sending anything. The domain modules (`bulk`,
//! `members/edit.rs`, `licenses/reclaim.rs`, …) say what they are about to change and what
//! happened; this module only records and reads.

use std::sync::{Arc, Mutex};

use portal_client::{ItemOutcome, Outcome};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::session::{now_ms, Console};

mod history;
mod process;
mod recorder;
pub mod store;
mod values;

pub use history::history_csv;
pub(crate) use recorder::{not_sent, note_failures, Recorder};
pub use store::JournalStore;
pub(crate) use values::{diff, set_value, text_of, value_of, verified};

/// The field names a change is recorded under; a group, license or bundle carries its id.
pub mod field {
    pub const FIRST_NAME: &str = "firstName";
    pub const LAST_NAME: &str = "lastName";
    pub const EMAIL: &str = "email";
    pub const DESCRIPTION: &str = "description";
    pub const ACCESS: &str = "access";
    pub const ROLE: &str = "role";
    pub const USER_TYPE: &str = "userType";
    pub const CREDITS: &str = "credits";
    pub const DISABLED: &str = "disabled";
    /// The account itself: created (before: none) or deleted (after: none).
    pub const MEMBER: &str = "member";
    /// An invitation to join sent to a person (the change's member is their email).
    pub const INVITATION: &str = "invitation";

    /// Membership of the group `id` (before and after: `true` or `false`).
    pub fn group(id: &str) -> String {
        format!("group:{id}")
    }

    /// The entitlements held of the license `item_id` (before and after: a list).
    pub fn license(item_id: &str) -> String {
        format!("license:{item_id}")
    }

    /// Holding the app bundle `id` (before and after: `true` or `false`).
    pub fn bundle(id: &str) -> String {
        format!("bundle:{id}")
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    /// Sending now (or cut off a moment ago, not yet noticed).
    Running,
    /// Every change has its outcome.
    Finished,
    /// Stopped by the administrator; changes not sent are skipped.
    Cancelled,
    /// Stopped on an error; changes it could not learn the outcome of are unknown.
    Stopped,
    /// Its process vanished while it was running (a crash, a kill, a power cut).
    Interrupted,
}

impl JobState {
    pub fn id(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Finished => "finished",
            JobState::Cancelled => "cancelled",
            JobState::Stopped => "stopped",
            JobState::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "running" => JobState::Running,
            "finished" => JobState::Finished,
            "cancelled" => JobState::Cancelled,
            "interrupted" => JobState::Interrupted,
            _ => JobState::Stopped,
        }
    }
}

/// What became of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeOutcome {
    /// Written before sending; no answer yet.
    Pending,
    /// The portal holds the "after" value.
    Done,
    /// The portal refused or the request failed; the message says why.
    Failed,
    /// Not sent (the job was cancelled first, or an earlier step of the member failed).
    Skipped,
    /// Sent, or perhaps sent, with no answer: what the portal holds must be read to know.
    Unknown,
}

impl ChangeOutcome {
    pub fn id(self) -> &'static str {
        match self {
            ChangeOutcome::Pending => "pending",
            ChangeOutcome::Done => "done",
            ChangeOutcome::Failed => "failed",
            ChangeOutcome::Skipped => "skipped",
            ChangeOutcome::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => ChangeOutcome::Pending,
            "done" => ChangeOutcome::Done,
            "failed" => ChangeOutcome::Failed,
            "skipped" => ChangeOutcome::Skipped,
            _ => ChangeOutcome::Unknown,
        }
    }
}

/// A job about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// The portal's REST base.
    pub portal: String,
    /// The signed-in administrator.
    pub admin: String,
    /// What the job does: a bulk kind (`setRole`, `addToGroup`, …), `edit`, `reclaim`, `swap`.
    pub kind: String,
    /// One line for people: "Role → Publisher, 12 members".
    pub summary: String,
    /// The job this one undoes.
    pub undo_of: Option<i64>,
}

/// One change about to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChange {
    pub member: String,
    pub field: String,
    /// The value before (`None`: not known, or the member did not exist).
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// The values as people read them (a role's name, a license's name).
    pub before_text: String,
    pub after_text: String,
}

/// One change's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub member: String,
    pub field: String,
    pub outcome: ChangeOutcome,
    pub message: Option<String>,
}

impl Settled {
    /// The outcome of one request for one change: done, or failed with the error.
    pub fn of<T, E: MaybeApplied>(
        member: &str,
        field: &str,
        result: &std::result::Result<T, E>,
    ) -> Settled {
        Settled {
            member: member.to_string(),
            field: field.to_string(),
            outcome: match result {
                Ok(_) => ChangeOutcome::Done,
                // The request may have been applied before the answer was lost.
                Err(e) if e.may_be_applied() => ChangeOutcome::Unknown,
                Err(_) => ChangeOutcome::Failed,
            },
            message: result.as_ref().err().map(ToString::to_string),
        }
    }

    /// The outcomes the portal client reported for `field`.
    pub fn from_outcomes(field: &str, outcomes: &[ItemOutcome]) -> Vec<Settled> {
        outcomes
            .iter()
            .map(|o| {
                let (outcome, message) = match &o.outcome {
                    Outcome::Done => (ChangeOutcome::Done, None),
                    Outcome::Failed(why) => (ChangeOutcome::Failed, Some(why.clone())),
                    Outcome::Skipped(why) => (ChangeOutcome::Skipped, Some(why.clone())),
                };
                Settled {
                    member: o.username.clone(),
                    field: field.to_string(),
                    outcome,
                    message,
                }
            })
            .collect()
    }
}

/// Whether a failed request may still have been applied (its answer was lost).
pub trait MaybeApplied: std::fmt::Display {
    fn may_be_applied(&self) -> bool;
}

impl MaybeApplied for portal_client::Error {
    fn may_be_applied(&self) -> bool {
        self.is_transient()
    }
}

impl MaybeApplied for Error {
    fn may_be_applied(&self) -> bool {
        matches!(self, Error::Portal(e) if e.is_transient())
    }
}

/// A job as the History view lists it, with its changes counted by outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    #[specta(type = f64)]
    pub id: i64,
    pub portal: String,
    pub admin: String,
    pub kind: String,
    pub summary: String,
    /// Epoch ms.
    #[specta(type = f64)]
    pub started: i64,
    #[specta(type = Option<f64>)]
    pub ended: Option<i64>,
    pub state: JobState,
    #[specta(type = Option<f64>)]
    pub undo_of: Option<i64>,
    pub changes: u32,
    pub done: u32,
    pub failed: u32,
    pub skipped: u32,
    /// Pending or unknown.
    pub pending: u32,
}

/// One recorded change, with its job's facts.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    #[specta(type = f64)]
    pub id: i64,
    #[specta(type = f64)]
    pub job: i64,
    pub seq: u32,
    pub member: String,
    pub field: String,
    #[serde(skip)]
    pub before: Option<serde_json::Value>,
    #[serde(skip)]
    pub after: Option<serde_json::Value>,
    pub before_text: String,
    pub after_text: String,
    pub outcome: ChangeOutcome,
    pub message: Option<String>,
    /// When its outcome was written (its job's start while pending), epoch ms.
    #[specta(type = f64)]
    pub at: i64,
    pub admin: String,
    pub kind: String,
    pub portal: String,
    pub summary: String,
}

/// Which changes the History view asks for; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryFilter {
    /// The portal (set by the console to the signed-in one).
    #[serde(skip)]
    pub portal: Option<String>,
    #[specta(type = Option<f64>)]
    pub job: Option<i64>,
    /// Part of a member's username.
    pub member: Option<String>,
    /// Part of the administrator's username.
    pub admin: Option<String>,
    /// A field (`role`, `userType`, `group`, `license`, …).
    pub field: Option<String>,
    /// From this epoch ms (inclusive) …
    #[specta(type = Option<f64>)]
    pub from: Option<i64>,
    /// … to this one (exclusive).
    #[specta(type = Option<f64>)]
    pub to: Option<i64>,
    /// At most this many changes (5,000 when not given).
    pub limit: Option<u32>,
}

impl Console {
    /// The journal file of this data folder, opened on first need (jobs of a vanished
    /// process are then marked interrupted).
    pub(crate) fn journal(&self) -> Result<Arc<Mutex<JournalStore>>> {
        let mut slot = self.journal.lock().expect("journal slot lock");
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = JournalStore::open(&self.data_dir.join("journal.sqlite"))?;
        let store = Arc::new(Mutex::new(store));
        *slot = Some(store.clone());
        Ok(store)
    }

    /// Writes a job of the signed-in session and its changes before anything is sent.
    pub(crate) async fn record(
        &self,
        kind: &str,
        summary: String,
        changes: &[NewChange],
    ) -> Result<Recorder> {
        self.record_job(kind, summary, None, changes).await
    }

    /// `record`, for a job that undoes the job `undo_of` when given.
    pub(crate) async fn record_job(
        &self,
        kind: &str,
        summary: String,
        undo_of: Option<i64>,
        changes: &[NewChange],
    ) -> Result<Recorder> {
        let (portal, admin) = self.who().await?;
        let store = self.journal()?;
        let job = NewJob {
            portal,
            admin,
            kind: kind.to_string(),
            summary,
            undo_of,
        };
        let id = store
            .lock()
            .expect("journal lock")
            .begin(&job, changes, now_ms())
            .map_err(Error::journal)?;
        Ok(Recorder::new(store, id))
    }

    /// Takes up an ended (or cut off) job again to settle its changes still without an
    /// outcome; it ends like any job, with `Recorder::finish`.
    pub(crate) fn record_again(&self, job: i64) -> Result<Recorder> {
        let store = self.journal()?;
        let reopened = store
            .lock()
            .expect("journal lock")
            .reopen(job)
            .map_err(Error::journal)?;
        if !reopened {
            return Err(Error::InvalidInput(format!(
                "Job {job} is running (resumed elsewhere, perhaps by the command line)."
            )));
        }
        Ok(Recorder::new(store, job))
    }

    /// The portal's REST base and the signed-in username.
    pub(crate) async fn who(&self) -> Result<(String, String)> {
        let active = self.active.read().await;
        let a = active.as_ref().ok_or(Error::NoSession)?;
        Ok((a.info.portal_url.clone(), a.info.username.clone()))
    }

    /// The jobs recorded for the signed-in portal, the most recent first (jobs whose process
    /// vanished are marked interrupted first).
    pub async fn jobs(&self, limit: u32) -> Result<Vec<Job>> {
        let (portal, _) = self.who().await?;
        let store = self.journal()?;
        let mut store = store.lock().expect("journal lock");
        // A job of another process (the command line) may have been cut off since the open.
        store.notice_cut_off().map_err(Error::journal)?;
        store
            .jobs(Some(portal.as_str()), limit)
            .map_err(Error::journal)
    }

    /// The changes recorded for the signed-in portal that match `filter`, the most recent
    /// first.
    pub async fn history(&self, mut filter: HistoryFilter) -> Result<Vec<Change>> {
        let (portal, _) = self.who().await?;
        filter.portal = Some(portal);
        let store = self.journal()?;
        tokio::task::spawn_blocking(move || store.lock().expect("journal lock").changes(&filter))
            .await
            .map_err(Error::journal)?
            .map_err(Error::journal)
    }

    /// The changes that match `filter`, all of them (no 5,000 limit), as CSV text, and how
    /// many there are.
    pub async fn history_csv(&self, mut filter: HistoryFilter) -> Result<(String, u32)> {
        filter.limit = Some(u32::MAX);
        let changes = self.history(filter).await?;
        Ok((
            history_csv(&changes)?,
            u32::try_from(changes.len()).unwrap_or(u32::MAX),
        ))
    }
}
