//! Who is calling: tokens from `X-Esri-Authorization`, `Authorization: Bearer` or the `token`
//! parameter (docs/PORTAL-API.md, Transport > tokens), and the issuing, revoking and checking
//! of access and refresh tokens and passwords.
//!
//! Tokens are stored as SHA-256 hashes (a copy of the database grants nothing) and cached in
//! memory, so checking a token costs no database round trip on the hot path.
//!
//! What is deliberately not here: the endpoints that hand tokens out (`tokens` for
//! `generateToken`, `oauth` for OAuth2) and the password policy (`passwords`).

use std::collections::HashMap;

use axum::http::HeaderMap;
use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use serde_json::Value;

use crate::error::{PortalError, Result};
use crate::params::Params;
use crate::util::{now_ms, secret, secret_hash};
use crate::State;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A user's access token (OAuth or generateToken).
    Access,
    /// A user's refresh token.
    Refresh,
    /// An app's token (client_credentials): no user.
    App,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
            TokenKind::App => "app",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "access" => Some(TokenKind::Access),
            "refresh" => Some(TokenKind::Refresh),
            "app" => Some(TokenKind::App),
            _ => None,
        }
    }
}

/// A stored token.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub kind: TokenKind,
    pub username: Option<String>,
    pub client_id: Option<String>,
    /// Expiry in epoch ms.
    pub expires: i64,
    /// For access tokens minted from a refresh token: that refresh token's hash.
    pub parent_hash: Option<String>,
}

/// The in-memory side of the token store.
#[derive(Default)]
pub struct TokenCache {
    map: std::sync::RwLock<HashMap<String, TokenInfo>>,
}

impl TokenCache {
    fn get(&self, hash: &str) -> Option<TokenInfo> {
        self.map.read().ok()?.get(hash).cloned()
    }
    fn put(&self, hash: String, info: TokenInfo) {
        if let Ok(mut m) = self.map.write() {
            m.insert(hash, info);
        }
    }
    fn remove_where(&self, pred: impl Fn(&str, &TokenInfo) -> bool) {
        if let Ok(mut m) = self.map.write() {
            m.retain(|k, v| !pred(k, v));
        }
    }
}

/// The caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The signed-in username; empty for app tokens.
    pub username: String,
    /// `org_user` / `org_publisher` / `org_admin`.
    pub role: String,
    /// Custom role id, if any.
    pub role_id: Option<String>,
    /// Every privilege the caller holds (shared with the member snapshot).
    pub privileges: std::sync::Arc<Vec<String>>,
    /// The OAuth client the token was issued to.
    pub client_id: Option<String>,
    /// A client_credentials token: no user.
    pub app_only: bool,
    /// The hash of the token this request was made with (what a password change keeps).
    pub token_hash: String,
}

impl Caller {
    /// Whether the caller holds a privilege.
    pub fn has(&self, privilege: &str) -> bool {
        self.privileges.iter().any(|p| p == privilege)
    }

    /// Any `:admin:` privilege makes an administrator (as the Python client decides).
    pub fn is_admin(&self) -> bool {
        self.privileges.iter().any(|p| p.contains(":admin:"))
    }

    /// Error 403 unless the caller holds `privilege`.
    pub fn require(&self, privilege: &str) -> Result<()> {
        if self.has(privilege) {
            Ok(())
        } else {
            Err(PortalError::forbidden())
        }
    }

    /// Whether the caller is this user (case-insensitive, as usernames are).
    pub fn is(&self, username: &str) -> bool {
        !self.app_only && self.username.eq_ignore_ascii_case(username)
    }
}

/// The tokens a request presents, in the order they are trusted: the Esri header, the
/// standard header, then the `token` parameter (docs/PORTAL-API.md, Transport > tokens).
pub fn presented_tokens(headers: &HeaderMap, params: &Params) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["x-esri-authorization", "authorization"] {
        if let Some(v) = headers.get(name).and_then(|v| v.to_str().ok()) {
            let v = v.trim();
            let token = v
                .strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or(v);
            if !token.trim().is_empty() {
                out.push(token.trim().to_string());
            }
        }
    }
    if let Some(t) = params.str("token") {
        out.push(t.to_string());
    }
    out
}

/// Resolves the caller. No token: anonymous (`Ok(None)`). Tokens presented but none valid:
/// error 498, even on public resources (docs/PORTAL-API.md, Transport > tokens).
pub fn resolve_caller(state: &State, tokens: &[String]) -> Result<Option<Caller>> {
    if tokens.is_empty() {
        return Ok(None);
    }
    for token in tokens {
        if let Some(caller) = caller_for_token(state, token)? {
            return Ok(Some(caller));
        }
    }
    Err(PortalError::invalid_token())
}

/// Looks a token up: the cache first, the database after (tokens survive restarts).
pub fn lookup_token(state: &State, token: &str) -> Result<Option<TokenInfo>> {
    let hash = secret_hash(token);
    if let Some(info) = state.tokens.get(&hash) {
        return Ok(Some(info));
    }
    let conn = state.db.get()?;
    let row = conn
        .query_row(
            "SELECT kind, username, client_id, expires, parent_hash FROM tokens WHERE token_hash = ?1",
            params![hash],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((kind, username, client_id, expires, parent_hash)) = row else {
        return Ok(None);
    };
    let Some(kind) = TokenKind::parse(&kind) else {
        return Ok(None);
    };
    let info = TokenInfo {
        kind,
        username,
        client_id,
        expires,
        parent_hash,
    };
    state.tokens.put(hash, info.clone());
    Ok(Some(info))
}

fn caller_for_token(state: &State, token: &str) -> Result<Option<Caller>> {
    let Some(info) = lookup_token(state, token)? else {
        return Ok(None);
    };
    // Refresh tokens are not bearer tokens for the API. A short grace period after expiry
    // matches what the Python client expects of generateToken tokens (docs/PORTAL-API.md,
    // Sign-in > login sequences).
    let grace_ms = 0;
    if info.kind == TokenKind::Refresh || info.expires + grace_ms < now_ms() {
        return Ok(None);
    }
    if info.kind == TokenKind::App {
        return Ok(Some(Caller {
            username: String::new(),
            role: "org_user".into(),
            role_id: None,
            privileges: std::sync::Arc::new(Vec::new()),
            client_id: info.client_id,
            app_only: true,
            token_hash: secret_hash(token),
        }));
    }
    let Some(username) = info.username else {
        return Ok(None);
    };
    let members = state.members.get(&state.db)?;
    let Some(entry) = members.find(&username) else {
        return Ok(None);
    };
    let user = &entry.user;
    if user.disabled {
        return Ok(None);
    }
    Ok(Some(Caller {
        username: user.username.clone(),
        role: user.role.clone(),
        role_id: user.role_id.clone(),
        privileges: members.privileges_of(user),
        client_id: info.client_id,
        app_only: false,
        token_hash: secret_hash(token),
    }))
}

/// Issues a token; returns the secret (only ever handed to the client, never stored).
pub fn issue(
    state: &State,
    kind: TokenKind,
    username: Option<&str>,
    client_id: Option<&str>,
    lifetime_secs: i64,
    parent_hash: Option<&str>,
) -> Result<String> {
    let token = secret();
    let hash = secret_hash(&token);
    let expires = now_ms() + lifetime_secs * 1000;
    let conn = state.db.get()?;
    conn.execute(
        "INSERT INTO tokens (token_hash, kind, username, client_id, expires, parent_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            hash,
            kind.as_str(),
            username,
            client_id,
            expires,
            parent_hash
        ],
    )?;
    state.tokens.put(
        hash,
        TokenInfo {
            kind,
            username: username.map(String::from),
            client_id: client_id.map(String::from),
            expires,
            parent_hash: parent_hash.map(String::from),
        },
    );
    Ok(token)
}

/// Revokes a token; revoking a refresh token also revokes the access tokens minted from it.
pub fn revoke(state: &State, token: &str) -> Result<()> {
    let hash = secret_hash(token);
    let conn = state.db.get()?;
    conn.execute(
        "DELETE FROM tokens WHERE token_hash = ?1 OR parent_hash = ?1",
        params![hash],
    )?;
    state
        .tokens
        .remove_where(|k, v| k == hash || v.parent_hash.as_deref() == Some(&hash));
    Ok(())
}

/// Ends every token of a user (on disable, delete, password change).
pub fn revoke_user(state: &State, username: &str) -> Result<()> {
    let conn = state.db.get()?;
    conn.execute(
        "DELETE FROM tokens WHERE username = ?1 COLLATE NOCASE",
        params![username],
    )?;
    state.tokens.remove_where(|_, v| {
        v.username
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(username))
    });
    Ok(())
}

/// Ends every access and refresh token of a member except `keep` (the hash of the token a
/// request was made with) and the refresh token `keep` was minted from: what a password change
/// does (docs/SECURITY.md, "OAuth redirects and rendered pages"). When `keep` is another
/// member's token (an administrator setting the password), every token of the member ends.
pub fn revoke_user_except(state: &State, username: &str, keep: &str) -> Result<()> {
    let conn = state.db.get()?;
    let parent: Option<String> = conn
        .query_row(
            "SELECT parent_hash FROM tokens WHERE token_hash = ?1 AND username = ?2 COLLATE NOCASE",
            params![keep, username],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let kept = [keep.to_string(), parent.unwrap_or_default()];
    conn.execute(
        "DELETE FROM tokens WHERE username = ?1 COLLATE NOCASE AND token_hash NOT IN (?2, ?3)",
        params![username, kept[0], kept[1]],
    )?;
    state.tokens.remove_where(|hash, v| {
        !kept.iter().any(|k| k.as_str() == hash)
            && v.username
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(username))
    });
    Ok(())
}

/// The access-token lifetime in seconds for a requested `expiration` (minutes): `--token-ttl`
/// wins when set; otherwise the request, capped at two weeks, defaulting to `default_minutes`.
pub fn access_lifetime(state: &State, params: &Params, default_minutes: i64) -> Result<i64> {
    if let Some(ttl) = state.config.token_ttl {
        return Ok(ttl as i64);
    }
    let minutes = params.int("expiration", default_minutes, -1, i64::MAX)?;
    let minutes = if minutes <= 0 {
        default_minutes
    } else {
        minutes.min(20160)
    };
    Ok(minutes * 60)
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong username or password (or a disabled account): one more failure counted.
    Invalid,
    /// Too many failures in a row: refused whatever the password (`lockout`).
    Locked,
}

impl Refusal {
    /// The message a person is shown.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Invalid => "Invalid username or password.",
            Refusal::Locked => crate::lockout::LOCKED_MESSAGE,
        }
    }
}

/// Verifies a username and password: the one place the portal does (sign-in pages,
/// `generateToken`, a member changing their password). Returns the stored username (its real
/// case), or why not. A locked name is refused before any hashing; failures and successes
/// move its count (`lockout`).
pub fn check_password(
    state: &State,
    username: &str,
    password: &str,
) -> Result<std::result::Result<String, Refusal>> {
    let conn = state.db.get()?;
    let row: Option<(String, Option<String>, bool)> = conn
        .query_row(
            "SELECT username, password_hash, disabled FROM users WHERE username = ?1",
            params![username],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    drop(conn);
    let policy = &state.config.lockout;
    let exists = row.is_some();
    if state.lockouts.is_locked(username, exists, policy) {
        return Ok(Err(Refusal::Locked));
    }
    let matched = match &row {
        Some((_, Some(hash), disabled)) => crate::passwords::verify(password, hash)? && !disabled,
        _ => {
            // Spend the same time as a real check, so timing does not tell who exists.
            let _ = crate::passwords::verify(password, &state.dummy_hash)?;
            false
        }
    };
    let Some((real, _, _)) = row.filter(|_| matched) else {
        return Ok(Err(if state.lockouts.failed(username, exists, policy) {
            Refusal::Locked
        } else {
            Refusal::Invalid
        }));
    };
    state.lockouts.succeeded(&real);
    let conn = state.db.get()?;
    conn.execute(
        "UPDATE users SET last_login = ?1 WHERE username = ?2",
        params![now_ms(), real],
    )?;
    Ok(Ok(real))
}

/// Helper for JSON answers carrying a token's expiry.
pub fn expires_value(lifetime_secs: i64) -> Value {
    Value::from(now_ms() + lifetime_secs * 1000)
}
