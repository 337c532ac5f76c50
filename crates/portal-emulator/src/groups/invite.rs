//! `community/groups/{id}/invite`: invitations to a group for members of the organization, as
//! `group_member` or `group_admin`, lasting `expiration` minutes (two weeks by default).
//!
//! What is deliberately not here: the invitee's side, listing and answering invitations
//! (`invitations`).

use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::{member_type, OnGroup, PathGroup, MEMBERS_PER_REQUEST};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{hex_id, now_ms};
use crate::State;

/// `invite`: group invitations for `users`, as `group_member` or `group_admin`, lasting
/// `expiration` minutes (default two weeks).
pub(crate) async fn invite(state: State, req: ApiRequest) -> Result<Reply> {
    let target = PathGroup::of(&req)?;
    let users = req.params.list("users")?;
    if users.is_empty() || users.len() > MEMBERS_PER_REQUEST {
        return Err(PortalError::bad_request(format!(
            "'users' must list 1 to {MEMBERS_PER_REQUEST} users."
        )));
    }
    let role = req.params.str("role").unwrap_or("group_member").to_string();
    if role != "group_member" && role != "group_admin" {
        return Err(PortalError::bad_request(
            "Invalid role: use group_member or group_admin.",
        ));
    }
    let minutes = req.params.int("expiration", 20160, 1, 525_600)?;
    target
        .run_managed(&state, move |OnGroup { conn, caller, group }| {
            let now = now_ms();
            let mut not_invited = Vec::new();
            for name in &users {
                let real: Option<String> = conn.query_row("SELECT username FROM users WHERE username = ?1", params![name], |r| r.get(0)).optional()?;
                let Some(real) = real else {
                    not_invited.push(json!(name));
                    continue;
                };
                if member_type(&conn, &group.id, &real)?.is_some() {
                    continue;
                }
                conn.execute(
                    "DELETE FROM invitations WHERE kind = 'group' AND target_id = ?1 AND username = ?2",
                    params![group.id, real],
                )?;
                conn.execute(
                    "INSERT INTO invitations (id, kind, username, role, from_username, target_id, created, expiration)
                     VALUES (?1, 'group', ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![hex_id(32), real, role, caller.username, group.id, now, now + minutes * 60_000],
                )?;
            }
            Ok(Reply::Json(json!({ "success": true, "groupId": group.id, "notInvited": not_invited })))
        })
        .await
}
