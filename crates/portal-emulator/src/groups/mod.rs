//! Groups (docs/PORTAL-API.md, Groups): the group record and who may see and manage a group,
//! here; the operations in one file per concern:
//!
//! - `crud`: create a group (`community/createGroup`), read one, delete one;
//! - `search`: `community/groups` with `q`, sorting and paging;
//! - `membership`: who is in a group (`users`, `userList`), adding, removing, promoting and
//!   demoting members (25 per request), joining and leaving;
//! - `invite`: inviting members to a group.
//!
//! What is deliberately not here: a member's own group invitations and answering them
//! (`invitations`), and the groups listed in a user's own record (`users`).

mod crud;
mod invite;
mod membership;
mod search;

use r2d2_sqlite::rusqlite::{self, params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::db::Conn;
use crate::error::{PortalError, Result};
use crate::routing::ApiRequest;
use crate::{route, routing::Route, State};

/// At most this many users per membership request (both Esri clients split into 25s).
pub const MEMBERS_PER_REQUEST: usize = 25;

/// A user may be in at most this many groups.
pub const MAX_GROUPS_PER_USER: i64 = 512;

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Post, "community/createGroup", crud::create, upload),
        route!(Api, Read, "community/groups", search::search),
        route!(Api, Read, "community/groups/{}", crud::get),
        route!(Api, Read, "community/groups/{}/users", membership::users),
        route!(Api, Read, "community/groups/{}/userList", membership::user_list),
        route!(Api, Post, "community/groups/{}/addUsers", membership::add_users),
        route!(Api, Post, "community/groups/{}/removeUsers", membership::remove_users),
        route!(Api, Post, "community/groups/{}/invite", invite::invite),
        route!(Api, Post, "community/groups/{}/updateUsers", membership::update_users),
        route!(Api, Post, "community/groups/{}/join", membership::join),
        route!(Api, Post, "community/groups/{}/leave", membership::leave),
        route!(Api, Post, "community/groups/{}/delete", crud::delete),
    ]
}

/// The columns of [`group_json_from_row`].
pub const GROUP_COLUMNS: &str = "id, title, owner, description, snippet, tags, access, is_invitation_only, is_view_only, created, modified";

/// A group object from a row whose first 11 columns are [`GROUP_COLUMNS`].
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

/// A group as stored, with what access checks need.
pub(crate) struct Group {
    pub(crate) json: Value,
    pub(crate) id: String,
    pub(crate) owner: String,
    pub(crate) access: String,
    pub(crate) invitation_only: bool,
}

/// The group with this id, whoever asks.
pub(crate) fn load(conn: &Connection, id: &str, org_id: &str) -> Result<Option<Group>> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id = ?1");
    Ok(conn
        .query_row(&sql, params![id], |r| {
            Ok(Group {
                json: group_json_from_row(r, org_id)?,
                id: r.get(0)?,
                owner: r.get(2)?,
                access: r.get(6)?,
                invitation_only: r.get(7)?,
            })
        })
        .optional()?)
}

pub(crate) fn member_type(
    conn: &Connection,
    group: &str,
    username: &str,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT member_type FROM group_members WHERE group_id = ?1 AND username = ?2",
            params![group, username],
            |r| r.get(0),
        )
        .optional()?)
}

/// A group the caller may see (private groups: members and admins only), else 400.
pub(crate) fn visible(
    conn: &Connection,
    caller: Option<&Caller>,
    id: &str,
    org_id: &str,
) -> Result<Group> {
    let group = load(conn, id, org_id)?.ok_or_else(PortalError::group_not_found)?;
    let ok = match caller {
        None => group.access == "public",
        Some(c) if c.has("portal:admin:viewGroups") => true,
        Some(c) => {
            group.access != "private" || member_type(conn, &group.id, &c.username)?.is_some()
        }
    };
    if ok {
        Ok(group)
    } else {
        Err(PortalError::group_not_found())
    }
}

/// Whether the caller manages the group: its owner or a manager, or an admin holding
/// `privilege`.
pub(crate) fn manages(
    conn: &Connection,
    caller: &Caller,
    group: &Group,
    privilege: &str,
) -> Result<bool> {
    if caller.has(privilege) || caller.is(&group.owner) {
        return Ok(true);
    }
    Ok(matches!(
        member_type(conn, &group.id, &caller.username)?.as_deref(),
        Some("admin" | "owner")
    ))
}

pub(crate) fn with_membership(
    conn: &Connection,
    mut g: Value,
    caller: Option<&Caller>,
) -> Result<Value> {
    if let Some(c) = caller.filter(|c| !c.app_only) {
        let id = g["id"].as_str().unwrap_or("").to_string();
        let kind = member_type(conn, &id, &c.username)?.unwrap_or_else(|| "none".into());
        g["userMembership"] =
            json!({ "username": c.username, "memberType": kind, "applications": 0 });
    }
    Ok(g)
}

/// The group a `community/groups/{id}/…` path names, and the signed-in member who asks: what
/// every handler of one group starts with, written once. Taking it from the request only
/// checks that someone is signed in (499), so a handler reads its parameters next as it always
/// did; [`PathGroup::run`] finds the group in the database.
pub(crate) struct PathGroup {
    caller: Caller,
    id: String,
}

/// What a handler works with once its group is found.
pub(crate) struct OnGroup {
    pub(crate) conn: Conn,
    pub(crate) caller: Caller,
    pub(crate) group: Group,
}

impl PathGroup {
    /// The group named by the path's first segment.
    pub(crate) fn of(req: &ApiRequest) -> Result<Self> {
        Ok(Self {
            caller: req.signed_in()?,
            id: req.capture(0).to_string(),
        })
    }

    /// Runs `f` on the blocking pool with the group, if the caller may see it ("does not
    /// exist" otherwise: private groups are for their members and administrators).
    pub(crate) async fn run<T: Send + 'static>(
        self,
        state: &State,
        f: impl FnOnce(OnGroup) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        state
            .with_db(move |s, conn| {
                let group = visible(&conn, Some(&self.caller), &self.id, &s.org_id)?;
                f(OnGroup {
                    conn,
                    caller: self.caller,
                    group,
                })
            })
            .await
    }

    /// [`PathGroup::run`] for changes of membership: error 403 unless the caller manages the
    /// group (its owner or a manager) or is an administrator who may assign members.
    pub(crate) async fn run_managed<T: Send + 'static>(
        self,
        state: &State,
        f: impl FnOnce(OnGroup) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.run(state, move |g| {
            if !manages(&g.conn, &g.caller, &g.group, "portal:admin:assignToGroups")? {
                return Err(PortalError::forbidden());
            }
            f(g)
        })
        .await
    }
}
