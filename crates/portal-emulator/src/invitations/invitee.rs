//! The member an invitation will make ([`InviteeRecord`]) and making it
//! ([`create_member`]): at once for an invitation with a password, when an invitee accepts,
//! and for Enterprise's `createUser`.
//!
//! What is deliberately not here: checking an invitation's fields (`invite`) and the
//! invitations table (`org`, `accept`).

use r2d2_sqlite::rusqlite::{params, Connection};

use crate::error::Result;
use crate::util::{hex_id, now_ms};

/// The fields of a member to be, as kept on an invitation.
pub struct InviteeRecord {
    pub username: String,
    pub email: String,
    pub first: String,
    pub last: String,
    pub full: String,
    pub base_role: String,
    pub role_id: Option<String>,
    pub user_type: String,
    pub esri_access: String,
    pub groups: Vec<String>,
    pub credits: Option<f64>,
    pub provider: String,
    pub idp_username: Option<String>,
}

/// Creates the member of an invitation (now with a password, or when an invitation is
/// accepted), with its groups.
pub fn create_member(
    conn: &Connection,
    i: &InviteeRecord,
    password_hash: Option<&str>,
) -> Result<()> {
    crate::licenses::seats::check_room(conn, &i.user_type, 1)?;
    let now = now_ms();
    let credits = i.credits.unwrap_or(-1.0);
    conn.execute(
        "INSERT INTO users (id, username, full_name, first_name, last_name, email, password_hash,
           role, role_id, user_license_type_id, user_type, access, provider, idp_username,
           created, modified, assigned_credits, available_credits)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'org', ?12, ?13, ?14, ?14, ?15, ?15)",
        params![
            hex_id(32),
            i.username,
            i.full,
            i.first,
            i.last,
            i.email,
            password_hash,
            i.base_role,
            i.role_id,
            i.user_type,
            i.esri_access,
            i.provider,
            i.idp_username,
            now,
            credits
        ],
    )?;
    for g in &i.groups {
        conn.execute(
            "INSERT OR IGNORE INTO group_members (group_id, username, member_type, joined) VALUES (?1, ?2, 'member', ?3)",
            params![g, i.username, now],
        )?;
    }
    Ok(())
}

pub(crate) fn exists_user(conn: &Connection, username: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)",
        params![username],
        |r| r.get(0),
    )?)
}
