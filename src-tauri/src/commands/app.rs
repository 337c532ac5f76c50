//! Facts about the running app.

use crate::error::CommandResult;
use serde::Serialize;

/// The name and version of this build, as the welcome screen shows them.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Product name, e.g. "Memberdesk".
    pub name: String,
    /// Semantic version of the app.
    pub version: String,
}

impl From<console_core::AppInfo> for AppInfo {
    fn from(info: console_core::AppInfo) -> Self {
        Self {
            name: info.name,
            version: info.version,
        }
    }
}

/// Returns the app's name and version, taken from the packaged configuration.
#[tauri::command]
#[specta::specta]
pub fn app_info(app: tauri::AppHandle) -> CommandResult<AppInfo> {
    let package = app.package_info();
    Ok(console_core::AppInfo::new(package.name.clone(), package.version.to_string()).into())
}
