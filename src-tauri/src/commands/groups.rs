//! The organization's groups: the list to choose from, member counts, a group's members.
//! Adding and removing members goes through `bulk_change` (one result per member).

use console_core::{Console, GroupMemberRow, GroupRow, GroupSummary};
use tauri::State;

use crate::error::CommandResult;

/// The organization's groups (read once per session unless `refresh`).
#[tauri::command]
#[specta::specta]
pub async fn groups(
    console: State<'_, Console>,
    refresh: bool,
) -> CommandResult<Vec<GroupSummary>> {
    Ok(console.groups(refresh).await?.as_ref().clone())
}

/// The groups with their member counts.
#[tauri::command]
#[specta::specta]
pub async fn group_rows(
    console: State<'_, Console>,
    refresh: bool,
) -> CommandResult<Vec<GroupRow>> {
    Ok(console.group_rows(refresh).await?)
}

/// A group's members, owner first.
#[tauri::command]
#[specta::specta]
pub async fn group_members(
    console: State<'_, Console>,
    id: String,
) -> CommandResult<Vec<GroupMemberRow>> {
    Ok(console.group_members(&id).await?)
}
