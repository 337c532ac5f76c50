//! Changing members (contract §3.7–§3.10): update, delete, reassign, disable and enable (one
//! or many), role and user-type changes, credits, removal, username checks, and the small
//! per-user resources (`userLicenseType`, `properties`).

use r2d2_sqlite::rusqlite::{params, Connection};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::users::{find, User};
use crate::util::now_ms;
use crate::validate;
use crate::{route, routing::Route, State};

pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Post, "community/users/{}/update", update),
        route!(Api, Post, "community/users/{}/delete", delete),
        route!(Api, Post, "community/users/{}/reassign", reassign),
        route!(Api, Post, "community/users/{}/reset", reset),
        route!(
            Api,
            Post,
            "community/users/{}/expirePassword",
            expire_password
        ),
        route!(Api, Read, "portals/self/users/counts", counts),
        route!(Api, Post, "community/users/{}/disable", disable),
        route!(Api, Post, "community/users/{}/enable", enable),
        route!(
            Api,
            Read,
            "community/users/{}/userLicenseType",
            user_license_type
        ),
        route!(Api, Read, "community/users/{}/properties", properties),
        route!(
            Api,
            Post,
            "community/users/{}/setProperties",
            set_properties
        ),
        route!(Api, Post, "portals/self/disableUsers", disable_many),
        route!(Api, Post, "portals/self/enableUsers", enable_many),
        route!(Api, Post, "portals/self/updateUserRole", update_role),
        route!(
            Api,
            Post,
            "portals/self/updateUserLicenseType",
            update_user_type
        ),
        route!(Api, Post, "portals/self/assignUserCredits", assign_credits),
        route!(Api, Post, "portals/self/removeUsers", remove_users),
        route!(Api, Read, "community/checkUsernames", check_usernames),
        route!(Api, Read, "content/users/{}", user_content),
        route!(Api, Read, "portals/self/purchases", purchases),
        route!(Api, Read, "portals/self/appBundles", app_bundles),
    ]
}

/// The target user, if the caller may change it: themselves, or an admin holding `privilege`.
fn target(conn: &Connection, caller: &Caller, name: &str, privilege: &str) -> Result<User> {
    let user = find(conn, name)?.ok_or_else(PortalError::user_not_found)?;
    if caller.is(&user.username) || caller.has(privilege) {
        Ok(user)
    } else if crate::users::visible_to(&user, Some(caller)) {
        Err(PortalError::forbidden())
    } else {
        Err(PortalError::user_not_found())
    }
}

/// `community/users/{u}/update`: only the given fields change; `username` in the body is
/// ignored (rest-js sends it); `clearEmptyFields=true` lets empty values clear fields.
async fn update(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    let p = req.params.clone();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:updateUsers")?;
            let clear = p.bool("clearEmptyFields")?.unwrap_or(false);
            let mut sets: Vec<(&str, Value)> = Vec::new();
            let text_fields = [
                ("fullname", "full_name", 255),
                ("firstName", "first_name", 128),
                ("lastName", "last_name", 128),
                ("description", "description", 32_000),
                ("culture", "culture", 10),
                ("cultureFormat", "culture_format", 10),
                ("region", "region", 10),
                ("units", "units", 10),
            ];
            for (param, column, max) in text_fields {
                if let Some(raw) = p.raw(param) {
                    let v = raw.trim();
                    if v.is_empty() && !clear {
                        continue;
                    }
                    validate::text(param, v, max)?;
                    sets.push((column, json!(v)));
                }
            }
            if (p.raw("firstName").is_some() || p.raw("lastName").is_some()) && p.raw("fullname").is_none() {
                let first = p.str("firstName").unwrap_or(&user.first_name);
                let last = p.str("lastName").unwrap_or(&user.last_name);
                sets.push(("full_name", json!(format!("{first} {last}").trim())));
            }
            if let Some(email) = p.str("email") {
                validate::email(email)?;
                sets.push(("email", json!(email)));
            }
            if let Some(access) = p.str("access") {
                let a = access.to_ascii_lowercase();
                if !["private", "org", "public"].contains(&a.as_str()) {
                    return Err(PortalError::bad_request("Invalid access: use private, org or public."));
                }
                sets.push(("access", json!(a)));
            }
            if let Some(view) = p.str("preferredView") {
                if !["Web", "GIS", "null"].contains(&view) {
                    return Err(PortalError::bad_request("Invalid preferredView: use Web or GIS."));
                }
                sets.push(("preferred_view", if view == "null" { Value::Null } else { json!(view) }));
            }
            if let Some(ut) = p.str("userType") {
                let ut = ut.to_ascii_lowercase();
                if ut != "arcgisonly" && ut != "both" {
                    return Err(PortalError::bad_request("Invalid userType: use arcgisonly or both."));
                }
                sets.push(("user_type", json!(ut)));
            }
            if p.raw("tags").is_some() {
                let tags = p.list("tags")?;
                if tags.len() > 128 {
                    return Err(PortalError::bad_request("Too many tags: at most 128."));
                }
                sets.push(("tags", json!(json!(tags).to_string())));
            }
            if p.raw("categories").is_some() {
                let categories = p.list("categories")?;
                sets.push(("categories", json!(json!(categories).to_string())));
            }
            if let Some(thumbnail) = p.str("thumbnail") {
                validate::text("thumbnail", thumbnail, 255)?;
                sets.push(("thumbnail", json!(thumbnail)));
            }
            let mut password_changed = false;
            if let Some(password) = p.raw("password").filter(|v| !v.is_empty()) {
                if user.provider != "arcgis" {
                    return Err(PortalError::bad_request(
                        "The password of an enterprise (SAML) account is managed by its identity provider.",
                    ));
                }
                crate::passwords::check_policy(&user.username, password)?;
                sets.push(("password_hash", json!(crate::passwords::hash(password)?)));
                password_changed = true;
            }
            if !sets.is_empty() {
                let assignments: Vec<String> =
                    sets.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 1)).collect();
                let sql = format!(
                    "UPDATE users SET {}, modified = ?{} WHERE id = ?{}",
                    assignments.join(", "),
                    sets.len() + 1,
                    sets.len() + 2
                );
                let mut values: Vec<r2d2_sqlite::rusqlite::types::Value> = sets
                    .iter()
                    .map(|(_, v)| match v {
                        Value::Null => r2d2_sqlite::rusqlite::types::Value::Null,
                        Value::String(s) => s.clone().into(),
                        other => other.to_string().into(),
                    })
                    .collect();
                values.push(now_ms().into());
                values.push(user.id.clone().into());
                conn.execute(&sql, r2d2_sqlite::rusqlite::params_from_iter(values))?;
            }
            drop(conn);
            if password_changed && !caller.is(&user.username) {
                crate::auth::revoke_user(s, &user.username)?;
            }
            Ok(Reply::Json(json!({ "success": true, "username": user.username })))
        })
        .await
}

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
    conn.execute(
        "DELETE FROM invitations WHERE kind = 'group' AND username = ?1",
        params![user.username],
    )?;
    conn.execute("DELETE FROM users WHERE id = ?1", params![user.id])?;
    crate::auth::revoke_user(s, &user.username)
}

async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:deleteUsers")?;
            delete_user(s, &conn, &user)?;
            Ok(Reply::Json(
                json!({ "success": true, "username": user.username }),
            ))
        })
        .await
}

/// `reassign`: the user's groups (and, on a real portal, items) go to `targetUsername`.
async fn reassign(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    let to = req.params.required("targetUsername")?.to_string();
    state
        .blocking(move |s| {
            caller.require("portal:admin:reassignUsers")?;
            let mut conn = s.db.get()?;
            let user = find(&conn, &name)?.ok_or_else(PortalError::user_not_found)?;
            let target = find(&conn, &to)?.ok_or_else(PortalError::user_not_found)?;
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

fn set_disabled(s: &State, caller: &Caller, name: &str, disabled: bool) -> Result<String> {
    caller.require("portal:admin:disableUsers")?;
    let conn = s.db.get()?;
    let user = find(&conn, name)?.ok_or_else(PortalError::user_not_found)?;
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

async fn disable(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let username = set_disabled(s, &caller, &name, true)?;
            Ok(Reply::Json(
                json!({ "success": true, "username": username }),
            ))
        })
        .await
}

async fn enable(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let username = set_disabled(s, &caller, &name, false)?;
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
    let caller = req.user()?.clone();
    caller.require("portal:admin:disableUsers")?;
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

async fn disable_many(state: State, req: ApiRequest) -> Result<Reply> {
    set_disabled_many(state, req, true).await
}

async fn enable_many(state: State, req: ApiRequest) -> Result<Reply> {
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

/// `updateUserRole` (`updateuserrole` from Python): `user`, `role`. The role must suit the
/// member's user type; the last administrator cannot be demoted.
async fn update_role(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:changeUserRoles")?;
    let name = req
        .params
        .str("user")
        .or(req.params.str("username"))
        .ok_or_else(|| PortalError::bad_request("'user' must be specified."))?
        .to_string();
    let role = req.params.required("role")?.to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = find(&conn, &name)?.ok_or_else(PortalError::user_not_found)?;
            let (base, role_id) = validate::role(&conn, &role)?;
            validate::compatible(&user.user_license_type_id, &base, role_id.as_deref())?;
            if user.role == "org_admin"
                && user.role_id.is_none()
                && (base != "org_admin" || role_id.is_some())
            {
                if caller.is(&user.username) {
                    return Err(PortalError::bad_request(
                        "You cannot change your own administrator role.",
                    ));
                }
                if other_admins(&conn, &user.username)? == 0 {
                    return Err(PortalError::bad_request(
                        "The organization must keep at least one administrator.",
                    ));
                }
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
async fn update_user_type(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:manageLicenses")?;
    let users = bounded_list(&req, "users", 100)?;
    let user_type = validate::user_type(req.params.required("userLicenseType")?)?;
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let mut results = Vec::new();
            for name in &users {
                let outcome = (|| -> Result<String> {
                    let user = find(&conn, name)?.ok_or_else(PortalError::user_not_found)?;
                    validate::compatible(user_type, &user.role, user.role_id.as_deref())?;
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
async fn assign_credits(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:manageCredits")?;
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
        .blocking(move |s| {
            let conn = s.db.get()?;
            let mut not_assigned = Vec::new();
            for item in list {
                let name = item["username"].as_str().unwrap_or("").to_string();
                let credits = item["credits"].as_f64().filter(|c| c.is_finite() && (*c >= 0.0 || *c == -1.0));
                let user = find(&conn, &name)?;
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
async fn remove_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:deleteUsers")?;
    let users = bounded_list(&req, "users", 100)?;
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
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

/// `checkUsernames` (shape unverified, contract §3.9d): which names are free, with a
/// suggestion for taken ones.
async fn check_usernames(state: State, req: ApiRequest) -> Result<Reply> {
    let names = req.params.list("usernames")?;
    if names.len() > 100 {
        return Err(PortalError::bad_request(
            "Too many usernames: at most 100 per request.",
        ));
    }
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let taken = |n: &str| -> Result<bool> {
                Ok(conn.query_row(
                    "SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)
                       OR EXISTS(SELECT 1 FROM invitations WHERE kind = 'org' AND username = ?1 AND accepted = 0)",
                    params![n],
                    |r| r.get::<_, bool>(0),
                )?)
            };
            let mut out = Vec::new();
            for n in names {
                let valid = validate::username(&n, 128).is_ok();
                let mut suggested = n.clone();
                let mut k = 1;
                while taken(&suggested)? {
                    suggested = format!("{n}{k}");
                    k += 1;
                }
                out.push(json!({ "requested": n, "suggested": suggested, "available": valid && suggested == n }));
            }
            Ok(Reply::Json(json!({ "usernames": out })))
        })
        .await
}

async fn user_license_type(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:viewUsers")?;
            let t = crate::privileges::USER_TYPES
                .iter()
                .find(|t| t.id == user.user_license_type_id)
                .ok_or_else(|| PortalError::internal("user type"))?;
            Ok(Reply::Json(json!({ "id": t.id, "name": t.name, "description": t.description, "level": t.level, "maxRole": t.max_role, "apps": [] })))
        })
        .await
}

async fn properties(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:viewUsers")?;
            let text: String = conn.query_row(
                "SELECT properties FROM users WHERE id = ?1",
                params![user.id],
                |r| r.get(0),
            )?;
            let mut props: Value = serde_json::from_str(&text).unwrap_or(json!({}));
            if props.get("mapViewer").is_none() {
                props["mapViewer"] = json!("modern");
            }
            Ok(Reply::Json(json!({ "properties": props })))
        })
        .await
}

async fn set_properties(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    let props = req
        .params
        .json("properties")?
        .ok_or_else(|| PortalError::bad_request("'properties' must be specified."))?;
    if !props.is_object() || props.to_string().len() > 65_536 {
        return Err(PortalError::bad_request(
            "'properties' must be a JSON object of at most 64 KB.",
        ));
    }
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:updateUsers")?;
            conn.execute(
                "UPDATE users SET properties = ?1 WHERE id = ?2",
                params![props.to_string(), user.id],
            )?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// Items are outside this portal's scope: every user owns none (Python's delete reads this).
async fn user_content(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = target(&conn, &caller, &name, "portal:admin:viewItems")?;
            Ok(Reply::Json(json!({ "username": user.username, "total": 0, "start": 1, "num": 0, "nextStart": -1, "currentFolder": null, "items": [], "folders": [] })))
        })
        .await
}

async fn purchases(_state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    Ok(Reply::Json(json!({ "purchases": [], "trials": [] })))
}

async fn app_bundles(_state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    Ok(Reply::Json(
        json!({ "appBundles": [], "total": 0, "start": 1, "num": 0, "nextStart": -1 }),
    ))
}

/// `reset`: the member changes their own password (`password` = current, `newPassword`).
async fn reset(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    if !caller.is(&name) {
        return Err(PortalError::forbidden());
    }
    let current = req.params.raw("password").unwrap_or("").to_string();
    let new = req.params.raw("newPassword").unwrap_or("").to_string();
    if let Some(email) = req.params.str("email") {
        validate::email(email)?;
    }
    state
        .blocking(move |s| {
            if crate::auth::check_password(s, &caller.username, &current)?.is_none() {
                return Err(PortalError::bad_request(
                    "The current password is not correct.",
                ));
            }
            crate::passwords::check_policy(&caller.username, &new)?;
            let conn = s.db.get()?;
            conn.execute(
                "UPDATE users SET password_hash = ?1, modified = ?2 WHERE username = ?3",
                params![crate::passwords::hash(&new)?, now_ms(), caller.username],
            )?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// `expirePassword`: accepted and acknowledged; this portal has no forced password change.
async fn expire_password(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    let name = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            target(&conn, &caller, &name, "portal:admin:updateUsers")?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// `portals/self/users/counts?type=role|userLicenseType`: members per key.
async fn counts(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:viewUsers")?;
    let column = match req
        .params
        .str("type")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("role") => "IFNULL(role_id, role)",
        Some("userlicensetype") => "user_license_type_id",
        Some("provider") => "provider",
        _ => {
            return Err(PortalError::bad_request(
                "Invalid type: use role, userLicenseType or provider.",
            ))
        }
    };
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
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
