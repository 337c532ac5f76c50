//! Updates of Memberdesk itself, through Tauri's updater plugin: a check (at start at most
//! daily, or by hand) that only reads the manifest, then, once the administrator says yes, a
//! download whose minisign signature is verified against the public key in `tauri.conf.json`
//! before anything is installed.
//!
//! What is deliberately not here: the settings and the "at most daily" rule (`console-core`'s
//! `updates`), and any updater command for the webview (the plugin's own commands are not
//! granted: the UI goes through these, which ask first).

use console_core::updates::UpdateSettings;
use serde::Serialize;
use tauri::{Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::error::{CommandError, CommandResult, ErrorCode};

/// A newer version the administrator may install.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    /// The version on offer.
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// What changed, as the release says it (plain text, shown inert).
    pub notes: Option<String>,
    /// When it was published, as the manifest says it.
    pub date: Option<String>,
}

/// The update found by the last check, waiting for the administrator's yes.
#[derive(Default)]
pub struct Pending(std::sync::Mutex<Option<Update>>);

/// The manifest address: the settings', else (debug builds only, for the tests)
/// `MEMBERDESK_UPDATE_ENDPOINT`, else the one in `tauri.conf.json` (`None`). A release build
/// takes no address from its environment.
fn endpoint(settings: &UpdateSettings) -> Option<String> {
    let from_env = if cfg!(debug_assertions) {
        std::env::var("MEMBERDESK_UPDATE_ENDPOINT").ok()
    } else {
        None
    };
    settings.endpoint.clone().or(from_env)
}

/// How long the manifest and the package may take to arrive.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Reads the manifest at `endpoint` (or the configured one): the update on offer, if it is
/// newer than this build. Nothing is downloaded.
pub async fn check<R: Runtime>(
    app: &tauri::AppHandle<R>,
    endpoint: Option<&str>,
) -> Result<Option<Update>, UpdateError> {
    let mut builder = app.updater_builder().timeout(TIMEOUT);
    if let Some(url) = endpoint {
        let url = url::Url::parse(url).map_err(|e| UpdateError::Check(e.to_string()))?;
        builder = builder
            .endpoints(vec![url])
            .map_err(|e| UpdateError::Check(e.to_string()))?;
    }
    builder
        .build()
        .map_err(|e| UpdateError::Check(e.to_string()))?
        .check()
        .await
        .map_err(|e| UpdateError::Check(e.to_string()))
}

/// Downloads the update and verifies its signature against the app's public key: the package's
/// bytes when they are the ones the release signed, else why not.
pub async fn download_verified(update: &Update) -> Result<Vec<u8>, UpdateError> {
    update
        .download(|_, _| {}, || {})
        .await
        .map_err(|e| match e {
            tauri_plugin_updater::Error::Minisign(m) => UpdateError::Signature(m.to_string()),
            // Signed for another version than the manifest announces (an older release
            // offered as a newer one), or without saying which.
            e @ (tauri_plugin_updater::Error::SignedVersionMismatch { .. }
            | tauri_plugin_updater::Error::MissingSignedVersion) => {
                UpdateError::Signature(e.to_string())
            }
            tauri_plugin_updater::Error::Base64(_)
            | tauri_plugin_updater::Error::SignatureUtf8(_) => {
                UpdateError::Signature("the signature is not a minisign signature".into())
            }
            other => UpdateError::Download(other.to_string()),
        })
}

/// Why an update was not offered or not installed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The manifest could not be read or understood.
    #[error("Memberdesk could not check for updates: {0}.")]
    Check(String),
    /// The package could not be downloaded.
    #[error("The update could not be downloaded: {0}. Nothing was installed.")]
    Download(String),
    /// The package is unsigned, tampered with, or signed with another key.
    #[error(
        "The update was refused: its signature does not match Memberdesk's key ({0}). It may \
         have been altered on the way or not come from Memberdesk's publisher. Nothing was \
         installed."
    )]
    Signature(String),
    /// The package could not be installed.
    #[error("The update could not be installed: {0}.")]
    Install(String),
}

impl From<UpdateError> for CommandError {
    fn from(e: UpdateError) -> Self {
        let code = match e {
            UpdateError::Check(_) | UpdateError::Download(_) => ErrorCode::Network,
            UpdateError::Signature(_) => ErrorCode::Forbidden,
            UpdateError::Install(_) => ErrorCode::Internal,
        };
        CommandError::new(code, e.to_string())
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn data_dir(app: &tauri::AppHandle) -> std::path::PathBuf {
    app.state::<super::app::Folders>().data.clone()
}

/// How this computer looks for updates.
#[tauri::command]
#[specta::specta]
pub fn update_settings(app: tauri::AppHandle) -> UpdateSettings {
    UpdateSettings::load(&data_dir(&app))
}

/// Turns the check at start on or off and sets the manifest address (empty: the built-in one).
#[tauri::command]
#[specta::specta]
pub fn set_update_settings(
    app: tauri::AppHandle,
    check_at_start: bool,
    endpoint: Option<String>,
) -> CommandResult<UpdateSettings> {
    let dir = data_dir(&app);
    let mut settings = UpdateSettings::load(&dir);
    settings.check_at_start = check_at_start;
    settings.endpoint = UpdateSettings::checked_endpoint(endpoint.as_deref())?;
    settings.save(&dir)?;
    log::info!(
        "updates: check at start {}, {} address",
        if check_at_start { "on" } else { "off" },
        if settings.endpoint.is_some() {
            "its own"
        } else {
            "the built-in"
        }
    );
    Ok(settings)
}

/// Looks for a newer version: at start (`at_start`) only when turned on and not done in the
/// last day, by hand always. Answers the offer, if any; nothing is downloaded.
#[tauri::command]
#[specta::specta]
pub async fn check_update(
    app: tauri::AppHandle,
    pending: tauri::State<'_, Pending>,
    at_start: bool,
) -> CommandResult<Option<UpdateOffer>> {
    let dir = data_dir(&app);
    let mut settings = UpdateSettings::load(&dir);
    let now = now_ms();
    if at_start && !settings.due_at_start(now) {
        log::info!("updates: not checking at start (turned off, or checked within the day)");
        return Ok(None);
    }
    settings.last_check = Some(now);
    settings.save(&dir)?;
    let found = check(&app, endpoint(&settings).as_deref()).await;
    let update = match found {
        Ok(u) => u,
        Err(e) => {
            log::warn!("updates: {e}");
            return Err(e.into());
        }
    };
    let offer = update.as_ref().map(|u| UpdateOffer {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone(),
        date: u.date.map(|d| d.to_string()),
    });
    match &offer {
        Some(o) => log::info!("updates: version {} is on offer", o.version),
        None => log::info!("updates: this version is the newest"),
    }
    *pending.0.lock().expect("pending update lock") = update;
    Ok(offer)
}

/// Downloads the update on offer (`version`, the one the administrator saw), verifies its
/// signature, installs it and restarts the app. Only after the administrator said yes; a
/// refused signature installs nothing, and a failed download leaves the offer in place.
#[tauri::command]
#[specta::specta]
pub async fn install_update(
    app: tauri::AppHandle,
    pending: tauri::State<'_, Pending>,
    version: String,
) -> CommandResult<()> {
    let update = pending
        .0
        .lock()
        .expect("pending update lock")
        .clone()
        .filter(|u| u.version == version)
        .ok_or_else(|| {
            CommandError::new(
                ErrorCode::NotFound,
                format!("Version {version} is no longer on offer: check for updates again."),
            )
        })?;
    log::info!("updates: downloading version {}", update.version);
    let bytes = match download_verified(&update).await {
        Ok(b) => b,
        Err(e) => {
            log::warn!("updates: {e}");
            return Err(e.into());
        }
    };
    // The package manager may ask for a password (pkexec on Linux): off the async workers.
    let installing = update.clone();
    tauri::async_runtime::spawn_blocking(move || installing.install(bytes))
        .await
        .map_err(|e| UpdateError::Install(e.to_string()))?
        .map_err(|e| UpdateError::Install(e.to_string()))?;
    log::info!("updates: version {} installed; restarting", update.version);
    app.restart();
}
