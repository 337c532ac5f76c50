//! Reading one member: the signed-in member (`community/self`), a member by username or id
//! (`community/users/{u}`, with their groups where the caller may see them), and a member's
//! content (`content/users/{u}`: items are outside this portal, so always none).
//!
//! What is deliberately not here: searching and listing members (`search`).

use serde_json::json;

use super::{find, target, user_view, visible_to};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

pub(crate) async fn get_self(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = find(&conn, &caller.username)?.ok_or_else(PortalError::user_not_found)?;
            Ok(Reply::Json(user_view(
                &conn,
                &user,
                Some(&caller),
                &s.org_id,
                true,
            )?))
        })
        .await
}

pub(crate) async fn get_user(state: State, req: ApiRequest) -> Result<Reply> {
    let name = req.capture(0).to_string();
    let caller = req.caller.clone();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = find(&conn, &name)?
                .filter(|u| visible_to(u, caller.as_ref()))
                .ok_or_else(PortalError::user_not_found)?;
            Ok(Reply::Json(user_view(
                &conn,
                &user,
                caller.as_ref(),
                &s.org_id,
                true,
            )?))
        })
        .await
}

/// Items are outside this portal's scope: every user owns none (Python's delete reads this).
pub(crate) async fn user_content(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:viewItems")?;
            Ok(Reply::Json(json!({ "username": user.username, "total": 0, "start": 1, "num": 0, "nextStart": -1, "currentFolder": null, "items": [], "folders": [] })))
        })
        .await
}
