//! `community/checkUsernames`: which usernames are free, with a suggestion for taken ones (a
//! name counts as taken by a member or by an open invitation). Signed-in callers only: whether
//! a name is taken tells whether an account exists (docs/SECURITY.md, Search and visibility).
//!
//! What is deliberately not here: the username rule itself (`validate::username`).

use r2d2_sqlite::rusqlite::params;
use serde_json::json;

use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::validate;
use crate::State;

/// `checkUsernames` (shape unverified: docs/PORTAL-API.md, Users > creating users): which
/// names are free, with a suggestion for taken ones.
pub(crate) async fn check_usernames(state: State, req: ApiRequest) -> Result<Reply> {
    // A taken name tells that an account exists, private or not: not for anonymous callers.
    req.signed_in()?;
    let names = req.params.list("usernames")?;
    if names.len() > 100 {
        return Err(PortalError::bad_request(
            "Too many usernames: at most 100 per request.",
        ));
    }
    state
        .with_db(move |_, conn| {
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
