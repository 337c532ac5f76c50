//! The apps registered for OAuth2 sign-in and the redirects each may use: the pre-registered
//! public clients (`pythonapi`, `arcgisonline`, Memberdesk's own) and confidential apps
//! registered for `client_credentials`.
//!
//! What is deliberately not here: any endpoint. Apps are registered from code (and at start),
//! never through the API.

use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::redirect::{Portal, Redirect};
use super::{MEMBERDESK_CLIENT_ID, OOB};
use crate::error::Result;
use crate::util::secret_hash;
use crate::State;

/// A registered OAuth client. Its `redirect_uris` are absolute URLs, `urn:ietf:wg:oauth:2.0:oob`,
/// `self` (the portal's own root) or `loopback` (RFC 8252 §7.3); `redirect` says how a
/// redirect is matched against them.
pub(crate) struct Client {
    pub(crate) secret_hash: Option<String>,
    pub(crate) redirect_uris: Vec<String>,
}

pub(crate) fn find_client(state: &State, client_id: &str) -> Result<Option<Client>> {
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

/// Registers a public app (no secret: it signs in with PKCE) allowed exactly these redirect
/// URIs, as an organization registers a desktop app's OAuth 2.0 credentials.
pub fn register_public_app(state: &State, client_id: &str, redirect_uris: &[&str]) -> Result<()> {
    let conn = state.db.get()?;
    conn.execute(
        "INSERT OR REPLACE INTO apps (client_id, name, client_secret, redirect_uris) VALUES (?1, ?1, NULL, ?2)",
        params![client_id, json!(redirect_uris).to_string()],
    )?;
    Ok(())
}

/// The redirect `uri` if it fits one of the client's registrations (the rules are in
/// `redirect`).
pub(crate) fn redirect_for(client: &Client, uri: &str, portal: &Portal) -> Option<Redirect> {
    super::redirect::check(&client.redirect_uris, uri, portal)
}
