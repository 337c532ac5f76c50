//! Facts about the running app: its name and version, where it keeps its files, and the
//! diagnostics an administrator copies into a support request.

use crate::error::CommandResult;
use serde::Serialize;
use tauri::Manager;

/// The name and version of this build and its folders, as the welcome screen and About show
/// them.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Product name, e.g. "Memberdesk".
    pub name: String,
    /// Semantic version of the app.
    pub version: String,
    /// Where the app keeps its data (member caches, the journal, the demo portal).
    pub data_dir: String,
    /// Where the app writes its log files.
    pub log_dir: String,
    /// The redirect URLs an organization registers for Memberdesk's browser sign-in.
    pub redirect_uris: Vec<String>,
}

/// The folders of the running app, set once at start.
pub struct Folders {
    /// The data folder (`MEMBERDESK_DATA_DIR`, or the OS's app data folder).
    pub data: std::path::PathBuf,
    /// The log folder (`MEMBERDESK_LOG_DIR`, or the OS's log folder).
    pub log: std::path::PathBuf,
}

/// Returns the app's name, version and folders, taken from the packaged configuration.
#[tauri::command]
#[specta::specta]
pub fn app_info(app: tauri::AppHandle) -> CommandResult<AppInfo> {
    let package = app.package_info();
    let info = console_core::AppInfo::new(package.name.clone(), package.version.to_string());
    let folders = app.state::<Folders>();
    Ok(AppInfo {
        name: info.name,
        version: info.version,
        data_dir: folders.data.display().to_string(),
        log_dir: folders.log.display().to_string(),
        redirect_uris: portal_client::redirect_uris(),
    })
}

/// What "copy diagnostics" did: the text, and whether it reached the clipboard.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    /// The lines, shown in About too (to select by hand where the clipboard failed).
    pub text: String,
    /// Whether the OS clipboard took it.
    pub copied: bool,
}

/// Puts on the OS clipboard, from Rust (the webview's clipboard API is not relied on), the
/// versions of the app, Tauri, the web view and the OS, the folders, and the kind and version
/// of the portal signed in to. Never a token, password, username, organization name or URL.
#[tauri::command]
#[specta::specta]
pub async fn diagnostics(
    app: tauri::AppHandle,
    console: tauri::State<'_, console_core::Console>,
) -> CommandResult<Diagnostics> {
    use console_core::diagnostics::{operating_system, render};
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let package = app.package_info();
    let folders = app.state::<Folders>();
    let mut facts = vec![
        ("App", format!("{} {}", package.name, package.version)),
        ("Tauri", tauri::VERSION.to_string()),
        (
            "Web view",
            tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
        ),
        ("Operating system", operating_system()),
        ("Data folder", folders.data.display().to_string()),
        ("Log folder", folders.log.display().to_string()),
    ];
    facts.extend(console.portal_facts().await);
    let text = render(&facts);
    let copied = match app.clipboard().write_text(text.clone()) {
        Ok(()) => true,
        Err(e) => {
            log::warn!("diagnostics: the clipboard refused them: {e}");
            false
        }
    };
    log::info!("diagnostics shown (copied: {copied})");
    Ok(Diagnostics { text, copied })
}
