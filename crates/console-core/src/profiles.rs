//! Saved portal profiles: which portals this computer signed in to, as whom, how, and which
//! one was used last (restored at the next start). `profiles.json` in the app's data folder
//! holds no secret: refresh tokens are in the OS keychain under the profile's id.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::session::PortalKind;

/// How a profile signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SignInMethod {
    /// OAuth2 in the system browser; the refresh token is kept in the keychain.
    Browser,
    /// A built-in account's username and password (asked again at each start).
    Password,
    /// The demo portal inside the app.
    Demo,
}

/// One saved portal profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// `kind|rest base|username`: also the keychain account of its refresh token.
    pub id: String,
    pub kind: PortalKind,
    /// The REST base (`https://org.maps.arcgis.com/sharing/rest/`).
    pub portal_url: String,
    pub username: String,
    pub method: SignInMethod,
    /// The OAuth client id used on this portal (browser sign-in).
    pub client_id: Option<String>,
    /// The organization's name when last signed in.
    pub org_name: String,
    /// Last sign-in (epoch ms).
    #[specta(type = f64)]
    pub last_used: i64,
}

/// The id of a profile (and keychain account of its refresh token).
pub fn profile_id(kind: PortalKind, rest_base: &str, username: &str) -> String {
    let (kind, url) = match kind {
        PortalKind::ArcgisOnline => ("arcgis_online", rest_base),
        PortalKind::Enterprise => ("enterprise", rest_base),
        // The demo portal's port changes at every start: it is one portal all the same.
        PortalKind::Demo => ("demo", "this computer"),
    };
    format!("{kind}|{url}|{}", username.to_lowercase())
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    last: Option<String>,
    profiles: Vec<Profile>,
}

/// The profiles file.
pub struct Profiles {
    path: PathBuf,
    file: File,
}

impl Profiles {
    /// Reads `profiles.json` in `data_dir`; a missing file is no profiles, an unreadable one
    /// too (it holds nothing that cannot be made again by signing in).
    pub fn load(data_dir: &Path) -> Self {
        let path = data_dir.join("profiles.json");
        let file = crate::files::read_json(&path);
        Self { path, file }
    }

    /// Writes the file (through a temporary file, so a crash never leaves half of it).
    pub fn save(&self) -> Result<()> {
        crate::files::write_json(&self.path, &self.file)
    }

    /// Every profile, most recently used first.
    pub fn list(&self) -> Vec<Profile> {
        let mut list = self.file.profiles.clone();
        list.sort_by_key(|p| std::cmp::Reverse(p.last_used));
        list
    }

    /// The profile signed in last and not signed out of.
    pub fn last(&self) -> Option<&Profile> {
        let id = self.file.last.as_ref()?;
        self.file.profiles.iter().find(|p| &p.id == id)
    }

    /// Adds or replaces a profile and makes it the last one.
    pub fn remember(&mut self, profile: Profile) {
        self.file.last = Some(profile.id.clone());
        self.file.profiles.retain(|p| p.id != profile.id);
        self.file.profiles.push(profile);
    }

    /// After a sign-out: nothing to restore at the next start.
    pub fn clear_last(&mut self) {
        self.file.last = None;
    }

    /// Removes a profile; answers it if it existed.
    pub fn forget(&mut self, id: &str) -> Option<Profile> {
        let at = self.file.profiles.iter().position(|p| p.id == id)?;
        if self.file.last.as_deref() == Some(id) {
            self.file.last = None;
        }
        Some(self.file.profiles.remove(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: &str, last_used: i64) -> Profile {
        Profile {
            id: id.into(),
            kind: PortalKind::Enterprise,
            portal_url: "https://gis.example.com/portal/sharing/rest/".into(),
            username: "admin".into(),
            method: SignInMethod::Browser,
            client_id: Some("memberdesk".into()),
            org_name: "City".into(),
            last_used,
        }
    }

    #[test]
    fn profiles_survive_a_restart_and_the_last_one_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Profiles::load(dir.path());
        assert!(p.list().is_empty() && p.last().is_none());
        p.remember(profile("a", 1));
        p.remember(profile("b", 2));
        p.remember(profile("a", 3));
        p.save().unwrap();
        let again = Profiles::load(dir.path());
        assert_eq!(
            again
                .list()
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(again.last().unwrap().id, "a");
        let mut again = again;
        again.clear_last();
        assert!(again.last().is_none());
        assert!(again.forget("b").is_some() && again.forget("b").is_none());
    }

    #[test]
    fn a_damaged_file_is_no_profiles() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("profiles.json"), b"{not json").unwrap();
        assert!(Profiles::load(dir.path()).list().is_empty());
    }
}
