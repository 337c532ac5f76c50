//! A member's app properties (`community/users/{u}/properties` and `setProperties`): one JSON
//! object of at most 64 KB, where `mapViewer` defaults to `modern`.
//!
//! What is deliberately not here: the member's profile fields (`update`).

use r2d2_sqlite::rusqlite::params;
use serde_json::{json, Value};

use super::{OnTarget, Target};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

/// `community/users/{u}/properties`.
pub(crate) async fn properties(state: State, req: ApiRequest) -> Result<Reply> {
    Target::of(&req, "portal:admin:viewUsers")?
        .run(&state, |OnTarget { conn, user, .. }| {
            let text: String = conn.query_row(
                "SELECT properties FROM users WHERE id = ?1",
                params![user.id],
                |r| r.get(0),
            )?;
            let mut props: Value = serde_json::from_str(&text).unwrap_or(json!({}));
            if props.get("mapViewer").is_none() {
                props["mapViewer"] = json!("modern");
            }
            Ok(Reply::Json(json!({ "properties": props })))
        })
        .await
}

/// `community/users/{u}/setProperties`: the whole object is replaced.
pub(crate) async fn set_properties(state: State, req: ApiRequest) -> Result<Reply> {
    let target = Target::to_change(&req, "portal:admin:updateUsers")?;
    let props = req
        .params
        .json("properties")?
        .ok_or_else(|| PortalError::bad_request("'properties' must be specified."))?;
    if !props.is_object() || props.to_string().len() > 65_536 {
        return Err(PortalError::bad_request(
            "'properties' must be a JSON object of at most 64 KB.",
        ));
    }
    target
        .run(&state, move |OnTarget { conn, user, .. }| {
            conn.execute(
                "UPDATE users SET properties = ?1 WHERE id = ?2",
                params![props.to_string(), user.id],
            )?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}
