//! Passwords: a member changes their own (`community/users/{u}/reset`, knowing the current
//! one; their other tokens end), and `expirePassword`, accepted and acknowledged (this portal has no forced change).
//!
//! What is deliberately not here: an administrator setting a member's password (`update`),
//! the password policy and hashing (`passwords`), and checking a password at sign-in
//! (`auth`).

use r2d2_sqlite::rusqlite::params;
use serde_json::json;

use super::Target;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::now_ms;
use crate::validate;
use crate::State;

/// `reset`: the member changes their own password (`password` = current, `newPassword`).
pub(crate) async fn reset(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
    if !caller.is(req.capture(0)) {
        return Err(PortalError::forbidden());
    }
    let current = req.params.raw("password").unwrap_or("").to_string();
    let new = req.params.raw("newPassword").unwrap_or("").to_string();
    if let Some(email) = req.params.str("email") {
        validate::email(email)?;
    }
    state
        .blocking(move |s| {
            match crate::auth::check_password(s, &caller.username, &current)? {
                Ok(_) => {}
                Err(crate::auth::Refusal::Invalid) => {
                    return Err(PortalError::bad_request(
                        "The current password is not correct.",
                    ))
                }
                Err(refusal) => return Err(PortalError::bad_request(refusal.message())),
            }
            crate::passwords::check_policy(&caller.username, &new)?;
            let conn = s.db.get()?;
            conn.execute(
                "UPDATE users SET password_hash = ?1, modified = ?2 WHERE username = ?3",
                params![crate::passwords::hash(&new)?, now_ms(), caller.username],
            )?;
            drop(conn);
            // Every other session of the member ends; the one that made the change stays.
            crate::auth::revoke_user_except(s, &caller.username, &caller.token_hash)?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

/// `expirePassword`: accepted and acknowledged; this portal has no forced password change.
pub(crate) async fn expire_password(state: State, req: ApiRequest) -> Result<Reply> {
    Target::to_change(&req, "portal:admin:updateUsers")?
        .run(&state, |_| Ok(Reply::Json(json!({ "success": true }))))
        .await
}
