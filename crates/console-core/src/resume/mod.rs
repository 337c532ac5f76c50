//! Resuming a job that was cut off: the app or the command line was killed, the machine lost
//! power, or the job stopped on a lost connection. Its changes without a known outcome
//! (pending, never answered, or unknown, sent without an answer) are read against the portal
//! before anything is sent again:
//! - the portal holds what the job set: the change went through; it is marked done and not
//!   sent again;
//! - the portal still holds what the job found: it never arrived; it is sent now;
//! - the portal holds something else: someone changed it since; it is left alone and marked
//!   failed with both values (a conflict);
//! - it cannot be sent again (a member created with a password, which the journal never
//!   keeps): marked failed with the reason.
//!
//! Nothing is applied twice and nothing is lost: every change of the job ends with an
//! outcome. The job keeps its id: its changes are settled where they were recorded.
//!
//! What is deliberately not here: reading the portal and sending (`replay`), and how jobs are
//! found cut off (`journal`, by the process that ran them).

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Error, Result};
use crate::journal::{field, Change, ChangeOutcome, HistoryFilter, Job, JobState};
use crate::replay::{quoted, same, Held, Now};
use crate::session::Console;

mod run;

/// The job to resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResumeRequest {
    #[specta(type = f64)]
    pub job: i64,
}

/// What resuming would do with one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ResumeVerdict {
    /// The portal holds what the job set: it went through; not sent again.
    Applied,
    /// The portal holds what the job found: it is sent now.
    Send,
    /// Someone changed it since: left as it is.
    Conflict,
    /// It cannot be sent again; `reason` says why.
    Refused,
}

impl ResumeVerdict {
    pub fn id(self) -> &'static str {
        match self {
            ResumeVerdict::Applied => "applied",
            ResumeVerdict::Send => "send",
            ResumeVerdict::Conflict => "conflict",
            ResumeVerdict::Refused => "refused",
        }
    }
}

/// One change without a known outcome, and what resuming would do with it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResumeItem {
    #[specta(type = f64)]
    pub change: i64,
    pub member: String,
    pub field: String,
    pub before_text: String,
    /// What the job set (what resuming sends).
    pub after_text: String,
    /// What the portal holds now.
    pub current_text: String,
    pub verdict: ResumeVerdict,
    pub reason: Option<String>,
    #[serde(skip)]
    pub(crate) target: Option<serde_json::Value>,
    #[serde(skip)]
    pub(crate) current: Option<serde_json::Value>,
}

/// What resuming a job would do, before anything is sent.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResumePlan {
    pub job: Job,
    pub items: Vec<ResumeItem>,
    pub applied: u32,
    pub send: u32,
    pub conflicts: u32,
    pub refused: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether a job can be resumed: it has ended (or was cut off) with changes whose outcome is
/// not known. (A cancelled job's changes not sent are skipped, not unknown: one is offered
/// only if answers were lost before the stop, or a resume of it was stopped.)
pub(crate) fn resumable(job: &Job) -> bool {
    job.state != JobState::Running && job.pending > 0
}

/// What resuming would do with `c`, from what the portal holds now.
pub(crate) fn verdict(now: &Now, c: &Change) -> ResumeItem {
    let mut item = ResumeItem {
        change: c.id,
        member: c.member.clone(),
        field: c.field.clone(),
        before_text: c.before_text.clone(),
        after_text: c.after_text.clone(),
        current_text: String::new(),
        verdict: ResumeVerdict::Send,
        reason: None,
        target: c.after.clone(),
        current: None,
    };
    let decide =
        |mut item: ResumeItem, verdict: ResumeVerdict, now_text: &str, why: Option<String>| {
            item.verdict = verdict;
            item.current_text = now_text.to_string();
            item.reason = why;
            item
        };
    match c.field.as_str() {
        field::MEMBER => {
            let exists = now.member(&c.member).is_some();
            let now_text = if exists { "member" } else { "not a member" };
            // A creation records the account (with its username); a deletion records at most
            // its receiver.
            let created = c.after.as_ref().filter(|a| a.get("username").is_some());
            return match created {
                // Created: there now, or created again when no password is needed.
                Some(after) => {
                    if exists {
                        decide(item, ResumeVerdict::Applied, now_text, None)
                    } else if creatable_again(after) {
                        decide(item, ResumeVerdict::Send, now_text, None)
                    } else {
                        decide(
                            item,
                            ResumeVerdict::Refused,
                            now_text,
                            Some(format!(
                                "{} was to be created with a password, and the journal never \
                                 keeps passwords: create the member again (the import's row, \
                                 or Create member).",
                                c.member
                            )),
                        )
                    }
                }
                // Deleted: gone now, or deleted now (content to the recorded receiver).
                _ if exists => decide(item, ResumeVerdict::Send, now_text, None),
                _ => decide(item, ResumeVerdict::Applied, now_text, None),
            };
        }
        field::INVITATION => {
            let pending = now.invitation(&c.member);
            let now_text = if pending.is_some() {
                "invitation pending"
            } else {
                "no invitation pending"
            };
            item.current = pending.map(|id| json!({ "invitation": id }));
            return match (&c.before, &c.after, pending) {
                (None, Some(_), Some(_)) | (Some(_), None, None) | (Some(_), Some(_), Some(_)) => {
                    decide(item, ResumeVerdict::Applied, now_text, None)
                }
                (None, Some(_), None) | (Some(_), None, Some(_)) => {
                    decide(item, ResumeVerdict::Send, now_text, None)
                }
                _ => decide(
                    item,
                    ResumeVerdict::Refused,
                    now_text,
                    Some(format!(
                        "No invitation to {} is pending: invite the person again from the \
                         Invitations view.",
                        c.member
                    )),
                ),
            };
        }
        _ => {}
    }
    let current = match now.held(c) {
        Held::Value(v) => v,
        Held::Gone(why) => return decide(item, ResumeVerdict::Refused, "", Some(why)),
    };
    item.current_text = now.text(c, current.as_ref());
    item.verdict = if same(current.as_ref(), c.after.as_ref()) {
        ResumeVerdict::Applied
    } else if c.before.is_none() || same(current.as_ref(), c.before.as_ref()) {
        ResumeVerdict::Send
    } else {
        item.reason = Some(format!(
            "Changed since: the portal holds {}, the job found {} and was to set {}.",
            quoted(&item.current_text),
            quoted(&c.before_text),
            quoted(&c.after_text)
        ));
        ResumeVerdict::Conflict
    };
    item.current = current;
    item
}

/// Whether a recorded creation can be sent again: the member was notified by email to set a
/// password, or signs in through the identity provider.
fn creatable_again(after: &serde_json::Value) -> bool {
    after.get("notified").and_then(serde_json::Value::as_bool) == Some(true)
        || after
            .get("idpUsername")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|s| !s.is_empty())
}

impl ResumePlan {
    fn new(job: Job, items: Vec<ResumeItem>) -> Self {
        let n = |v: ResumeVerdict| count(items.iter().filter(|i| i.verdict == v).count());
        ResumePlan {
            job,
            applied: n(ResumeVerdict::Applied),
            send: n(ResumeVerdict::Send),
            conflicts: n(ResumeVerdict::Conflict),
            refused: n(ResumeVerdict::Refused),
            items,
        }
    }
}

impl Console {
    /// The jobs of the signed-in portal that can be resumed (cut off, or stopped with changes
    /// of unknown outcome), the most recent first.
    pub async fn resumable_jobs(&self) -> Result<Vec<Job>> {
        Ok(self
            .jobs(200)
            .await?
            .into_iter()
            .filter(resumable)
            .collect())
    }

    /// What resuming job `job` (the most recent resumable one when `None`) would do, read
    /// against the portal now; nothing is sent.
    pub async fn plan_resume(&self, job: Option<i64>) -> Result<ResumePlan> {
        let (portal, _) = self.who().await?;
        let job = match job {
            Some(id) => {
                let store = self.journal()?;
                let job = store.lock().expect("journal lock").job(id);
                job.map_err(Error::journal)?
                    .filter(|j| j.portal == portal)
                    .ok_or_else(|| {
                        Error::NotFound(format!("Job {id} is not in this portal's journal."))
                    })?
            }
            None => self
                .resumable_jobs()
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    Error::NotFound("No job of this portal is waiting to be resumed.".into())
                })?,
        };
        if !resumable(&job) {
            return Err(Error::InvalidInput(match job.state {
                JobState::Running => format!("Job {} is still running.", job.id),
                JobState::Cancelled => format!(
                    "Job {} was cancelled: what it did not send was skipped on purpose.",
                    job.id
                ),
                _ => format!(
                    "Every change of job {} has its outcome: nothing to resume.",
                    job.id
                ),
            }));
        }
        let changes: Vec<Change> = self
            .history(HistoryFilter {
                job: Some(job.id),
                limit: Some(u32::MAX),
                ..HistoryFilter::default()
            })
            .await?
            .into_iter()
            .rev()
            .filter(|c| matches!(c.outcome, ChangeOutcome::Pending | ChangeOutcome::Unknown))
            .collect();
        let (client, names) = self.names().await?;
        let offers = self.offers().await;
        let now = Now::read(&client, &names, offers.as_deref(), &changes, false).await?;
        let items = changes.iter().map(|c| verdict(&now, c)).collect();
        Ok(ResumePlan::new(job, items))
    }
}
