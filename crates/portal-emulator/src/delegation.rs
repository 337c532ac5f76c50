//! Delegated administration (docs/SECURITY.md, Delegated administration): what an
//! administrator may do to another member's account, written once and asked by every operation
//! that changes a member, gives a role, or adds a member.
//!
//! A *default administrator* holds the built-in Administrator role (`org_admin` and no custom
//! role id). A *custom administrator* holds a custom role with some `portal:admin:*`
//! privileges. The operation's own privilege (`portal:admin:changeUserRoles`, ...) is checked
//! by the operation; these rules come on top of it:
//!
//! 1. Nobody changes their own role.
//! 2. Only a default administrator changes anything of another default administrator's account
//!    (role, user type, profile, password, disabled, deletion, credits, content).
//! 3. A role is given (role change, invitation, `createUser`, a role's privileges) only by a
//!    default administrator, or by someone who holds every privilege of that role; the
//!    Administrator role itself only by a default administrator.
//! 4. Only a default administrator changes another member's email address.
//! 5. Adding members through Enterprise's `createUser` takes the privilege to add members, the
//!    privilege to manage security, or the default Administrator role.
//!
//! Refusals are ArcGIS's 403 envelope with the reason in `details`.
//!
//! What is deliberately not here: the operations' own privilege checks (`Caller::require`),
//! user-type compatibility (`validate::compatible`) and keeping one administrator (`users`).

use r2d2_sqlite::rusqlite::Connection;

use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::users::User;

/// The privilege ArcGIS calls *Add* (Enterprise) or *Invite* (Online) members.
pub const ADD_MEMBERS: &str = "portal:admin:inviteUsers";
/// The privilege ArcGIS calls *Security and infrastructure*.
pub const MANAGE_SECURITY: &str = "portal:admin:manageSecurity";

fn refused(why: impl Into<String>) -> PortalError {
    PortalError::forbidden().with_detail(why)
}

fn default_admin_role(role: &str, role_id: Option<&str>) -> bool {
    role == "org_admin" && role_id.is_none()
}

/// Whether the caller is a default administrator (an app token never is).
pub fn is_default_admin(caller: &Caller) -> bool {
    !caller.app_only && default_admin_role(&caller.role, caller.role_id.as_deref())
}

/// Whether the member is a default administrator.
pub fn is_default_admin_member(user: &User) -> bool {
    default_admin_role(&user.role, user.role_id.as_deref())
}

/// Rule 2: the caller may change this member's account, other than its role (see
/// [`may_change_role`]). Acting on oneself is always allowed here.
pub fn may_act_on(caller: &Caller, target: &User) -> Result<()> {
    if caller.is(&target.username) || is_default_admin(caller) {
        return Ok(());
    }
    if is_default_admin_member(target) {
        return Err(refused(format!(
            "Only a default administrator can change the account of '{}', a default administrator.",
            target.username
        )));
    }
    Ok(())
}

/// Rules 1 to 3 for a role change: `base` and `role_id` are the new role as
/// `validate::role` reads it.
pub fn may_change_role(
    conn: &Connection,
    caller: &Caller,
    target: &User,
    base: &str,
    role_id: Option<&str>,
) -> Result<()> {
    if caller.is(&target.username) {
        return Err(refused("You cannot change your own role."));
    }
    may_act_on(caller, target)?;
    may_grant(conn, caller, base, role_id)
}

/// Rule 3: the caller may give this role to a member (a role change, an invitation, a new
/// member).
pub fn may_grant(
    conn: &Connection,
    caller: &Caller,
    base: &str,
    role_id: Option<&str>,
) -> Result<()> {
    if is_default_admin(caller) {
        return Ok(());
    }
    if default_admin_role(base, role_id) {
        return Err(refused(
            "Only a default administrator can give the Administrator role.",
        ));
    }
    let privileges = crate::users::privileges_for(conn, base, role_id)?;
    may_grant_privileges(caller, &privileges)
}

/// Rule 3 for a list of privileges (a role's, or what `setPrivileges` would give a role).
pub fn may_grant_privileges(caller: &Caller, privileges: &[String]) -> Result<()> {
    if is_default_admin(caller) {
        return Ok(());
    }
    let lacking: Vec<&str> = privileges
        .iter()
        .filter(|p| !caller.has(p))
        .map(String::as_str)
        .collect();
    if lacking.is_empty() {
        Ok(())
    } else {
        Err(refused(format!(
            "You cannot give privileges you do not hold yourself: {}.",
            crate::params::truncate(&lacking.join(", "))
        )))
    }
}

/// Rule 4: the caller may change this member's email address.
pub fn may_change_email(caller: &Caller, target: &User) -> Result<()> {
    if caller.is(&target.username) || is_default_admin(caller) {
        Ok(())
    } else {
        Err(refused(
            "Only a default administrator can change another member's email address.",
        ))
    }
}

/// Rule 5: the caller may add members through Enterprise's `createUser`.
pub fn may_add_members(caller: &Caller) -> Result<()> {
    if is_default_admin(caller) || caller.has(ADD_MEMBERS) || caller.has(MANAGE_SECURITY) {
        Ok(())
    } else {
        Err(PortalError::forbidden())
    }
}
