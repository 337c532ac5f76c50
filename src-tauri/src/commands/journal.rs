//! The journal of changes sent: jobs and their changes, for the History view.

use console_core::{Change, Console, HistoryFilter, Job};
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
