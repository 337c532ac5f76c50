//! The session a [`Client`] holds, and how it gets a new token: password sign-in with
//! `generateToken` (the password kept in memory, as a `SecretString`, to sign in again), the
//! renewal deadline, and renewing once when many requests find the token ended at the same
//! time (a generation number, a lock).
//!
//! Not here: the OAuth2 grants (`crate::oauth` builds OAuth2 sessions and renews them when
//! asked), sending and retrying requests (the parent module).

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::{Client, Idempotency};
use crate::error::{Error, Result};

/// How a session gets a new access token when the old one ends.
pub(crate) enum Renewal {
    /// `generateToken` again with the password kept (in memory only) since sign-in.
    Password {
        password: SecretString,
        minutes: u32,
    },
    /// OAuth2: `refresh_token`, or `exchange_refresh_token` when the refresh token nears its
    /// end.
    OAuth(crate::oauth::RefreshState),
}

pub(crate) struct Session {
    pub(crate) username: String,
    pub(crate) token: SecretString,
    /// When to get a new access token: a little before the end the portal announced.
    pub(crate) renew_at: Option<Instant>,
    /// Bumped at every new token, so concurrent requests renew once, not once each.
    pub(crate) generation: u64,
    pub(crate) renewal: Renewal,
}

/// When to renew a token that lives `lifetime` from now: a minute early, or a fifth of its
/// life for short-lived tokens, so no request carries a dying token.
pub(crate) fn renew_deadline(lifetime: Duration) -> Instant {
    let ahead = Duration::from_secs(60).min(lifetime / 5);
    Instant::now() + lifetime.saturating_sub(ahead)
}

impl Client {
    /// Signs in a built-in account with `generateToken` (the token lasts `minutes`). The
    /// password stays in memory (a `SecretString`) to sign in again when the token ends.
    pub async fn sign_in_with_password(
        &self,
        username: &str,
        password: &SecretString,
        minutes: u32,
    ) -> Result<()> {
        let (token, renew_at) = self.generate_token(username, password, minutes).await?;
        self.set_session(Session {
            username: username.to_string(),
            token,
            renew_at,
            generation: 0,
            renewal: Renewal::Password {
                password: password.clone(),
                minutes,
            },
        })
        .map(drop)
    }

    async fn generate_token(
        &self,
        username: &str,
        password: &SecretString,
        minutes: u32,
    ) -> Result<(SecretString, Option<Instant>)> {
        #[derive(serde::Deserialize)]
        struct Answer {
            token: String,
            expires: Option<i64>,
        }
        let params = vec![
            ("username", username.to_string()),
            ("password", password.expose_secret().to_string()),
            ("client", "referer".to_string()),
            ("referer", crate::USER_AGENT.to_string()),
            ("expiration", minutes.to_string()),
        ];
        let answer: Answer = self.send_unauthenticated("generateToken", params).await?;
        // `expires` is epoch milliseconds; turn it into a monotonic deadline.
        let renew_at = answer.expires.map(|ms| {
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            renew_deadline(Duration::from_millis(
                ms.saturating_sub(now_ms).max(0) as u64
            ))
        });
        Ok((SecretString::from(answer.token), renew_at))
    }

    /// Installs a new session (a new generation of the token); answers its generation.
    pub(crate) fn set_session(&self, mut session: Session) -> Result<u64> {
        let mut slot = self
            .inner
            .session
            .write()
            .map_err(|_| Error::InvalidInput("session lock".into()))?;
        session.generation = slot.as_ref().map_or(1, |s| s.generation + 1);
        let generation = session.generation;
        *slot = Some(session);
        Ok(generation)
    }

    /// Reads the session; `missing` says why there is none (an auth error).
    fn read_session<R>(&self, missing: &str, f: impl FnOnce(&Session) -> R) -> Result<R> {
        let slot = self
            .inner
            .session
            .read()
            .map_err(|_| Error::InvalidInput("session lock".into()))?;
        let s = slot
            .as_ref()
            .ok_or_else(|| Error::AuthRequired(missing.into()))?;
        Ok(f(s))
    }

    /// Runs `f` on the current session, if any.
    pub(crate) fn with_session<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let mut slot = self.inner.session.write().ok()?;
        slot.as_mut().map(f)
    }

    /// Tells the listener about the session's refresh token.
    pub(crate) fn notify_refresh_token(&self) {
        let Some(listener) = &self.inner.on_refresh_token else {
            return;
        };
        let current = self.with_session(|s| match &s.renewal {
            Renewal::OAuth(r) => Some((s.username.clone(), r.refresh_token.clone())),
            Renewal::Password { .. } => None,
        });
        if let Some(Some((username, token))) = current {
            listener(&username, &token);
        }
    }

    /// Forgets the session locally without telling the portal (see `sign_out` for OAuth).
    pub fn sign_out_locally(&self) {
        if let Ok(mut slot) = self.inner.session.write() {
            *slot = None;
        }
    }

    /// The current refresh token of an OAuth2 session (to keep in the OS keychain).
    pub fn refresh_token(&self) -> Option<SecretString> {
        let slot = self.inner.session.read().ok()?;
        match &slot.as_ref()?.renewal {
            Renewal::OAuth(r) => Some(r.refresh_token.clone()),
            Renewal::Password { .. } => None,
        }
    }

    pub(crate) fn take_session(&self) -> Option<Session> {
        self.inner.session.write().ok()?.take()
    }

    /// The token to send and its generation; renews first when it is about to end.
    pub(super) async fn current_token(&self) -> Result<(SecretString, u64)> {
        let (token, generation, expires_at) = self.read_session("not signed in", |s| {
            (s.token.clone(), s.generation, s.renew_at)
        })?;
        if expires_at.is_some_and(|at| at <= Instant::now()) {
            return Box::pin(self.renew(generation)).await;
        }
        Ok((token, generation))
    }

    /// Gets a new access token unless another task already replaced generation `seen`.
    pub(crate) async fn renew(&self, seen: u64) -> Result<(SecretString, u64)> {
        let _one_at_a_time = self.inner.renewing.lock().await;
        let current = self.read_session("signed out", |s| {
            if s.generation != seen {
                return Err((s.token.clone(), s.generation));
            }
            let renewal = match &s.renewal {
                Renewal::Password { password, minutes } => Renewal::Password {
                    password: password.clone(),
                    minutes: *minutes,
                },
                Renewal::OAuth(r) => Renewal::OAuth(r.clone()),
            };
            Ok((s.username.clone(), renewal))
        })?;
        // Another task renewed while this one waited: use its token.
        let (username, renewal) = match current {
            Ok(state) => state,
            Err(renewed) => return Ok(renewed),
        };
        let session = match renewal {
            Renewal::Password { password, minutes } => {
                let (token, renew_at) = self.generate_token(&username, &password, minutes).await?;
                Session {
                    username,
                    token,
                    renew_at,
                    generation: 0,
                    renewal: Renewal::Password { password, minutes },
                }
            }
            Renewal::OAuth(state) => crate::oauth::renew(self, &username, state).await?,
        };
        let token = session.token.clone();
        let refresh_changed = self.refresh_token().map(|t| t.expose_secret().to_string())
            != crate::oauth::refresh_of(&session).map(|t| t.expose_secret().to_string());
        let generation = self.set_session(session)?;
        if refresh_changed {
            self.notify_refresh_token();
        }
        Ok((token, generation))
    }

    pub(crate) async fn send_unauthenticated<T: DeserializeOwned>(
        &self,
        path: &str,
        params: Vec<(&str, String)>,
    ) -> Result<T> {
        // Only generateToken: a failed token request is asked again (a 5xx during sign-in
        // or renewal would otherwise end the session).
        self.send(path, params, Idempotency::Repeatable, false)
            .await
    }
}
