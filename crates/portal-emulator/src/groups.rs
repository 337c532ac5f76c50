//! Groups and membership (contract §5): create, search, get, members (`users`, `userList`),
//! `addUsers`/`removeUsers` (25 per request), `invite`, `updateUsers`, `join`, `leave`,
//! `delete`. A user's own group invitations are in `invitations`.

use r2d2_sqlite::rusqlite::{self, params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::query::{self, Expr, Value as QValue};
use crate::routing::{ApiRequest, Reply};
use crate::util::{hex_id, now_ms};
use crate::{route, routing::Route, State};

/// At most this many users per membership request (both Esri clients split into 25s).
pub const MEMBERS_PER_REQUEST: usize = 25;
/// A user may be in at most this many groups.
pub const MAX_GROUPS_PER_USER: i64 = 512;

pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Post, "community/createGroup", create),
        route!(Api, Read, "community/groups", search),
        route!(Api, Read, "community/groups/{}", get),
        route!(Api, Read, "community/groups/{}/users", users),
        route!(Api, Read, "community/groups/{}/userList", user_list),
        route!(Api, Post, "community/groups/{}/addUsers", add_users),
        route!(Api, Post, "community/groups/{}/removeUsers", remove_users),
        route!(Api, Post, "community/groups/{}/invite", invite),
        route!(Api, Post, "community/groups/{}/updateUsers", update_users),
        route!(Api, Post, "community/groups/{}/join", join),
        route!(Api, Post, "community/groups/{}/leave", leave),
        route!(Api, Post, "community/groups/{}/delete", delete),
    ]
}

/// The columns of [`group_json_from_row`].
pub const GROUP_COLUMNS: &str = "id, title, owner, description, snippet, tags, access, is_invitation_only, is_view_only, created, modified";

/// A group object from a row whose first 11 columns are [`GROUP_COLUMNS`].
pub fn group_json_from_row(r: &Row<'_>, org_id: &str) -> rusqlite::Result<Value> {
    let tags: String = r.get(5)?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "title": r.get::<_, String>(1)?,
        "owner": r.get::<_, String>(2)?,
        "description": r.get::<_, Option<String>>(3)?,
        "snippet": r.get::<_, Option<String>>(4)?,
        "tags": serde_json::from_str::<Vec<String>>(&tags).unwrap_or_default(),
        "access": r.get::<_, String>(6)?,
        "isInvitationOnly": r.get::<_, bool>(7)?,
        "isViewOnly": r.get::<_, bool>(8)?,
        "isReadOnly": false,
        "isFav": false,
        "isOpenData": false,
        "protected": false,
        "autoJoin": false,
        "notificationsEnabled": false,
        "phone": Value::Null,
        "thumbnail": Value::Null,
        "sortField": "title",
        "sortOrder": "asc",
        "provider": Value::Null,
        "providerGroupName": Value::Null,
        "capabilities": [],
        "orgId": org_id,
        "created": r.get::<_, i64>(9)?,
        "modified": r.get::<_, i64>(10)?,
    }))
}

/// A group as stored, with what access checks need.
pub(crate) struct Group {
    pub(crate) json: Value,
    pub(crate) id: String,
    pub(crate) owner: String,
    pub(crate) access: String,
    pub(crate) invitation_only: bool,
}

/// The group with this id, whoever asks.
pub(crate) fn load(conn: &Connection, id: &str, org_id: &str) -> Result<Option<Group>> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id = ?1");
    Ok(conn
        .query_row(&sql, params![id], |r| {
            Ok(Group {
                json: group_json_from_row(r, org_id)?,
                id: r.get(0)?,
                owner: r.get(2)?,
                access: r.get(6)?,
                invitation_only: r.get(7)?,
            })
        })
        .optional()?)
}

fn member_type(conn: &Connection, group: &str, username: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT member_type FROM group_members WHERE group_id = ?1 AND username = ?2",
            params![group, username],
            |r| r.get(0),
        )
        .optional()?)
}

/// A group the caller may see (private groups: members and admins only), else 400.
fn visible(conn: &Connection, caller: Option<&Caller>, id: &str, org_id: &str) -> Result<Group> {
    let group = load(conn, id, org_id)?.ok_or_else(PortalError::group_not_found)?;
    let ok = match caller {
        None => group.access == "public",
        Some(c) if c.has("portal:admin:viewGroups") => true,
        Some(c) => {
            group.access != "private" || member_type(conn, &group.id, &c.username)?.is_some()
        }
    };
    if ok {
        Ok(group)
    } else {
        Err(PortalError::group_not_found())
    }
}

/// Whether the caller manages the group: its owner or a manager, or an admin holding
/// `privilege`.
fn manages(conn: &Connection, caller: &Caller, group: &Group, privilege: &str) -> Result<bool> {
    if caller.has(privilege) || caller.is(&group.owner) {
        return Ok(true);
    }
    Ok(matches!(
        member_type(conn, &group.id, &caller.username)?.as_deref(),
        Some("admin" | "owner")
    ))
}

fn with_membership(conn: &Connection, mut g: Value, caller: Option<&Caller>) -> Result<Value> {
    if let Some(c) = caller.filter(|c| !c.app_only) {
        let id = g["id"].as_str().unwrap_or("").to_string();
        let kind = member_type(conn, &id, &c.username)?.unwrap_or_else(|| "none".into());
        g["userMembership"] =
            json!({ "username": c.username, "memberType": kind, "applications": 0 });
    }
    Ok(g)
}

async fn create(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:user:createGroup")?;
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
        .blocking(move |s| {
            let mut conn = s.db.get()?;
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

fn group_filter(expr: &Expr, org_id: &str, args: &mut Vec<rusqlite::types::Value>) -> String {
    let arg = |v: String, args: &mut Vec<rusqlite::types::Value>| {
        args.push(v.into());
        format!("?{}", args.len())
    };
    match expr {
        Expr::All => "1".into(),
        Expr::And(items) => format!(
            "({})",
            items
                .iter()
                .map(|i| group_filter(i, org_id, args))
                .collect::<Vec<_>>()
                .join(" AND ")
        ),
        Expr::Or(items) => format!(
            "({})",
            items
                .iter()
                .map(|i| group_filter(i, org_id, args))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Expr::Not(inner) => format!("(NOT {})", group_filter(inner, org_id, args)),
        Expr::Match { field, value } => {
            let text = match value {
                QValue::Term(t) | QValue::Phrase(t) => t.clone(),
                QValue::Range { .. } => return "0".into(),
            };
            let like = |t: &str| {
                format!(
                    "%{}%",
                    t.replace('%', "\\%").replace('_', "\\_").replace('*', "%")
                )
            };
            match field.as_deref() {
                None if text == "*" => "1".into(),
                None => {
                    let a = arg(like(&text), args);
                    format!("(title LIKE {a} ESCAPE '\\' OR IFNULL(snippet,'') LIKE {a} ESCAPE '\\' OR tags LIKE {a} ESCAPE '\\')")
                }
                Some("title") => {
                    let a = arg(like(&text), args);
                    format!("(title LIKE {a} ESCAPE '\\')")
                }
                Some("owner") => {
                    let a = arg(text, args);
                    format!("(owner = {a} COLLATE NOCASE)")
                }
                Some("id") => {
                    let a = arg(text, args);
                    format!("(id = {a})")
                }
                Some("tags") => {
                    let a = arg(like(&text), args);
                    format!("(tags LIKE {a} ESCAPE '\\')")
                }
                Some("access") => {
                    let a = arg(text.to_ascii_lowercase(), args);
                    format!("(access = {a})")
                }
                Some("accountid" | "orgid") => {
                    if text == "*" || text.eq_ignore_ascii_case(org_id) {
                        "1".into()
                    } else {
                        "0".into()
                    }
                }
                Some(_) => "0".into(),
            }
        }
    }
}

/// `community/groups`: search with `q`, sort (`title`, `owner`, `created`, `modified`), paging.
async fn search(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.caller.clone();
    let q = req.params.raw("q").unwrap_or("").to_string();
    let expr = query::parse(&q)?;
    let sort = req.sort_column(&[
        ("title", "title COLLATE NOCASE"),
        ("owner", "owner COLLATE NOCASE"),
        ("created", "created"),
        ("modified", "modified"),
    ])?;
    let order = req.sql_order();
    let (start, num) = req.paging(10)?;
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let mut args = Vec::new();
            let mut filter = group_filter(&expr, &s.org_id, &mut args);
            match &caller {
                Some(c) if c.has("portal:admin:viewGroups") => {}
                Some(c) => {
                    args.push(c.username.clone().into());
                    filter = format!("({filter}) AND (access <> 'private' OR id IN (SELECT group_id FROM group_members WHERE username = ?{}))", args.len());
                }
                None => filter = format!("({filter}) AND access = 'public'"),
            }
            let total: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM groups WHERE {filter}"), rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            let sql = format!("SELECT {GROUP_COLUMNS} FROM groups WHERE {filter} ORDER BY {sort} {order}, id LIMIT {num} OFFSET {}", start - 1);
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| group_json_from_row(r, &s.org_id))?.collect::<rusqlite::Result<Vec<_>>>()?;
            let results = rows.into_iter().map(|g| with_membership(&conn, g, caller.as_ref())).collect::<Result<Vec<_>>>()?;
            let next = crate::util::next_start(start, results.len(), total);
            Ok(Reply::Json(json!({ "query": q, "total": total, "start": start, "num": results.len(), "nextStart": next, "results": results })))
        })
        .await
}

async fn get(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.caller.clone();
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, caller.as_ref(), &id, &s.org_id)?;
            Ok(Reply::Json(with_membership(
                &conn,
                group.json,
                caller.as_ref(),
            )?))
        })
        .await
}

/// `community/groups/{id}/users`: owner, admins (owner included) and plain members.
async fn users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            let mut stmt = conn.prepare_cached("SELECT username, member_type FROM group_members WHERE group_id = ?1 ORDER BY username COLLATE NOCASE")?;
            let rows = stmt.query_map(params![group.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            let admins: Vec<&String> = rows.iter().filter(|(_, t)| t == "owner" || t == "admin").map(|(u, _)| u).collect();
            let users: Vec<&String> = rows.iter().filter(|(_, t)| t == "member").map(|(u, _)| u).collect();
            Ok(Reply::Json(json!({ "owner": group.owner, "admins": admins, "users": users })))
        })
        .await
}

/// `community/groups/{id}/userList`: members page by page, with names and join dates.
async fn user_list(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
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
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            let mut filter = String::from("m.group_id = ?1 AND m.member_type <> 'owner'");
            let mut args: Vec<rusqlite::types::Value> = vec![group.id.clone().into()];
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

fn membership_list(req: &ApiRequest, name: &str) -> Result<Vec<String>> {
    req.params.list(name)
}

/// `addUsers`: `users` as members, `admins` as managers, at most 25 in all. Someone already
/// in the group stays as they are and is not reported (so a retried request is harmless).
async fn add_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    let users = membership_list(&req, "users")?;
    let admins = membership_list(&req, "admins")?;
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
    state
        .blocking(move |s| {
            let mut conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            if !manages(&conn, &caller, &group, "portal:admin:assignToGroups")? {
                return Err(PortalError::forbidden());
            }
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
async fn remove_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    let users = membership_list(&req, "users")?;
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
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            if !manages(&conn, &caller, &group, "portal:admin:assignToGroups")? {
                return Err(PortalError::forbidden());
            }
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

/// `invite`: group invitations for `users`, as `group_member` or `group_admin`, lasting
/// `expiration` minutes (default two weeks).
async fn invite(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    let users = membership_list(&req, "users")?;
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
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            if !manages(&conn, &caller, &group, "portal:admin:assignToGroups")? {
                return Err(PortalError::forbidden());
            }
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

/// `updateUsers`: `admins` become managers, `users` become plain members.
async fn update_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    let admins = membership_list(&req, "admins")?;
    let users = membership_list(&req, "users")?;
    if admins.len() + users.len() > MEMBERS_PER_REQUEST {
        return Err(PortalError::bad_request(format!(
            "Too many users: at most {MEMBERS_PER_REQUEST} per request."
        )));
    }
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            if !manages(&conn, &caller, &group, "portal:admin:assignToGroups")? {
                return Err(PortalError::forbidden());
            }
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

async fn join(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            caller.require("portal:user:joinGroup")?;
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
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

async fn leave(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            if caller.is(&group.owner) {
                return Err(PortalError::bad_request(
                    "The owner cannot leave the group; reassign it first.",
                ));
            }
            conn.execute(
                "DELETE FROM group_members WHERE group_id = ?1 AND username = ?2",
                params![group.id, caller.username],
            )?;
            Ok(Reply::Json(json!({ "success": true, "groupId": group.id })))
        })
        .await
}

async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let group = visible(&conn, Some(&caller), &id, &s.org_id)?;
            if !(caller.is(&group.owner) || caller.has("portal:admin:deleteGroups")) {
                return Err(PortalError::forbidden());
            }
            conn.execute(
                "DELETE FROM invitations WHERE kind = 'group' AND target_id = ?1",
                params![group.id],
            )?;
            conn.execute("DELETE FROM groups WHERE id = ?1", params![group.id])?;
            Ok(Reply::Json(json!({ "success": true, "groupId": group.id })))
        })
        .await
}
