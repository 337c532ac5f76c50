//! User types and their seats: the organization's user types
//! (`portals/self/userLicenseTypes`, with `maxUsers` on ArcGIS Online), a member's user type
//! (`community/users/{u}/userLicenseType`), Enterprise's `portaladmin/license`, and the rule
//! every path that gives a member a user type goes through ([`check_room`]).
//!
//! Every member holds a seat of their user type, disabled members included, and so does every
//! pending invitation to join, as on ArcGIS Online. A type without a row in `user_type_seats`
//! has no limit (an organization nobody seeded).
//!
//! What is deliberately not here: the user types' definitions and which roles each allows
//! (`privileges`).

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::catalog::type_name;
use crate::error::{PortalError, Result};
use crate::privileges::{UserTypeDef, USER_TYPES};
use crate::routing::{ApiRequest, Reply};
use crate::users::{OnTarget, Target};
use crate::{Profile, State};

/// Seats bought of `user_type`, if limited.
pub fn max_users(conn: &Connection, user_type: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT max_users FROM user_type_seats WHERE type_id = ?1",
            params![user_type],
            |r| r.get(0),
        )
        .optional()?)
}

/// Members holding `user_type`.
pub fn members_of(conn: &Connection, user_type: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM users WHERE user_license_type_id = ?1",
        params![user_type],
        |r| r.get(0),
    )?)
}

/// Seats of `user_type` taken: its members, and the pending invitations to join that would give
/// it (ArcGIS Online keeps a seat for each until it is accepted, withdrawn or expires).
pub fn used(conn: &Connection, user_type: &str) -> Result<i64> {
    // One seat per person invited, however many times they were invited.
    let invited: i64 = conn.query_row(
        "SELECT COUNT(DISTINCT lower(email)) FROM invitations WHERE kind = 'org' AND accepted = 0
         AND expiration > ?2 AND user_license_type = ?1",
        params![user_type, crate::util::now_ms()],
        |r| r.get(0),
    )?;
    Ok(members_of(conn, user_type)? + invited)
}

/// Refuses giving `adding` more members `user_type` when that would pass its seats. The
/// answer names the type and its seats, as ArcGIS's Members page does.
pub fn check_room(conn: &Connection, user_type: &str, adding: i64) -> Result<()> {
    check_room_besides(conn, user_type, adding, None)
}

/// [`check_room`] for an invitation to `email`: a pending invitation of the same person to the
/// same type (one being sent again) already holds the seat it needs.
pub fn check_room_for_invitation(conn: &Connection, user_type: &str, email: &str) -> Result<()> {
    check_room_besides(conn, user_type, 1, Some(email))
}

fn check_room_besides(
    conn: &Connection,
    user_type: &str,
    adding: i64,
    invited_email: Option<&str>,
) -> Result<()> {
    let Some(max) = max_users(conn, user_type)? else {
        return Ok(());
    };
    let again: i64 = match invited_email {
        Some(email) => conn.query_row(
            "SELECT COUNT(*) > 0 FROM invitations WHERE kind = 'org' AND accepted = 0
             AND expiration > ?3 AND user_license_type = ?1 AND email = ?2 COLLATE NOCASE",
            params![user_type, email, crate::util::now_ms()],
            |r| r.get(0),
        )?,
        None => 0,
    };
    let used = used(conn, user_type)? - again;
    if used + adding > max {
        return Err(PortalError::bad_request(format!(
            "Unable to assign the user type '{}': all {max} licenses of this user type are assigned or held for pending invitations ({} available).",
            type_name(user_type),
            (max - used).max(0)
        )));
    }
    Ok(())
}

/// A user type as ArcGIS describes it (the org's listing adds `orgDefault` and `maxUsers`).
fn user_type_json(t: &UserTypeDef) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "description": t.description,
        "level": t.level,
        "maxRole": t.max_role,
        "apps": [],
    })
}

/// `portals/self/userLicenseTypes`: the org's user types, paged. On ArcGIS Online each limited
/// type carries `maxUsers`, the seats bought.
pub(super) async fn user_license_types(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let (start, num) = req.paging(10)?;
    let online = state.config.profile == Profile::Agol;
    state
        .with_db(move |_, conn| {
            let total = USER_TYPES.len() as i64;
            // `start` is 1-based and at least 1 (`paging` refuses less).
            let mut page = Vec::new();
            for t in USER_TYPES
                .iter()
                .skip((start - 1) as usize)
                .take(num as usize)
            {
                let mut listed = user_type_json(t);
                listed["orgDefault"] = json!(t.org_default);
                if online {
                    if let Some(max) = max_users(&conn, t.id)? {
                        listed["maxUsers"] = json!(max);
                    }
                }
                page.push(listed);
            }
            let next = crate::util::next_start(start, page.len(), total);
            Ok(Reply::Json(json!({
                "total": total, "start": start, "num": page.len(), "nextStart": next,
                "userLicenseTypes": page,
            })))
        })
        .await
}

/// `community/users/{u}/userLicenseType`: the member's user type.
pub(super) async fn user_license_type(state: State, req: ApiRequest) -> Result<Reply> {
    Target::of(&req, "portal:admin:viewUsers")?
        .run(&state, |OnTarget { user, .. }| {
            let t = USER_TYPES
                .iter()
                .find(|t| t.id == user.user_license_type_id)
                .ok_or_else(|| PortalError::internal("user type"))?;
            Ok(Reply::Json(user_type_json(t)))
        })
        .await
}

/// Enterprise's `portaladmin/license`: registered members, overall and per user type, with
/// the seats bought (`-1`: no limit), and the app bundles.
pub fn enterprise_license(conn: &Connection) -> Result<Value> {
    let mut user_types = Vec::new();
    let mut max_total = 0_i64;
    let mut unlimited = false;
    for t in USER_TYPES {
        let max = max_users(conn, t.id)?;
        match max {
            Some(m) => max_total += m,
            None => unlimited = true,
        }
        user_types.push(json!({
            "id": t.id,
            "maximumRegisteredMembers": max.unwrap_or(-1),
            "currentRegisteredMembers": members_of(conn, t.id)?,
            "expiration": super::listings::end_of_term(conn)?,
        }));
    }
    let current: i64 = conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
    Ok(json!({
        "currentRegisteredMembers": current,
        "maximumRegisteredMembers": if unlimited { -1 } else { max_total },
        "version": "11.4",
        "userTypes": user_types,
        "appBundles": super::bundles::enterprise_bundles(conn)?,
        "apps": [],
    }))
}
