//! The portal itself: the REST root, `info`, `portals/self`, languages and regions, roles,
//! user types and member defaults (contract §2.1, §2.8, §3.7, §3.10).

use r2d2_sqlite::rusqlite::params;
use serde_json::{json, Value};

use crate::error::{PortalError, Result};
use crate::privileges::USER_TYPES;
use crate::routing::{ApiRequest, Reply};
use crate::{route, routing::Route, Profile, State};

/// The version Esri's Python client gates features on (contract Q12).
pub const CURRENT_VERSION: &str = "2025.1";

pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "", root),
        route!(Api, Read, "info", info, token_exempt),
        route!(Api, Read, "portals/self", portal_self),
        route!(Api, Read, "portals/{}", portal_self),
        route!(Api, Read, "portals/languages", languages),
        route!(Api, Read, "portals/regions", regions),
        route!(Api, Read, "portals/self/roles", roles),
        route!(Api, Read, "portals/self/roles/{}", role),
        route!(
            Api,
            Read,
            "portals/self/userLicenseTypes",
            user_license_types
        ),
        route!(
            Api,
            Read,
            "portals/self/userDefaultSettings",
            user_default_settings
        ),
    ]
}

async fn root(_state: State, _req: ApiRequest) -> Result<Reply> {
    Ok(Reply::Json(json!({ "currentVersion": CURRENT_VERSION })))
}

async fn info(_state: State, req: ApiRequest) -> Result<Reply> {
    Ok(Reply::Json(json!({
        "owningSystemUrl": format!("{}{}", req.origin, req.prefix),
        "authInfo": {
            "tokenServicesUrl": format!("{}/generateToken", req.rest_base()),
            "isTokenBasedSecurity": true,
            "shortLivedTokenValidity": 15,
        },
        "currentVersion": CURRENT_VERSION,
    })))
}

async fn portal_self(state: State, req: ApiRequest) -> Result<Reply> {
    let id = req.captures.first().cloned();
    if let Some(id) = &id {
        if !id.eq_ignore_ascii_case(&state.org_id) {
            return Err(PortalError::bad_request(
                "Portal does not exist or is inaccessible.",
            ));
        }
    }
    let caller = req.caller.clone();
    let origin = req.origin.clone();
    let prefix = req.prefix.clone();
    state
        .blocking(move |s| {
            let (name, mode, is_portal) = match s.config.profile {
                Profile::Agol => ("ArcGIS Online", "multitenant", false),
                Profile::Enterprise => ("ArcGIS Enterprise", "singletenant", true),
            };
            let host = origin
                .split("://")
                .nth(1)
                .unwrap_or("127.0.0.1")
                .to_string();
            let mut body = json!({
                "id": s.org_id,
                "name": s.org_name,
                "urlKey": s.url_key,
                "portalName": name,
                "portalMode": mode,
                "isPortal": is_portal,
                "currentVersion": CURRENT_VERSION,
                "allSSL": s.config.tls,
                "supportsOAuth": true,
                "maxTokenExpirationMinutes": -1,
                "defaultUserCreditAssignment": -1,
                "recycleBinEnabled": false,
                "hasMemberCategorySchema": false,
                "culture": "en",
                "region": "US",
                "units": "english",
                "portalHostname": format!("{host}{prefix}"),
                "customBaseUrl": "maps.arcgis.com",
                "authorizedCrossOriginDomains": [],
                "authorizedCrossOriginNoCorsDomains": [],
                "helperServices": {},
                "subscriptionInfo": { "type": "Demo", "state": "active" },
                "access": "private",
                "created": 0,
            });
            if let Some(c) = caller.filter(|c| !c.app_only) {
                let conn = s.db.get()?;
                if let Some(user) = crate::users::find(&conn, &c.username)? {
                    body["user"] =
                        crate::users::user_view(&conn, &user, Some(&c), &s.org_id, false)?;
                }
            }
            Ok(Reply::Json(body))
        })
        .await
}

async fn languages(_state: State, _req: ApiRequest) -> Result<Reply> {
    // A top-level array: the Python client iterates it directly (contract Q8).
    let list = [
        ("en", "en", "English"),
        ("de", "de", "Deutsch"),
        ("es", "es", "Español"),
        ("fr", "fr", "Français"),
        ("it", "it", "Italiano"),
        ("ja", "ja", "日本語"),
        ("pt-br", "pt-br", "Português (Brasil)"),
    ];
    Ok(Reply::Json(Value::Array(
        list.iter()
            .map(|(l, c, n)| json!({"language": l, "culture": c, "localizedName": n}))
            .collect(),
    )))
}

async fn regions(_state: State, _req: ApiRequest) -> Result<Reply> {
    let list = [
        ("US", "United States"),
        ("CA", "Canada"),
        ("GB", "United Kingdom"),
        ("DE", "Germany"),
        ("FR", "France"),
        ("JP", "Japan"),
        ("BR", "Brazil"),
    ];
    Ok(Reply::Json(Value::Array(
        list.iter()
            .map(|(r, n)| json!({"region": r, "localizedName": n, "culture": "en"}))
            .collect(),
    )))
}

fn role_json(
    r: &r2d2_sqlite::rusqlite::Row<'_>,
    with_privileges: bool,
) -> r2d2_sqlite::rusqlite::Result<Value> {
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
        .blocking(move |s| {
            let conn = s.db.get()?;
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
        .blocking(move |s| {
            let conn = s.db.get()?;
            let mut stmt = conn.prepare_cached(
                "SELECT id, name, description, privileges, created, modified FROM roles WHERE id = ?1",
            )?;
            let role = stmt
                .query_row(params![id], |r| role_json(r, false))
                .map_err(|_| PortalError::bad_request("Role does not exist or is inaccessible."))?;
            Ok(Reply::Json(role))
        })
        .await
}

/// `portals/self/userLicenseTypes`: the org's user types, paged.
async fn user_license_types(_state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let (start, num) = req.paging(10)?;
    let total = USER_TYPES.len() as i64;
    let page: Vec<Value> = USER_TYPES
        .iter()
        .skip((start - 1) as usize)
        .take(num as usize)
        .map(|t| {
            json!({
                "id": t.id,
                "name": t.name,
                "description": t.description,
                "level": t.level,
                "maxRole": t.max_role,
                "orgDefault": t.org_default,
                "apps": [],
            })
        })
        .collect();
    let next = crate::util::next_start(start, page.len(), total);
    Ok(Reply::Json(json!({
        "total": total, "start": start, "num": page.len(), "nextStart": next, "userLicenseTypes": page,
    })))
}

async fn user_default_settings(_state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    Ok(Reply::Json(json!({
        "role": "org_user",
        "userLicenseType": "creatorUT",
        "groups": [],
        "userType": "both",
        "apps": [],
        "appBundles": [],
        "categories": [],
    })))
}
