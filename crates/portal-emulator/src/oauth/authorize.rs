//! `oauth2/authorize`: checks the client and its redirect, remembers the request under a fresh
//! `oauth_state`, and shows the sign-in page.
//!
//! What is deliberately not here: checking the password (the form's POST, in `signin`) and
//! the page's HTML (`page`).

use r2d2_sqlite::rusqlite::params;
use serde_json::json;

use super::clients::{find_client, redirect_for};
use super::page::{error_page, signin_page};
use super::PENDING_TTL_MS;
use crate::error::Result;
use crate::routing::{ApiRequest, Reply};
use crate::util::{now_ms, secret, secret_hash};
use crate::State;

/// `oauth2/authorize`: checks the client and redirect, remembers the request under a fresh
/// `oauth_state`, and shows the sign-in page.
pub(crate) async fn authorize(state: State, req: ApiRequest) -> Result<Reply> {
    use axum::http::StatusCode;
    let p = &req.params;
    let client_id = p.str("client_id").unwrap_or("").to_string();
    let Some(client) = state
        .blocking({
            let id = client_id.clone();
            move |s| find_client(s, &id)
        })
        .await?
    else {
        return Ok(error_page(
            StatusCode::BAD_REQUEST,
            "Error: Invalid client_id",
        ));
    };
    // Exactly as sent (not trimmed): the rules in `redirect` refuse what is not canonical.
    let Some(redirect) = redirect_for(&client, p.raw("redirect_uri").unwrap_or(""), &req.portal())
    else {
        return Ok(error_page(StatusCode::BAD_REQUEST, "Invalid redirect_uri"));
    };
    let redirect_uri = redirect.text;
    let response_type = p
        .str("response_type")
        .unwrap_or("code")
        .to_ascii_lowercase();
    if response_type != "code" && response_type != "token" {
        return Ok(error_page(
            StatusCode::BAD_REQUEST,
            "Invalid response_type: use code or token",
        ));
    }
    let challenge = p.str("code_challenge").map(String::from);
    let method = p.str("code_challenge_method").map(|m| m.to_string());
    if let Some(m) = &method {
        if m != "S256" && m != "plain" {
            return Ok(error_page(
                StatusCode::BAD_REQUEST,
                "Invalid code_challenge_method: use S256 or plain",
            ));
        }
    }
    let expiration = p.int("expiration", 120, -1, i64::MAX)?;
    let client_state = p.raw("state").map(String::from);
    let oauth_state = secret();
    let locale = p.str("locale").unwrap_or("en").to_string();
    let info = json!({
        "oauth_state": oauth_state,
        "client_id": client_id,
        "appTitle": client_id,
        "redirect_uri": redirect_uri,
        "response_type": response_type,
        "locale": locale,
        "isOrgSignIn": true,
        "orgName": state.org_name,
    });
    let action = req.portal_url("/sharing/oauth2/signin");
    state
        .with_db(move |_, conn| {
            conn.execute(
                "DELETE FROM oauth_pending WHERE created < ?1",
                params![now_ms() - PENDING_TTL_MS],
            )?;
            conn.execute(
                "INSERT INTO oauth_pending (oauth_state, client_id, redirect_uri, response_type, state,
                   code_challenge, code_challenge_method, expiration_minutes, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    secret_hash(&oauth_state),
                    client_id,
                    redirect_uri,
                    response_type,
                    client_state,
                    challenge,
                    method.or(challenge.as_ref().map(|_| "plain".to_string())),
                    expiration,
                    now_ms()
                ],
            )?;
            Ok(Reply::Html(StatusCode::OK, signin_page(&action, &info, None)))
        })
        .await
}
