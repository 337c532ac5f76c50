//! `community/users/{u}/update`: a member's profile (names, email, description, access,
//! culture, tags, thumbnail, password...). Only the given fields change.
//!
//! What is deliberately not here: role, user type and credits, which administrators change
//! through `portals/self` operations (`admin`), and app properties (`properties`).

use r2d2_sqlite::rusqlite::params_from_iter;
use serde_json::{json, Value};

use super::{OnTarget, Target};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::now_ms;
use crate::validate;
use crate::State;

/// `community/users/{u}/update`: only the given fields change; `username` in the body is
/// ignored (rest-js sends it); `clearEmptyFields=true` lets empty values clear fields.
pub(crate) async fn update(state: State, req: ApiRequest) -> Result<Reply> {
    let target = Target::to_change(&req, "portal:admin:updateUsers")?;
    let p = req.params.clone();
    target
        .run(&state, move |OnTarget { state: s, conn, caller, user }| {
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
            if let Some(email) = p.str("email").filter(|e| *e != user.email) {
                crate::delegation::may_change_email(&caller, &user)?;
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
                conn.execute(&sql, params_from_iter(values))?;
            }
            drop(conn);
            if password_changed {
                crate::auth::revoke_user_except(&s, &user.username, &caller.token_hash)?;
            }
            Ok(Reply::Json(json!({ "success": true, "username": user.username })))
        })
        .await
}
