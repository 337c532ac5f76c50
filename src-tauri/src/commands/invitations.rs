//! The organization's invitations: list, withdraw, send again.

use console_core::{Console, InvitationRow};
use tauri::State;

use crate::error::CommandResult;

/// Every open invitation (pending, expiring or expired), newest first.
#[tauri::command]
#[specta::specta]
pub async fn invitations(console: State<'_, Console>) -> CommandResult<Vec<InvitationRow>> {
    Ok(console.invitations().await?)
}

/// Withdraws an invitation.
#[tauri::command]
#[specta::specta]
pub async fn delete_invitation(console: State<'_, Console>, id: String) -> CommandResult<()> {
    Ok(console.delete_invitation(&id).await?)
}

/// Sends an invitation again with a new expiry.
#[tauri::command]
#[specta::specta]
pub async fn invite_again(console: State<'_, Console>, id: String) -> CommandResult<()> {
    Ok(console.invite_again(&id).await?)
}
