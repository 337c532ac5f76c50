//! Changes to many members at once: preview one, run it with progress, cancel it; and
//! offboarding (deleting a selection with one receiver), its impact report first.

use console_core::offboard::{OffboardPlan, OffboardRequest};
use console_core::{BulkPlan, BulkProgress, BulkReport, BulkRequest, Console};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;

/// What a bulk change would do to each selected member, before anything is sent.
#[tauri::command]
#[specta::specta]
pub async fn preview_bulk(
    console: State<'_, Console>,
    request: BulkRequest,
) -> CommandResult<BulkPlan> {
    Ok(console.preview_bulk(request).await?)
}

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

/// What deleting the selected members would affect (content, groups owned, licenses held),
/// and who cannot go and why; nothing is sent.
#[tauri::command]
#[specta::specta]
pub async fn plan_offboard(
    console: State<'_, Console>,
    request: OffboardRequest,
) -> CommandResult<OffboardPlan> {
    Ok(console.plan_offboard(request).await?)
}

/// Deletes the selected members that can go, as one job (licenses back, content and groups to
/// the receiver, removal in batches); progress goes to `on_progress`. Answers every member's
/// outcome. Cancelled with `cancel_bulk`.
#[tauri::command]
#[specta::specta]
pub async fn offboard(
    console: State<'_, Console>,
    request: OffboardRequest,
    on_progress: Channel<BulkProgress>,
) -> CommandResult<BulkReport> {
    Ok(console
        .offboard(request, |p| {
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
