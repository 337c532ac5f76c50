//! Signing in and out, and who is signed in.

use console_core::{Console, PortalKind, SessionInfo};
use secrecy::SecretString;
use tauri::State;

use crate::error::CommandResult;

/// Who is signed in, if anyone (the UI starts on the sign-in screen when no one is).
#[tauri::command]
#[specta::specta]
pub async fn session(console: State<'_, Console>) -> CommandResult<Option<SessionInfo>> {
    Ok(console.session().await)
}

/// Starts the demo portal on this computer (first time: creates its organization) and signs
/// in as its administrator.
#[tauri::command]
#[specta::specta]
pub async fn sign_in_demo(console: State<'_, Console>) -> CommandResult<SessionInfo> {
    Ok(console.sign_in_demo().await?)
}

/// Signs in to an ArcGIS Enterprise portal with a built-in account. The password goes to the
/// portal once and then lives only in Rust memory (to renew the token).
#[tauri::command]
#[specta::specta]
pub async fn sign_in_password(
    console: State<'_, Console>,
    portal_url: String,
    username: String,
    password: String,
) -> CommandResult<SessionInfo> {
    let password = SecretString::from(password);
    Ok(console
        .sign_in_password(PortalKind::Enterprise, &portal_url, &username, password)
        .await?)
}

/// Ends the session (an OAuth session's refresh token is revoked).
#[tauri::command]
#[specta::specta]
pub async fn sign_out(console: State<'_, Console>) -> CommandResult<()> {
    Ok(console.sign_out().await?)
}
