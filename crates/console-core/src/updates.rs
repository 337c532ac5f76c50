//! Whether and where Memberdesk looks for a newer version of itself: the administrator's
//! settings (`settings.json` in the data folder, no secret in it) and the rule that the check
//! happens at start, at most once a day, unless turned off.
//!
//! What is deliberately not here: the check, download and signature verification themselves
//! (Tauri's updater plugin, in the shell's `updates` commands). Nothing is downloaded or
//! installed without the administrator saying yes there.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The least time between two checks at start.
pub const CHECK_EVERY_MS: i64 = 24 * 3600 * 1000;

/// How this computer looks for updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    /// Look for a newer version when the app starts (at most once a day).
    pub check_at_start: bool,
    /// Where the update manifest is read (`latest.json`); none: the address the app was built
    /// with.
    pub endpoint: Option<String>,
    /// When the last check ran (epoch ms), at start or by hand.
    #[specta(type = Option<f64>)]
    pub last_check: Option<i64>,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        Self {
            check_at_start: true,
            endpoint: None,
            last_check: None,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SettingsFile {
    updates: UpdateSettings,
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("settings.json")
}

impl UpdateSettings {
    /// The settings kept in `data_dir` (the defaults when there are none).
    pub fn load(data_dir: &Path) -> Self {
        crate::files::read_json::<SettingsFile>(&path(data_dir)).updates
    }

    /// Keeps these settings in `data_dir`.
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        crate::files::write_json(
            &path(data_dir),
            &SettingsFile {
                updates: self.clone(),
            },
        )
    }

    /// Whether a check is due as the app starts at `now`: turned on, and none in the last day
    /// (a last check "in the future", a clock set back, counts as none).
    pub fn due_at_start(&self, now: i64) -> bool {
        self.check_at_start
            && self
                .last_check
                .is_none_or(|last| last > now || now - last >= CHECK_EVERY_MS)
    }

    /// The endpoint as typed, checked: an `https` URL (the updater refuses anything else in a
    /// release build). Empty means the built-in address.
    pub fn checked_endpoint(typed: Option<&str>) -> Result<Option<String>> {
        let Some(typed) = typed.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let url = url::Url::parse(typed)
            .map_err(|e| Error::InvalidInput(format!("The update address is not a URL: {e}.")))?;
        if url.scheme() != "https" || !url.username().is_empty() || url.password().is_some() {
            return Err(Error::InvalidInput(
                "The update address must be an https:// URL, without a name or password in it."
                    .into(),
            ));
        }
        Ok(Some(url.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_at_start_is_due_once_a_day_and_never_when_turned_off() {
        let now = 1_800_000_000_000;
        let mut s = UpdateSettings::default();
        assert!(s.due_at_start(now), "never checked");
        s.last_check = Some(now - CHECK_EVERY_MS + 60_000);
        assert!(!s.due_at_start(now), "checked 23 h 59 min ago");
        s.last_check = Some(now - CHECK_EVERY_MS);
        assert!(s.due_at_start(now), "a day ago");
        s.last_check = Some(now + 3_600_000);
        assert!(s.due_at_start(now), "a clock set back");
        s.check_at_start = false;
        s.last_check = None;
        assert!(!s.due_at_start(now), "turned off");
    }

    #[test]
    fn settings_survive_a_restart_and_a_missing_file_means_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(UpdateSettings::load(dir.path()), UpdateSettings::default());
        let s = UpdateSettings {
            check_at_start: false,
            endpoint: Some("https://updates.example.com/latest.json".into()),
            last_check: Some(42),
        };
        s.save(dir.path()).unwrap();
        assert_eq!(UpdateSettings::load(dir.path()), s);
    }

    #[test]
    fn the_endpoint_is_https_without_credentials() {
        let ok = |t: &str| UpdateSettings::checked_endpoint(Some(t)).unwrap();
        assert_eq!(ok("  "), None);
        assert_eq!(
            ok("https://updates.example.com/latest.json").as_deref(),
            Some("https://updates.example.com/latest.json")
        );
        for bad in [
            "http://updates.example.com/latest.json",
            "http://127.0.0.1:8080/latest.json",
            "https://user:pw@updates.example.com/latest.json",
            "ftp://x/y",
            "latest.json",
        ] {
            assert!(
                UpdateSettings::checked_endpoint(Some(bad)).is_err(),
                "{bad}"
            );
        }
    }
}
