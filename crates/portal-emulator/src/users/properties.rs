//! A member's app properties (`community/users/{u}/properties` and `setProperties`): one JSON
//! object of at most 64 KB, where `mapViewer` defaults to `modern`.
//!
//! What is deliberately not here: the member's profile fields (`update`).

use r2d2_sqlite::rusqlite::params;
use serde_json::{json, Value};

use super::target;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

pub(crate) async fn properties(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:viewUsers")?;
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

pub(crate) async fn set_properties(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    let props = req
        .params
        .json("properties")?
        .ok_or_else(|| PortalError::bad_request("'properties' must be specified."))?;
    if !props.is_object() || props.to_string().len() > 65_536 {
        return Err(PortalError::bad_request(
            "'properties' must be a JSON object of at most 64 KB.",
        ));
    }
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:updateUsers")?;
            conn.execute(
                "UPDATE users SET properties = ?1 WHERE id = ?2",
                params![props.to_string(), user.id],
            )?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}
