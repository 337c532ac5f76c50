//! OAuth2 (contract §2.3–§2.6): the `authorize` sign-in page that Esri's Python client parses,
//! the sign-in form, the approval page, `oauth2/token` for every grant, `revokeToken` and
//! `signout`. Pre-registered public clients: `pythonapi`, `arcgisonline` (redirects to the
//! portal's own origin or out-of-band) and Memberdesk's own (loopback redirects, any port).

use axum::response::IntoResponse;
use base64::Engine;
use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::{self, TokenKind};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{html_escape, now_ms, secret, secret_hash};
use crate::{route, routing::Route, State};

/// Memberdesk's own client id, registered on every embedded portal.
pub const MEMBERDESK_CLIENT_ID: &str = "memberdesk";
/// The out-of-band redirect URI.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";
/// How long a sign-in page stays usable.
const PENDING_TTL_MS: i64 = 30 * 60 * 1000;
/// How long an authorization code stays usable.
const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// Access tokens of the code and refresh grants: 30 minutes.
const CODE_ACCESS_SECS: i64 = 1800;
/// Refresh tokens: two weeks unless `expiration` asks for less.
const REFRESH_MAX_MINUTES: i64 = 20160;

pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "oauth2/authorize", authorize, token_exempt),
        route!(Api, Post, "oauth2/signin", signin, token_exempt),
        route!(Sharing, Post, "oauth2/signin", signin, token_exempt),
        route!(Sharing, Read, "oauth2/approval", approval, token_exempt),
        route!(Api, Read, "oauth2/approval", approval, token_exempt),
        route!(Api, Post, "oauth2/token", token, token_exempt),
        route!(Api, Post, "oauth2/revokeToken", revoke, token_exempt),
        route!(Api, Read, "oauth2/signout", signout, token_exempt),
    ]
}

/// A registered OAuth client.
struct Client {
    secret_hash: Option<String>,
    redirect_uris: Vec<String>,
}

fn find_client(state: &State, client_id: &str) -> Result<Option<Client>> {
    let conn = state.db.get()?;
    let row: Option<(Option<String>, String)> = conn
        .query_row(
            "SELECT client_secret, redirect_uris FROM apps WHERE client_id = ?1",
            params![client_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(secret_hash, uris)| Client {
        secret_hash,
        redirect_uris: serde_json::from_str(&uris).unwrap_or_default(),
    }))
}

/// Registers the pre-registered clients (idempotent).
pub fn ensure_clients(conn: &r2d2_sqlite::rusqlite::Connection) -> Result<()> {
    for (id, name, uris) in [
        (
            "pythonapi",
            "ArcGIS API for Python",
            json!(["self", OOB, "https://www.arcgis.com"]),
        ),
        (
            "arcgisonline",
            "ArcGIS Online",
            json!(["self", OOB, "https://www.arcgis.com"]),
        ),
        (MEMBERDESK_CLIENT_ID, "Memberdesk", json!(["loopback", OOB])),
    ] {
        conn.execute(
            "INSERT OR IGNORE INTO apps (client_id, name, client_secret, redirect_uris) VALUES (?1, ?2, NULL, ?3)",
            params![id, name, uris.to_string()],
        )?;
    }
    Ok(())
}

/// Registers a confidential app (for `client_credentials`); returns nothing secret.
pub fn register_app(
    state: &State,
    client_id: &str,
    secret: &str,
    redirect_uris: &[&str],
) -> Result<()> {
    let conn = state.db.get()?;
    conn.execute(
        "INSERT OR REPLACE INTO apps (client_id, name, client_secret, redirect_uris) VALUES (?1, ?1, ?2, ?3)",
        params![client_id, secret_hash(secret), json!(redirect_uris).to_string()],
    )?;
    Ok(())
}

fn is_loopback_http(uri: &str) -> bool {
    let rest = uri.strip_prefix("http://").unwrap_or("");
    let host_port = rest.split('/').next().unwrap_or("");
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Whether `uri` is a registered redirect of the client. `self` stands for the portal's own
/// origin (any path below it), `loopback` for `http://127.0.0.1|localhost:<any port>/...`
/// (RFC 8252 §7.3).
fn redirect_allowed(client: &Client, uri: &str, origin: &str) -> bool {
    client
        .redirect_uris
        .iter()
        .any(|allowed| match allowed.as_str() {
            "self" => {
                let https_origin = origin.replacen("http://", "https://", 1);
                [origin, https_origin.as_str()]
                    .iter()
                    .any(|o| uri == *o || uri.starts_with(&format!("{o}/")))
            }
            "loopback" => is_loopback_http(uri),
            exact => uri == exact || uri.starts_with(&format!("{}/", exact.trim_end_matches('/'))),
        })
}

/// JSON text safe inside a `<script>` on one line: no `<`, `>`, `&`, and no braces inside
/// strings (the Python client's parsers look for the first `{...}` and for `};`).
fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => {
                    escaped = false;
                    out.push(c);
                }
                '\\' => {
                    escaped = true;
                    out.push(c);
                }
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                '{' => out.push_str("\\u007b"),
                '}' => out.push_str("\\u007d"),
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                c => out.push(c),
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// The sign-in page. The `oAuthInfo` line is the first line of the page with a brace.
fn signin_page(prefix: &str, info: &Value, message: Option<&str>) -> String {
    let oauth_state = info["oauth_state"].as_str().unwrap_or("");
    let message_html = message
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", html_escape(m)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Sign In</title>\n<script>\nvar oAuthInfo = {json};\n</script>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n<h1>Sign in</h1>\n<p class=\"org\">Embedded ArcGIS portal</p>\n{message_html}\n<form method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"oauth_state\" value=\"{state}\">\n<label for=\"user_username\">Username</label>\n<input id=\"user_username\" name=\"username\" autocomplete=\"username\" required autofocus>\n<label for=\"user_password\">Password</label>\n<input id=\"user_password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n<button id=\"signIn\" type=\"submit\">Sign In</button>\n</form>\n</main>\n</body>\n</html>\n",
        json = script_json(info),
        action = html_escape(&format!("{prefix}/sharing/oauth2/signin")),
        state = html_escape(oauth_state),
    )
}

const CSS: &str = "body { font-family: 'Avenir Next', 'Segoe UI', sans-serif; background: #f8f8f8; color: #151515; display: grid; place-items: center; min-height: 100vh; margin: 0; }\nmain { background: #fff; padding: 2rem; width: 20rem; box-shadow: 0 2px 8px rgba(0,0,0,.15); border-top: 4px solid #007ac2; }\nlabel { display: block; margin-top: 1rem; font-size: .875rem; }\ninput { width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #949494; }\nbutton { margin-top: 1.5rem; width: 100%; padding: .6rem; background: #007ac2; color: #fff; border: 0; font-size: 1rem; }\n.error { color: #d83020; }\n.org { color: #6a6a6a; margin-top: -.5rem; }";

fn error_page(status: axum::http::StatusCode, text: &str) -> Reply {
    Reply::Html(
        status,
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head>\n<body><h1>Error</h1><p>{}</p><p>Error: {}</p></body></html>\n",
            html_escape(text),
            status.as_u16()
        ),
    )
}

/// `oauth2/authorize`: checks the client and redirect, remembers the request under a fresh
/// `oauth_state`, and shows the sign-in page.
async fn authorize(state: State, req: ApiRequest) -> Result<Reply> {
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
    let redirect_uri = p.str("redirect_uri").unwrap_or("").to_string();
    if !redirect_allowed(&client, &redirect_uri, &req.origin) {
        return Ok(error_page(StatusCode::BAD_REQUEST, "Invalid redirect_uri"));
    }
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
    let prefix = req.prefix.clone();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
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
            Ok(Reply::Html(StatusCode::OK, signin_page(&prefix, &info, None)))
        })
        .await
}

/// Percent-encodes a value for a query string or fragment (RFC 3986 unreserved kept).
fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
        .replace("%2E", ".")
        .replace("%5F", "_")
        .replace("%7E", "~")
}

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
async fn signin(state: State, req: ApiRequest) -> Result<Reply> {
    use axum::http::StatusCode;
    let oauth_state = req.params.str("oauth_state").unwrap_or("").to_string();
    let username = req.params.str("username").unwrap_or("").to_string();
    let password = req.params.raw("password").unwrap_or("").to_string();
    let origin = req.origin.clone();
    let prefix = req.prefix.clone();
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
            let Some(user) = auth::check_password(s, &username, &password)? else {
                let info = json!({
                    "oauth_state": oauth_state,
                    "client_id": pending.client_id,
                    "redirect_uri": pending.redirect_uri,
                    "response_type": pending.response_type,
                    "messages": ["Invalid username or password."],
                });
                return Ok(Reply::Html(StatusCode::OK, signin_page(&prefix, &info, Some("Invalid username or password."))));
            };
            s.db.get()?.execute("DELETE FROM oauth_pending WHERE oauth_state = ?1", params![hash])?;
            let state_part = pending.state.as_deref().map(|st| format!("&state={}", enc(st))).unwrap_or_default();
            if pending.response_type == "token" {
                let minutes = if pending.expiration_minutes <= 0 { REFRESH_MAX_MINUTES } else { pending.expiration_minutes.min(REFRESH_MAX_MINUTES) };
                let lifetime = token_ttl.map(|t| t as i64).unwrap_or(minutes * 60);
                let token = auth::issue(s, TokenKind::Access, Some(&user), Some(&pending.client_id), lifetime, None)?;
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
                return Ok(Reply::Redirect(format!(
                    "{origin}{prefix}/sharing/oauth2/approval?code={}{state_part}",
                    enc(&code)
                )));
            }
            let sep = if pending.redirect_uri.contains('?') { '&' } else { '?' };
            Ok(Reply::Redirect(format!("{}{sep}code={}{state_part}", pending.redirect_uri, enc(&code))))
        })
        .await
}

/// The out-of-band result page: its title carries the code (the Python client reads it).
async fn approval(_state: State, req: ApiRequest) -> Result<Reply> {
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
/// `exchange_refresh_token`, `client_credentials`. No `token_type` (contract §0.2).
async fn token(state: State, req: ApiRequest) -> Result<Reply> {
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
    if p.str("redirect_uri").is_some_and(|r| r != row.redirect_uri) {
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
    let user = Some(username.as_str());
    let secs = access_secs(s);
    if !exchange {
        let parent = secret_hash(refresh);
        let access = auth::issue(
            s,
            TokenKind::Access,
            user,
            Some(client_id),
            secs,
            Some(&parent),
        )?;
        return Ok(token_answer(
            s,
            json!({ "access_token": access, "expires_in": secs, "username": username, "ssl": s.config.tls }),
        ));
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
    let user = Some(username);
    let refresh = auth::issue(
        s,
        TokenKind::Refresh,
        user,
        Some(client_id),
        refresh_secs,
        None,
    )?;
    let secs = access_secs(s);
    let parent = secret_hash(&refresh);
    let access = auth::issue(
        s,
        TokenKind::Access,
        user,
        Some(client_id),
        secs,
        Some(&parent),
    )?;
    Ok(token_answer(
        s,
        json!({
            "access_token": access,
            "expires_in": secs,
            "username": username,
            "ssl": s.config.tls,
            "refresh_token": refresh,
            "refresh_token_expires_in": refresh_secs,
        }),
    ))
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

/// `oauth2/revokeToken`: always `{"success":true}`, so nothing leaks about the token.
async fn revoke(state: State, req: ApiRequest) -> Result<Reply> {
    let token = req
        .params
        .str("auth_token")
        .or(req.params.str("token"))
        .map(String::from);
    if let Some(token) = token {
        state.blocking(move |s| auth::revoke(s, &token)).await?;
    }
    Ok(Reply::Json(json!({ "success": true })))
}

/// `oauth2/signout`: back to `redirect_uri` when given.
async fn signout(_state: State, req: ApiRequest) -> Result<Reply> {
    match req.params.str("redirect_uri") {
        Some(uri) if uri.starts_with("https://") || is_loopback_http(uri) => {
            Ok(Reply::Redirect(uri.to_string()))
        }
        _ => Ok(Reply::Json(json!({ "success": true }))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_keeps_braces_and_tags_out_of_strings() {
        let v = json!({"oauth_state": "a};</script>{b", "n": 1});
        let s = script_json(&v);
        assert!(!s.contains("};") && !s.contains("</script>"));
        assert_eq!(s.matches('{').count(), 1);
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

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

    #[test]
    fn loopback_redirects_take_any_port_but_not_other_hosts() {
        assert!(is_loopback_http("http://127.0.0.1:53122/callback"));
        assert!(is_loopback_http("http://localhost:8080/"));
        assert!(!is_loopback_http("http://127.0.0.1.evil.example/"));
        assert!(!is_loopback_http("https://127.0.0.1:5000/"));
    }
}
