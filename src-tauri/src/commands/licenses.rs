//! Licenses and seats: the Licenses view's picture, what the organization bought, reclaiming
//! idle seats and swapping two members' user types.

use console_core::{
    BulkProgress, BulkReport, Console, LicensePicture, Offers, ReclaimPlan, ReclaimRequest,
    SwapReport,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;

/// Seats bought, assigned and free per user type, license and bundle, with idle holders.
#[tauri::command]
#[specta::specta]
pub async fn license_picture(console: State<'_, Console>) -> CommandResult<LicensePicture> {
    Ok(console.license_picture().await?)
}

/// What the organization bought (names, rules and seats), `None` before the first load.
#[tauri::command]
#[specta::specta]
pub async fn license_offers(console: State<'_, Console>) -> CommandResult<Option<Offers>> {
    Ok(console.license_offers().await?)
}

/// Who would be reclaimed, and what seats would come back.
#[tauri::command]
#[specta::specta]
pub async fn plan_reclaim(
    console: State<'_, Console>,
    request: ReclaimRequest,
) -> CommandResult<ReclaimPlan> {
    Ok(console.plan_reclaim(request).await?)
}

/// Reclaims for the members kept from the plan; progress goes to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn reclaim(
    console: State<'_, Console>,
    request: ReclaimRequest,
    usernames: Vec<String>,
    on_progress: Channel<BulkProgress>,
) -> CommandResult<BulkReport> {
    Ok(console
        .reclaim(request, usernames, |p| {
            let _ = on_progress.send(p);
        })
        .await?)
}

/// Swaps two members' user types in the order that needs no spare seat.
#[tauri::command]
#[specta::specta]
pub async fn swap_user_types(
    console: State<'_, Console>,
    first: String,
    second: String,
) -> CommandResult<SwapReport> {
    Ok(console.swap_user_types(&first, &second).await?)
}
