//! Signing in and out, and who is signed in.

use console_core::{Console, PortalKind, SavedProfiles, SessionInfo};
use secrecy::SecretString;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::CommandResult;

/// Who is signed in, if anyone (the UI starts on the sign-in screen when no one is). At the
/// first call of a run the last session is restored (the demo portal, or a browser session
/// from its refresh token in the OS keychain).
#[tauri::command]
#[specta::specta]
pub async fn session(console: State<'_, Console>) -> CommandResult<Option<SessionInfo>> {
    Ok(console.session_or_restore().await)
}

/// Signs in with OAuth2 in the system browser (ArcGIS Online, or an ArcGIS Enterprise portal).
/// The sign-in page opens in the browser; the app's loopback listener takes the redirect.
/// `client_id` is the app registered on that portal (empty: Memberdesk's own).
#[tauri::command]
#[specta::specta]
pub async fn sign_in_browser(
    app: AppHandle,
    console: State<'_, Console>,
    kind: PortalKind,
    portal_url: String,
    client_id: String,
) -> CommandResult<SessionInfo> {
    let portal_url = match (kind, portal_url.trim()) {
        (PortalKind::ArcgisOnline, "") => "https://www.arcgis.com".to_string(),
        (_, url) => url.to_string(),
    };
    Ok(console
        .sign_in_browser(kind, &portal_url, &client_id, move |url| {
            app.opener()
                .open_url(url, None::<&str>)
                .map_err(|e| e.to_string())
        })
        .await?)
}

/// Stops a browser sign-in that waits for the browser; answers whether one was waiting.
#[tauri::command]
#[specta::specta]
pub fn cancel_sign_in(console: State<'_, Console>) -> bool {
    console.cancel_sign_in()
}

/// The saved portal profiles, and why the last session was not restored (if so).
#[tauri::command]
#[specta::specta]
pub fn profiles(console: State<'_, Console>) -> SavedProfiles {
    console.profiles()
}

/// Removes a saved portal profile and its refresh token from the keychain.
#[tauri::command]
#[specta::specta]
pub async fn forget_profile(console: State<'_, Console>, id: String) -> CommandResult<()> {
    Ok(console.forget_profile(&id).await?)
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

/// Ends the session (a browser session's refresh token is revoked and leaves the keychain).
#[tauri::command]
#[specta::specta]
pub async fn sign_out(console: State<'_, Console>) -> CommandResult<()> {
    Ok(console.sign_out().await?)
}
