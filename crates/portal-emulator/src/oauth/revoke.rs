//! Ending sessions: `oauth2/revokeToken` (a refresh token and the access tokens minted from
//! it) and `oauth2/signout` (which redirects only where `redirect` allows).
//!
//! What is deliberately not here: ending every token of a member when they are disabled,
//! deleted or change their password (`auth::revoke_user` and `auth::revoke_user_except`,
//! called by those operations).

use serde_json::json;

use super::clients::{find_client, redirect_for};
use super::redirect::{is_portal_page, parse_canonical};
use crate::auth;
use crate::error::Result;
use crate::routing::{ApiRequest, Reply};
use crate::util::html_escape;
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

/// `oauth2/signout`: back to `redirect_uri` only when it is a redirect registered for
/// `client_id` (matched as `oauth2/authorize` matches it) or a page of the portal itself;
/// otherwise the portal's own signed-out page.
pub(crate) async fn signout(state: State, req: ApiRequest) -> Result<Reply> {
    let asked = req.params.raw("redirect_uri").map(String::from);
    let client_id = req.params.str("client_id").map(String::from);
    let client = match client_id {
        Some(id) => state.blocking(move |s| find_client(s, &id)).await?,
        None => None,
    };
    let portal = req.portal();
    let target = asked.as_deref().and_then(|uri| {
        let registered = client
            .as_ref()
            .and_then(|c| redirect_for(c, uri, &portal))
            .and_then(|r| r.url);
        registered.or_else(|| parse_canonical(uri).filter(|u| is_portal_page(u, &portal)))
    });
    if let Some(url) = target {
        return Ok(Reply::Redirect(url.into()));
    }
    let home = req.portal_url("/sharing/rest");
    Ok(Reply::Html(
        axum::http::StatusCode::OK,
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title></head>\n<body><h1>You are signed out</h1><p><a href=\"{}\">Back to the portal</a></p></body></html>\n",
            html_escape(&home)
        ),
    ))
}
