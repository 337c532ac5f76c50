//! The organization's administration of members (docs/PORTAL-API.md, Users > delete,
//! disable, enable, reassign; Users > roles, user types, credits): delete, reassign, disable
//! and enable (one or many), role and user-type changes, credits, removal.
//!
//! What is deliberately not here: a member's own profile (`update`) and creating members
//! (`invitations`).

use r2d2_sqlite::rusqlite::{params, Connection};
use serde_json::{json, Value};

use super::{existing, find, Target, User};
use crate::auth::Caller;
use crate::delegation;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::now_ms;
use crate::validate;
use crate::State;

fn owned_groups(conn: &Connection, username: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT title FROM groups WHERE owner = ?1 ORDER BY title")?;
    let titles = stmt.query_map(params![username], |r| r.get::<_, String>(0))?;
    Ok(titles.collect::<std::result::Result<_, _>>()?)
}

/// Removes a member and everything that is theirs alone. Refuses while they own groups.
fn delete_user(s: &State, conn: &Connection, user: &User) -> Result<()> {
    let is_builtin: bool = conn.query_row(
        "SELECT builtin_admin FROM users WHERE id = ?1",
        params![user.id],
        |r| r.get(0),
    )?;
    if is_builtin {
        return Err(PortalError::bad_request(format!(
            "'{}' is the organization's default administrator and cannot be deleted.",
            user.username
        )));
    }
    let groups = owned_groups(conn, &user.username)?;
    if !groups.is_empty() {
        return Err(PortalError::bad_request(format!(
            "User '{}' owns {} group(s) ({}); reassign or delete them before deleting the user.",
            user.username,
            groups.len(),
            crate::params::truncate(&groups.join(", "))
        )));
    }
    conn.execute(
        "DELETE FROM group_members WHERE username = ?1",
        params![user.username],
    )?;
    // Their group invitations, and the set-password link of a member created without a
    // password (it must not set the password of a later member of the same name).
    conn.execute(
        "DELETE FROM invitations WHERE kind IN ('group', 'activation') AND username = ?1",
        params![user.username],
    )?;
    crate::licenses::release(conn, user)?;
    conn.execute("DELETE FROM users WHERE id = ?1", params![user.id])?;
    crate::auth::revoke_user(s, &user.username)
}

/// `community/users/{u}/delete`.
pub(crate) async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    Target::to_change(&req, "portal:admin:deleteUsers")?
        .run(&state, |t| {
            delete_user(&t.state, &t.conn, &t.user)?;
            Ok(Reply::Json(
                json!({ "success": true, "username": t.user.username }),
            ))
        })
        .await
}

/// `reassign`: the user's groups (and, on a real portal, items) go to `targetUsername`.
pub(crate) async fn reassign(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
    let name = req.capture(0).to_string();
    let to = req.params.required("targetUsername")?.to_string();
    state
        .with_db(move |_, mut conn| {
            caller.require("portal:admin:reassignUsers")?;
            let user = existing(&conn, &name)?;
            delegation::may_act_on(&caller, &user)?;
            let target = existing(&conn, &to)?;
            if target.id == user.id {
                return Err(PortalError::bad_request("The target user must be another user."));
            }
            if target.disabled {
                return Err(PortalError::bad_request(format!("'{}' is disabled and cannot receive content.", target.username)));
            }
            let tx = conn.transaction()?;
            let now = now_ms();
            tx.execute("UPDATE groups SET owner = ?1, modified = ?2 WHERE owner = ?3", params![target.username, now, user.username])?;
            // The new owner becomes the owner member; the old owner stays a plain member.
            tx.execute(
                "UPDATE group_members SET member_type = 'member' WHERE username = ?1 AND member_type = 'owner'",
                params![user.username],
            )?;
            tx.execute(
                "INSERT INTO group_members (group_id, username, member_type, joined)
                   SELECT id, ?1, 'owner', ?2 FROM groups WHERE owner = ?1
                 ON CONFLICT(group_id, username) DO UPDATE SET member_type = 'owner'",
                params![target.username, now],
            )?;
            tx.commit()?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// Disables or enables one member (never the caller themselves).
fn set_disabled(s: &State, caller: &Caller, name: &str, disabled: bool) -> Result<String> {
    caller.require("portal:admin:disableUsers")?;
    let conn = s.db.get()?;
    let user = existing(&conn, name)?;
    delegation::may_act_on(caller, &user)?;
    if disabled && caller.is(&user.username) {
        return Err(PortalError::bad_request(
            "You cannot disable your own account.",
        ));
    }
    conn.execute(
        "UPDATE users SET disabled = ?1, modified = ?2 WHERE id = ?3",
        params![disabled, now_ms(), user.id],
    )?;
    drop(conn);
    if disabled {
        crate::auth::revoke_user(s, &user.username)?;
    }
    Ok(user.username)
}

/// `community/users/{u}/disable`: the member can no longer sign in; their tokens end.
pub(crate) async fn disable(state: State, req: ApiRequest) -> Result<Reply> {
    set_disabled_one(state, req, true).await
}

/// `community/users/{u}/enable`.
pub(crate) async fn enable(state: State, req: ApiRequest) -> Result<Reply> {
    set_disabled_one(state, req, false).await
}

async fn set_disabled_one(state: State, req: ApiRequest, disabled: bool) -> Result<Reply> {
    let caller = req.signed_in()?;
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let username = set_disabled(s, &caller, &name, disabled)?;
            Ok(Reply::Json(
                json!({ "success": true, "username": username }),
            ))
        })
        .await
}

/// A list parameter with a size limit, refused (not truncated) when longer.
fn bounded_list(req: &ApiRequest, name: &str, max: usize) -> Result<Vec<String>> {
    let list = req.params.list(name)?;
    if list.is_empty() {
        return Err(PortalError::bad_request(format!(
            "'{name}' must list at least one user."
        )));
    }
    if list.len() > max {
        return Err(PortalError::bad_request(format!(
            "Too many users in '{name}': at most {max} per request, got {}.",
            list.len()
        )));
    }
    Ok(list)
}

async fn set_disabled_many(state: State, req: ApiRequest, disabled: bool) -> Result<Reply> {
    let caller = req.holding("portal:admin:disableUsers")?;
    let users = bounded_list(&req, "users", 25)?;
    state
        .blocking(move |s| {
            let results: Vec<Value> = users
                .iter()
                .map(|u| match set_disabled(s, &caller, u, disabled) {
                    Ok(name) => json!({ "username": name, "status": true }),
                    Err(e) => json!({ "username": u, "status": false, "error": e.body()["error"] }),
                })
                .collect();
            Ok(Reply::Json(json!({ "results": results })))
        })
        .await
}

/// `portals/self/disableUsers`: up to 25 members, each one's outcome reported.
pub(crate) async fn disable_many(state: State, req: ApiRequest) -> Result<Reply> {
    set_disabled_many(state, req, true).await
}

/// `portals/self/enableUsers`.
pub(crate) async fn enable_many(state: State, req: ApiRequest) -> Result<Reply> {
    set_disabled_many(state, req, false).await
}

/// Counts the enabled org administrators other than `except`.
fn other_admins(conn: &Connection, except: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM users WHERE role = 'org_admin' AND role_id IS NULL AND disabled = 0 AND username <> ?1",
        params![except],
        |r| r.get(0),
    )?)
}

/// `updateUserRole` (`updateuserrole` from Python): `user`, `role`. Delegated administration's
/// rules first (`delegation`: not one's own role, not a default administrator's unless one is,
/// no privilege one lacks); then the role must suit the member's user type, and the last
/// administrator cannot be demoted.
pub(crate) async fn update_role(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:changeUserRoles")?;
    let name = req
        .params
        .str("user")
        .or(req.params.str("username"))
        .ok_or_else(|| PortalError::bad_request("'user' must be specified."))?
        .to_string();
    let role = req.params.required("role")?.to_string();
    state
        .with_db(move |_, conn| {
            let user = existing(&conn, &name)?;
            let (base, role_id) = validate::role(&conn, &role)?;
            delegation::may_change_role(&conn, &caller, &user, &base, role_id.as_deref())?;
            validate::compatible(&user.user_license_type_id, &base, role_id.as_deref())?;
            if delegation::is_default_admin_member(&user)
                && (base != "org_admin" || role_id.is_some())
                && other_admins(&conn, &user.username)? == 0
            {
                return Err(PortalError::bad_request(
                    "The organization must keep at least one administrator.",
                ));
            }
            conn.execute(
                "UPDATE users SET role = ?1, role_id = ?2, modified = ?3 WHERE id = ?4",
                params![base, role_id, now_ms(), user.id],
            )?;
            Ok(Reply::Json(
                json!({ "success": true, "username": user.username }),
            ))
        })
        .await
}

/// `updateUserLicenseType`: many users to one user type; each user's outcome reported.
pub(crate) async fn update_user_type(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:manageLicenses")?;
    let users = bounded_list(&req, "users", 100)?;
    let user_type = validate::user_type(req.params.required("userLicenseType")?)?;
    state
        .with_db(move |_, conn| {
            let mut results = Vec::new();
            for name in &users {
                let outcome = (|| -> Result<String> {
                    let user = existing(&conn, name)?;
                    delegation::may_act_on(&caller, &user)?;
                    validate::compatible(user_type, &user.role, user.role_id.as_deref())?;
                    crate::licenses::change_type(&conn, &user, user_type)?;
                    conn.execute(
                        "UPDATE users SET user_license_type_id = ?1, modified = ?2 WHERE id = ?3",
                        params![user_type, now_ms(), user.id],
                    )?;
                    Ok(user.username)
                })();
                results.push(match outcome {
                    Ok(u) => json!({ "username": u, "status": true }),
                    Err(e) => {
                        json!({ "username": name, "status": false, "error": e.body()["error"] })
                    }
                });
            }
            Ok(Reply::Json(json!({ "results": results })))
        })
        .await
}

/// `assignUserCredits`: `userAssignments=[{"username","credits"}]` (at most 100).
pub(crate) async fn assign_credits(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:manageCredits")?;
    let assignments = req
        .params
        .json("userAssignments")?
        .ok_or_else(|| PortalError::bad_request("'userAssignments' must be specified."))?;
    let list = assignments.as_array().cloned().ok_or_else(|| {
        PortalError::bad_request("'userAssignments' must be a JSON array of {username, credits}.")
    })?;
    if list.len() > 100 {
        return Err(PortalError::bad_request(
            "Too many assignments: at most 100 per request.",
        ));
    }
    state
        .with_db(move |_, conn| {
            let mut not_assigned = Vec::new();
            for item in list {
                let name = item["username"].as_str().unwrap_or("").to_string();
                let credits = item["credits"].as_f64().filter(|c| c.is_finite() && (*c >= 0.0 || *c == -1.0));
                let user = find(&conn, &name)?
                    .filter(|u| delegation::may_act_on(&caller, u).is_ok());
                match (user, credits) {
                    (Some(u), Some(c)) => {
                        conn.execute(
                            "UPDATE users SET assigned_credits = ?1, available_credits = ?1, modified = ?2 WHERE id = ?3",
                            params![c, now_ms(), u.id],
                        )?;
                    }
                    _ => not_assigned.push(json!(name)),
                }
            }
            Ok(Reply::Json(json!({ "success": true, "notAssignedUsers": not_assigned })))
        })
        .await
}

/// `removeUsers`: delete up to 100 members; those that cannot go are listed with why.
pub(crate) async fn remove_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:deleteUsers")?;
    let users = bounded_list(&req, "users", 100)?;
    state
        .with_db(move |s, conn| {
            let mut not_removed = Vec::new();
            let mut errors = Vec::new();
            for name in &users {
                let outcome = find(&conn, name)?
                    .ok_or_else(PortalError::user_not_found)
                    .and_then(|u| {
                        if caller.is(&u.username) {
                            Err(PortalError::bad_request(
                                "You cannot remove your own account.",
                            ))
                        } else {
                            delegation::may_act_on(&caller, &u)?;
                            delete_user(s, &conn, &u)
                        }
                    });
                if let Err(e) = outcome {
                    not_removed.push(json!(name));
                    errors.push(json!({ "username": name, "error": e.body()["error"] }));
                }
            }
            Ok(Reply::Json(
                json!({ "notRemoved": not_removed, "errors": errors }),
            ))
        })
        .await
}
