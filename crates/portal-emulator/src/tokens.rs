//! Sign-in with a username and password: `generateToken` (docs/PORTAL-API.md, Sign-in >
//! generateToken).
//!
//! What is deliberately not here: OAuth2 sign-in (`oauth`) and how tokens are stored and
//! checked (`auth`).

use serde_json::json;

use crate::auth::{self, TokenKind};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::{route, routing::Route, State};

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![route!(Api, Post, "generateToken", generate_token, token_exempt)]
}

fn bad_credentials() -> PortalError {
    PortalError::bad_request("Unable to generate token.")
        .with_detail("Invalid username or password.")
}

/// `generateToken`: username and password for a token that lasts `expiration` minutes
/// (default 60). Answers `{token, expires, ssl}`, never `expires_in` (docs/PORTAL-API.md,
/// Client quirks).
async fn generate_token(state: State, req: ApiRequest) -> Result<Reply> {
    let username = req
        .params
        .str("username")
        .ok_or_else(bad_credentials)?
        .to_string();
    let password = req
        .params
        .raw("password")
        .ok_or_else(bad_credentials)?
        .to_string();
    let lifetime = auth::access_lifetime(&state, &req.params, 60)?;
    let client = req
        .params
        .str("client")
        .unwrap_or("referer")
        .to_ascii_lowercase();
    if !["referer", "ip", "requestip"].contains(&client.as_str()) {
        return Err(PortalError::bad_request(format!(
            "Invalid client '{}': use referer, ip or requestip.",
            crate::params::truncate(&client)
        )));
    }
    state
        .blocking(move |s| {
            let real = auth::check_password(s, &username, &password)?.map_err(|refusal| {
                PortalError::bad_request("Unable to generate token.").with_detail(refusal.message())
            })?;
            let token = auth::issue(s, TokenKind::Access, Some(&real), None, lifetime, None)?;
            Ok(Reply::Json(json!({
                "token": token,
                "expires": auth::expires_value(lifetime),
                "ssl": s.config.tls,
            })))
        })
        .await
}
