//! One group as a whole: creating it (`community/createGroup`; the creator becomes its owner
//! member), reading it (with the caller's membership), deleting it (with its invitations).
//!
//! What is deliberately not here: finding groups (`search`) and their members
//! (`membership`).

use r2d2_sqlite::rusqlite::params;
use serde_json::json;

use super::{load, visible, with_membership, PathGroup};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{hex_id, now_ms};
use crate::State;

/// `community/createGroup`: the creator becomes the owner and the owner member.
pub(crate) async fn create(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:user:createGroup")?;
    let p = req.params.clone();
    let title = p.required("title")?.to_string();
    crate::validate::text("title", &title, 250)?;
    let access = p.str("access").unwrap_or("private").to_ascii_lowercase();
    if !["private", "org", "public"].contains(&access.as_str()) {
        return Err(PortalError::bad_request(
            "Invalid access: use private, org or public.",
        ));
    }
    let description = p.str("description").map(String::from);
    let snippet = p.str("snippet").map(String::from);
    if let Some(d) = &description {
        crate::validate::text("description", d, 32_000)?;
    }
    if let Some(s) = &snippet {
        crate::validate::text("snippet", s, 250)?;
    }
    let tags = p.list("tags")?;
    let invitation_only = p.bool("isInvitationOnly")?.unwrap_or(false);
    let view_only = p.bool("isViewOnly")?.unwrap_or(false);
    state
        .with_db(move |s, mut conn| {
            let dup: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM groups WHERE title = ?1 COLLATE NOCASE AND owner = ?2)",
                params![title, caller.username],
                |r| r.get(0),
            )?;
            if dup {
                return Err(PortalError::bad_request(format!("You already have a group named '{title}'.")));
            }
            let id = hex_id(32);
            let now = now_ms();
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO groups (id, title, owner, description, snippet, tags, access, is_invitation_only, is_view_only, created, modified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![id, title, caller.username, description, snippet, json!(tags).to_string(), access, invitation_only, view_only, now],
            )?;
            tx.execute(
                "INSERT INTO group_members (group_id, username, member_type, joined) VALUES (?1, ?2, 'owner', ?3)",
                params![id, caller.username, now],
            )?;
            tx.commit()?;
            let group = load(&conn, &id, &s.org_id)?.ok_or_else(|| PortalError::internal("group"))?;
            Ok(Reply::Json(json!({ "success": true, "group": group.json })))
        })
        .await
}

/// `community/groups/{id}`: anyone may read a public group, members of the org an org group,
/// its members and administrators a private one.
pub(crate) async fn get(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.caller.clone();
    let id = req.capture(0).to_string();
    state
        .with_db(move |s, conn| {
            let group = visible(&conn, caller.as_ref(), &id, &s.org_id)?;
            Ok(Reply::Json(with_membership(
                &conn,
                group.json,
                caller.as_ref(),
            )?))
        })
        .await
}

/// `community/groups/{id}/delete`: its owner or an administrator who may delete groups.
pub(crate) async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    PathGroup::of(&req)?
        .run(&state, |g| {
            if !(g.caller.is(&g.group.owner) || g.caller.has("portal:admin:deleteGroups")) {
                return Err(PortalError::forbidden());
            }
            g.conn.execute(
                "DELETE FROM invitations WHERE kind = 'group' AND target_id = ?1",
                params![g.group.id],
            )?;
            g.conn
                .execute("DELETE FROM groups WHERE id = ?1", params![g.group.id])?;
            Ok(Reply::Json(
                json!({ "success": true, "groupId": g.group.id }),
            ))
        })
        .await
}
