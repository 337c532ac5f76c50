//! The member as stored ([`User`], read with [`USER_COLUMNS`]), its JSON views (public, and
//! full for the member and administrators), finding one by username or id, and the rules of
//! who sees whom (docs/PORTAL-API.md, Users > the user object; Privileges and access).
//!
//! What is deliberately not here: any endpoint, and the in-memory copy of all members that
//! search and sign-in read (`snapshot`).

use r2d2_sqlite::rusqlite::{self, params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use super::visibility::{may_read, reader_of, reads_private, Reader};
use crate::error::{PortalError, Result};

/// The columns every user query selects, in [`User::from_row`] order.
pub const USER_COLUMNS: &str =
    "id, username, full_name, first_name, last_name, email, description, \
    role, role_id, user_license_type_id, user_type, access, provider, idp_username, disabled, \
    last_login, created, modified, tags, categories, culture, culture_format, region, units, \
    preferred_view, thumbnail, assigned_credits, available_credits, mfa_enabled, storage_usage, \
    app_bundles";

/// A member, as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub description: Option<String>,
    pub role: String,
    pub role_id: Option<String>,
    pub user_license_type_id: String,
    pub user_type: String,
    pub access: String,
    pub provider: String,
    pub idp_username: Option<String>,
    pub disabled: bool,
    pub last_login: i64,
    pub created: i64,
    pub modified: i64,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub culture: String,
    pub culture_format: String,
    pub region: String,
    pub units: String,
    pub preferred_view: Option<String>,
    pub thumbnail: Option<String>,
    pub assigned_credits: f64,
    pub available_credits: f64,
    pub mfa_enabled: bool,
    pub storage_usage: i64,
    /// The app bundles given to the member (ids; not those their user type includes).
    pub app_bundles: Vec<String>,
}

impl User {
    /// Reads a row selected with [`USER_COLUMNS`].
    pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        let list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
        Ok(Self {
            id: r.get(0)?,
            username: r.get(1)?,
            full_name: r.get(2)?,
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            email: r.get(5)?,
            description: r.get(6)?,
            role: r.get(7)?,
            role_id: r.get(8)?,
            user_license_type_id: r.get(9)?,
            user_type: r.get(10)?,
            access: r.get(11)?,
            provider: r.get(12)?,
            idp_username: r.get(13)?,
            disabled: r.get(14)?,
            last_login: r.get(15)?,
            created: r.get(16)?,
            modified: r.get(17)?,
            tags: list(r.get(18)?),
            categories: list(r.get(19)?),
            culture: r.get(20)?,
            culture_format: r.get(21)?,
            region: r.get(22)?,
            units: r.get(23)?,
            preferred_view: r.get(24)?,
            thumbnail: r.get(25)?,
            assigned_credits: r.get(26)?,
            available_credits: r.get(27)?,
            mfa_enabled: r.get(28)?,
            storage_usage: r.get(29)?,
            app_bundles: list(r.get(30)?),
        })
    }

    /// The record as `reader` reads it (`visibility`): every field, then only those the
    /// reader may read.
    pub fn json_for(
        &self,
        reader: Reader,
        org_id: &str,
        privileges: &[String],
        groups: Value,
    ) -> Value {
        let mut v = self.full_json(org_id, privileges, groups);
        if let Some(obj) = v.as_object_mut() {
            obj.retain(|field, _| may_read(reader, field));
        }
        v
    }

    /// The record as a member who is not its owner reads it (the public fields).
    pub fn public_json(&self, org_id: &str) -> Value {
        self.json_for(Reader::Member, org_id, &[], Value::Array(Vec::new()))
    }

    /// The self / administrator view: every field. `groups` is filled by the caller where the
    /// view includes them; search results carry an empty list.
    pub fn full_json(&self, org_id: &str, privileges: &[String], groups: Value) -> Value {
        let mut v = json!({
            "username": self.username,
            "udn": Value::Null,
            "id": self.id,
            "fullName": self.full_name,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "description": self.description,
            "tags": self.tags,
            "culture": self.culture,
            "region": self.region,
            "units": self.units,
            "thumbnail": self.thumbnail,
            "created": self.created,
            "modified": self.modified,
            "provider": self.provider,
            "orgId": org_id,
        });
        let extra = json!({
            "email": self.email,
            "emailStatus": "verified",
            "userType": self.user_type,
            "idpUsername": self.idp_username,
            "favGroupId": Value::Null,
            "lastLogin": self.last_login,
            "mfaEnabled": self.mfa_enabled,
            "mfaEnforcementExempt": false,
            "access": self.access,
            "storageUsage": self.storage_usage,
            "storageQuota": 2_199_023_255_552_i64,
            "role": self.role,
            "privileges": privileges,
            "level": if self.role_id.as_deref() == Some(crate::privileges::VIEWER_ROLE_ID) { "1" } else { "2" },
            "userLicenseTypeId": self.user_license_type_id,
            "disabled": self.disabled,
            "cultureFormat": self.culture_format,
            "preferredView": self.preferred_view,
            "categories": self.categories,
            "assignedCredits": self.assigned_credits,
            "availableCredits": self.available_credits,
            "groups": groups,
        });
        if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
            obj.extend(more);
            if let Some(role_id) = &self.role_id {
                obj.insert("roleId".into(), json!(role_id));
            }
        }
        v
    }
}

/// The privileges of a role: built-in ones from the table in `privileges`, custom ones from
/// the database.
pub fn privileges_for(conn: &Connection, role: &str, role_id: Option<&str>) -> Result<Vec<String>> {
    if let Some(id) = role_id {
        if let Some(p) = crate::privileges::builtin(id) {
            return Ok(p);
        }
        let stored: Option<String> = conn
            .query_row(
                "SELECT privileges FROM roles WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(text) = stored {
            return Ok(serde_json::from_str(&text).unwrap_or_default());
        }
    }
    Ok(crate::privileges::builtin(role).unwrap_or_default())
}

/// Finds a user by username (case-insensitive) or by 32-hex id (docs/PORTAL-API.md, Users >
/// one user).
pub fn find(conn: &Connection, name_or_id: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1 OR id = ?1 LIMIT 1");
    Ok(conn
        .query_row(&sql, params![name_or_id], User::from_row)
        .optional()?)
}

/// The member with this username or id, or the "does not exist" answer Esri's clients match.
pub fn existing(conn: &Connection, name_or_id: &str) -> Result<User> {
    find(conn, name_or_id)?.ok_or_else(PortalError::user_not_found)
}

/// The groups of a user, each a group object plus `userMembership` (self/admin view).
pub fn groups_of(conn: &Connection, username: &str, org_id: &str) -> Result<Value> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.title, g.owner, g.description, g.snippet, g.tags, g.access,
                g.is_invitation_only, g.is_view_only, g.created, g.modified, m.member_type
         FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.username = ?1 ORDER BY g.title COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(params![username], |r| {
        let mut g = crate::groups::group_json_from_row(r, org_id)?;
        let member_type: String = r.get(11)?;
        g["userMembership"] =
            json!({"username": username, "memberType": member_type, "applications": 0});
        Ok(g)
    })?;
    Ok(Value::Array(rows.collect::<rusqlite::Result<Vec<_>>>()?))
}

/// The JSON of a user as `caller` may see it; `with_groups` for the user resource itself.
pub fn user_view(
    conn: &Connection,
    user: &User,
    caller: Option<&crate::auth::Caller>,
    org_id: &str,
    with_groups: bool,
) -> Result<Value> {
    let reader = reader_of(caller, &user.username);
    if !reads_private(reader) {
        return Ok(user.public_json(org_id));
    }
    let privileges = privileges_for(conn, &user.role, user.role_id.as_deref())?;
    let groups = if with_groups {
        groups_of(conn, &user.username, org_id)?
    } else {
        json!([])
    };
    Ok(user.json_for(reader, org_id, &privileges, groups))
}
