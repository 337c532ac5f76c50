//! Who is in a group and changing it: the members (`users`, and `userList` page by page),
//! `addUsers`, `removeUsers` and `updateUsers` (at most 25 per request, as both Esri clients
//! send them), `join` and `leave`.
//!
//! A member list shows only the members the caller may see as `community/users/{u}` would
//! (`users::visibility`); the owner is always named, as the group itself names them.
//!
//! What is deliberately not here: inviting members (`invite`) and the group itself (`crud`).

use r2d2_sqlite::rusqlite::{self, params, OptionalExtension};
use serde_json::json;

use super::{member_type, OnGroup, PathGroup, MAX_GROUPS_PER_USER, MEMBERS_PER_REQUEST};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::users::visibility::visible_sql;
use crate::util::now_ms;
use crate::State;

/// `community/groups/{id}/users`: owner, admins (owner included) and plain members.
pub(crate) async fn users(state: State, req: ApiRequest) -> Result<Reply> {
    PathGroup::of(&req)?
        .run(&state, move |OnGroup { conn, group, caller }| {
            let mut args: Vec<rusqlite::types::Value> = vec![group.id.clone().into()];
            let visible = visible_sql(Some(&caller), "u", &mut args);
            let mut stmt = conn.prepare_cached(&format!("SELECT m.username, m.member_type FROM group_members m LEFT JOIN users u ON u.username = m.username WHERE m.group_id = ?1 AND (m.member_type = 'owner' OR {visible}) ORDER BY m.username COLLATE NOCASE"))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            let admins: Vec<&String> = rows.iter().filter(|(_, t)| t == "owner" || t == "admin").map(|(u, _)| u).collect();
            let users: Vec<&String> = rows.iter().filter(|(_, t)| t == "member").map(|(u, _)| u).collect();
            Ok(Reply::Json(json!({ "owner": group.owner, "admins": admins, "users": users })))
        })
        .await
}

/// `community/groups/{id}/userList`: members page by page, with names and join dates.
pub(crate) async fn user_list(state: State, req: ApiRequest) -> Result<Reply> {
    let target = PathGroup::of(&req)?;
    let (start, num) = req.paging(25)?;
    let sort = req.sort_column(&[
        ("username", "m.username COLLATE NOCASE"),
        ("membertype", "m.member_type"),
        ("joined", "m.joined"),
        ("fullname", "u.full_name COLLATE NOCASE"),
    ])?;
    let order = req.sql_order();
    let name = req
        .params
        .str("name")
        .map(|n| format!("%{}%", n.replace('%', "\\%").replace('_', "\\_")));
    let kind = req.params.str("memberType").map(str::to_ascii_lowercase);
    if kind
        .as_deref()
        .is_some_and(|k| k != "admin" && k != "member")
    {
        return Err(PortalError::bad_request(
            "Invalid memberType: use admin or member.",
        ));
    }
    target
        .run(&state, move |OnGroup { conn, group, caller }| {
            let mut args: Vec<rusqlite::types::Value> = vec![group.id.clone().into()];
            let visible = visible_sql(Some(&caller), "u", &mut args);
            let mut filter = format!("m.group_id = ?1 AND m.member_type <> 'owner' AND {visible}");
            if let Some(n) = name {
                args.push(n.into());
                filter.push_str(&format!(" AND (m.username LIKE ?{0} ESCAPE '\\' OR IFNULL(u.full_name,'') LIKE ?{0} ESCAPE '\\')", args.len()));
            }
            if let Some(k) = kind {
                args.push(k.into());
                filter.push_str(&format!(" AND m.member_type = ?{}", args.len()));
            }
            let from = "group_members m LEFT JOIN users u ON u.username = m.username";
            let total: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {from} WHERE {filter}"), rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            let sql = format!("SELECT m.username, IFNULL(u.full_name, ''), m.member_type, u.thumbnail, m.joined FROM {from} WHERE {filter} ORDER BY {sort} {order}, m.username LIMIT {num} OFFSET {}", start - 1);
            let mut stmt = conn.prepare(&sql)?;
            let users = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                    Ok(json!({ "username": r.get::<_, String>(0)?, "fullName": r.get::<_, String>(1)?, "memberType": r.get::<_, String>(2)?, "thumbnail": r.get::<_, Option<String>>(3)?, "joined": r.get::<_, i64>(4)? }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let owner_name: String = conn.query_row("SELECT IFNULL((SELECT full_name FROM users WHERE username = ?1), '')", params![group.owner], |r| r.get(0))?;
            let next = crate::util::next_start(start, users.len(), total);
            Ok(Reply::Json(json!({
                "total": total, "start": start, "num": users.len(), "nextStart": next,
                "owner": { "username": group.owner, "fullName": owner_name, "memberType": "owner" },
                "users": users,
            })))
        })
        .await
}

/// `addUsers`: `users` as members, `admins` as managers, at most 25 in all. Someone already
/// in the group stays as they are and is not reported (so a retried request is harmless).
pub(crate) async fn add_users(state: State, req: ApiRequest) -> Result<Reply> {
    let target = PathGroup::of(&req)?;
    let users = req.params.list("users")?;
    let admins = req.params.list("admins")?;
    if users.len() + admins.len() > MEMBERS_PER_REQUEST {
        return Err(PortalError::bad_request(format!(
            "Too many users: at most {MEMBERS_PER_REQUEST} per request, got {}.",
            users.len() + admins.len()
        )));
    }
    if users.is_empty() && admins.is_empty() {
        return Err(PortalError::bad_request(
            "'users' or 'admins' must list at least one user.",
        ));
    }
    target
        .run_managed(&state, move |OnGroup { mut conn, group, .. }| {
            let tx = conn.transaction()?;
            let mut not_added = Vec::new();
            let now = now_ms();
            for (name, kind) in users.iter().map(|u| (u, "member")).chain(admins.iter().map(|a| (a, "admin"))) {
                let user: Option<(String, bool)> = tx
                    .query_row("SELECT username, disabled FROM users WHERE username = ?1", params![name], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let Some((real, _disabled)) = user else {
                    not_added.push(json!(name));
                    continue;
                };
                if let Some(existing) = member_type(&tx, &group.id, &real)? {
                    if kind == "admin" && existing == "member" {
                        tx.execute("UPDATE group_members SET member_type = 'admin' WHERE group_id = ?1 AND username = ?2", params![group.id, real])?;
                    }
                    continue;
                }
                let count: i64 = tx.query_row("SELECT COUNT(*) FROM group_members WHERE username = ?1", params![real], |r| r.get(0))?;
                if count >= MAX_GROUPS_PER_USER {
                    not_added.push(json!(name));
                    continue;
                }
                tx.execute("INSERT INTO group_members (group_id, username, member_type, joined) VALUES (?1, ?2, ?3, ?4)", params![group.id, real, kind, now])?;
            }
            tx.execute("UPDATE groups SET modified = ?1 WHERE id = ?2", params![now, group.id])?;
            tx.commit()?;
            Ok(Reply::Json(json!({ "notAdded": not_added })))
        })
        .await
}

/// `removeUsers`: the owner cannot be removed; someone not in the group is not reported.
pub(crate) async fn remove_users(state: State, req: ApiRequest) -> Result<Reply> {
    let target = PathGroup::of(&req)?;
    let users = req.params.list("users")?;
    if users.is_empty() {
        return Err(PortalError::bad_request(
            "'users' must list at least one user.",
        ));
    }
    if users.len() > MEMBERS_PER_REQUEST {
        return Err(PortalError::bad_request(format!(
            "Too many users: at most {MEMBERS_PER_REQUEST} per request, got {}.",
            users.len()
        )));
    }
    target
        .run_managed(&state, move |OnGroup { conn, group, .. }| {
            let mut not_removed = Vec::new();
            for name in &users {
                if name.eq_ignore_ascii_case(&group.owner) {
                    not_removed.push(json!(name));
                    continue;
                }
                conn.execute(
                    "DELETE FROM group_members WHERE group_id = ?1 AND username = ?2",
                    params![group.id, name],
                )?;
            }
            Ok(Reply::Json(json!({ "notRemoved": not_removed })))
        })
        .await
}

/// `updateUsers`: `admins` become managers, `users` become plain members.
pub(crate) async fn update_users(state: State, req: ApiRequest) -> Result<Reply> {
    let target = PathGroup::of(&req)?;
    let admins = req.params.list("admins")?;
    let users = req.params.list("users")?;
    if admins.len() + users.len() > MEMBERS_PER_REQUEST {
        return Err(PortalError::bad_request(format!(
            "Too many users: at most {MEMBERS_PER_REQUEST} per request."
        )));
    }
    target
        .run_managed(&state, move |OnGroup { conn, group, .. }| {
            let mut results = Vec::new();
            for (name, kind) in admins.iter().map(|a| (a, "admin")).chain(users.iter().map(|u| (u, "member"))) {
                let changed = !name.eq_ignore_ascii_case(&group.owner)
                    && conn.execute(
                        "UPDATE group_members SET member_type = ?1 WHERE group_id = ?2 AND username = ?3 AND member_type <> 'owner'",
                        params![kind, group.id, name],
                    )? == 1;
                results.push(json!({ "username": name, "success": changed }));
            }
            Ok(Reply::Json(json!({ "results": results })))
        })
        .await
}

/// `join`: an open group takes the caller as a member (an invitation-only one refuses).
pub(crate) async fn join(state: State, req: ApiRequest) -> Result<Reply> {
    req.holding("portal:user:joinGroup")?;
    PathGroup::of(&req)?
        .run(&state, |OnGroup { conn, caller, group }| {
            if member_type(&conn, &group.id, &caller.username)?.is_none() {
                if group.invitation_only {
                    return Err(PortalError::bad_request("This group is invitation only; ask its owner for an invitation."));
                }
                conn.execute("INSERT INTO group_members (group_id, username, member_type, joined) VALUES (?1, ?2, 'member', ?3)", params![group.id, caller.username, now_ms()])?;
            }
            Ok(Reply::Json(json!({ "success": true, "groupId": group.id })))
        })
        .await
}

/// `leave`: anyone but the owner.
pub(crate) async fn leave(state: State, req: ApiRequest) -> Result<Reply> {
    PathGroup::of(&req)?
        .run(&state, |g| {
            if g.caller.is(&g.group.owner) {
                return Err(PortalError::bad_request(
                    "The owner cannot leave the group; reassign it first.",
                ));
            }
            g.conn.execute(
                "DELETE FROM group_members WHERE group_id = ?1 AND username = ?2",
                params![g.group.id, g.caller.username],
            )?;
            Ok(Reply::Json(
                json!({ "success": true, "groupId": g.group.id }),
            ))
        })
        .await
}
