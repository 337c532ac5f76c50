//! A member's own invitations to groups (docs/PORTAL-API.md, Invitations > a user's own):
//! the open ones, one with its group, and accepting or declining one.
//!
//! What is deliberately not here: sending them (`groups`, `community/groups/{id}/invite`) and
//! invitations to the organization (`org`).

use r2d2_sqlite::rusqlite::{self, params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use super::not_found;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::now_ms;
use crate::State;

fn group_invitation_json(conn: &Connection, r: &Row<'_>) -> rusqlite::Result<Value> {
    let from: String = r.get(3)?;
    let from_name: Option<String> = conn
        .query_row(
            "SELECT full_name FROM users WHERE username = ?1",
            params![from],
            |x| x.get(0),
        )
        .optional()?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "targetType": "group",
        "targetId": r.get::<_, String>(4)?,
        "groupId": r.get::<_, String>(4)?,
        "received": r.get::<_, i64>(5)?,
        "created": r.get::<_, i64>(5)?,
        "expiration": r.get::<_, i64>(6)?,
        "accepted": false,
        "mustApprove": false,
        "email": Value::Null,
        "role": r.get::<_, String>(2)?,
        "type": "user",
        "dateAccepted": -1,
        "username": r.get::<_, String>(1)?,
        "fromUsername": { "username": from, "fullname": from_name },
    }))
}

const GROUP_INVITATION_COLUMNS: &str =
    "id, username, role, from_username, target_id, created, expiration";

/// The member whose invitations the path names, if the caller may read them: that member, or
/// an administrator who may view members.
fn readable_invitee(req: &ApiRequest) -> Result<String> {
    let caller = req.user()?;
    let name = req.capture(0);
    if caller.is(name) || caller.has("portal:admin:viewUsers") {
        Ok(name.to_string())
    } else {
        Err(PortalError::forbidden())
    }
}

/// `community/users/{u}/invitations`: the open ones, newest first.
pub(crate) async fn list(state: State, req: ApiRequest) -> Result<Reply> {
    let name = readable_invitee(&req)?;
    state
        .with_db(move |_, conn| {
            let mut stmt = conn.prepare(&format!("SELECT {GROUP_INVITATION_COLUMNS} FROM invitations WHERE kind = 'group' AND username = ?1 AND expiration > ?2 ORDER BY created DESC"))?;
            let list = stmt.query_map(params![name, now_ms()], |r| group_invitation_json(&conn, r))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Reply::Json(json!({ "userInvitations": list })))
        })
        .await
}

fn find_user_invitation(
    conn: &Connection,
    name: &str,
    id: &str,
) -> Result<(Value, String, String)> {
    conn.query_row(
        &format!("SELECT {GROUP_INVITATION_COLUMNS} FROM invitations WHERE kind = 'group' AND username = ?1 AND id = ?2 AND expiration > ?3"),
        params![name, id, now_ms()],
        |r| Ok((group_invitation_json(conn, r)?, r.get::<_, String>(4)?, r.get::<_, String>(2)?)),
    )
    .optional()?
    .ok_or_else(not_found)
}

/// `community/users/{u}/invitations/{id}`: one, with its group.
pub(crate) async fn get(state: State, req: ApiRequest) -> Result<Reply> {
    let name = readable_invitee(&req)?;
    let id = req.capture(1).to_string();
    state
        .with_db(move |s, conn| {
            let (mut v, group_id, _) = find_user_invitation(&conn, &name, &id)?;
            if let Some(g) = crate::groups::load(&conn, &group_id, &s.org_id)? {
                v["group"] = g.json;
            }
            Ok(Reply::Json(v))
        })
        .await
}

async fn answer_invitation(state: State, req: ApiRequest, accept: bool) -> Result<Reply> {
    let caller = req.signed_in()?;
    let name = req.capture(0).to_string();
    let id = req.capture(1).to_string();
    if !caller.is(&name) {
        return Err(PortalError::forbidden());
    }
    state
        .with_db(move |_, mut conn| {
            let (_, group_id, role) = find_user_invitation(&conn, &caller.username, &id)?;
            let tx = conn.transaction()?;
            if accept {
                let kind = if role == "group_admin" { "admin" } else { "member" };
                tx.execute(
                    "INSERT INTO group_members (group_id, username, member_type, joined) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(group_id, username) DO NOTHING",
                    params![group_id, caller.username, kind, now_ms()],
                )?;
            }
            tx.execute("DELETE FROM invitations WHERE id = ?1", params![id])?;
            tx.commit()?;
            Ok(Reply::Json(json!({ "success": true, "username": caller.username, "groupId": group_id, "id": id })))
        })
        .await
}

pub(crate) async fn accept(state: State, req: ApiRequest) -> Result<Reply> {
    answer_invitation(state, req, true).await
}

pub(crate) async fn decline(state: State, req: ApiRequest) -> Result<Reply> {
    answer_invitation(state, req, false).await
}
