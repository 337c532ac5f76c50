//! Small JSON files of the app's data folder (`profiles.json`, `settings.json`), written so a
//! crash or a full disk never leaves half of one: a temporary file, then a rename.

use std::path::Path;

use crate::error::Result;

/// Writes `value` as pretty JSON to `path` through `path.json.tmp` and a rename.
pub(crate) fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Reads `path` as JSON; a missing or unreadable file (an older shape) is the default.
pub(crate) fn read_json<T: serde::de::DeserializeOwned + Default>(path: &Path) -> T {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}
