//! The journal of changes sent: jobs and their changes for the History view, undo, and
//! resuming a job that was cut off.

use console_core::replay::ReplayReport;
use console_core::resume::{ResumePlan, ResumeRequest};
use console_core::undo::{UndoPlan, UndoRequest};
use console_core::{BulkProgress, Change, Console, HistoryFilter, Job};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::CommandResult;

/// The most recent jobs on the signed-in portal (at most `limit`).
#[tauri::command]
#[specta::specta]
pub async fn jobs(console: State<'_, Console>, limit: u32) -> CommandResult<Vec<Job>> {
    Ok(console.jobs(limit).await?)
}

/// The changes on the signed-in portal that match the filter, the most recent first.
#[tauri::command]
#[specta::specta]
pub async fn history(
    console: State<'_, Console>,
    filter: HistoryFilter,
) -> CommandResult<Vec<Change>> {
    Ok(console.history(filter).await?)
}

/// Saves the changes that match the filter (all of them) as CSV where the person says;
/// answers the path, or `None` when they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_history(
    app: AppHandle,
    console: State<'_, Console>,
    filter: HistoryFilter,
) -> CommandResult<Option<String>> {
    let (text, _) = console.history_csv(filter).await?;
    crate::commands::export::save_csv(&app, "Export the history", "history.csv", text).await
}

/// What undoing a job (or one change of it) would do, read against the portal now.
#[tauri::command]
#[specta::specta]
pub async fn plan_undo(
    console: State<'_, Console>,
    request: UndoRequest,
) -> CommandResult<UndoPlan> {
    Ok(console.plan_undo(request).await?)
}

/// Undoes a job (or one change of it) as a new job, with progress; conflicts and refusals
/// are left alone. Cancelled with `cancel_bulk`.
#[tauri::command]
#[specta::specta]
pub async fn undo(
    console: State<'_, Console>,
    request: UndoRequest,
    on_progress: Channel<BulkProgress>,
) -> CommandResult<ReplayReport> {
    Ok(console
        .undo(request, |p| {
            let _ = on_progress.send(p);
        })
        .await?)
}

/// The jobs of the signed-in portal that were cut off (or stopped) with changes whose outcome
/// is not known, the most recent first: the app offers to resume them.
#[tauri::command]
#[specta::specta]
pub async fn resumable_jobs(console: State<'_, Console>) -> CommandResult<Vec<Job>> {
    Ok(console.resumable_jobs().await?)
}

/// What resuming a job would do, read against the portal now.
#[tauri::command]
#[specta::specta]
pub async fn plan_resume(
    console: State<'_, Console>,
    request: ResumeRequest,
) -> CommandResult<ResumePlan> {
    Ok(console.plan_resume(Some(request.job)).await?)
}

/// Resumes a job: what went through is marked done, only what never arrived is sent, with
/// progress. Cancelled with `cancel_bulk`.
#[tauri::command]
#[specta::specta]
pub async fn resume_job(
    console: State<'_, Console>,
    request: ResumeRequest,
    on_progress: Channel<BulkProgress>,
) -> CommandResult<ReplayReport> {
    Ok(console
        .resume(Some(request.job), |p| {
            let _ = on_progress.send(p);
        })
        .await?)
}
