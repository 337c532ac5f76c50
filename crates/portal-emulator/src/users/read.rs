//! Reading one member: the signed-in member (`community/self`), a member by username or id
//! (`community/users/{u}`, with their groups where the caller may see them), and a member's
//! content (`content/users/{u}`: items are outside this portal, so always none).
//!
//! What is deliberately not here: searching and listing members (`search`).

use serde_json::json;

use super::{existing, find, user_view, visible_to, OnTarget, Target};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

/// `community/self`: the signed-in member, every field and their groups.
pub(crate) async fn get_self(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
    state
        .with_db(move |s, conn| {
            let user = existing(&conn, &caller.username)?;
            let view = user_view(&conn, &user, Some(&caller), &s.org_id, true)?;
            Ok(Reply::Json(view))
        })
        .await
}

/// `community/users/{u}`: a member by username or id, as the caller may see them.
pub(crate) async fn get_user(state: State, req: ApiRequest) -> Result<Reply> {
    let name = req.capture(0).to_string();
    let caller = req.caller.clone();
    state
        .with_db(move |s, conn| {
            let user = find(&conn, &name)?
                .filter(|u| visible_to(u, caller.as_ref()))
                .ok_or_else(PortalError::user_not_found)?;
            let view = user_view(&conn, &user, caller.as_ref(), &s.org_id, true)?;
            Ok(Reply::Json(view))
        })
        .await
}

/// Items are outside this portal's scope: every user owns none (Python's delete reads this).
pub(crate) async fn user_content(state: State, req: ApiRequest) -> Result<Reply> {
    Target::of(&req, "portal:admin:viewItems")?
        .run(&state, |OnTarget { user, .. }| {
            Ok(Reply::Json(json!({ "username": user.username, "total": 0, "start": 1, "num": 0, "nextStart": -1, "currentFolder": null, "items": [], "folders": [] })))
        })
        .await
}
