//! App bundles: the organization's bundles (`portals/self/appBundles`), giving and taking
//! them (`provisionUserAppBundle`, under `portals/self/appBundles/{id}/` and under
//! `content/listings/{bundle item id}/`, where Esri's Python client sends it), and a member's
//! own (`community/users/{u}/appBundles`).
//!
//! A member's bundles are a list on their own row (`users.app_bundles`), so user search finds
//! the holders (`appbundle:<id>`, in `snapshot::matcher`) like any other field. Some user types
//! include a bundle: their members have it without a seat and cannot be given it again.
//! Revoking a bundle a member does not hold is not an error (Esri's Python client revokes every
//! bundle before deleting a member).
//!
//! What is deliberately not here: the catalog of bundles (`catalog`).

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::catalog::{self, type_name, BundleDef};
use crate::delegation;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::users::{existing, OnTarget, Target, User};
use crate::State;

/// Seats bought of a bundle, if the organization bought it.
fn max_users(conn: &Connection, id: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT max_users FROM app_bundles WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Members given the bundle (not counting those whose user type includes it).
pub fn holders(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM users WHERE app_bundles LIKE ?1",
        params![format!("%\"{id}\"%")],
        |r| r.get(0),
    )?)
}

pub(super) fn bundle_json(conn: &Connection, b: &BundleDef) -> Result<Value> {
    let mut v = json!({
        "id": b.id,
        "name": b.name,
        "abbr": b.abbr,
        "appBundleItemId": b.item_id,
        "apps": b.apps.iter().map(|title| json!({ "title": title })).collect::<Vec<_>>(),
        "userLicenseTypes": b.included_in,
        "assignableUserLicenseTypes": b.user_types,
    });
    if let Some(max) = max_users(conn, b.id)? {
        v["maxUsers"] = json!(max);
        v["assignedUsers"] = json!(holders(conn, b.id)?);
    }
    Ok(v)
}

/// The bundles bought, as Enterprise's `portaladmin/license` lists them.
pub fn enterprise_bundles(conn: &Connection) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for b in catalog::BUNDLES {
        if let Some(max) = max_users(conn, b.id)? {
            out.push(json!({ "id": b.id, "name": b.name, "maximumRegisteredMembers": max }));
        }
    }
    Ok(out)
}

/// Whether the organization has `b`: bought, or included in its user types.
pub(super) fn organization_has(conn: &Connection, b: &BundleDef) -> Result<bool> {
    Ok(!b.included_in.is_empty() || max_users(conn, b.id)?.is_some())
}

/// When the organization bought `b` (`-1`: never, it comes with user types).
pub(super) fn purchased(conn: &Connection, b: &BundleDef) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT purchased FROM app_bundles WHERE id = ?1",
            params![b.id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(-1))
}

/// The bundles the organization has: those it bought and those its user types include.
pub fn bundles_json(conn: &Connection) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for b in catalog::BUNDLES {
        if organization_has(conn, b)? {
            out.push(bundle_json(conn, b)?);
        }
    }
    Ok(out)
}

/// `portals/self/appBundles`: paged (`start`, `num`).
pub(super) async fn app_bundles(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let (start, num) = req.paging(25)?;
    state
        .with_db(move |_, conn| {
            let all = bundles_json(&conn)?;
            let total = all.len() as i64;
            let page: Vec<Value> = all
                .into_iter()
                .skip((start - 1) as usize)
                .take(num as usize)
                .collect();
            let next = crate::util::next_start(start, page.len(), total);
            Ok(Reply::Json(json!({
                "appBundles": page, "total": total, "start": start, "num": num, "nextStart": next,
            })))
        })
        .await
}

/// `portals/self/appBundles/{id}`: one bundle.
pub(super) async fn app_bundle(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            let b = catalog::bundle(&id).ok_or_else(|| {
                PortalError::bad_request("App bundle does not exist or is inaccessible.")
            })?;
            Ok(Reply::Json(bundle_json(&conn, b)?))
        })
        .await
}

/// Refuses giving `b` to `user`, and says why.
fn check_may_hold(b: &BundleDef, user: &User) -> Result<()> {
    if b.includes_type(&user.user_license_type_id) {
        return Err(PortalError::bad_request(format!(
            "User '{}' already has {}: it is included in the user type '{}'.",
            user.username,
            b.name,
            type_name(&user.user_license_type_id)
        )));
    }
    if !b.allows_type(&user.user_license_type_id) {
        return Err(PortalError::bad_request(format!(
            "User '{}' has the user type '{}', which is not compatible with {}.",
            user.username,
            type_name(&user.user_license_type_id),
            b.name
        )));
    }
    Ok(())
}

fn set_bundles(conn: &Connection, user: &User, bundles: &[String]) -> Result<()> {
    conn.execute(
        "UPDATE users SET app_bundles = ?1 WHERE id = ?2",
        params![json!(bundles).to_string(), user.id],
    )?;
    Ok(())
}

/// `provisionUserAppBundle`: `users` (a comma list, at most 100), `revoke=true|false`; for all
/// the members or none.
pub(super) async fn provision(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:manageLicenses")?;
    let id = req.capture(0).to_string();
    let users = req.params.list("users")?;
    if users.is_empty() || users.len() > 100 {
        return Err(PortalError::bad_request(
            "'users' must list between 1 and 100 users.",
        ));
    }
    let revoke = req.params.bool("revoke")?.unwrap_or(false);
    state
        .with_db(move |_, mut conn| {
            let tx = conn.transaction()?;
            let b = catalog::bundle(&id).ok_or_else(|| {
                PortalError::bad_request("App bundle does not exist or is inaccessible.")
            })?;
            let mut members: Vec<User> = Vec::new();
            for name in &users {
                let user = existing(&tx, name)?;
                delegation::may_act_on(&caller, &user)?;
                if !members.iter().any(|m| m.id == user.id) {
                    members.push(user);
                }
            }
            if revoke {
                for m in &members {
                    let kept: Vec<String> =
                        m.app_bundles.iter().filter(|h| *h != b.id).cloned().collect();
                    if kept.len() != m.app_bundles.len() {
                        set_bundles(&tx, m, &kept)?;
                    }
                }
            } else {
                let mut adding = Vec::new();
                for m in &members {
                    if m.app_bundles.iter().any(|h| h == b.id) {
                        continue;
                    }
                    check_may_hold(b, m)?;
                    adding.push(m);
                }
                let max = max_users(&tx, b.id)?
                    .ok_or_else(|| PortalError::bad_request("item not provisioned"))?;
                let held = holders(&tx, b.id)?;
                if held + adding.len() as i64 > max {
                    return Err(PortalError::bad_request(format!(
                        "Unable to assign {}: {held} of {max} licenses are assigned and {} more were requested.",
                        b.name,
                        adding.len()
                    )));
                }
                for m in adding {
                    let mut list = m.app_bundles.clone();
                    list.push(b.id.to_string());
                    set_bundles(&tx, m, &list)?;
                }
            }
            tx.commit()?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// `community/users/{u}/appBundles`: the bundles given to the member, besides those their
/// user type includes (as Esri's docs describe it).
pub(super) async fn user_app_bundles(state: State, req: ApiRequest) -> Result<Reply> {
    Target::of(&req, "portal:admin:viewUsers")?
        .run(&state, |OnTarget { conn, user, .. }| {
            let mut list = Vec::new();
            for b in catalog::BUNDLES {
                if user.app_bundles.iter().any(|h| h == b.id) {
                    list.push(bundle_json(&conn, b)?);
                }
            }
            Ok(Reply::Json(json!({
                "appBundles": list, "total": list.len(), "start": 1, "num": list.len(),
                "nextStart": -1,
            })))
        })
        .await
}

/// Refuses a user type that cannot hold a bundle given to the member; returns the bundles the
/// member keeps once the type changes (a bundle the new type includes no longer takes a seat).
pub fn bundles_for_type(user: &User, user_type: &str) -> Result<Vec<String>> {
    let mut kept = Vec::new();
    for id in &user.app_bundles {
        let Some(b) = catalog::bundle(id) else {
            continue;
        };
        if b.includes_type(user_type) {
            continue;
        }
        if !b.allows_type(user_type) {
            return Err(PortalError::bad_request(format!(
                "User '{}' holds {}, which the user type '{}' cannot hold. Revoke it first.",
                user.username,
                b.name,
                type_name(user_type)
            )));
        }
        kept.push(id.clone());
    }
    Ok(kept)
}
