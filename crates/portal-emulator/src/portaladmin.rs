//! The Portal Admin API of the Enterprise profile (docs/PORTAL-API.md, Users > creating users;
//! Licenses and seats; Client quirks): `/portaladmin`, `system`, `license`, `security`,
//! `security/config` and `security/users/createUser`. On the `agol` profile these paths do not exist, as on ArcGIS
//! Online.
//!
//! What is deliberately not here: the rest of the Portal Admin API (system settings, logs);
//! the seats `license` reports (`licenses::seats`);
//! making the member itself is `invitations::create_member`, shared with invitations.

use serde_json::json;

use crate::error::{PortalError, Result};
use crate::invitations::{create_member, InviteeRecord};
use crate::routing::{ApiRequest, Reply};
use crate::{route, routing::Route, validate, Profile, State};

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(PortalAdmin, Read, "", root),
        route!(PortalAdmin, Read, "security", security),
        route!(PortalAdmin, Read, "system", system),
        route!(PortalAdmin, Read, "license", license),
        route!(PortalAdmin, Read, "security/config", config),
        route!(PortalAdmin, Post, "security/users/createUser", create_user),
    ]
}

fn enterprise_admin(state: &State, req: &ApiRequest) -> Result<()> {
    if state.config.profile != Profile::Enterprise {
        return Err(PortalError::invalid_url());
    }
    let caller = req.user()?;
    if caller.is_admin() {
        Ok(())
    } else {
        Err(PortalError::forbidden())
    }
}

async fn root(state: State, req: ApiRequest) -> Result<Reply> {
    enterprise_admin(&state, &req)?;
    Ok(Reply::Json(json!({
        "resources": ["security", "system", "logs", "federation", "license"],
        "currentVersion": crate::portal::CURRENT_VERSION,
    })))
}

async fn security(state: State, req: ApiRequest) -> Result<Reply> {
    enterprise_admin(&state, &req)?;
    Ok(Reply::Json(
        json!({ "resources": ["config", "users", "roles", "groups", "tokens"] }),
    ))
}

/// `system`: Esri's Python client reads it before any license call.
async fn system(state: State, req: ApiRequest) -> Result<Reply> {
    enterprise_admin(&state, &req)?;
    Ok(Reply::Json(json!({
        "resources": ["properties", "directories", "licenses", "database", "indexer", "webadaptors"],
    })))
}

/// `license`: registered members per user type against the seats bought.
async fn license(state: State, req: ApiRequest) -> Result<Reply> {
    enterprise_admin(&state, &req)?;
    state
        .with_db(|_, conn| {
            Ok(Reply::Json(crate::licenses::seats::enterprise_license(
                &conn,
            )?))
        })
        .await
}

async fn config(state: State, req: ApiRequest) -> Result<Reply> {
    enterprise_admin(&state, &req)?;
    Ok(Reply::Json(json!({
        "userStoreConfig": { "type": "BUILTIN", "properties": {} },
        "groupStoreConfig": { "type": "BUILTIN", "properties": {} },
        "authenticationTier": "ARCGIS_PORTAL",
        "defaultRoleForUser": "org_user",
        "defaultUserTypeIdForUser": "creatorUT",
        "enableAutomaticAccountCreation": false,
        "disableServicesDirectory": false,
        "allowedProxyHosts": "",
    })))
}

/// `createUser`: the member exists at once. Who may call it, and which roles they may give,
/// is delegated administration's (`delegation`: the privilege to add members, to manage
/// security, or the default Administrator role; no role holding privileges one lacks).
/// Answers `{"status":"success"}` (the Python client treats `success: true` as a failure on
/// this path: docs/PORTAL-API.md, Users > creating users).
async fn create_user(state: State, req: ApiRequest) -> Result<Reply> {
    if state.config.profile != Profile::Enterprise {
        return Err(PortalError::invalid_url());
    }
    let caller = req.user()?.clone();
    crate::delegation::may_add_members(&caller)?;
    let p = req.params.clone();
    let username = p.required("username")?.to_string();
    validate::username(&username, 24)?;
    let provider = p.str("provider").unwrap_or("arcgis").to_ascii_lowercase();
    if provider != "arcgis" && provider != "enterprise" {
        return Err(PortalError::bad_request(
            "Invalid provider: use arcgis or enterprise.",
        ));
    }
    let password = p
        .raw("password")
        .filter(|v| !v.is_empty())
        .map(String::from);
    if provider == "arcgis" {
        let pw = password.as_deref().ok_or_else(|| {
            PortalError::bad_request("'password' must be specified for built-in accounts.")
        })?;
        crate::passwords::check_policy(&username, pw)?;
    }
    let email = p.required("email")?.to_string();
    validate::email(&email)?;
    let first = p.str("firstname").unwrap_or("").to_string();
    let last = p.str("lastname").unwrap_or("").to_string();
    validate::text("firstname", &first, 128)?;
    validate::text("lastname", &last, 128)?;
    let description = p.str("description").map(String::from);
    let role_given = p.str("role").unwrap_or("org_user").to_string();
    let user_type = validate::user_type(p.required("userLicenseTypeId")?)?;
    let idp = p.str("idpUsername").map(String::from);
    state
        .with_db(move |_, conn| {
            if crate::users::find(&conn, &username)?.is_some() {
                return Err(PortalError::bad_request(format!(
                    "The username '{username}' is already taken."
                )));
            }
            let (base_role, role_id) = validate::role(&conn, &role_given)?;
            crate::delegation::may_grant(&conn, &caller, &base_role, role_id.as_deref())?;
            validate::compatible(user_type, &base_role, role_id.as_deref())?;
            let record = InviteeRecord {
                username: username.clone(),
                email,
                full: format!("{first} {last}").trim().to_string(),
                first,
                last,
                base_role,
                role_id,
                user_type: user_type.to_string(),
                esri_access: "both".into(),
                groups: Vec::new(),
                credits: None,
                provider,
                idp_username: idp,
            };
            let hash = password
                .as_deref()
                .map(crate::passwords::hash)
                .transpose()?;
            create_member(&conn, &record, hash.as_deref())?;
            if let Some(d) = description {
                conn.execute(
                    "UPDATE users SET description = ?1 WHERE username = ?2",
                    r2d2_sqlite::rusqlite::params![d, username],
                )?;
            }
            Ok(Reply::Json(json!({ "status": "success" })))
        })
        .await
}
