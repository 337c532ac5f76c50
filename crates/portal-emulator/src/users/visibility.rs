//! Who may read what of a member: one rule for the record a caller is shown, the fields a
//! caller may search by (`q`, `filter`, the org listing's filters) and sort by (`sortField`),
//! and which accounts a caller may see at all, in any list (search, the org listing, a
//! group's members) or by name (docs/SECURITY.md, Search and visibility).
//!
//! The rule is a table: [`PUBLIC_FIELDS`] are the record fields anyone who may see a member
//! reads; every other field (email, role, last login, user type, privileges, groups...) only
//! the member themselves and administrators with `portal:admin:viewUsers` read. A field added
//! to the record is private until it is listed here. A caller may filter or sort on a field
//! only if they may read it on every member they can see, i.e. as a [`Reader`] of others.
//!
//! What is deliberately not here: building the record (`record`), and matching or sorting
//! (`snapshot`), which ask this module first.

use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::query::Expr;

use super::User;

/// How a caller stands toward one member's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// No token: public accounts only, public fields only.
    Anonymous,
    /// A signed-in member (or an app's own token) reading someone else.
    Member,
    /// An administrator with `portal:admin:viewUsers`.
    Admin,
    /// The member reading their own record.
    Own,
}

/// The record fields (as the JSON names them) anyone who may see a member reads.
pub const PUBLIC_FIELDS: &[&str] = &[
    "username",
    "udn",
    "id",
    "fullName",
    "firstName",
    "lastName",
    "description",
    "tags",
    "culture",
    "region",
    "units",
    "thumbnail",
    "created",
    "modified",
    "provider",
    "orgId",
];

/// Whether `reader` reads `field` (a record field as the JSON names it).
pub fn may_read(reader: Reader, field: &str) -> bool {
    reads_private(reader) || PUBLIC_FIELDS.contains(&field)
}

/// Whether `reader` reads the fields beyond [`PUBLIC_FIELDS`] (the two views of a record).
pub fn reads_private(reader: Reader) -> bool {
    matches!(reader, Reader::Admin | Reader::Own)
}

/// How `caller` stands toward the member `username`.
pub fn reader_of(caller: Option<&Caller>, username: &str) -> Reader {
    match caller {
        Some(c) if c.is(username) => Reader::Own,
        other => reader_of_others(other),
    }
}

/// How `caller` stands toward members other than themselves: what they may search and sort
/// by, since a filter or an order on a field tells its value on every member it lists.
pub fn reader_of_others(caller: Option<&Caller>) -> Reader {
    match caller {
        None => Reader::Anonymous,
        Some(c) if c.has("portal:admin:viewUsers") => Reader::Admin,
        Some(_) => Reader::Member,
    }
}

/// The record field a search field or `sortField` (lower case) reads, if it names one.
pub fn record_field(name: &str) -> Option<&'static str> {
    Some(match name {
        "username" => "username",
        "id" => "id",
        "fullname" | "full_name" => "fullName",
        "firstname" => "firstName",
        "lastname" => "lastName",
        "description" => "description",
        "tags" => "tags",
        "provider" => "provider",
        "accountid" | "orgid" => "orgId",
        "created" => "created",
        "modified" => "modified",
        "email" => "email",
        "role" | "roleid" => "role",
        "userlicensetype" | "userlicensetypeid" | "usertype" => "userLicenseTypeId",
        // A member's bundles are read under the rule of their user type (admins and self).
        "appbundle" | "appbundles" => "userLicenseTypeId",
        "disabled" => "disabled",
        "lastlogin" => "lastLogin",
        "level" => "level",
        "mfaenabled" => "mfaEnabled",
        "access" => "access",
        "privileges" => "privileges",
        "groups" => "groups",
        "idpusername" => "idpUsername",
        _ => return None,
    })
}

/// Refuses a search or sort field the caller may not read on others.
pub fn check_field(caller: Option<&Caller>, name: &str, what: &str) -> Result<()> {
    let reader = reader_of_others(caller);
    match record_field(name) {
        Some(field) if !may_read(reader, field) => Err(PortalError::bad_request(format!(
            "You cannot {what} '{name}': only administrators read it on other members."
        ))),
        _ => Ok(()),
    }
}

/// Refuses a query that filters on a field the caller may not read on others.
pub fn check_query(caller: Option<&Caller>, expr: &Expr) -> Result<()> {
    match expr {
        Expr::All => Ok(()),
        Expr::Match { field: None, .. } => Ok(()),
        Expr::Match { field: Some(f), .. } => check_field(caller, f, "search by"),
        Expr::Not(inner) => check_query(caller, inner),
        Expr::And(items) | Expr::Or(items) => items.iter().try_for_each(|i| check_query(caller, i)),
    }
}

/// Who is looking, reduced to what decides which accounts they see (built once per request,
/// then asked for every member a list holds).
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The caller's username, lower-cased; empty for app tokens and anonymous calls.
    me: String,
    admin: bool,
    app_only: bool,
    anonymous: bool,
}

impl Viewer {
    pub fn of(caller: Option<&Caller>) -> Self {
        Viewer {
            me: caller
                .filter(|c| !c.app_only)
                .map(|c| c.username.to_lowercase())
                .unwrap_or_default(),
            admin: caller.is_some_and(|c| c.has("portal:admin:viewUsers")),
            app_only: caller.is_some_and(|c| c.app_only),
            anonymous: caller.is_none(),
        }
    }

    /// Whether every account is seen (no per-member check needed).
    pub fn sees_all(&self) -> bool {
        self.admin
    }

    /// Whether this viewer sees an account with this `access` and (lower-case) username:
    /// administrators and the member see every account; other members every account but
    /// private ones; an app's own token public and org accounts; no token public accounts
    /// only.
    pub fn sees(&self, access: &str, lc_username: &str) -> bool {
        if self.admin || (!self.me.is_empty() && self.me == lc_username) {
            true
        } else if self.anonymous {
            access == "public"
        } else if self.app_only {
            access == "public" || access == "org"
        } else {
            access != "private"
        }
    }
}

/// Whether `caller` may see `user` at all ([`Viewer::sees`]).
pub fn visible_to(user: &User, caller: Option<&Caller>) -> bool {
    Viewer::of(caller).sees(&user.access, &user.username.to_lowercase())
}

/// [`Viewer::sees`] as an SQL condition on a `users` row named `alias` (a missing row is not
/// visible), binding what it needs into `args`.
pub fn visible_sql(
    caller: Option<&Caller>,
    alias: &str,
    args: &mut Vec<r2d2_sqlite::rusqlite::types::Value>,
) -> String {
    match caller {
        Some(c) if c.has("portal:admin:viewUsers") => format!("{alias}.id IS NOT NULL"),
        Some(c) if !c.app_only => {
            args.push(c.username.clone().into());
            format!(
                "({alias}.access <> 'private' OR {alias}.username = ?{} COLLATE NOCASE)",
                args.len()
            )
        }
        Some(_) => format!("{alias}.access IN ('public', 'org')"),
        None => format!("{alias}.access = 'public'"),
    }
}
