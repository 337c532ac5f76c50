//! Add-on licenses (license-by-user listings): what the organization bought
//! (`portals/self/purchases`), who holds which entitlement (`content/listings/{id}/
//! userEntitlements`, paged, and one member's), giving and taking them
//! (`provisionUserEntitlements`, at most 25 members a request), and a member's own list
//! (`community/users/{u}/provisionedListings`).
//!
//! `provisionUserEntitlements` sets the listed members' entitlements to exactly the list
//! given (an empty list revokes them all), for all the members or none: one refused member
//! refuses the request, as ArcGIS answers one error envelope for it. It is refused past the
//! purchased count of an entitlement or the listing's `maxUsers`, for a member whose user
//! type cannot hold the listing, and for two levels of the same product.
//!
//! What is deliberately not here: the catalog of listings (`catalog`) and seeding purchases
//! (`seed`).

use std::collections::BTreeSet;

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::catalog::{self, type_name, ListingDef};
use crate::delegation;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::users::{existing, OnTarget, Target, User};
use crate::util::now_ms;
use crate::State;

/// At most this many members per `provisionUserEntitlements` request (ArcGIS's limit).
pub const PROVISION_BATCH: usize = 25;

/// A purchased listing, as stored.
pub(super) struct Purchase {
    pub(super) def: &'static ListingDef,
    max_users: i64,
    start_date: i64,
    end_date: i64,
    trial: bool,
    pub(super) purchased: i64,
    /// `(entitlement, num)` in catalog order.
    counts: Vec<(&'static str, i64)>,
}

pub(super) fn purchase(conn: &Connection, def: &'static ListingDef) -> Result<Option<Purchase>> {
    let row = conn
        .query_row(
            "SELECT max_users, start_date, end_date, trial, purchased FROM listings WHERE item_id = ?1",
            params![def.item_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((max_users, start_date, end_date, trial, purchased)) = row else {
        return Ok(None);
    };
    let mut counts = Vec::new();
    for e in def.entitlements {
        let num: Option<i64> = conn
            .query_row(
                "SELECT num FROM listing_entitlements WHERE item_id = ?1 AND entitlement = ?2",
                params![def.item_id, e.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(num) = num {
            counts.push((e.id, num));
        }
    }
    Ok(Some(Purchase {
        def,
        max_users,
        start_date,
        end_date,
        trial,
        purchased,
        counts,
    }))
}

/// A listing bought and in force (an expired purchase is no longer provisioned).
fn purchased_listing(conn: &Connection, item_id: &str) -> Result<Purchase> {
    let now = now_ms();
    catalog::listing(item_id)
        .map(|def| purchase(conn, def))
        .transpose()?
        .flatten()
        .filter(|p| p.end_date == -1 || p.end_date > now)
        .ok_or_else(|| PortalError::bad_request("item not provisioned"))
}

/// The end of the organization's term: the latest end date of its purchases (`-1`: none).
pub fn end_of_term(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT IFNULL(MAX(end_date), -1) FROM listings", [], |r| {
            r.get(0)
        })?,
    )
}

fn purchase_json(p: &Purchase, org_id: &str) -> Value {
    let entitlements: serde_json::Map<String, Value> = p
        .counts
        .iter()
        .map(|(id, num)| ((*id).to_string(), json!({ "num": num })))
        .collect();
    json!({
        "listing": {
            "itemId": p.def.item_id,
            "title": p.def.title,
            "licenseBy": "licenseByUser",
            "type": "Application",
            "listingType": "application",
            "entitlements": p.def.entitlements.iter().map(|e| e.id).collect::<Vec<_>>(),
            "userTypes": p.def.user_types,
        },
        "provision": {
            "itemId": p.def.item_id,
            "orgId": org_id,
            "purchaserOrgId": org_id,
            "startDate": p.start_date,
            "endDate": p.end_date,
            "purchased": p.purchased,
            "trial": p.trial,
            "canDisconnect": false,
            "maxDisconnectDuration": -1,
            "orgEntitlements": { "maxUsers": p.max_users, "entitlements": entitlements },
        },
    })
}

/// `portals/self/purchases` (`status=active|expired|all`, default active): purchases and
/// trials, each a listing with its provision.
pub(super) async fn purchases(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let status = req
        .params
        .str("status")
        .unwrap_or("active")
        .to_ascii_lowercase();
    if !matches!(status.as_str(), "active" | "expired" | "all") {
        return Err(PortalError::bad_request(
            "Invalid status: use active, expired or all.",
        ));
    }
    state
        .with_db(move |s, conn| {
            let now = now_ms();
            let (mut purchases, mut trials) = (Vec::new(), Vec::new());
            for def in catalog::LISTINGS {
                let Some(p) = purchase(&conn, def)? else {
                    continue;
                };
                let expired = p.end_date != -1 && p.end_date < now;
                let wanted = match status.as_str() {
                    "active" => !expired,
                    "expired" => expired,
                    _ => true,
                };
                if wanted {
                    let j = purchase_json(&p, &s.org_id);
                    if p.trial {
                        trials.push(j)
                    } else {
                        purchases.push(j)
                    }
                }
            }
            Ok(Reply::Json(
                json!({ "purchases": purchases, "trials": trials }),
            ))
        })
        .await
}

/// One holder's entitlements in a listing, with the last time they used it.
fn holder_json(username: &str, entitlements: &[String], last_used: i64) -> Value {
    json!({
        "username": username,
        "lastLogin": last_used,
        "disconnected": false,
        "entitlements": entitlements,
    })
}

/// A member's entitlements in a listing and their last use (`-1`: never).
fn held(conn: &Connection, item_id: &str, username: &str) -> Result<(Vec<String>, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT entitlement, last_used FROM user_entitlements
         WHERE item_id = ?1 AND username = ?2 ORDER BY entitlement",
    )?;
    let rows = stmt.query_map(params![item_id, username], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut ents = Vec::new();
    let mut last = -1;
    for row in rows {
        let (e, used) = row?;
        ents.push(e);
        last = last.max(used);
    }
    Ok((ents, last))
}

/// `content/listings/{id}/userEntitlements`: the holders, by username, paged
/// (`start`, `num` ≤ 100), with `total`.
pub(super) async fn user_entitlements(state: State, req: ApiRequest) -> Result<Reply> {
    // Who holds what is the license administrators' to read (delegated administrators who
    // may only view members are refused).
    req.holding("portal:admin:manageLicenses")?;
    let item_id = req.capture(0).to_string();
    let (start, num) = req.paging(25)?;
    state
        .with_db(move |_, conn| {
            let p = purchased_listing(&conn, &item_id)?;
            let item = p.def.item_id;
            let total: i64 = conn.query_row(
                "SELECT COUNT(DISTINCT username) FROM user_entitlements WHERE item_id = ?1",
                params![item],
                |r| r.get(0),
            )?;
            let mut stmt = conn.prepare_cached(
                "SELECT username, group_concat(entitlement, ','), MAX(last_used)
                 FROM user_entitlements WHERE item_id = ?1
                 GROUP BY username COLLATE NOCASE ORDER BY username COLLATE NOCASE
                 LIMIT ?2 OFFSET ?3",
            )?;
            let rows = stmt.query_map(params![item, num, start - 1], |r| {
                let name: String = r.get(0)?;
                let ents: String = r.get(1)?;
                let mut ents: Vec<String> = ents.split(',').map(str::to_string).collect();
                ents.sort();
                Ok(holder_json(&name, &ents, r.get(2)?))
            })?;
            let page = rows.collect::<std::result::Result<Vec<_>, _>>()?;
            let next = crate::util::next_start(start, page.len(), total);
            Ok(Reply::Json(json!({
                "userEntitlements": page, "total": total, "start": start, "num": num,
                "nextStart": next,
            })))
        })
        .await
}

/// `content/listings/{id}/userEntitlements/{username}`: one member's entitlements (an
/// empty list when they hold none).
pub(super) async fn user_entitlement(state: State, req: ApiRequest) -> Result<Reply> {
    let item_id = req.capture(0).to_string();
    let caller = req.signed_in()?;
    let name = req.capture(1).to_string();
    state
        .with_db(move |_, conn| {
            let p = purchased_listing(&conn, &item_id)?;
            let user = existing(&conn, &name)?;
            if !caller.is(&user.username) && !caller.has("portal:admin:manageLicenses") {
                return Err(PortalError::forbidden());
            }
            let (ents, last) = held(&conn, p.def.item_id, &user.username)?;
            Ok(Reply::Json(json!({
                "userEntitlements": holder_json(&user.username, &ents, last)
            })))
        })
        .await
}

/// The entitlements asked for, checked against the listing: known, purchased, no two of
/// one exclusive group. Sorted, without repeats.
fn asked_entitlements(p: &Purchase, asked: &[Value]) -> Result<Vec<&'static str>> {
    let mut out: BTreeSet<&'static str> = BTreeSet::new();
    for v in asked {
        let id = v.as_str().ok_or_else(|| {
            PortalError::bad_request("'entitlements' must be a list of entitlement ids.")
        })?;
        let def = p
            .def
            .entitlement(id)
            .filter(|e| p.counts.iter().any(|(c, _)| *c == e.id))
            .ok_or_else(|| {
                PortalError::bad_request(format!(
                    "Invalid entitlement '{}' for {}.",
                    crate::params::truncate(id),
                    p.def.title
                ))
            })?;
        out.insert(def.id);
    }
    let mut groups: Vec<(&str, &str)> = Vec::new();
    for e in &out {
        if let Some(g) = portal_client::licenses::exclusive_group(e) {
            if let Some((other, _)) = groups.iter().find(|(_, og)| *og == g) {
                return Err(PortalError::bad_request(format!(
                    "Only one {g} can be assigned to a member: {other} and {e} were requested."
                )));
            }
            groups.push((e, g));
        }
    }
    Ok(out.into_iter().collect())
}

/// Holders of `entitlement` (or, with `None`, of anything in the listing) other than `except`.
fn holders_besides(
    conn: &Connection,
    item_id: &str,
    entitlement: Option<&str>,
    except: &[String],
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT username FROM user_entitlements
         WHERE item_id = ?1 AND (?2 IS NULL OR entitlement = ?2)",
    )?;
    let names = stmt.query_map(params![item_id, entitlement], |r| r.get::<_, String>(0))?;
    let mut n = 0;
    for name in names {
        let name = name?;
        if !except.iter().any(|e| e.eq_ignore_ascii_case(&name)) {
            n += 1;
        }
    }
    Ok(n)
}

/// `content/listings/{id}/provisionUserEntitlements`: `userEntitlements={"users":[…],
/// "entitlements":[…]}`; the members' entitlements become exactly the list, for all or none.
pub(super) async fn provision(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:manageLicenses")?;
    let item_id = req.capture(0).to_string();
    let body = req
        .params
        .json("userEntitlements")?
        .ok_or_else(|| PortalError::bad_request("'userEntitlements' must be specified."))?;
    let users: Vec<String> = match &body["users"] {
        Value::Array(list) => list
            .iter()
            .map(|u| u.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| PortalError::bad_request("'users' must be a list of usernames."))?,
        _ => {
            return Err(PortalError::bad_request(
                "'userEntitlements' must list 'users'.",
            ))
        }
    };
    if users.is_empty() {
        return Err(PortalError::bad_request(
            "'users' must list at least one user.",
        ));
    }
    if users.len() > PROVISION_BATCH {
        return Err(PortalError::bad_request(format!(
            "A maximum of {PROVISION_BATCH} users can be provisioned in one request, got {}.",
            users.len()
        )));
    }
    let asked = match &body["entitlements"] {
        Value::Array(list) => list.clone(),
        Value::Null => Vec::new(),
        _ => return Err(PortalError::bad_request("'entitlements' must be a list.")),
    };
    state
        .with_db(move |_, mut conn| {
            let tx = conn.transaction()?;
            let p = purchased_listing(&tx, &item_id)?;
            let item = p.def.item_id;
            let entitlements = asked_entitlements(&p, &asked)?;
            let mut members: Vec<User> = Vec::new();
            for name in &users {
                let user = existing(&tx, name)?;
                delegation::may_act_on(&caller, &user)?;
                if !entitlements.is_empty() && !p.def.allows_type(&user.user_license_type_id) {
                    return Err(PortalError::bad_request(format!(
                        "User '{}' has the user type '{}', which is not compatible with {}.",
                        user.username,
                        type_name(&user.user_license_type_id),
                        p.def.title
                    )));
                }
                if !members.iter().any(|m| m.id == user.id) {
                    members.push(user);
                }
            }
            let names: Vec<String> = members.iter().map(|m| m.username.clone()).collect();
            let adding = if entitlements.is_empty() { 0 } else { names.len() as i64 };
            // Only members being given something need seats: revoking (an empty list) is always
            // possible, even from a license assigned past what was bought.
            let others = holders_besides(&tx, item, None, &names)?;
            if adding > 0 && others + adding > p.max_users {
                return Err(PortalError::bad_request(format!(
                    "Unable to provision {}: {} of {} licenses are assigned and {adding} more were requested.",
                    p.def.title, others, p.max_users
                )));
            }
            for (ent, num) in &p.counts {
                if !entitlements.contains(ent) {
                    continue;
                }
                let others = holders_besides(&tx, item, Some(ent), &names)?;
                if others + adding > *num {
                    return Err(PortalError::bad_request(format!(
                        "Unable to provision {ent}: {others} of {num} licenses are assigned and {adding} more were requested."
                    )));
                }
            }
            let now = now_ms();
            for name in &names {
                let before: Vec<(String, i64, i64)> = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT entitlement, assigned, last_used FROM user_entitlements
                         WHERE item_id = ?1 AND username = ?2",
                    )?;
                    let rows = stmt.query_map(params![item, name], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?;
                    rows.collect::<std::result::Result<_, _>>()?
                };
                tx.execute(
                    "DELETE FROM user_entitlements WHERE item_id = ?1 AND username = ?2",
                    params![item, name],
                )?;
                let last_used = before.iter().map(|b| b.2).max().unwrap_or(-1);
                for ent in &entitlements {
                    let assigned = before
                        .iter()
                        .find(|b| b.0 == *ent)
                        .map_or(now, |b| b.1);
                    tx.execute(
                        "INSERT INTO user_entitlements (item_id, username, entitlement, assigned, last_used)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![item, name, ent, assigned, last_used],
                    )?;
                }
            }
            tx.commit()?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// The listings a member holds entitlements of, each with them and their last use.
pub fn held_listings(
    conn: &Connection,
    username: &str,
) -> Result<Vec<(&'static ListingDef, Vec<String>, i64)>> {
    let mut out = Vec::new();
    for def in catalog::LISTINGS {
        let (ents, last) = held(conn, def.item_id, username)?;
        if !ents.is_empty() {
            out.push((def, ents, last));
        }
    }
    Ok(out)
}

/// `community/users/{u}/provisionedListings`: the listings the member holds, paged in one page.
pub(super) async fn provisioned_listings(state: State, req: ApiRequest) -> Result<Reply> {
    Target::of(&req, "portal:admin:viewUsers")?
        .run(&state, |OnTarget { conn, user, .. }| {
            let list: Vec<Value> = held_listings(&conn, &user.username)?
                .into_iter()
                .map(|(def, ents, last)| {
                    json!({
                        "itemId": def.item_id,
                        "title": def.title,
                        "entitlements": ents,
                        "lastLogin": last,
                    })
                })
                .collect();
            Ok(Reply::Json(json!({
                "provisionedListings": list, "total": list.len(), "start": 1, "num": list.len(),
                "nextStart": -1,
            })))
        })
        .await
}

/// Refuses a user type that cannot hold a listing the member holds: ArcGIS asks for the
/// license to be revoked first.
pub fn check_type_keeps_licenses(conn: &Connection, user: &User, user_type: &str) -> Result<()> {
    for (def, _, _) in held_listings(conn, &user.username)? {
        if !def.allows_type(user_type) {
            return Err(PortalError::bad_request(format!(
                "User '{}' holds {} licenses, which the user type '{}' cannot hold. Revoke them first.",
                user.username,
                def.title,
                type_name(user_type)
            )));
        }
    }
    Ok(())
}

/// Frees a deleted member's licenses.
pub fn release(conn: &Connection, username: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM user_entitlements WHERE username = ?1",
        params![username],
    )?;
    Ok(())
}
