//! Roles (docs/PORTAL-API.md, Users > roles, user types, credits): the custom roles of the
//! organization (`portals/self/roles`, one role), and changing them: `createRole`, and per
//! role `privileges`, `setPrivileges`, `update`, `delete`. Viewer and Data Editor are built in
//! and cannot be changed.
//!
//! What is deliberately not here: the built-in roles' privileges (`privileges`) and giving a
//! member a role (`users`, `updateUserRole`).

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{alnum_id, now_ms};
use crate::{route, routing::Route, State};

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "portals/self/roles", roles),
        route!(Api, Read, "portals/self/roles/{}", role),
        route!(Api, Post, "portals/self/createRole", create),
        route!(Api, Read, "portals/self/roles/{}/privileges", privileges),
        route!(Api, Post, "portals/self/roles/{}/setPrivileges", set_privileges),
        route!(Api, Post, "portals/self/roles/{}/update", update),
        route!(Api, Post, "portals/self/roles/{}/delete", delete),
    ]
}

/// The answer for a role id that names no role.
fn role_not_found() -> PortalError {
    PortalError::bad_request("Role does not exist or is inaccessible.")
}

/// Whether the role is built in; `None` when there is no such role.
fn builtin(conn: &Connection, id: &str) -> Result<Option<bool>> {
    Ok(conn
        .query_row(
            "SELECT builtin FROM roles WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?)
}

/// A role that may be changed: it exists and is not built in.
fn changeable(conn: &Connection, id: &str) -> Result<()> {
    match builtin(conn, id)? {
        None => Err(role_not_found()),
        Some(true) => Err(PortalError::bad_request(
            "Built-in roles cannot be changed or deleted.",
        )),
        Some(false) => Ok(()),
    }
}

fn role_json(r: &Row<'_>, with_privileges: bool) -> r2d2_sqlite::rusqlite::Result<Value> {
    let mut v = json!({
        "id": r.get::<_, String>(0)?,
        "name": r.get::<_, String>(1)?,
        "description": r.get::<_, String>(2)?,
        "created": r.get::<_, i64>(4)?,
        "modified": r.get::<_, i64>(5)?,
    });
    if with_privileges {
        let p: String = r.get(3)?;
        v["privileges"] = serde_json::from_str(&p).unwrap_or(json!([]));
    }
    Ok(v)
}

/// `portals/self/roles`: custom roles only (Viewer and Data Editor included), paged.
async fn roles(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let (start, num) = req.paging(10)?;
    let with_privileges = req.params.bool("returnPrivileges")?.unwrap_or(false);
    state
        .with_db(move |_, conn| {
            let total: i64 = conn.query_row("SELECT COUNT(*) FROM roles", [], |r| r.get(0))?;
            let mut stmt = conn.prepare_cached(
                "SELECT id, name, description, privileges, created, modified FROM roles
                 ORDER BY builtin DESC, name COLLATE NOCASE LIMIT ?1 OFFSET ?2",
            )?;
            let roles = stmt
                .query_map(params![num, start - 1], |r| role_json(r, with_privileges))?
                .collect::<r2d2_sqlite::rusqlite::Result<Vec<_>>>()?;
            let next = crate::util::next_start(start, roles.len(), total);
            Ok(Reply::Json(json!({
                "total": total, "start": start, "num": roles.len(), "nextStart": next, "roles": roles,
            })))
        })
        .await
}

async fn role(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, name, description, privileges, created, modified FROM roles WHERE id = ?1",
            )?;
            let role = stmt
                .query_row(params![id], |r| role_json(r, false))
                .map_err(|_| role_not_found())?;
            Ok(Reply::Json(role))
        })
        .await
}

async fn create(state: State, req: ApiRequest) -> Result<Reply> {
    req.holding("portal:admin:manageRoles")?;
    let name = req.params.required("name")?.to_string();
    crate::validate::text("name", &name, 128)?;
    let description = req.params.str("description").unwrap_or("").to_string();
    crate::validate::text("description", &description, 250)?;
    state
        .with_db(move |_, conn| {
            let taken: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM roles WHERE name = ?1 COLLATE NOCASE)",
                params![name],
                |r| r.get(0),
            )?;
            if taken {
                return Err(PortalError::bad_request(format!("A role named '{name}' already exists.")));
            }
            let id = alnum_id(16);
            let privileges = crate::privileges::builtin(crate::privileges::VIEWER_ROLE_ID).unwrap_or_default();
            conn.execute(
                "INSERT INTO roles (id, name, description, base_role, privileges, builtin, created, modified)
                 VALUES (?1, ?2, ?3, 'org_user', ?4, 0, ?5, ?5)",
                params![id, name, description, json!(privileges).to_string(), now_ms()],
            )?;
            Ok(Reply::Json(json!({ "success": true, "id": id })))
        })
        .await
}

async fn privileges(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            if builtin(&conn, &id)?.is_none() {
                return Err(role_not_found());
            }
            let text: String = conn.query_row(
                "SELECT privileges FROM roles WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )?;
            let list: Value = serde_json::from_str(&text).unwrap_or(json!([]));
            Ok(Reply::Json(json!({ "privileges": list })))
        })
        .await
}

/// `setPrivileges`: `privileges={"privileges":[…]}`. Unknown privilege names are refused, and
/// so are privileges the caller lacks unless they are a default administrator (`delegation`);
/// the role's base level follows its privileges (any `:admin:` makes it an administrator role).
async fn set_privileges(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:manageRoles")?;
    let id = req.capture(0).to_string();
    let body = req
        .params
        .json("privileges")?
        .ok_or_else(|| PortalError::bad_request("'privileges' must be specified."))?;
    let list: Vec<String> = body
        .get("privileges")
        .and_then(Value::as_array)
        .ok_or_else(|| PortalError::bad_request("'privileges' must be {\"privileges\":[…]}."))?
        .iter()
        .map(|v| {
            v.as_str()
                .map(String::from)
                .ok_or_else(|| PortalError::bad_request("Each privilege must be a string."))
        })
        .collect::<Result<_>>()?;
    let known = crate::privileges::builtin("org_admin").unwrap_or_default();
    if let Some(bad) = list
        .iter()
        .find(|p| !known.contains(p) && !p.starts_with("premium:") && !p.starts_with("features:"))
    {
        return Err(PortalError::bad_request(format!(
            "Unknown privilege '{}'.",
            crate::params::truncate(bad)
        )));
    }
    crate::delegation::may_grant_privileges(&caller, &list)?;
    state
        .with_db(move |_, conn| {
            changeable(&conn, &id)?;
            let base = portal_client::BaseRole::of_privileges(&list).id();
            conn.execute(
                "UPDATE roles SET privileges = ?1, base_role = ?2, modified = ?3 WHERE id = ?4",
                params![json!(list).to_string(), base, now_ms(), id],
            )?;
            conn.execute(
                "UPDATE users SET role = ?1 WHERE role_id = ?2",
                params![base, id],
            )?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

async fn update(state: State, req: ApiRequest) -> Result<Reply> {
    req.holding("portal:admin:manageRoles")?;
    let id = req.capture(0).to_string();
    let name = req.params.str("name").map(String::from);
    let description = req.params.str("description").map(String::from);
    if let Some(n) = &name {
        crate::validate::text("name", n, 128)?;
    }
    if let Some(d) = &description {
        crate::validate::text("description", d, 250)?;
    }
    state
        .with_db(move |_, conn| {
            changeable(&conn, &id)?;
            if let Some(n) = name {
                conn.execute(
                    "UPDATE roles SET name = ?1, modified = ?2 WHERE id = ?3",
                    params![n, now_ms(), id],
                )?;
            }
            if let Some(d) = description {
                conn.execute(
                    "UPDATE roles SET description = ?1, modified = ?2 WHERE id = ?3",
                    params![d, now_ms(), id],
                )?;
            }
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// `delete`: refused while members hold the role.
async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    req.holding("portal:admin:manageRoles")?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            changeable(&conn, &id)?;
            let holders: i64 = conn.query_row(
                "SELECT COUNT(*) FROM users WHERE role_id = ?1",
                params![id],
                |r| r.get(0),
            )?;
            if holders > 0 {
                return Err(PortalError::bad_request(format!(
                    "{holders} member(s) have this role; give them another role before deleting it."
                )));
            }
            conn.execute("DELETE FROM roles WHERE id = ?1", params![id])?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}
