//! The session: which portal is signed in, with its client, its member cache and what the
//! session has read so far (names, groups). `Console` is the app's logic state, one per running
//! app; each domain adds its operations to it in its own module (`members/`, `groups`,
//! `invitations`, `bulk`, `sign_in`).
//!
//! What is deliberately not here: how one signs in (`sign_in`), and anything about windows or
//! the webview (the shell).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use portal_client::Client;
use serde::Serialize;
use tokio::sync::RwLock;

use crate::demo::DemoPortal;
use crate::error::{Error, Result};
use crate::groups::GroupSummary;
use crate::members::{CacheState, Member, MemberCache, Names};
use crate::profiles::{profile_id, Profile, Profiles, SignInMethod};
use crate::secrets::{MemoryStore, SecretStore};

/// Which kind of portal a session is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PortalKind {
    /// ArcGIS Online (`www.arcgis.com` or an org's `*.maps.arcgis.com`).
    ArcgisOnline,
    /// ArcGIS Enterprise (a `…/portal/sharing/rest` on the customer's servers).
    Enterprise,
    /// The demo portal running inside the app.
    Demo,
}

/// Who is signed in where: what the UI shows in its header.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub kind: PortalKind,
    /// The REST base the app talks to.
    pub portal_url: String,
    /// The organization's name.
    pub org_name: String,
    pub username: String,
    /// The members cached for this portal (from an earlier load, or none yet).
    pub cache: CacheState,
}

pub(crate) struct Active {
    pub(crate) info: SessionInfo,
    /// The saved profile this session belongs to (and its keychain account).
    pub(crate) profile_id: String,
    pub(crate) client: Client,
    pub(crate) cache: Arc<Mutex<MemberCache>>,
    pub(crate) members: Arc<Vec<Member>>,
    /// Role and user type names, read with the last load (or on first need).
    pub(crate) names: Option<Arc<Names>>,
    /// The organization's groups, read on first need.
    pub(crate) groups: Option<Arc<Vec<GroupSummary>>>,
    /// What the organization bought (seats, licenses, bundles), read with the members and kept
    /// in the cache beside them.
    pub(crate) offers: Option<Arc<crate::licenses::Offers>>,
    /// ArcGIS Online (seats on the user types) rather than Enterprise (`/portaladmin/license`).
    pub(crate) arcgis_online: bool,
    /// Why the last load could not read the licenses (the portal refused), if it could not.
    pub(crate) licenses_problem: Option<String>,
}

/// The app's logic state: one per running app.
pub struct Console {
    pub(crate) data_dir: PathBuf,
    pub(crate) demo: tokio::sync::Mutex<Option<DemoPortal>>,
    pub(crate) active: RwLock<Option<Active>>,
    /// The running bulk job's cancel flag; one job at a time.
    pub(crate) bulk_cancel: Mutex<Option<Arc<AtomicBool>>>,
    /// Where refresh tokens are kept between runs.
    pub(crate) secrets: Arc<dyn SecretStore>,
    /// The last session is restored once per run, at the first `session_or_restore`.
    pub(crate) restore_tried: AtomicBool,
    /// Why the last session could not be restored, for the sign-in screen.
    pub(crate) restore_problem: Mutex<Option<String>>,
    /// Wakes a browser sign-in that waits for the redirect, to cancel it.
    pub(crate) sign_in_cancel: Mutex<Option<Arc<tokio::sync::Notify>>>,
    /// The journal of changes sent, opened on first need.
    pub(crate) journal: Mutex<Option<Arc<Mutex<crate::journal::JournalStore>>>>,
    /// The last import's dry run, kept for its confirmation.
    pub(crate) import: Mutex<Option<crate::import::Prepared>>,
    /// Whether a sign-in is remembered in `profiles.json` (not for the command line).
    pub(crate) remember_profiles: bool,
    /// The cached rows indexed for the members table (`members::table`); held while an
    /// index is made, so that questions asked together wait for one index.
    pub(crate) member_index: tokio::sync::Mutex<Option<Arc<crate::members::query::MemberIndex>>>,
}

impl Console {
    /// A console keeping its files (caches, the demo portal, profiles) under `data_dir` and
    /// refresh tokens in this process's memory only (tests, tools). The app passes the OS
    /// keychain with [`Console::with_secrets`].
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self::with_secrets(data_dir, Arc::new(MemoryStore::default()))
    }

    /// A console keeping refresh tokens in `secrets` (the app: [`crate::secrets::Keychain`]).
    pub fn with_secrets(data_dir: impl Into<PathBuf>, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            data_dir: data_dir.into(),
            demo: tokio::sync::Mutex::new(None),
            active: RwLock::new(None),
            bulk_cancel: Mutex::new(None),
            secrets,
            restore_tried: AtomicBool::new(false),
            restore_problem: Mutex::new(None),
            sign_in_cancel: Mutex::new(None),
            journal: Mutex::new(None),
            import: Mutex::new(None),
            remember_profiles: true,
            member_index: tokio::sync::Mutex::new(None),
        }
    }

    /// A console for the command line: it shares the app's data folder (caches, journal) but
    /// its sign-ins are not remembered as the app's profiles or last session.
    pub fn for_command_line(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            remember_profiles: false,
            ..Self::new(data_dir)
        }
    }

    /// Who is signed in, if anyone.
    pub async fn session(&self) -> Option<SessionInfo> {
        self.active.read().await.as_ref().map(|a| a.info.clone())
    }

    pub(crate) async fn open_session(
        &self,
        kind: PortalKind,
        client: Client,
        method: SignInMethod,
        client_id: Option<String>,
    ) -> Result<SessionInfo> {
        let portal = client.portal_self().await?;
        let online = portal.is_arcgis_online();
        let username = client.username().unwrap_or_default();
        let cache_path = self.cache_path(kind, client.rest_base().as_str(), &username);
        let legacy = self.legacy_cache_path(kind, client.rest_base().as_str(), &username);
        let (cache, members, offers) = blocking(move || -> Result<_> {
            MemberCache::delete_file(&legacy)?;
            let cache = MemberCache::open(&cache_path)?;
            let members = cache.all()?;
            // A document that no longer reads (an older shape) is read again at the next load.
            let offers = cache
                .document(crate::licenses::OFFERS_DOCUMENT)?
                .and_then(|json| serde_json::from_str::<crate::licenses::Offers>(&json).ok());
            Ok((cache, members, offers))
        })
        .await??;
        let info = SessionInfo {
            kind,
            portal_url: client.rest_base().to_string(),
            org_name: portal.name,
            username,
            cache: cache.state()?,
        };
        log::info!(
            "sign-in: signed in to {} ({kind:?}, {method:?}) as {}; {} members cached",
            crate::logged_origin(&info.portal_url),
            info.username,
            info.cache.members
        );
        let id = profile_id(kind, &info.portal_url, &info.username);
        // The command line signs in on the app's data folder without becoming the app's
        // last session (its sign-in is not one the app can restore).
        if self.remember_profiles {
            let mut profiles = Profiles::load(&self.data_dir);
            profiles.remember(Profile {
                id: id.clone(),
                kind,
                portal_url: info.portal_url.clone(),
                username: info.username.clone(),
                method,
                client_id,
                org_name: info.org_name.clone(),
                last_used: now_ms(),
            });
            profiles.save()?;
        }
        *self.restore_problem.lock().expect("restore lock") = None;
        *self.import.lock().expect("import lock") = None;
        *self.member_index.lock().await = None;
        *self.active.write().await = Some(Active {
            profile_id: id,
            info: info.clone(),
            client,
            cache: Arc::new(Mutex::new(cache)),
            members: Arc::new(members),
            names: None,
            groups: None,
            offers: offers.map(Arc::new),
            arcgis_online: online,
            licenses_problem: None,
        });
        Ok(info)
    }

    /// One cache file per portal and account (two accounts never share one: the name is an
    /// injective encoding of the key). The demo portal's port changes at every start,
    /// so its cache is keyed by kind alone.
    pub(crate) fn cache_path(&self, kind: PortalKind, url: &str, username: &str) -> PathBuf {
        let key = cache_key(kind, url, username);
        self.data_dir
            .join("cache")
            .join(format!("{}.sqlite", file_name_of(&key)))
    }

    /// Where the cache of this account was kept before file names were made injective (every
    /// character but letters and digits was `_`): deleted when the account signs in again or
    /// is forgotten, so no copy of the members is left behind under the old name.
    pub(crate) fn legacy_cache_path(&self, kind: PortalKind, url: &str, username: &str) -> PathBuf {
        let name: String = cache_key(kind, url, username)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        self.data_dir.join("cache").join(format!("{name}.sqlite"))
    }

    /// Changes the session's state, if the session is still the one `client` belongs to: a
    /// sign-out or another sign-in while a request was out leaves the new session alone.
    /// `None` when the session changed.
    pub(crate) async fn update_session<T>(
        &self,
        client: &Client,
        change: impl FnOnce(&mut Active) -> T,
    ) -> Option<T> {
        let mut active = self.active.write().await;
        active
            .as_mut()
            .filter(|a| a.client.same_session(client))
            .map(change)
    }

    /// The signed-in account's username.
    pub(crate) async fn signed_in_username(&self) -> Result<String> {
        let active = self.active.read().await;
        Ok(active
            .as_ref()
            .ok_or(Error::NoSession)?
            .info
            .username
            .clone())
    }

    /// What the organization bought, as last read (`None` before the first load that read it).
    pub(crate) async fn offers(&self) -> Option<Arc<crate::licenses::Offers>> {
        let active = self.active.read().await;
        active.as_ref()?.offers.clone()
    }

    /// Why the last load could not read the licenses, if it could not.
    pub(crate) async fn licenses_problem(&self) -> Option<String> {
        let active = self.active.read().await;
        active.as_ref()?.licenses_problem.clone()
    }

    /// The signed-in client.
    pub(crate) async fn client(&self) -> Result<Client> {
        let active = self.active.read().await;
        Ok(active.as_ref().ok_or(Error::NoSession)?.client.clone())
    }

    /// The names the session knows, read from the portal on first need.
    pub(crate) async fn names(&self) -> Result<(Client, Arc<Names>)> {
        let (client, names) = {
            let active = self.active.read().await;
            let a = active.as_ref().ok_or(Error::NoSession)?;
            (a.client.clone(), a.names.clone())
        };
        if let Some(names) = names {
            return Ok((client, names));
        }
        let names = read_names(&client).await?;
        // Only into the session they were read for (another sign-in may have come between).
        self.update_session(&client, |a| a.names = Some(names.clone()))
            .await;
        Ok((client, names))
    }

    /// Runs one keychain call on a blocking thread (the OS keychain answers over IPC and
    /// blocks; it must not hold up the runtime).
    pub(crate) async fn keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> std::result::Result<T, crate::secrets::SecretError>
            + Send
            + 'static,
    ) -> Result<T> {
        let secrets = self.secrets.clone();
        Ok(blocking(move || call(secrets.as_ref())).await??)
    }

    /// Ends the session: a browser session's refresh token is revoked on the portal and
    /// removed from the keychain, and the next start shows the sign-in screen. The cache and
    /// the profile stay for next time; the demo portal keeps running.
    pub async fn sign_out(&self) -> Result<()> {
        let active = self.active.write().await.take();
        *self.member_index.lock().await = None;
        // A planned import (passwords included) is the signed-in administrator's only.
        *self.import.lock().expect("import lock") = None;
        let Some(a) = active else {
            return Ok(());
        };
        log::info!(
            "sign-out: {} on {}",
            a.info.username,
            crate::logged_origin(&a.info.portal_url)
        );
        let mut profiles = Profiles::load(&self.data_dir);
        profiles.clear_last();
        profiles.save()?;
        let account = a.profile_id.clone();
        self.keychain(move |s| s.delete(&account)).await?;
        a.client.sign_out().await?;
        Ok(())
    }

    /// The folder this console keeps its files in.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// The organization's role and user type names.
pub(crate) async fn read_names(client: &Client) -> Result<Arc<Names>> {
    let (roles, user_types) = tokio::try_join!(client.roles(), client.user_types())?;
    Ok(Arc::new(Names::new(&roles, &user_types)))
}

/// Runs `work` (over every cached member, on the cache file) off the async threads; a panic in
/// it is answered as an error.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))
}

/// Now, in epoch milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// What a cache file is named after: the portal and the account (the demo portal by kind).
fn cache_key(kind: PortalKind, url: &str, username: &str) -> String {
    match kind {
        PortalKind::Demo => format!("demo-{username}"),
        _ => format!("{url}-{username}"),
    }
}

/// `key`, lower-cased, as a file name: letters and digits stay, every other byte becomes `_`
/// and two hex digits, so two keys never give one name (`jo.smith` and `jo_smith` are
/// `jo_2esmith` and `jo_5fsmith`).
fn file_name_of(key: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(key.len());
    for b in key.to_lowercase().bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            let _ = write!(out, "_{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::file_name_of;

    #[test]
    fn cache_file_names_keep_keys_apart() {
        assert_eq!(file_name_of("demo-Jo.Smith"), "demo_2djo_2esmith");
        let keys = [
            "u-jo.smith",
            "u-jo_smith",
            "u-jo-smith",
            "u-jo_2esmith",
            "u-jo√smith",
        ];
        let names: std::collections::HashSet<String> =
            keys.iter().map(|k| file_name_of(k)).collect();
        assert_eq!(names.len(), keys.len(), "{names:?}");
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')));
    }
}
