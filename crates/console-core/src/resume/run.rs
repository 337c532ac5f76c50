//! Sending a resume: the plan read again (what the administrator previewed may be stale), the
//! job taken up again, what went through marked done, conflicts and refusals marked failed
//! with their reason, and the rest sent (`replay`).

use std::collections::{HashMap, HashSet};

use super::{ResumeItem, ResumeVerdict};
use crate::bulk::BulkProgress;
use crate::error::Result;
use crate::journal::{field, ChangeOutcome, Settled};
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
        // A member with a change that cannot be resumed is not deleted by the rest.
        let keep: HashMap<String, String> = plan
            .items
            .iter()
            .filter(|i| matches!(i.verdict, ResumeVerdict::Conflict | ResumeVerdict::Refused))
            .filter(|i| i.field != field::MEMBER)
            .map(|i| {
                (
                    i.member.to_lowercase(),
                    format!(
                        "Not deleted: its change of {} could not be resumed.",
                        i.field
                    ),
                )
            })
            .collect();
        if !sending.is_empty() {
            self.send_recorded(&sending, &keep, &recorder, &cancel, &mut progress)
                .await?;
        }
        // What went through before the cut is in the portal; the cache hears of it too.
        let applied: Vec<&ResumeItem> = plan
            .items
            .iter()
            .filter(|i| i.verdict == ResumeVerdict::Applied)
            .collect();
        let member_changes = |created: bool| -> Vec<String> {
            applied
                .iter()
                .filter(|i| i.field == field::MEMBER)
                .filter(|i| {
                    i.target
                        .as_ref()
                        .is_some_and(|t| t.get("username").is_some())
                        == created
                })
                .map(|i| i.member.clone())
                .collect()
        };
        let (client, names) = self.names().await?;
        let found: Vec<ToSend> = applied
            .iter()
            .map(|i| ToSend {
                member: i.member.clone(),
                field: i.field.clone(),
                target: i.target.clone(),
                current: i.current.clone(),
            })
            .collect();
        self.remember_sent(
            &client,
            &names,
            plan.job.id,
            &found,
            &member_changes(true),
            &member_changes(false),
        )
        .await?;
        recorder.finish(cancel.load(std::sync::atomic::Ordering::Relaxed));
        let ids: HashSet<i64> = plan.items.iter().map(|i| i.change).collect();
        self.replay_report(plan.job.id, Some(&ids)).await
    }
}
