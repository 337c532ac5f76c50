//! The outbox: the invitation emails this portal would have sent, with their links, newest
//! first (`portals/self/emulator/outbox`, an extension of this portal for tests and demos),
//! for default administrators only.
//!
//! What is deliberately not here: writing to it (`invite` does, with each invitation).

use serde_json::json;

use crate::error::Result;
use crate::routing::{ApiRequest, Reply};
use crate::State;

pub(crate) async fn outbox(state: State, req: ApiRequest) -> Result<Reply> {
    // The links in it set passwords and make members with the roles they were sent with:
    // only a default administrator, who may do all of that, reads them (docs/SECURITY.md).
    let caller = req.holding("portal:admin:inviteUsers")?;
    if !crate::delegation::is_default_admin(&caller) {
        return Err(crate::error::PortalError::forbidden());
    }
    state
        .with_db(move |_, conn| {
            let mut stmt = conn.prepare("SELECT to_address, subject, body, link, invitation_id, created FROM outbox ORDER BY id DESC LIMIT 500")?;
            let messages = stmt
                .query_map([], |r| {
                    Ok(json!({
                        "to": r.get::<_, String>(0)?, "subject": r.get::<_, String>(1)?, "body": r.get::<_, String>(2)?,
                        "link": r.get::<_, Option<String>>(3)?, "invitationId": r.get::<_, Option<String>>(4)?, "created": r.get::<_, i64>(5)?,
                    }))
                })?
                .collect::<r2d2_sqlite::rusqlite::Result<Vec<_>>>()?;
            Ok(Reply::Json(json!({ "messages": messages })))
        })
        .await
}
