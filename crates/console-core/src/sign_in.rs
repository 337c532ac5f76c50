//! Signing in and out of portals: the demo portal, built-in accounts (username and password),
//! OAuth2 in the system browser (the refresh token kept in the keychain), restoring the last
//! session at start, and the saved portal profiles of the sign-in screen.
//!
//! What is deliberately not here: the session's state once signed in (`session`), the OAuth
//! protocol itself (`portal-client`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use portal_client::Client;
use secrecy::SecretString;
use serde::Serialize;

use crate::demo::{DemoPortal, DEMO_ADMIN};
use crate::error::{Error, Result};
use crate::members::cache::MemberCache;
use crate::profiles::{profile_id, Profile, Profiles, SignInMethod};
use crate::session::{Console, PortalKind, SessionInfo};

/// The saved portal profiles, for the sign-in screen.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedProfiles {
    /// Most recently used first.
    pub profiles: Vec<Profile>,
    /// Why the last session could not be restored at this start, if it could not.
    pub restore_problem: Option<String>,
}

/// Minutes a password session's token lives before the client renews it.
const TOKEN_MINUTES: u32 = 120;

impl Console {
    /// Starts the demo portal (once per run) and signs in as its administrator.
    pub async fn sign_in_demo(&self) -> Result<SessionInfo> {
        let (url, password) = {
            let mut demo = self.demo.lock().await;
            if demo.is_none() {
                log::info!("sign-in: starting the demo portal");
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
        self.sign_in_password_trusting(kind, portal_url, username, password, None)
            .await
    }

    /// Signs in with a username and password, trusting also the certificate authority in
    /// `ca_pem` (a portal with its own certificate, as the command line's `--ca-cert`).
    pub async fn sign_in_password_trusting(
        &self,
        kind: PortalKind,
        portal_url: &str,
        username: &str,
        password: SecretString,
        ca_pem: Option<Vec<u8>>,
    ) -> Result<SessionInfo> {
        let username = username.trim();
        if username.is_empty() {
            return Err(Error::InvalidInput("Enter a username.".into()));
        }
        log::info!(
            "sign-in: {username} with a password on {}",
            crate::logged_origin(portal_url)
        );
        let mut builder = Client::builder(portal_url.trim());
        if let Some(pem) = ca_pem {
            builder = builder.extra_ca_pem(pem);
        }
        let client = builder.build()?;
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
        log::info!(
            "sign-in: through the browser on {} (client id {client_id})",
            crate::logged_origin(portal_url)
        );
        let cancel = Arc::new(tokio::sync::Notify::new());
        *self.sign_in_cancel.lock().expect("sign-in lock") = Some(cancel.clone());
        let signed_in = tokio::select! {
            r = client.sign_in_with_oauth(&options, open) => r,
            () = cancel.notified() => {
                log::info!("sign-in: cancelled while waiting for the browser");
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
        log::info!(
            "sign-in: restoring the last session ({} on {})",
            last.username,
            crate::logged_origin(&last.portal_url)
        );
        match self.restore(&last).await {
            Ok(info) => info,
            Err(e) => {
                log::warn!("sign-in: the last session could not be restored: {e}");
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

    /// Removes a saved profile, its member cache (the organization's members, copied to this
    /// computer) and its refresh token from the keychain. The session in use cannot be
    /// forgotten: sign out first.
    pub async fn forget_profile(&self, id: &str) -> Result<()> {
        if self
            .active
            .read()
            .await
            .as_ref()
            .is_some_and(|a| a.profile_id == id)
        {
            return Err(Error::InvalidInput(
                "This portal is signed in: sign out before forgetting it.".into(),
            ));
        }
        let mut profiles = Profiles::load(&self.data_dir);
        let Some(profile) = profiles.forget(id) else {
            return Err(Error::NotFound(
                "This portal profile no longer exists.".into(),
            ));
        };
        profiles.save()?;
        // The secret first: a cache file that cannot be deleted must not leave a refresh
        // token behind that no screen can reach any more.
        let account = id.to_string();
        self.keychain(move |s| s.delete(&account)).await?;
        let files = [
            self.cache_path(profile.kind, &profile.portal_url, &profile.username),
            self.legacy_cache_path(profile.kind, &profile.portal_url, &profile.username),
        ];
        tokio::task::spawn_blocking(move || {
            files.iter().try_for_each(|f| MemberCache::delete_file(f))
        })
        .await
        .map_err(|e| Error::Demo(e.to_string()))?
    }
}
