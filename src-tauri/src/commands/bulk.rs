//! Changes to many members at once: run a bulk job with progress, cancel it.

use console_core::{BulkProgress, BulkReport, BulkRequest, Console};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;

/// Runs a bulk change on the selected members; progress goes to `on_progress`. Answers every
/// member's outcome.
#[tauri::command]
#[specta::specta]
pub async fn bulk_change(
    console: State<'_, Console>,
    request: BulkRequest,
    on_progress: Channel<BulkProgress>,
) -> CommandResult<BulkReport> {
    Ok(console
        .bulk(request, |p| {
            let _ = on_progress.send(p);
        })
        .await?)
}

/// Asks the running bulk change to stop after the requests in flight; answers whether one ran.
#[tauri::command]
#[specta::specta]
pub fn cancel_bulk(console: State<'_, Console>) -> bool {
    console.cancel_bulk()
}
