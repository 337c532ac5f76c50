//! Licenses (docs/PORTAL-API.md, Users > licenses and seats): the organization's user types
//! (`portals/self/userLicenseTypes`), a member's user type
//! (`community/users/{u}/userLicenseType`), and add-on licenses (`portals/self/purchases`)
//! and app bundles (`portals/self/appBundles`), of which this portal has none: Esri's Python
//! client reads them before deleting a member.
//!
//! What is deliberately not here: the user types' definitions and which roles each allows
//! (`privileges`), and changing a member's user type (`users`, `updateUserLicenseType`).

use serde_json::{json, Value};

use crate::error::{PortalError, Result};
use crate::privileges::{UserTypeDef, USER_TYPES};
use crate::routing::{ApiRequest, Reply};
use crate::users::{OnTarget, Target};
use crate::{route, routing::Route, State};

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "portals/self/userLicenseTypes", user_license_types),
        route!(Api, Read, "community/users/{}/userLicenseType", user_license_type),
        route!(Api, Read, "portals/self/purchases", purchases),
        route!(Api, Read, "portals/self/appBundles", app_bundles),
    ]
}

/// A user type as ArcGIS describes it (the org's listing adds `orgDefault`).
fn user_type_json(t: &UserTypeDef) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "description": t.description,
        "level": t.level,
        "maxRole": t.max_role,
        "apps": [],
    })
}

/// `portals/self/userLicenseTypes`: the org's user types, paged.
async fn user_license_types(_state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let (start, num) = req.paging(10)?;
    let total = USER_TYPES.len() as i64;
    // `start` is 1-based and at least 1 (`paging` refuses less): the page's first item.
    let page: Vec<Value> = USER_TYPES
        .iter()
        .skip((start - 1) as usize)
        .take(num as usize)
        .map(|t| {
            let mut listed = user_type_json(t);
            listed["orgDefault"] = json!(t.org_default);
            listed
        })
        .collect();
    let next = crate::util::next_start(start, page.len(), total);
    Ok(Reply::Json(json!({
        "total": total, "start": start, "num": page.len(), "nextStart": next, "userLicenseTypes": page,
    })))
}

/// `community/users/{u}/userLicenseType`: the member's user type.
async fn user_license_type(state: State, req: ApiRequest) -> Result<Reply> {
    Target::of(&req, "portal:admin:viewUsers")?
        .run(&state, |OnTarget { user, .. }| {
            let t = USER_TYPES
                .iter()
                .find(|t| t.id == user.user_license_type_id)
                .ok_or_else(|| PortalError::internal("user type"))?;
            Ok(Reply::Json(user_type_json(t)))
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
