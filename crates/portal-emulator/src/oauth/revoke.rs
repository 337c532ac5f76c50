//! Ending sessions: `oauth2/revokeToken` (a refresh token and the access tokens minted from
//! it) and `oauth2/signout`.
//!
//! What is deliberately not here: ending every token of a member when they are disabled,
//! deleted or change their password (`auth::revoke_user`, called by those operations).

use serde_json::json;

use super::clients::is_loopback_http;
use crate::auth;
use crate::error::Result;
use crate::routing::{ApiRequest, Reply};
use crate::State;

/// `oauth2/revokeToken`: always `{"success":true}`, so nothing leaks about the token.
pub(crate) async fn revoke(state: State, req: ApiRequest) -> Result<Reply> {
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
pub(crate) async fn signout(_state: State, req: ApiRequest) -> Result<Reply> {
    match req.params.str("redirect_uri") {
        Some(uri) if uri.starts_with("https://") || is_loopback_http(uri) => {
            Ok(Reply::Redirect(uri.to_string()))
        }
        _ => Ok(Reply::Json(json!({ "success": true }))),
    }
}
