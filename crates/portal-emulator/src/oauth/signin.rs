//! The sign-in form's POST and where it lands: a `302` to the app's redirect (the code in the
//! query, or the token in the fragment for the implicit flow), or the out-of-band approval
//! page whose title carries the code.
//!
//! What is deliberately not here: showing the form (`authorize`) and exchanging the code
//! for tokens (`token`).

use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::page::{error_page, signin_page};
use super::{enc, CODE_TTL_MS, OOB, PENDING_TTL_MS, REFRESH_MAX_MINUTES};
use crate::auth::{self, TokenKind};
use crate::error::Result;
use crate::routing::{ApiRequest, Reply};
use crate::util::{html_escape, now_ms, secret, secret_hash};
use crate::State;

struct Pending {
    client_id: String,
    redirect_uri: String,
    response_type: String,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    expiration_minutes: i64,
}

/// The sign-in form POST: on success a `302` to the redirect (fragment for `token`, query for
/// `code`, the approval page for out-of-band); on failure the page again with a message.
pub(crate) async fn signin(state: State, req: ApiRequest) -> Result<Reply> {
    use axum::http::StatusCode;
    let oauth_state = req.params.str("oauth_state").unwrap_or("").to_string();
    let username = req.params.str("username").unwrap_or("").to_string();
    let password = req.params.raw("password").unwrap_or("").to_string();
    let action = req.portal_url("/sharing/oauth2/signin");
    let approval = req.portal_url("/sharing/oauth2/approval");
    let token_ttl = state.config.token_ttl;
    state
        .blocking(move |s| {
            let hash = secret_hash(&oauth_state);
            let conn = s.db.get()?;
            let pending = conn
                .query_row(
                    "SELECT client_id, redirect_uri, response_type, state, code_challenge,
                       code_challenge_method, expiration_minutes FROM oauth_pending
                     WHERE oauth_state = ?1 AND created >= ?2",
                    params![hash, now_ms() - PENDING_TTL_MS],
                    |r| {
                        Ok(Pending {
                            client_id: r.get(0)?,
                            redirect_uri: r.get(1)?,
                            response_type: r.get(2)?,
                            state: r.get(3)?,
                            code_challenge: r.get(4)?,
                            code_challenge_method: r.get(5)?,
                            expiration_minutes: r.get(6)?,
                        })
                    },
                )
                .optional()?;
            drop(conn);
            let Some(pending) = pending else {
                return Ok(error_page(StatusCode::BAD_REQUEST, "The sign-in page has expired. Start signing in again."));
            };
            let user = match auth::check_password(s, &username, &password)? {
                Ok(user) => user,
                Err(refusal) => {
                    let info = json!({
                        "oauth_state": oauth_state,
                        "client_id": pending.client_id,
                        "redirect_uri": pending.redirect_uri,
                        "response_type": pending.response_type,
                        "messages": [refusal.message()],
                    });
                    return Ok(Reply::Html(StatusCode::OK, signin_page(&action, &info, Some(refusal.message()))));
                }
            };
            s.db.get()?.execute("DELETE FROM oauth_pending WHERE oauth_state = ?1", params![hash])?;
            let state_part = pending.state.as_deref().map(|st| format!("&state={}", enc(st))).unwrap_or_default();
            if pending.response_type == "token" {
                let minutes = if pending.expiration_minutes <= 0 { REFRESH_MAX_MINUTES } else { pending.expiration_minutes.min(REFRESH_MAX_MINUTES) };
                let lifetime = token_ttl.map(|t| t as i64).unwrap_or(minutes * 60);
                let token = auth::issue(s, TokenKind::Access, Some(&user), Some(&pending.client_id), lifetime, None)?;
                // The stored redirect passed `redirect::check`: canonical, with no fragment.
                return Ok(Reply::Redirect(format!(
                    "{}#access_token={}&expires_in={lifetime}&username={}&ssl={}&persist=true{state_part}",
                    pending.redirect_uri,
                    enc(&token),
                    enc(&user),
                    s.config.tls
                )));
            }
            let code = secret();
            s.db.get()?.execute(
                "INSERT INTO auth_codes (code_hash, client_id, redirect_uri, username, code_challenge,
                   code_challenge_method, expiration_minutes, expires)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    secret_hash(&code),
                    pending.client_id,
                    pending.redirect_uri,
                    user,
                    pending.code_challenge,
                    pending.code_challenge_method,
                    pending.expiration_minutes,
                    now_ms() + CODE_TTL_MS
                ],
            )?;
            if pending.redirect_uri == OOB {
                return Ok(Reply::Redirect(format!("{approval}?code={}{state_part}", enc(&code))));
            }
            // Parsed again to know whether it has a query; its text is canonical (it passed
            // `redirect::check`), so the code is added to it as to a URL, not to a string.
            let mut url = url::Url::parse(&pending.redirect_uri)
                .map_err(|_| crate::error::PortalError::internal("stored redirect"))?;
            let added = format!("code={}{state_part}", enc(&code));
            let query = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{added}"),
                _ => added,
            };
            url.set_query(Some(&query));
            Ok(Reply::Redirect(url.into()))
        })
        .await
}

/// The out-of-band result page: its title carries the code (the Python client reads it).
pub(crate) async fn approval(_state: State, req: ApiRequest) -> Result<Reply> {
    let code = req.params.str("code").unwrap_or("");
    Ok(Reply::Html(
        axum::http::StatusCode::OK,
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SUCCESS code={}</title></head>\n<body><p>Copy this code into your application:</p><p><code>{}</code></p></body></html>\n",
            html_escape(code),
            html_escape(code)
        ),
    ))
}
