//! A job being recorded: the outcomes written as the job learns them, the job ended (as
//! stopped when it is dropped on an error), and the helpers of jobs of several steps.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use portal_client::{ItemOutcome, Outcome};

use super::{ChangeOutcome, JobState, JournalStore, MaybeApplied, NewChange, Settled};
use crate::session::now_ms;

/// Keeps each member's first failure (or skip) of `outcomes` in `failed`, by lower-cased
/// username: a job of several steps sends a member's later steps only while this has none.
pub(crate) fn note_failures(outcomes: &[ItemOutcome], failed: &mut HashMap<String, String>) {
    for o in outcomes {
        if let Outcome::Failed(why) | Outcome::Skipped(why) = &o.outcome {
            failed
                .entry(o.username.to_lowercase())
                .or_insert_with(|| why.clone());
        }
    }
}

/// The changes of members with a failure in `failed`, as not sent (`why`): their later steps
/// were not tried. (Settling writes only changes still pending: the earlier ones keep theirs.)
pub(crate) fn not_sent(
    changes: &[NewChange],
    failed: &HashMap<String, String>,
    why: &str,
) -> Vec<Settled> {
    changes
        .iter()
        .filter(|c| failed.contains_key(&c.member.to_lowercase()))
        .map(|c| Settled {
            member: c.member.clone(),
            field: c.field.clone(),
            outcome: ChangeOutcome::Skipped,
            message: Some(why.to_string()),
        })
        .collect()
}

/// A job being recorded. Dropped without `finish` (an error returned early), it is ended as
/// stopped, its unanswered changes unknown.
pub(crate) struct Recorder {
    store: Arc<Mutex<JournalStore>>,
    job: i64,
    finished: bool,
}

impl Recorder {
    /// The recorder of job `job`, written in `store`.
    pub(super) fn new(store: Arc<Mutex<JournalStore>>, job: i64) -> Self {
        Self {
            store,
            job,
            finished: false,
        }
    }

    /// Writes the outcome of a job's one request and ends the job.
    pub(crate) fn settle_one<T, E: MaybeApplied>(
        self,
        member: &str,
        field: &str,
        result: &std::result::Result<T, E>,
    ) {
        self.settle(&[Settled::of(member, field, result)]);
        self.finish(false);
    }

    /// Writes the outcomes learned. Once requests went out, a journal that cannot be written
    /// does not undo them or hide their results: the failure is reported on standard error
    /// and the job goes on.
    pub(crate) fn settle(&self, settled: &[Settled]) {
        let written = self
            .store
            .lock()
            .expect("journal lock")
            .settle(self.job, settled, now_ms());
        if let Err(e) = written {
            eprintln!(
                "memberdesk: the journal of job {} could not be written: {e}",
                self.job
            );
        }
    }

    /// Ends the job; changes still pending become skipped when it was cancelled, unknown
    /// otherwise.
    pub(crate) fn finish(mut self, cancelled: bool) {
        self.finished = true;
        let (state, leftover) = if cancelled {
            (JobState::Cancelled, ChangeOutcome::Skipped)
        } else {
            (JobState::Finished, ChangeOutcome::Unknown)
        };
        let written =
            self.store
                .lock()
                .expect("journal lock")
                .finish(self.job, state, leftover, now_ms());
        if let Err(e) = written {
            eprintln!(
                "memberdesk: the journal of job {} could not be ended: {e}",
                self.job
            );
        }
    }

    /// The job's id in the journal.
    pub(crate) fn id(&self) -> i64 {
        self.job
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if !self.finished {
            if let Ok(mut store) = self.store.lock() {
                // Best effort: the error that ended the job is the one reported.
                let _ = store.finish(
                    self.job,
                    JobState::Stopped,
                    ChangeOutcome::Unknown,
                    now_ms(),
                );
            }
        }
    }
}
