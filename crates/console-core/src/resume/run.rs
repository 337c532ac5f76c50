//! Sending a resume: the plan read again (what the administrator previewed may be stale), the
//! job taken up again, what went through marked done, conflicts and refusals marked failed
//! with their reason, and the rest sent (`replay`).

use std::collections::HashSet;

use super::{ResumeItem, ResumeVerdict};
use crate::bulk::BulkProgress;
use crate::error::Result;
use crate::journal::{ChangeOutcome, Settled};
use crate::replay::{ReplayReport, ToSend};
use crate::session::Console;

impl Console {
    /// Resumes job `job` (the most recent resumable one when `None`): each change without a
    /// known outcome is read against the portal again; only those that never arrived are
    /// sent. Every change ends with an outcome in the job itself. One job runs at a time;
    /// `cancel_bulk` stops it between steps (what is not sent is then skipped).
    pub async fn resume(
        &self,
        job: Option<i64>,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<ReplayReport> {
        let (_slot, cancel) = self.job_slot()?;
        let plan = self.plan_resume(job).await?;
        let recorder = self.record_again(plan.job.id)?;
        let settled: Vec<Settled> = plan
            .items
            .iter()
            .filter(|i| i.verdict != ResumeVerdict::Send)
            .map(|i| Settled {
                member: i.member.clone(),
                field: i.field.clone(),
                outcome: if i.verdict == ResumeVerdict::Applied {
                    ChangeOutcome::Done
                } else {
                    ChangeOutcome::Failed
                },
                message: Some(match i.verdict {
                    ResumeVerdict::Applied => {
                        "Found in place when the job was resumed: not sent again.".into()
                    }
                    _ => format!(
                        "Not resumed: {}",
                        i.reason.as_deref().unwrap_or("it cannot be sent again.")
                    ),
                }),
            })
            .collect();
        recorder.settle(&settled);
        let sending: Vec<ToSend> = plan
            .items
            .iter()
            .filter(|i| i.verdict == ResumeVerdict::Send)
            .map(|i: &ResumeItem| ToSend {
                member: i.member.clone(),
                field: i.field.clone(),
                target: i.target.clone(),
                current: i.current.clone(),
            })
            .collect();
        if !sending.is_empty() {
            self.send_recorded(&sending, &recorder, &cancel, &mut progress)
                .await?;
        }
        recorder.finish(cancel.load(std::sync::atomic::Ordering::Relaxed));
        let ids: HashSet<i64> = plan.items.iter().map(|i| i.change).collect();
        self.replay_report(plan.job.id, Some(&ids)).await
    }
}
