//! Importing members from a CSV file: the dry run of a file the person picked, then the run.
//! The webview reads only the file the person chose (a file input) and hands its bytes over;
//! the plan, and any password in the file, stay in Rust until the run.

use base64::Engine;
use console_core::{BulkProgress, Console, ImportPlan, ImportReport};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::{CommandError, CommandResult, ErrorCode};

/// Every row's plan for the file (`content_base64`: its bytes, as picked); nothing is sent.
#[tauri::command]
#[specta::specta]
pub async fn plan_import(
    console: State<'_, Console>,
    file_name: String,
    content_base64: String,
) -> CommandResult<ImportPlan> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.as_bytes())
        .map_err(|_| CommandError::new(ErrorCode::InvalidInput, "The file could not be read."))?;
    Ok(console.plan_import(&file_name, &bytes).await?)
}

/// Runs the valid rows of the last dry run as one job; progress goes to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn run_import(
    console: State<'_, Console>,
    on_progress: Channel<BulkProgress>,
) -> CommandResult<ImportReport> {
    Ok(console
        .run_import(|p| {
            let _ = on_progress.send(p);
        })
        .await?)
}

/// Saves an import's result as CSV (row, username, email, action, outcome, reason) where the
/// person says; answers the path, or `None` when they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_import_result(
    app: AppHandle,
    report: ImportReport,
) -> CommandResult<Option<String>> {
    let text = report.to_csv()?;
    crate::commands::export::save_csv(&app, "Save the import's result", "import-result.csv", text)
        .await
}
