//! `oauth2/token`: the authorization code (PKCE checked), refresh, exchange of a refresh token
//! near its end, and client credentials. Answers carry no `token_type` unless the portal is
//! configured to (docs/PORTAL-API.md, Sign-in > OAuth2 > token).
//!
//! What is deliberately not here: revoking tokens (`revoke`) and where tokens are stored and
//! checked (`auth`).

use axum::response::IntoResponse;
use base64::Engine;
use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::clients::{find_client, Client};
use super::{CODE_ACCESS_SECS, REFRESH_MAX_MINUTES};
use crate::auth::{self, TokenKind};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{now_ms, secret_hash};
use crate::State;

fn pkce_ok(challenge: &str, method: &str, verifier: &str) -> bool {
    if !(43..=128).contains(&verifier.len()) {
        return false;
    }
    let computed = match method {
        "S256" => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes())),
        _ => verifier.to_string(),
    };
    // Constant-time enough for a local portal: compare full strings of equal length.
    computed.len() == challenge.len()
        && computed
            .bytes()
            .zip(challenge.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0
}

fn invalid(description: &str) -> PortalError {
    PortalError::oauth(400, "invalid_request", description)
}

fn token_answer(state: &State, mut v: Value) -> Reply {
    if state.config.token_type_in_responses {
        v["token_type"] = json!("Bearer");
    }
    if state.config.token_as_text_plain {
        let body = v.to_string();
        return Reply::Raw(
            (
                [(axum::http::header::CONTENT_TYPE, "text/plain;charset=UTF-8")],
                body,
            )
                .into_response(),
        );
    }
    Reply::Json(v)
}

/// `oauth2/token`: `authorization_code` (PKCE checked), `refresh_token`,
/// `exchange_refresh_token`, `client_credentials`. No `token_type` (docs/PORTAL-API.md,
/// Sign-in > OAuth2 > token).
pub(crate) async fn token(state: State, req: ApiRequest) -> Result<Reply> {
    let p = req.params.clone();
    let grant = p.str("grant_type").unwrap_or("").to_string();
    let client_id = p
        .str("client_id")
        .ok_or_else(|| invalid("client_id is required"))?;
    let client_id = client_id.to_string();
    state
        .blocking(move |s| {
            let client = find_client(s, &client_id)?.ok_or_else(|| invalid("Invalid client_id"))?;
            match grant.as_str() {
                "authorization_code" => grant_code(s, &p, &client_id),
                "refresh_token" => grant_refresh(s, &p, &client_id, false),
                "exchange_refresh_token" => grant_refresh(s, &p, &client_id, true),
                "client_credentials" => grant_client(s, &p, &client_id, &client),
                other => Err(PortalError::oauth(
                    400,
                    "unsupported_grant_type",
                    format!(
                        "Unsupported grant_type '{}'.",
                        crate::params::truncate(other)
                    ),
                )),
            }
        })
        .await
}

/// An authorization code as stored.
struct CodeRow {
    client_id: String,
    redirect_uri: String,
    username: String,
    challenge: Option<String>,
    method: Option<String>,
    minutes: i64,
    expires: i64,
}

fn access_secs(s: &State) -> i64 {
    s.config
        .token_ttl
        .map(|t| t as i64)
        .unwrap_or(CODE_ACCESS_SECS)
}

fn grant_code(s: &State, p: &crate::params::Params, client_id: &str) -> Result<Reply> {
    let code = p.str("code").ok_or_else(|| invalid("code is required"))?;
    let hash = secret_hash(code);
    let conn = s.db.get()?;
    let row = conn
        .query_row(
            "SELECT client_id, redirect_uri, username, code_challenge, code_challenge_method,
               expiration_minutes, expires FROM auth_codes WHERE code_hash = ?1",
            params![hash],
            |r| {
                Ok(CodeRow {
                    client_id: r.get(0)?,
                    redirect_uri: r.get(1)?,
                    username: r.get(2)?,
                    challenge: r.get(3)?,
                    method: r.get(4)?,
                    minutes: r.get(5)?,
                    expires: r.get(6)?,
                })
            },
        )
        .optional()?;
    // Single use: gone whether or not what follows succeeds.
    conn.execute("DELETE FROM auth_codes WHERE code_hash = ?1", params![hash])?;
    drop(conn);
    let Some(row) = row else {
        return Err(invalid("Invalid authorization code"));
    };
    if row.expires < now_ms() {
        return Err(invalid("Authorization code has expired"));
    }
    if row.client_id != client_id {
        return Err(invalid("Invalid client_id"));
    }
    // RFC 6749 §4.1.3: the very redirect_uri of the authorization request, byte for byte,
    // and required (every authorization request here names one).
    if p.raw("redirect_uri") != Some(row.redirect_uri.as_str()) {
        return Err(invalid("Invalid redirect_uri"));
    }
    if let Some(challenge) = &row.challenge {
        let verifier = p
            .str("code_verifier")
            .ok_or_else(|| invalid("code_verifier is required"))?;
        if !pkce_ok(
            challenge,
            row.method.as_deref().unwrap_or("plain"),
            verifier,
        ) {
            return Err(invalid("Invalid code_verifier"));
        }
    }
    let minutes = if row.minutes <= 0 {
        REFRESH_MAX_MINUTES
    } else {
        row.minutes.min(REFRESH_MAX_MINUTES)
    };
    issue_with_refresh(s, &row.username, client_id, minutes * 60)
}

fn grant_refresh(
    s: &State,
    p: &crate::params::Params,
    client_id: &str,
    exchange: bool,
) -> Result<Reply> {
    let refresh = p
        .str("refresh_token")
        .ok_or_else(|| invalid("refresh_token is required"))?;
    let info = auth::lookup_token(s, refresh)?
        .filter(|i| i.kind == TokenKind::Refresh && i.client_id.as_deref() == Some(client_id));
    let Some(info) = info else {
        return Err(PortalError::oauth(
            498,
            "invalid_request",
            "Invalid refresh_token",
        ));
    };
    if info.expires < now_ms() {
        return Err(PortalError::oauth(
            498,
            "invalid_request",
            "refresh_token expired",
        ));
    }
    let username = info.username.clone().unwrap_or_default();
    if !exchange {
        let answer = access_answer(s, &username, client_id, refresh)?;
        return Ok(token_answer(s, answer));
    }
    // Exchange: a new refresh token replaces the old one.
    auth::revoke(s, refresh)?;
    issue_with_refresh(s, &username, client_id, REFRESH_MAX_MINUTES * 60)
}

/// A fresh refresh token and an access token minted from it, as `oauth2/token` answers them.
fn issue_with_refresh(
    s: &State,
    username: &str,
    client_id: &str,
    refresh_secs: i64,
) -> Result<Reply> {
    let refresh = auth::issue(
        s,
        TokenKind::Refresh,
        Some(username),
        Some(client_id),
        refresh_secs,
        None,
    )?;
    let mut answer = access_answer(s, username, client_id, &refresh)?;
    answer["refresh_token"] = json!(refresh);
    answer["refresh_token_expires_in"] = json!(refresh_secs);
    Ok(token_answer(s, answer))
}

/// An access token minted from `refresh` (revoking that refresh token ends it too), as
/// `oauth2/token` answers it: `access_token`, `expires_in`, `username`, `ssl`.
fn access_answer(s: &State, username: &str, client_id: &str, refresh: &str) -> Result<Value> {
    let secs = access_secs(s);
    let access = auth::issue(
        s,
        TokenKind::Access,
        Some(username),
        Some(client_id),
        secs,
        Some(&secret_hash(refresh)),
    )?;
    Ok(
        json!({ "access_token": access, "expires_in": secs, "username": username, "ssl": s.config.tls }),
    )
}

fn grant_client(
    s: &State,
    p: &crate::params::Params,
    client_id: &str,
    client: &Client,
) -> Result<Reply> {
    let secret = p
        .str("client_secret")
        .ok_or_else(|| invalid("client_secret is required"))?;
    let Some(stored) = &client.secret_hash else {
        return Err(PortalError::oauth(
            400,
            "invalid_client",
            "Invalid client_id",
        ));
    };
    if &secret_hash(secret) != stored {
        return Err(PortalError::oauth(
            400,
            "invalid_client",
            "Invalid client_secret",
        ));
    }
    let lifetime = auth::access_lifetime(s, p, 120)?;
    let token = auth::issue(s, TokenKind::App, None, Some(client_id), lifetime, None)?;
    Ok(token_answer(
        s,
        json!({ "access_token": token, "expires_in": lifetime }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_ok(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256",
            verifier
        ));
        assert!(!pkce_ok(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256",
            &verifier.replace('d', "e")
        ));
    }
}
