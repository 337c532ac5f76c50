//! The organization's members: load them from the portal into the cache, read the cache.

use console_core::{CacheState, Console, LoadProgress, Member};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;

/// Reads every member from the portal into the local cache; progress goes to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn load_members(
    console: State<'_, Console>,
    on_progress: Channel<LoadProgress>,
) -> CommandResult<CacheState> {
    Ok(console
        .load_members(|p| {
            // The window may have gone; the load still completes into the cache.
            let _ = on_progress.send(p);
        })
        .await?)
}

/// Every cached member, for the table to filter and sort.
#[tauri::command]
#[specta::specta]
pub async fn members(console: State<'_, Console>) -> CommandResult<Vec<Member>> {
    Ok(console.members().await?.as_ref().clone())
}
