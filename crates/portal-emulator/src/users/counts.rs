//! `portals/self/users/counts?type=role|userLicenseType|provider`: how many members have each
//! role, user type or sign-in provider.
//!
//! What is deliberately not here: listing the members themselves (`search`).

use serde_json::json;

use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

/// `portals/self/users/counts?type=role|userLicenseType`: members per key.
pub(crate) async fn counts(state: State, req: ApiRequest) -> Result<Reply> {
    req.holding("portal:admin:viewUsers")?;
    let column = match req
        .params
        .str("type")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("role") => "IFNULL(role_id, role)",
        Some("userlicensetype") => "user_license_type_id",
        Some("provider") => "provider",
        _ => {
            return Err(PortalError::bad_request(
                "Invalid type: use role, userLicenseType or provider.",
            ))
        }
    };
    state
        .with_db(move |_, conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {column} AS k, COUNT(*) FROM users GROUP BY k ORDER BY k"
            ))?;
            let results = stmt
                .query_map([], |r| {
                    Ok(json!({ "key": r.get::<_, String>(0)?, "count": r.get::<_, i64>(1)? }))
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(Reply::Json(json!({ "results": results, "nextStart": -1 })))
        })
        .await
}
