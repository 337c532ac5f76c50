//! Groups and membership (contract §5). This first part holds the group object; the
//! membership operations follow.

use r2d2_sqlite::rusqlite::{self, Row};
use serde_json::{json, Value};

/// A group object from a row whose first 11 columns are
/// `id, title, owner, description, snippet, tags, access, is_invitation_only, is_view_only,
/// created, modified`.
pub fn group_json_from_row(r: &Row<'_>, org_id: &str) -> rusqlite::Result<Value> {
    let tags: String = r.get(5)?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "title": r.get::<_, String>(1)?,
        "owner": r.get::<_, String>(2)?,
        "description": r.get::<_, Option<String>>(3)?,
        "snippet": r.get::<_, Option<String>>(4)?,
        "tags": serde_json::from_str::<Vec<String>>(&tags).unwrap_or_default(),
        "access": r.get::<_, String>(6)?,
        "isInvitationOnly": r.get::<_, bool>(7)?,
        "isViewOnly": r.get::<_, bool>(8)?,
        "isReadOnly": false,
        "isFav": false,
        "isOpenData": false,
        "protected": false,
        "autoJoin": false,
        "notificationsEnabled": false,
        "phone": Value::Null,
        "thumbnail": Value::Null,
        "sortField": "title",
        "sortOrder": "asc",
        "provider": Value::Null,
        "providerGroupName": Value::Null,
        "capabilities": [],
        "orgId": org_id,
        "created": r.get::<_, i64>(9)?,
        "modified": r.get::<_, i64>(10)?,
    }))
}
