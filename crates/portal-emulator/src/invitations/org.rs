//! The organization's invitations, as an administrator sees them: every open one
//! (`portals/self/invitations`, expired ones included: their `expiration` tells), one by id,
//! and withdrawing one (`delete`).
//!
//! What is deliberately not here: sending invitations (`invite`) and a member's own group
//! invitations (`received`).

use r2d2_sqlite::rusqlite::{params, OptionalExtension, Row};
use serde_json::{json, Value};

use super::not_found;
use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

const INVITATION_COLUMNS: &str = "id, username, email, first_name, last_name, full_name, role, user_license_type, user_type, groups, credits, from_username, created, expiration, accepted, must_approve";

fn invitation_json(r: &Row<'_>) -> r2d2_sqlite::rusqlite::Result<Value> {
    let groups: String = r.get(9)?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "username": r.get::<_, Option<String>>(1)?,
        "email": r.get::<_, Option<String>>(2)?,
        "firstName": r.get::<_, Option<String>>(3)?,
        "lastName": r.get::<_, Option<String>>(4)?,
        "fullName": r.get::<_, Option<String>>(5)?,
        "role": r.get::<_, Option<String>>(6)?,
        "userLicenseType": r.get::<_, Option<String>>(7)?,
        "userType": r.get::<_, Option<String>>(8)?,
        "groups": serde_json::from_str::<Value>(&groups).unwrap_or(json!([])),
        "userCreditAssignment": r.get::<_, Option<f64>>(10)?,
        "fromUsername": r.get::<_, String>(11)?,
        "created": r.get::<_, i64>(12)?,
        "expiration": r.get::<_, i64>(13)?,
        "accepted": r.get::<_, bool>(14)?,
        "mustApprove": r.get::<_, bool>(15)?,
        "type": "email",
        "targetType": "org",
        "level": if r.get::<_, Option<String>>(7)?.as_deref() == Some("viewerUT") { 1 } else { 2 },
    }))
}

fn require_inviter(caller: &Caller) -> Result<()> {
    if caller.has("portal:admin:inviteUsers") || caller.has("portal:admin:viewUsers") {
        Ok(())
    } else {
        Err(PortalError::forbidden())
    }
}

/// `portals/self/invitations`: every org invitation not yet accepted, expired ones included
/// (their `expiration` tells), newest first, paged.
pub(crate) async fn list(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
    require_inviter(&caller)?;
    let (start, num) = req.paging(10)?;
    state
        .with_db(move |_, conn| {
            let total: i64 = conn.query_row("SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND accepted = 0", [], |r| r.get(0))?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {INVITATION_COLUMNS} FROM invitations WHERE kind = 'org' AND accepted = 0
                 ORDER BY created DESC, id LIMIT ?1 OFFSET ?2"
            ))?;
            let items = stmt.query_map(params![num, start - 1], invitation_json)?.collect::<r2d2_sqlite::rusqlite::Result<Vec<_>>>()?;
            let next = crate::util::next_start(start, items.len(), total);
            Ok(Reply::Json(json!({ "total": total, "start": start, "num": items.len(), "nextStart": next, "invitations": items })))
        })
        .await
}

pub(crate) async fn get(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
    require_inviter(&caller)?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            let v = conn
                .query_row(&format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = ?1 AND kind = 'org'"), params![id], invitation_json)
                .optional()?
                .ok_or_else(not_found)?;
            Ok(Reply::Json(v))
        })
        .await
}

pub(crate) async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    req.holding("portal:admin:inviteUsers")?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            let n = conn.execute(
                "DELETE FROM invitations WHERE id = ?1 AND kind = 'org' AND accepted = 0",
                params![id],
            )?;
            if n == 0 {
                return Err(not_found());
            }
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}
