//! The organization's members: load them from the portal into the cache, read the cache.

use console_core::{CacheState, Choices, Console, LoadProgress, Member, MemberEdit};
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

/// The roles and user types a member can be given (for the edit form).
#[tauri::command]
#[specta::specta]
pub async fn member_choices(console: State<'_, Console>) -> CommandResult<Choices> {
    Ok(console.choices().await?)
}

/// Saves a member's edit form; answers the member as the portal now holds it.
#[tauri::command]
#[specta::specta]
pub async fn update_member(console: State<'_, Console>, edit: MemberEdit) -> CommandResult<Member> {
    Ok(console.update_member(edit).await?)
}
