//! The console's sessions: which portal is signed in, its client, and its member cache.
//!
//! One session at a time. Signing in opens the profile's cache, so the members seen last
//! time show at once; `load_members` then refreshes the cache from the portal with progress.
//! What is deliberately not here: anything about windows or the webview (the shell), and the
//! OAuth browser flow (it arrives with the keychain).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use portal_client::Client;
use secrecy::SecretString;
use serde::Serialize;
use tokio::sync::RwLock;

use crate::bulk::{self, BulkKind, BulkProgress, BulkReport, BulkRequest};
use crate::create::{self, Created, NewMemberForm, UsernameCheck};
use crate::demo::{DemoPortal, DEMO_ADMIN};
use crate::error::{Error, Result};
use crate::groups::{GroupMemberRow, GroupRow, GroupSummary};
use crate::invitations::{self, InvitationRow, InvitationState};
use crate::members::{CacheState, Choices, Member, MemberCache, Names};
use crate::profiles::{profile_id, Profile, Profiles, SignInMethod};
use crate::secrets::{MemoryStore, SecretStore};

/// The saved portal profiles, for the sign-in screen.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedProfiles {
    /// Most recently used first.
    pub profiles: Vec<Profile>,
    /// Why the last session could not be restored at this start, if it could not.
    pub restore_problem: Option<String>,
}

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

/// Progress of a member load, sent as pages arrive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LoadProgress {
    /// Members listed so far, of `total`.
    pub loaded: u32,
    pub total: u32,
    /// Groups whose members have been read, of `groups_total` (read beside the members).
    pub groups_read: u32,
    pub groups_total: u32,
}

struct Active {
    info: SessionInfo,
    /// The saved profile this session belongs to (and its keychain account).
    profile_id: String,
    client: Client,
    cache: Arc<Mutex<MemberCache>>,
    members: Arc<Vec<Member>>,
    /// Role and user type names, read with the last load (or on first need).
    names: Option<Arc<Names>>,
    /// The organization's groups, read on first need.
    groups: Option<Arc<Vec<GroupSummary>>>,
}

/// A member's edit form, as submitted: every field's wanted value. Only what differs from
/// the portal's current state is sent.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberEdit {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub description: String,
    /// `private`, `org` or `public`.
    pub access: String,
    /// A base role or a custom role's id.
    pub role_id: String,
    pub user_type: String,
    /// Credits to assign (ArcGIS Online; `-1`: no limit); `None` leaves them as they are.
    pub credits: Option<f64>,
}

/// A group a member belongs to, for the member panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberGroup {
    pub id: String,
    pub title: String,
    /// The member owns the group.
    pub owner: bool,
}

/// An invitation to a group that a member has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedInvitation {
    pub id: String,
    pub group_id: String,
    pub group_title: String,
    /// Who sent it.
    pub from: String,
    #[specta(type = f64)]
    pub received: i64,
    #[specta(type = f64)]
    pub expiration: i64,
}

/// The member panel's extra sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberDetails {
    pub groups: Vec<MemberGroup>,
    pub invitations: Vec<ReceivedInvitation>,
}

/// What deleting a member affects, shown before the deletion is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeleteSummary {
    /// Items in the member's root folder.
    pub items: u32,
    /// The member's folders (each may hold more items).
    pub folders: u32,
    /// Titles of the groups the member owns: they need a new owner.
    pub groups_owned: Vec<String>,
    /// Groups the member belongs to without owning them: they simply leave.
    pub memberships: u32,
    /// Invitations to groups the member has not answered: they go with the member.
    pub invitations: u32,
}

/// The app's logic state: one per running app.
pub struct Console {
    data_dir: PathBuf,
    demo: tokio::sync::Mutex<Option<DemoPortal>>,
    active: RwLock<Option<Active>>,
    /// The running bulk job's cancel flag; one job at a time.
    bulk_cancel: Mutex<Option<Arc<AtomicBool>>>,
    /// Where refresh tokens are kept between runs.
    secrets: Arc<dyn SecretStore>,
    /// The last session is restored once per run, at the first `session_or_restore`.
    restore_tried: AtomicBool,
    /// Why the last session could not be restored, for the sign-in screen.
    restore_problem: Mutex<Option<String>>,
    /// Wakes a browser sign-in that waits for the redirect, to cancel it.
    sign_in_cancel: Mutex<Option<Arc<tokio::sync::Notify>>>,
}

/// Clears the running bulk job's flag however the job ends.
struct BulkSlot<'a>(&'a Mutex<Option<Arc<AtomicBool>>>);

impl Drop for BulkSlot<'_> {
    fn drop(&mut self) {
        *self.0.lock().expect("bulk lock") = None;
    }
}

/// Minutes a password session's token lives before the client renews it.
const TOKEN_MINUTES: u32 = 120;

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
        }
    }

    /// Starts the demo portal (once per run) and signs in as its administrator.
    pub async fn sign_in_demo(&self) -> Result<SessionInfo> {
        let (url, password) = {
            let mut demo = self.demo.lock().await;
            if demo.is_none() {
                *demo = Some(DemoPortal::start(&self.data_dir.join("demo")).await?);
            }
            let d = demo.as_ref().expect("started above");
            (d.url.clone(), d.admin_password.clone())
        };
        let client = Client::builder(url.trim()).build()?;
        client
            .sign_in_with_password(DEMO_ADMIN, &password, TOKEN_MINUTES)
            .await?;
        self.open_session(PortalKind::Demo, client, SignInMethod::Demo, None)
            .await
    }

    /// The demo portal's database, when it runs (tests check the portal's state with it).
    pub async fn demo_portal_state(&self) -> Option<portal_emulator::State> {
        self.demo.lock().await.as_ref().map(|d| d.state.clone())
    }

    /// Signs in with a built-in account's username and password (ArcGIS Enterprise, the demo).
    pub async fn sign_in_password(
        &self,
        kind: PortalKind,
        portal_url: &str,
        username: &str,
        password: SecretString,
    ) -> Result<SessionInfo> {
        let username = username.trim();
        if username.is_empty() {
            return Err(Error::InvalidInput("Enter a username.".into()));
        }
        let client = Client::builder(portal_url.trim()).build()?;
        client
            .sign_in_with_password(username, &password, TOKEN_MINUTES)
            .await?;
        self.open_session(kind, client, SignInMethod::Password, None)
            .await
    }

    /// Signs in with OAuth2 in the system browser: `open` is handed the portal's sign-in
    /// URL; the client's loopback listener takes the redirect. The refresh token goes to the
    /// keychain (and again whenever the client exchanges it), so the next start restores the
    /// session. `cancel_sign_in` stops the wait.
    pub async fn sign_in_browser(
        &self,
        kind: PortalKind,
        portal_url: &str,
        client_id: &str,
        open: impl FnOnce(&str) -> std::result::Result<(), String>,
    ) -> Result<SessionInfo> {
        let client_id = match client_id.trim() {
            "" => portal_client::MEMBERDESK_CLIENT_ID.to_string(),
            id => id.to_string(),
        };
        let client = self.browser_client(kind, portal_url)?;
        let options = portal_client::OAuthSignIn {
            client_id: client_id.clone(),
            ..Default::default()
        };
        let cancel = Arc::new(tokio::sync::Notify::new());
        *self.sign_in_cancel.lock().expect("sign-in lock") = Some(cancel.clone());
        let signed_in = tokio::select! {
            r = client.sign_in_with_oauth(&options, open) => r,
            () = cancel.notified() => {
                return Err(Error::Cancelled("The sign-in was cancelled.".into()));
            }
        };
        *self.sign_in_cancel.lock().expect("sign-in lock") = None;
        signed_in?;
        let info = self
            .open_session(kind, client.clone(), SignInMethod::Browser, Some(client_id))
            .await?;
        self.keep_refresh_token(&client, kind).await?;
        Ok(info)
    }

    /// Runs one keychain call on a blocking thread (the OS keychain answers over IPC and
    /// blocks; it must not hold up the runtime).
    async fn keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> std::result::Result<T, crate::secrets::SecretError>
            + Send
            + 'static,
    ) -> Result<T> {
        let secrets = self.secrets.clone();
        Ok(tokio::task::spawn_blocking(move || call(secrets.as_ref()))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??)
    }

    /// Stops a browser sign-in that waits for the browser; answers whether one was waiting.
    pub fn cancel_sign_in(&self) -> bool {
        match self.sign_in_cancel.lock().expect("sign-in lock").take() {
            Some(n) => {
                n.notify_one();
                true
            }
            None => false,
        }
    }

    /// A client whose new refresh tokens (an exchange near the end of one) go to the keychain.
    fn browser_client(&self, kind: PortalKind, portal_url: &str) -> Result<Client> {
        let rest = portal_client::transport::rest_base(portal_url.trim())?.to_string();
        let secrets = self.secrets.clone();
        let keep: portal_client::RefreshTokenListener =
            Arc::new(move |username: &str, token: &SecretString| {
                let account = profile_id(kind, &rest, username);
                let (secrets, token) = (secrets.clone(), token.clone());
                // The keychain blocks; a renewal must not wait for it.
                std::thread::spawn(move || {
                    let _ = secrets.set(&account, &token);
                });
            });
        Ok(Client::builder(portal_url.trim())
            .on_refresh_token(keep)
            .build()?)
    }

    /// Puts the session's refresh token in the keychain now (sign-in answers only once it is
    /// there, so a restart right after finds it).
    async fn keep_refresh_token(&self, client: &Client, kind: PortalKind) -> Result<()> {
        let Some(token) = client.refresh_token() else {
            return Ok(());
        };
        let account = profile_id(
            kind,
            client.rest_base().as_str(),
            &client.username().unwrap_or_default(),
        );
        self.keychain(move |s| s.set(&account, &token)).await
    }

    /// Who is signed in; at the first call of a run, the last session is restored first: the
    /// demo portal is started again, a browser session resumes from its refresh token in the
    /// keychain. A session that cannot be restored leaves the sign-in screen with the reason
    /// (see [`Console::profiles`]), never an error.
    pub async fn session_or_restore(&self) -> Option<SessionInfo> {
        if self.restore_tried.swap(true, Ordering::SeqCst) {
            return self.session().await;
        }
        if let Some(info) = self.session().await {
            return Some(info);
        }
        let last = Profiles::load(&self.data_dir).last().cloned()?;
        match self.restore(&last).await {
            Ok(info) => info,
            Err(e) => {
                *self.restore_problem.lock().expect("restore lock") = Some(format!(
                    "Your last session ({} on {}) could not be restored: {e}",
                    last.username, last.org_name
                ));
                None
            }
        }
    }

    async fn restore(&self, profile: &Profile) -> Result<Option<SessionInfo>> {
        match profile.method {
            SignInMethod::Demo => self.sign_in_demo().await.map(Some),
            SignInMethod::Password => Ok(None),
            SignInMethod::Browser => {
                let account = profile.id.clone();
                let token = self.keychain(move |s| s.get(&account)).await?;
                let Some(token) = token else {
                    return Ok(None);
                };
                let client = self.browser_client(profile.kind, &profile.portal_url)?;
                let client_id = profile
                    .client_id
                    .clone()
                    .unwrap_or_else(|| portal_client::MEMBERDESK_CLIENT_ID.to_string());
                if let Err(e) = client
                    .resume_oauth(&profile.username, &client_id, token, None)
                    .await
                {
                    if !e.is_transient() {
                        // Revoked or expired: the token is of no more use.
                        let account = profile.id.clone();
                        let _ = self.keychain(move |s| s.delete(&account)).await;
                    }
                    return Err(e.into());
                }
                self.open_session(
                    profile.kind,
                    client.clone(),
                    SignInMethod::Browser,
                    Some(client_id),
                )
                .await
                .map(Some)
            }
        }
    }

    /// The saved portal profiles (most recent first), and why the last session was not
    /// restored, if it was not.
    pub fn profiles(&self) -> SavedProfiles {
        SavedProfiles {
            profiles: Profiles::load(&self.data_dir).list(),
            restore_problem: self.restore_problem.lock().expect("restore lock").clone(),
        }
    }

    /// Removes a saved profile and its refresh token from the keychain.
    pub async fn forget_profile(&self, id: &str) -> Result<()> {
        let mut profiles = Profiles::load(&self.data_dir);
        if profiles.forget(id).is_none() {
            return Err(Error::NotFound(
                "This portal profile no longer exists.".into(),
            ));
        }
        profiles.save()?;
        let account = id.to_string();
        self.keychain(move |s| s.delete(&account)).await
    }

    async fn open_session(
        &self,
        kind: PortalKind,
        client: Client,
        method: SignInMethod,
        client_id: Option<String>,
    ) -> Result<SessionInfo> {
        let portal = client.portal_self().await?;
        let username = client.username().unwrap_or_default();
        let cache_path = self.cache_path(kind, client.rest_base().as_str(), &username);
        let (cache, members) = tokio::task::spawn_blocking(move || -> Result<_> {
            let cache = MemberCache::open(&cache_path)?;
            let members = cache.all()?;
            Ok((cache, members))
        })
        .await
        .map_err(|e| Error::Demo(e.to_string()))??;
        let info = SessionInfo {
            kind,
            portal_url: client.rest_base().to_string(),
            org_name: portal.name,
            username,
            cache: cache.state()?,
        };
        let id = profile_id(kind, &info.portal_url, &info.username);
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
        *self.restore_problem.lock().expect("restore lock") = None;
        *self.active.write().await = Some(Active {
            profile_id: id,
            info: info.clone(),
            client,
            cache: Arc::new(Mutex::new(cache)),
            members: Arc::new(members),
            names: None,
            groups: None,
        });
        Ok(info)
    }

    /// One cache file per portal and account. The demo portal's port changes at every start,
    /// so its cache is keyed by kind alone.
    fn cache_path(&self, kind: PortalKind, url: &str, username: &str) -> PathBuf {
        let key = match kind {
            PortalKind::Demo => format!("demo-{username}"),
            _ => format!("{url}-{username}"),
        };
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        self.data_dir.join("cache").join(format!("{safe}.sqlite"))
    }

    /// Who is signed in, if anyone.
    pub async fn session(&self) -> Option<SessionInfo> {
        self.active.read().await.as_ref().map(|a| a.info.clone())
    }

    /// Reads every member from the portal into the cache; `progress` hears as pages arrive.
    pub async fn load_members(
        &self,
        progress: impl FnMut(LoadProgress) + Send,
    ) -> Result<CacheState> {
        let (client, cache, expected) = {
            let active = self.active.read().await;
            let a = active.as_ref().ok_or(Error::NoSession)?;
            (a.client.clone(), a.cache.clone(), a.info.cache.members)
        };
        let names = read_names(&client).await?;
        let mut listing = client.users().all_members();
        if expected > 0 {
            listing = listing.expected_total(u64::from(expected));
        }
        // Both listings report into one progress.
        let state = Mutex::new((
            progress,
            LoadProgress {
                loaded: 0,
                total: 0,
                groups_read: 0,
                groups_total: 0,
            },
        ));
        let report = |change: &dyn Fn(&mut LoadProgress)| {
            let mut guard = state.lock().expect("progress lock");
            let (send, now) = &mut *guard;
            change(now);
            send(*now);
        };
        let listed = listing.send(|loaded, total| {
            report(&|p| {
                p.loaded = u32::try_from(loaded).unwrap_or(u32::MAX);
                p.total = u32::try_from(total).unwrap_or(u32::MAX);
            })
        });
        let read_groups = memberships(&client, |read, total| {
            report(&|p| {
                p.groups_read = read;
                p.groups_total = total;
            })
        });
        let (users, (groups, mut memberships)) =
            tokio::try_join!(async { listed.await.map_err(Error::from) }, read_groups)?;
        let members: Vec<Member> = users
            .into_iter()
            .map(|u| {
                let mut m = names.member(u);
                m.groups = memberships.remove(&m.username).unwrap_or_default();
                m
            })
            .collect();
        let members = Arc::new(members);
        let state = {
            let members = members.clone();
            tokio::task::spawn_blocking(move || -> Result<CacheState> {
                let mut cache = cache.lock().expect("cache lock");
                cache.replace_all(&members, now_ms())?;
                cache.state()
            })
            .await
            .map_err(|e| Error::Demo(e.to_string()))??
        };
        let mut active = self.active.write().await;
        if let Some(a) = active.as_mut().filter(|a| a.client.same_session(&client)) {
            a.members = members;
            a.info.cache = state.clone();
            a.names = Some(names);
            a.groups = Some(groups);
        }
        Ok(state)
    }

    /// The names the session knows, read from the portal on first need.
    async fn names(&self) -> Result<(Client, Arc<Names>)> {
        let (client, names) = {
            let active = self.active.read().await;
            let a = active.as_ref().ok_or(Error::NoSession)?;
            (a.client.clone(), a.names.clone())
        };
        if let Some(names) = names {
            return Ok((client, names));
        }
        let names = read_names(&client).await?;
        if let Some(a) = self.active.write().await.as_mut() {
            a.names = Some(names.clone());
        }
        Ok((client, names))
    }

    /// The roles and user types the organization offers (for the edit form).
    pub async fn choices(&self) -> Result<Choices> {
        Ok(self.names().await?.1.choices().clone())
    }

    /// Saves a member's edit form: the profile, then the user type and role in the order the
    /// portal accepts (a higher role may need its user type first, a lower user type may need
    /// the lower role first). The member is read back from the portal into the cache, so what
    /// the table shows is what the portal holds. A refusal is reported with the portal's
    /// reason; whatever was already saved stays saved and is in the answer of a reload.
    pub async fn update_member(&self, edit: MemberEdit) -> Result<Member> {
        let (client, names) = self.names().await?;
        let users = client.users();
        let username = edit.username.trim().to_string();
        let current = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!("{username} no longer exists in this organization."))
        })?;
        let email = edit.email.trim();
        if !email.contains('@') {
            return Err(Error::InvalidInput(format!(
                "'{email}' is not an email address."
            )));
        }
        let changed = |new: &str, old: &Option<String>| -> Option<String> {
            (Some(new) != old.as_deref()).then(|| new.to_string())
        };
        let first = edit.first_name.trim();
        let last = edit.last_name.trim();
        let profile = portal_client::UserUpdate {
            first_name: (first != current.first_name).then(|| first.to_string()),
            last_name: (last != current.last_name).then(|| last.to_string()),
            full_name: None,
            email: changed(email, &current.email),
            description: changed(&edit.description, &current.description)
                .filter(|d| !(d.is_empty() && current.description.is_none())),
            access: changed(&edit.access, &current.access),
            tags: None,
        };
        let any_profile = profile.first_name.is_some()
            || profile.last_name.is_some()
            || profile.email.is_some()
            || profile.description.is_some()
            || profile.access.is_some();
        if any_profile {
            users.update(&username, &profile).await?;
        }
        let current_role = current
            .role_id
            .clone()
            .filter(|r| !r.is_empty())
            .or(current.role.clone())
            .unwrap_or_default();
        let role_changes = edit.role_id != current_role;
        let type_changes = Some(edit.user_type.as_str()) != current.user_license_type_id.as_deref();
        let one = std::slice::from_ref(&username);
        let set_type = || async {
            let answer = users.set_user_type(one, &edit.user_type).await?;
            match answer
                .into_iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(&username))
            {
                Some((_, Err(reason))) => Err(Error::Refused(reason)),
                _ => Ok(()),
            }
        };
        if type_changes {
            match set_type().await {
                Ok(()) => {
                    if role_changes {
                        users.set_role(&username, &edit.role_id).await?;
                    }
                }
                // The new type may not allow the current role: lower the role first.
                Err(first_try) if role_changes => {
                    users.set_role(&username, &edit.role_id).await?;
                    set_type().await.map_err(|_| first_try)?;
                }
                Err(e) => return Err(e),
            }
        } else if role_changes {
            users.set_role(&username, &edit.role_id).await?;
        }
        if let Some(credits) = edit
            .credits
            .filter(|c| Some(*c) != current.assigned_credits)
        {
            if !(credits == -1.0 || (credits >= 0.0 && credits.is_finite())) {
                return Err(Error::InvalidInput(
                    "Credits are a number of 0 or more (or -1 for no limit).".into(),
                ));
            }
            let refused = users.assign_credits(&[(username.clone(), credits)]).await?;
            if !refused.is_empty() {
                return Err(Error::Refused(format!(
                    "The portal did not assign {credits} credits to {username}."
                )));
            }
        }
        let fresh = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!("{username} no longer exists in this organization."))
        })?;
        let mut member = names.member(fresh);
        member.groups = self
            .cached(&username)
            .await
            .map(|m| m.groups)
            .unwrap_or_default();
        self.remember(&client, vec![member.clone()]).await?;
        Ok(member)
    }

    /// The cached row of one member.
    async fn cached(&self, username: &str) -> Option<Member> {
        let active = self.active.read().await;
        active
            .as_ref()?
            .members
            .iter()
            .find(|m| m.username.eq_ignore_ascii_case(username))
            .cloned()
    }

    /// What the member panel shows beside the row: the member's groups (from the cache, with
    /// their titles) and the invitations to groups they have not answered (from the portal).
    pub async fn member_details(&self, username: &str) -> Result<MemberDetails> {
        let member = self.cached(username.trim()).await.ok_or_else(|| {
            Error::NotFound(format!(
                "{} is not among the loaded members.",
                username.trim()
            ))
        })?;
        let groups = self.groups(false).await?;
        let client = self.client().await?;
        let title = |id: &str| {
            groups
                .iter()
                .find(|g| g.id == id)
                .map(|g| g.title.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut member_groups: Vec<MemberGroup> = member
            .groups
            .iter()
            .map(|id| MemberGroup {
                id: id.clone(),
                title: title(id),
                owner: groups
                    .iter()
                    .any(|g| &g.id == id && g.owner.eq_ignore_ascii_case(&member.username)),
            })
            .collect();
        member_groups.sort_by_key(|g| g.title.to_lowercase());
        let invitations = client
            .users()
            .received_invitations(&member.username)
            .await?
            .into_iter()
            .filter(|i| i.target_type.is_empty() || i.target_type == "group")
            .map(|i| ReceivedInvitation {
                group_title: title(&i.target_id),
                group_id: i.target_id,
                from: invitations::sender(&i.from_username),
                received: i.received,
                expiration: i.expiration,
                id: i.id,
            })
            .collect();
        Ok(MemberDetails {
            groups: member_groups,
            invitations,
        })
    }

    /// What deleting a member touches: their content, the groups they own, their
    /// memberships. Read before asking for confirmation.
    pub async fn delete_summary(&self, username: &str) -> Result<DeleteSummary> {
        let details = self.member_details(username).await?;
        let client = self.client().await?;
        let content = client.users().content_summary(username.trim()).await?;
        Ok(DeleteSummary {
            items: u32::try_from(content.root_items).unwrap_or(u32::MAX),
            folders: u32::try_from(content.folders).unwrap_or(u32::MAX),
            groups_owned: details
                .groups
                .iter()
                .filter(|g| g.owner)
                .map(|g| g.title.clone())
                .collect(),
            memberships: u32::try_from(details.groups.iter().filter(|g| !g.owner).count())
                .unwrap_or(u32::MAX),
            invitations: u32::try_from(details.invitations.len()).unwrap_or(u32::MAX),
        })
    }

    /// Deletes a member. Their content and the groups they own go to `reassign_to` first
    /// when given (the portal refuses to delete an owner otherwise, and says why). The member
    /// leaves the cache; the receiver's row, now with the groups handed over, is the answer.
    pub async fn delete_member(
        &self,
        username: &str,
        reassign_to: Option<String>,
    ) -> Result<Option<Member>> {
        let username = username.trim().to_string();
        let me = self.session().await.ok_or(Error::NoSession)?.username;
        if username.eq_ignore_ascii_case(&me) {
            return Err(Error::InvalidInput(
                "You cannot delete the account you are signed in with.".into(),
            ));
        }
        let target = reassign_to
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if let Some(t) = &target {
            if t.eq_ignore_ascii_case(&username) {
                return Err(Error::InvalidInput(
                    "Choose another member to receive the content.".into(),
                ));
            }
            match self.cached(t).await {
                None => {
                    return Err(Error::InvalidInput(format!(
                        "{t} is not a member of this organization."
                    )))
                }
                Some(m) if m.disabled => {
                    return Err(Error::InvalidInput(format!(
                        "{t} is disabled and cannot receive content; choose an active member."
                    )))
                }
                Some(_) => {}
            }
        }
        let groups = self.groups(false).await?;
        let client = self.client().await?;
        client.users().delete(&username, target.as_deref()).await?;
        {
            let mut active = self.active.write().await;
            if let Some(a) = active.as_mut().filter(|a| a.client.same_session(&client)) {
                a.cache
                    .lock()
                    .expect("cache lock")
                    .remove(std::slice::from_ref(&username))?;
                let rows: Vec<Member> = a
                    .members
                    .iter()
                    .filter(|m| m.username != username)
                    .cloned()
                    .collect();
                a.info.cache.members = u32::try_from(rows.len()).unwrap_or(u32::MAX);
                a.members = Arc::new(rows);
            }
        }
        let Some(t) = target else {
            return Ok(None);
        };
        // The groups the member owned are now the receiver's: their owner and the receiver's
        // row say so, without reading every group again.
        let owned: Vec<String> = groups
            .iter()
            .filter(|g| g.owner.eq_ignore_ascii_case(&username))
            .map(|g| g.id.clone())
            .collect();
        let Some(mut row) = self.cached(&t).await else {
            return Ok(None);
        };
        for id in &owned {
            if !row.groups.contains(id) {
                row.groups.push(id.clone());
            }
        }
        self.remember(&client, vec![row.clone()]).await?;
        let regrouped: Vec<GroupSummary> = groups
            .iter()
            .cloned()
            .map(|mut g| {
                if owned.contains(&g.id) {
                    g.owner = row.username.clone();
                }
                g
            })
            .collect();
        if let Some(a) = self
            .active
            .write()
            .await
            .as_mut()
            .filter(|a| a.client.same_session(&client))
        {
            a.groups = Some(Arc::new(regrouped));
        }
        Ok(Some(row))
    }

    /// Puts members' new state into the cache and the rows the table reads.
    async fn remember(&self, client: &Client, changed: Vec<Member>) -> Result<()> {
        if changed.is_empty() {
            return Ok(());
        }
        let mut active = self.active.write().await;
        let Some(a) = active.as_mut().filter(|a| a.client.same_session(client)) else {
            return Ok(());
        };
        a.cache.lock().expect("cache lock").upsert(&changed)?;
        let mut rows = a.members.as_ref().clone();
        let at: std::collections::HashMap<&str, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, m)| (m.username.as_str(), i))
            .collect();
        let (mut replace, mut add) = (Vec::new(), Vec::new());
        for member in changed {
            match at.get(member.username.as_str()) {
                Some(&i) => replace.push((i, member)),
                None => add.push(member),
            }
        }
        for (i, member) in replace {
            rows[i] = member;
        }
        rows.extend(add);
        a.members = Arc::new(rows);
        Ok(())
    }

    /// The organization's groups, read from the portal on first need (`refresh` reads again).
    pub async fn groups(&self, refresh: bool) -> Result<Arc<Vec<GroupSummary>>> {
        let (client, known) = {
            let active = self.active.read().await;
            let a = active.as_ref().ok_or(Error::NoSession)?;
            (a.client.clone(), a.groups.clone())
        };
        if let Some(groups) = known.filter(|_| !refresh) {
            return Ok(groups);
        }
        let groups = Arc::new(read_groups(&client).await?);
        if let Some(a) = self
            .active
            .write()
            .await
            .as_mut()
            .filter(|a| a.client.same_session(&client))
        {
            a.groups = Some(groups.clone());
        }
        Ok(groups)
    }

    /// The groups with their member counts (one small request per group, 8 at a time).
    pub async fn group_rows(&self, refresh: bool) -> Result<Vec<GroupRow>> {
        use futures::stream::{self, StreamExt, TryStreamExt};
        let groups = self.groups(refresh).await?;
        let client = self.client().await?;
        stream::iter(groups.iter().cloned())
            .map(|g| {
                let client = client.clone();
                async move {
                    let members = client.groups().member_count(&g.id).await?;
                    Ok::<_, Error>(GroupRow {
                        id: g.id,
                        title: g.title,
                        owner: g.owner,
                        access: g.access,
                        members: u32::try_from(members).unwrap_or(u32::MAX),
                    })
                }
            })
            .buffered(8)
            .try_collect()
            .await
    }

    /// A group's members, owner first, then by username.
    pub async fn group_members(&self, id: &str) -> Result<Vec<GroupMemberRow>> {
        let client = self.client().await?;
        let mut rows: Vec<GroupMemberRow> = client
            .groups()
            .members(id.trim())
            .await?
            .into_iter()
            .map(GroupMemberRow::from)
            .collect();
        rows.sort_by(|a, b| {
            (a.member_type != "owner", a.username.to_lowercase())
                .cmp(&(b.member_type != "owner", b.username.to_lowercase()))
        });
        Ok(rows)
    }

    /// Runs a bulk change on the selected members; `progress` hears as members get their
    /// outcome. Every member is reported once (done, failed with the reason, or skipped when
    /// cancelled); the members whose change is in place are updated in the cache. One job
    /// runs at a time; `cancel_bulk` stops it between requests.
    pub async fn bulk(
        &self,
        request: BulkRequest,
        mut progress: impl FnMut(BulkProgress) + Send,
    ) -> Result<BulkReport> {
        let (client, names) = self.names().await?;
        let groups = match request.kind {
            BulkKind::AddToGroup | BulkKind::RemoveFromGroup => Some(
                self.groups(false)
                    .await?
                    .iter()
                    .map(|g| g.id.clone())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        };
        let request = bulk::validate(request, &names, groups.as_deref())?;
        let cancel = Arc::new(AtomicBool::new(false));
        let _slot = {
            let mut slot = self.bulk_cancel.lock().expect("bulk lock");
            if slot.is_some() {
                return Err(Error::InvalidInput(
                    "A bulk change is already running. Wait for it to finish or cancel it.".into(),
                ));
            }
            *slot = Some(cancel.clone());
            BulkSlot(&self.bulk_cancel)
        };
        let options = portal_client::BulkOptions {
            cancel,
            ..Default::default()
        };
        let jobs = client.bulk(options);
        let report = |done: usize, total: usize| {
            progress(BulkProgress {
                done: u32::try_from(done).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
            })
        };
        let (names_in, target) = (&request.usernames, request.target.as_str());
        let outcomes = match request.kind {
            BulkKind::SetRole => jobs.set_role(names_in, target, report).await,
            BulkKind::SetUserType => jobs.set_user_type(names_in, target, report).await,
            BulkKind::Disable => jobs.set_disabled(names_in, true, report).await,
            BulkKind::Enable => jobs.set_disabled(names_in, false, report).await,
            BulkKind::AddToGroup => jobs.add_to_group(target, names_in, report).await,
            BulkKind::RemoveFromGroup => jobs.remove_from_group(target, names_in, report).await,
        };
        let result = BulkReport::new(outcomes);
        let done = result.done_names();
        let rows = self.members().await?;
        let changed: Vec<Member> = rows
            .iter()
            .filter(|m| done.contains(m.username.as_str()))
            .filter_map(|m| bulk::changed(m, request.kind, target, &names))
            .collect();
        self.remember(&client, changed).await?;
        Ok(result)
    }

    /// Every organization invitation not yet accepted, pending or expired, newest first.
    pub async fn invitations(&self) -> Result<Vec<InvitationRow>> {
        let (client, names) = self.names().await?;
        let now = now_ms();
        let mut rows: Vec<InvitationRow> = client
            .users()
            .invitations()
            .await?
            .into_iter()
            .filter(|i| !i.accepted)
            .map(|i| InvitationRow::new(i, &names, now))
            .collect();
        rows.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// Withdraws an invitation: its link stops working.
    pub async fn delete_invitation(&self, id: &str) -> Result<()> {
        let client = self.client().await?;
        client.users().delete_invitation(id.trim()).await?;
        Ok(())
    }

    /// Sends an invitation again, with the same username, names, email, role, user type,
    /// groups and credits, and a new expiry. An expired invitation is replaced after the new
    /// one is sent; a pending one must be withdrawn first (the portal allows one pending
    /// invitation per username), and if the portal then refuses the new one the error says
    /// so plainly, with what to do.
    pub async fn invite_again(&self, id: &str) -> Result<()> {
        let client = self.client().await?;
        let users = client.users();
        let old = users.invitation(id.trim()).await?;
        let member = invitations::invitee(&old);
        if member.username.is_empty() || member.email.is_empty() {
            return Err(Error::InvalidInput(
                "This invitation has no username or email to send again.".into(),
            ));
        }
        if invitations::state_at(old.expiration, now_ms()) == InvitationState::Expired {
            users.create(&member).await?;
            users.delete_invitation(&old.id).await?;
        } else {
            users.delete_invitation(&old.id).await?;
            users.create(&member).await.map_err(|e| {
                Error::Refused(format!(
                    "The old invitation of {} was withdrawn, but the portal refused a new one: {}. \
                     Create the member again to invite them.",
                    member.username,
                    e.reason()
                ))
            })?;
        }
        Ok(())
    }

    /// Whether a username follows the rules and is free (no member, no pending invitation).
    pub async fn check_username(&self, name: &str) -> Result<UsernameCheck> {
        let username = name.trim().to_string();
        if let Some(problem) = create::username_problem(&username) {
            return Ok(UsernameCheck {
                username,
                problem: Some(problem),
                available: None,
                suggestion: None,
            });
        }
        let client = self.client().await?;
        let users = client.users();
        let (available, suggestion) = match users.check_username(&username).await {
            Ok(Some(s)) if s.eq_ignore_ascii_case(&username) => (Some(true), None),
            Ok(Some(s)) => (Some(false), Some(s)),
            // A portal without the check (or an answer of another shape): a member of that
            // name is what can still be found out.
            Ok(None)
            | Err(portal_client::Error::Portal { .. } | portal_client::Error::Decode { .. }) => {
                (Some(users.get(&username).await?.is_none()), None)
            }
            Err(e) => return Err(e.into()),
        };
        Ok(UsernameCheck {
            username,
            problem: None,
            available,
            suggestion,
        })
    }

    /// Creates a member: with a password the member exists at once (ArcGIS Online through
    /// `invite`, Enterprise through `createUser`) and joins the table; without, an email
    /// invitation is sent. Every rule is checked first, so a bad form sends nothing.
    pub async fn create_member(&self, form: NewMemberForm) -> Result<Created> {
        let (client, names) = self.names().await?;
        let problems = create::problems(&form, &names);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems.join(" ")));
        }
        let username = form.username.trim().to_string();
        let check = self.check_username(&username).await?;
        if check.available == Some(false) {
            return Err(Error::InvalidInput(match check.suggestion {
                Some(s) => format!("The username {username} is taken; {s} is free."),
                None => format!("The username {username} is taken."),
            }));
        }
        if !form.groups.is_empty() {
            let known = self.groups(false).await?;
            if let Some(g) = form
                .groups
                .iter()
                .find(|g| !known.iter().any(|k| &k.id == *g))
            {
                return Err(Error::InvalidInput(format!(
                    "The organization has no group '{g}'. Reload and choose again."
                )));
            }
        }
        let with_password = form.password.is_some();
        let member = portal_client::NewMember {
            username: username.clone(),
            password: form.password,
            first_name: form.first_name.trim().to_string(),
            last_name: form.last_name.trim().to_string(),
            email: form.email.trim().to_string(),
            role: form.role_id,
            user_type: form.user_type,
            groups: form.groups,
            credits: form.credits,
            description: None,
        };
        let users = client.users();
        users.create(&member).await?;
        if !with_password {
            return Ok(Created {
                member: None,
                invited: true,
            });
        }
        let fresh = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!(
                "{username} was created, but the portal does not show it yet. Refresh the members."
            ))
        })?;
        let member = names.member(fresh);
        self.remember(&client, vec![member.clone()]).await?;
        Ok(Created {
            member: Some(member),
            invited: false,
        })
    }

    /// The signed-in client.
    async fn client(&self) -> Result<Client> {
        let active = self.active.read().await;
        Ok(active.as_ref().ok_or(Error::NoSession)?.client.clone())
    }

    /// Asks the running bulk job to stop; members not yet sent are skipped. Answers whether a
    /// job was running.
    pub fn cancel_bulk(&self) -> bool {
        match self.bulk_cancel.lock().expect("bulk lock").as_ref() {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Every member in the cache (what the table shows).
    pub async fn members(&self) -> Result<Arc<Vec<Member>>> {
        let active = self.active.read().await;
        Ok(active.as_ref().ok_or(Error::NoSession)?.members.clone())
    }

    /// Ends the session: a browser session's refresh token is revoked on the portal and
    /// removed from the keychain, and the next start shows the sign-in screen. The cache and
    /// the profile stay for next time; the demo portal keeps running.
    pub async fn sign_out(&self) -> Result<()> {
        let active = self.active.write().await.take();
        let Some(a) = active else {
            return Ok(());
        };
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

async fn read_names(client: &Client) -> Result<Arc<Names>> {
    let (roles, user_types) = tokio::try_join!(client.roles(), client.user_types())?;
    Ok(Arc::new(Names::new(&roles, &user_types)))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The organization's groups, by title.
async fn read_groups(client: &Client) -> Result<Vec<GroupSummary>> {
    let mut groups: Vec<GroupSummary> = client
        .groups()
        .all()
        .await?
        .into_iter()
        .map(GroupSummary::from)
        .collect();
    groups.sort_by_key(|g| g.title.to_lowercase());
    Ok(groups)
}

/// Groups whose members are read at once while loading (one request each), beside the 24
/// pages of the member listing. Measured with bench/console.sh (10,001 members in 200 groups
/// at 100 ms latency): 16 -> 1.85 s, 32 -> 1.21 s, 64 -> 0.90 s; 32 keeps the load well under
/// two seconds without doubling the requests a portal sees at once (429s are honoured).
const GROUPS_AT_ONCE: usize = 32;

/// The organization's groups (by title) and who belongs to each: username -> group ids, in
/// the groups' title order. One listing per group; `progress` hears (read, total)
/// as groups are done.
async fn memberships(
    client: &Client,
    mut progress: impl FnMut(u32, u32),
) -> Result<(
    Arc<Vec<GroupSummary>>,
    std::collections::HashMap<String, Vec<String>>,
)> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    let groups = read_groups(client).await?;
    // Owned ids and a client per request: the future stays `Send` for the app's commands.
    let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let total = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    progress(0, total);
    let mut listings = stream::iter(ids)
        .map(|id| {
            let client = client.clone();
            async move { client.groups().member_names(&id).await }
        })
        .buffered(GROUPS_AT_ONCE);
    let mut lists: Vec<Vec<String>> = Vec::with_capacity(groups.len());
    while let Some(list) = listings.try_next().await? {
        lists.push(list);
        progress(u32::try_from(lists.len()).unwrap_or(u32::MAX), total);
    }
    let mut by_member: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for (g, members) in groups.iter().zip(lists) {
        for name in members {
            let ids = by_member.entry(name).or_default();
            if !ids.contains(&g.id) {
                ids.push(g.id.clone());
            }
        }
    }
    Ok((Arc::new(groups), by_member))
}
