//! The portal itself: the REST root, `info`, `portals/self`, languages and regions, and member
//! defaults (docs/PORTAL-API.md, Sign-in > discovery; Users > roles, user types, credits).
//!
//! What is deliberately not here: roles (`roles`) and user types (`licenses`), though their
//! paths start with `portals/self` too.

use serde_json::{json, Value};

use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::{route, routing::Route, Profile, State};

/// The version Esri's Python client gates features on (docs/PORTAL-API.md, Client quirks).
pub const CURRENT_VERSION: &str = "2025.1";

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "", root),
        route!(Api, Read, "info", info, token_exempt),
        route!(Api, Read, "portals/self", portal_self),
        route!(Api, Read, "portals/{}", portal_self),
        route!(Api, Read, "portals/languages", languages),
        route!(Api, Read, "portals/regions", regions),
        route!(Api, Read, "portals/self/userDefaultSettings", user_default_settings),
    ]
}

async fn root(_state: State, _req: ApiRequest) -> Result<Reply> {
    Ok(Reply::Json(json!({ "currentVersion": CURRENT_VERSION })))
}

async fn info(_state: State, req: ApiRequest) -> Result<Reply> {
    Ok(Reply::Json(json!({
        "owningSystemUrl": req.portal_url(""),
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
    // A top-level array: the Python client iterates it directly (docs/PORTAL-API.md, Client
    // quirks).
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
