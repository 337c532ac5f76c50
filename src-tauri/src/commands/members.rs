//! The organization's members: load them into the cache, read the cache, and act on one
//! member (edit, details, delete, create).

use console_core::members::query::{MemberFacets, MemberFilter, MemberSort};
use console_core::{
    CacheState, Choices, Console, Created, DeleteSummary, ListMatch, LoadProgress, Member,
    MemberDetails, MemberEdit, MemberPage, NewMemberForm, UsernameCheck,
};
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

/// A window of the cached members `filter` shows, in `sort`'s order: what the table draws.
#[tauri::command]
#[specta::specta]
pub async fn member_page(
    console: State<'_, Console>,
    filter: MemberFilter,
    sort: MemberSort,
    offset: u32,
    limit: u32,
) -> CommandResult<MemberPage> {
    Ok(console.member_page(filter, sort, offset, limit).await?)
}

/// The usernames of every cached member `filter` shows, in `sort`'s order (select all,
/// Shift ranges, export).
#[tauri::command]
#[specta::specta]
pub async fn matching_usernames(
    console: State<'_, Console>,
    filter: MemberFilter,
    sort: MemberSort,
) -> CommandResult<Vec<String>> {
    Ok(console.matching_usernames(filter, sort).await?)
}

/// How many cached members have each role, user type, group and license (the filter
/// controls' counts).
#[tauri::command]
#[specta::specta]
pub async fn member_facets(console: State<'_, Console>) -> CommandResult<MemberFacets> {
    Ok(console.member_facets().await?)
}

/// The cached members a pasted list of usernames, emails or IdP usernames names.
#[tauri::command]
#[specta::specta]
pub async fn match_list(
    console: State<'_, Console>,
    entries: Vec<String>,
) -> CommandResult<ListMatch> {
    Ok(console.match_list(entries).await?)
}

/// One cached member (the member panel); none if not cached.
#[tauri::command]
#[specta::specta]
pub async fn member(
    console: State<'_, Console>,
    username: String,
) -> CommandResult<Option<Member>> {
    Ok(console.member(&username).await?)
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

/// A member's groups and the group invitations they have not answered (the member panel).
#[tauri::command]
#[specta::specta]
pub async fn member_details(
    console: State<'_, Console>,
    username: String,
) -> CommandResult<MemberDetails> {
    Ok(console.member_details(&username).await?)
}

/// What deleting a member would affect (shown before the deletion is confirmed).
#[tauri::command]
#[specta::specta]
pub async fn delete_summary(
    console: State<'_, Console>,
    username: String,
) -> CommandResult<DeleteSummary> {
    Ok(console.delete_summary(&username).await?)
}

/// Deletes a member, their content and groups going to `reassign_to` first when given;
/// answers the receiver's row as it now is.
#[tauri::command]
#[specta::specta]
pub async fn delete_member(
    console: State<'_, Console>,
    username: String,
    reassign_to: Option<String>,
) -> CommandResult<Option<Member>> {
    Ok(console.delete_member(&username, reassign_to).await?)
}

/// Whether a username follows the rules and is free.
#[tauri::command]
#[specta::specta]
pub async fn check_username(
    console: State<'_, Console>,
    username: String,
) -> CommandResult<UsernameCheck> {
    Ok(console.check_username(&username).await?)
}

/// Creates a member, with a password or (ArcGIS Online) emailed a link to set one.
#[tauri::command]
#[specta::specta]
pub async fn create_member(
    console: State<'_, Console>,
    form: NewMemberForm,
) -> CommandResult<Created> {
    Ok(console.create_member(form).await?)
}
