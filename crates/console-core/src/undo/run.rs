//! Sending an undo: the plan read again (what the administrator previewed may be stale), its
//! changes recorded as a new job, then sent back (`replay`).

use super::{UndoItem, UndoPlan, UndoRequest, UndoVerdict};
use crate::bulk::BulkProgress;
use crate::error::{Error, Result};
use crate::journal::NewChange;
use crate::replay::{ReplayReport, ToSend};
use crate::session::Console;

impl Console {
    /// Undoes a job (or one change of it): the plan is read again against the portal, and
    /// only what is still as the job left it is set back, as a new job recorded with
    /// `undo_of`. Conflicts and refusals are left alone (they are in the plan). One job runs
    /// at a time; `cancel_bulk` stops it between steps.
    pub async fn undo(
        &self,
        request: UndoRequest,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<ReplayReport> {
        let plan: UndoPlan = self.plan_undo(request).await?;
        let items: Vec<&UndoItem> = plan
            .items
            .iter()
            .filter(|i| i.verdict == UndoVerdict::Undo)
            .collect();
        if items.is_empty() {
            return Err(Error::InvalidInput(format!(
                "Nothing of job {} can be undone now: {} unchanged, {} in conflict, {} refused.",
                plan.job, plan.unchanged, plan.conflicts, plan.refused
            )));
        }
        let (_slot, cancel) = self.job_slot()?;
        let record: Vec<NewChange> = items
            .iter()
            .map(|i| NewChange {
                member: i.member.clone(),
                field: i.field.clone(),
                before: i.current.clone(),
                after: i.target.clone(),
                before_text: i.current_text.clone(),
                after_text: i.before_text.clone(),
            })
            .collect();
        let summary = format!("Undo of job {}: {}", plan.job, plan.summary);
        let recorder = self
            .record_job("undo", summary, Some(plan.job), &record)
            .await?;
        let sending: Vec<ToSend> = items
            .iter()
            .map(|i| ToSend {
                member: i.member.clone(),
                field: i.field.clone(),
                target: i.target.clone(),
                current: i.current.clone(),
            })
            .collect();
        self.send_recorded(
            &sending,
            &std::collections::HashMap::new(),
            &recorder,
            &cancel,
            &mut progress,
        )
        .await?;
        let job = recorder.id();
        recorder.finish(cancel.load(std::sync::atomic::Ordering::Relaxed));
        self.replay_report(job, None).await
    }
}
