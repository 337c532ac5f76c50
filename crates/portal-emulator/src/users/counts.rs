//! `portals/self/users/counts?type=role|userLicenseType|provider|appBundle|app`: how many
//! members have each role, user type, sign-in provider or app bundle (given to them, not
//! included in their user type).
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
        Some("appbundle") => return bundle_counts(state).await,
        // No app is licensed apart from bundles and user types here.
        Some("app") => return Ok(Reply::Json(json!({ "results": [], "nextStart": -1 }))),
        _ => {
            return Err(PortalError::bad_request(
                "Invalid type: use role, userLicenseType, provider, appBundle or app.",
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

/// Members given each bundle the organization has.
async fn bundle_counts(state: State) -> Result<Reply> {
    state
        .with_db(move |_, conn| {
            let mut results = Vec::new();
            for b in crate::licenses::catalog::BUNDLES {
                let count = crate::licenses::bundles::holders(&conn, b.id)?;
                if count > 0 {
                    results.push(json!({ "key": b.id, "count": count }));
                }
            }
            Ok(Reply::Json(json!({ "results": results, "nextStart": -1 })))
        })
        .await
}
