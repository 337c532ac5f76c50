//! Exporting members to a CSV file: the rows the table shows, with the columns chosen, saved
//! where the person says in the OS save dialog (opened from Rust: the webview has no file or
//! dialog access of its own).

use console_core::{Console, ExportRequest};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CommandError, CommandResult, ErrorCode};

/// A written export.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    /// Where the file was written.
    pub path: String,
    pub members: u32,
}

/// Writes the members to a CSV file chosen in the save dialog; `None` when the person
/// cancelled the dialog.
#[tauri::command]
#[specta::specta]
pub async fn export_members(
    app: AppHandle,
    console: State<'_, Console>,
    request: ExportRequest,
) -> CommandResult<Option<Exported>> {
    let (text, members) = console.export_members(request).await?;
    let path = save_csv(&app, "Export members", "members.csv", text).await?;
    Ok(path.map(|path| Exported { path, members }))
}

/// Asks where to save a CSV file (the OS save dialog) and writes `text` there; answers the
/// path, or `None` when the person cancelled.
pub(crate) async fn save_csv(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    text: String,
) -> CommandResult<Option<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter("CSV", &["csv"])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| {
        CommandError::new(
            ErrorCode::InvalidInput,
            format!("That place cannot be written: {e}"),
        )
    })?;
    tokio::fs::write(&path, text).await.map_err(|e| {
        CommandError::new(
            ErrorCode::InvalidInput,
            format!("{} could not be written: {e}", path.display()),
        )
    })?;
    Ok(Some(path.display().to_string()))
}
