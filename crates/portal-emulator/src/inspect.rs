//! What the portal holds now, read without the API: typed answers for tests of other crates
//! (did the app's change land in the portal?) and for the app's demo portal (is it new?), so
//! no code outside this crate reads the portal's tables.
//!
//! Always compiled, not behind the `testing` feature: it adds no dependency, and the app's own
//! code has a question for it. Each function takes one connection from the pool and returns.
//!
//! What is deliberately not here: changing anything (tests change the portal through its API,
//! as clients do) and the JSON views the API answers with (`users`, `groups`, `invitations`).

use r2d2_sqlite::rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::State;

/// A member as stored: the fields the app edits.
#[derive(Debug, Clone, PartialEq)]
pub struct UserFacts {
    /// The username as stored (its real case).
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub description: Option<String>,
    /// Profile visibility: `private`, `org` or `public`.
    pub access: String,
    /// `org_user`, `org_publisher` or `org_admin`; for a custom role, the one it amounts to.
    pub role: String,
    /// The custom role's id (Viewer and Data Editor included), if any.
    pub role_id: Option<String>,
    /// The user type (`userLicenseTypeId`), e.g. `creatorUT`.
    pub user_type: String,
    pub disabled: bool,
    /// Credits assigned to the member; -1 for no limit.
    pub assigned_credits: f64,
}

/// One member in one group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Membership {
    pub username: String,
    pub group_id: String,
    /// `owner`, `admin` (a manager) or `member`.
    pub member_type: String,
}

/// How many members the organization has, the administrator included.
pub fn user_count(state: &State) -> Result<i64> {
    let conn = state.db.get()?;
    Ok(conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
}

/// The member with this username (any case) or id, if there is one.
pub fn user_row(state: &State, username: &str) -> Result<Option<UserFacts>> {
    let conn = state.db.get()?;
    Ok(crate::users::find(&conn, username)?.map(|u| UserFacts {
        username: u.username,
        full_name: u.full_name,
        email: u.email,
        description: u.description,
        access: u.access,
        role: u.role,
        role_id: u.role_id,
        user_type: u.user_license_type_id,
        disabled: u.disabled,
        assigned_credits: u.assigned_credits,
    }))
}

/// What a member was given, sorted: each entitlement as `<listing item id>/<entitlement>`
/// and each app bundle as `bundle/<bundle id>` (not those their user type includes).
pub fn licenses_of(state: &State, username: &str) -> Result<Vec<String>> {
    let conn = state.db.get()?;
    let mut out: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT item_id || '/' || entitlement FROM user_entitlements WHERE username = ?1",
        )?;
        let rows = stmt.query_map(params![username], |r| r.get::<_, String>(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    if let Some(u) = crate::users::find(&conn, username)? {
        out.extend(u.app_bundles.iter().map(|b| format!("bundle/{b}")));
    }
    out.sort();
    Ok(out)
}

/// Members holding each user type, by type id.
pub fn user_type_counts(state: &State) -> Result<std::collections::BTreeMap<String, i64>> {
    let conn = state.db.get()?;
    let mut stmt = conn.prepare(
        "SELECT user_license_type_id, COUNT(*) FROM users GROUP BY user_license_type_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The ids of the groups a member is in (owned ones included), sorted.
pub fn user_group_ids(state: &State, username: &str) -> Result<Vec<String>> {
    strings(
        state,
        "SELECT group_id FROM group_members WHERE username = ?1 ORDER BY group_id",
        username,
    )
}

/// The usernames of a group's members (its owner included), sorted without regard to case.
pub fn group_member_names(state: &State, group_id: &str) -> Result<Vec<String>> {
    strings(
        state,
        "SELECT username FROM group_members WHERE group_id = ?1 ORDER BY username COLLATE NOCASE",
        group_id,
    )
}

/// The ids of the groups a member owns, sorted.
pub fn groups_owned_by(state: &State, username: &str) -> Result<Vec<String>> {
    strings(
        state,
        "SELECT id FROM groups WHERE owner = ?1 ORDER BY id",
        username,
    )
}

/// The owner of a group, if the group exists.
pub fn group_owner(state: &State, group_id: &str) -> Result<Option<String>> {
    let conn = state.db.get()?;
    Ok(conn
        .query_row(
            "SELECT owner FROM groups WHERE id = ?1",
            params![group_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every membership of every group, sorted by username, then group.
pub fn memberships(state: &State) -> Result<Vec<Membership>> {
    let conn = state.db.get()?;
    let mut stmt = conn.prepare(
        "SELECT username, group_id, member_type FROM group_members
         ORDER BY username COLLATE NOCASE, group_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Membership {
            username: r.get(0)?,
            group_id: r.get(1)?,
            member_type: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many invitations to this username are not accepted yet, to the organization or to a
/// group, expired ones included (a set-password link of a member created without a password
/// is not an invitation).
pub fn open_invitation_count(state: &State, username: &str) -> Result<i64> {
    count(
        state,
        "SELECT COUNT(*) FROM invitations WHERE username = ?1 AND accepted = 0 AND kind <> 'activation'",
        username,
    )
}

/// How many invitations to the organization are not accepted yet, expired ones included:
/// what `portals/self/invitations` lists.
pub fn open_org_invitation_count(state: &State) -> Result<i64> {
    let conn = state.db.get()?;
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND accepted = 0",
        [],
        |r| r.get(0),
    )?)
}

/// Whether an invitation to the organization with this id is stored (not withdrawn, not
/// replaced, not accepted).
pub fn org_invitation_exists(state: &State, id: &str) -> Result<bool> {
    Ok(count(
        state,
        "SELECT COUNT(*) FROM invitations WHERE id = ?1 AND kind = 'org'",
        id,
    )? > 0)
}

/// How many refresh tokens a member holds (one per OAuth sign-in not yet signed out),
/// expired ones included.
pub fn refresh_token_count(state: &State, username: &str) -> Result<i64> {
    count(
        state,
        "SELECT COUNT(*) FROM tokens WHERE kind = 'refresh' AND username = ?1 COLLATE NOCASE",
        username,
    )
}

/// How many tokens of any kind (access, refresh) a member holds, expired ones included.
pub fn token_count(state: &State, username: &str) -> Result<i64> {
    count(
        state,
        "SELECT COUNT(*) FROM tokens WHERE username = ?1 COLLATE NOCASE",
        username,
    )
}

fn count(state: &State, sql: &str, param: &str) -> Result<i64> {
    let conn = state.db.get()?;
    Ok(conn.query_row(sql, params![param], |r| r.get(0))?)
}

fn strings(state: &State, sql: &str, param: &str) -> Result<Vec<String>> {
    let conn = state.db.get()?;
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![param], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
