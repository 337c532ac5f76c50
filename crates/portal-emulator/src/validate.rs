//! Checks of user input shared by the create, invite and update operations: usernames,
//! emails, names, roles and user types. Each failure names the field and the rule.
//!
//! What is deliberately not here: the password policy (`passwords`) and rules of one operation
//! only (in its handler).

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension};

use crate::error::{PortalError, Result};
use crate::privileges::{self, USER_TYPES};

/// ArcGIS Online's username rule: 6 to 128 characters; letters, digits and `. _ @ -`; no
/// leading or trailing punctuation. (Enterprise's `createUser` narrows this to 6–24.)
pub fn username(name: &str, max_len: usize) -> Result<()> {
    let len = name.chars().count();
    let problem = if len < 6 {
        Some("must be at least 6 characters long")
    } else if len > max_len {
        Some("is too long")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
    {
        Some("may only contain letters, numbers and the characters . _ @ -")
    } else if !name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        Some("must start with a letter or a number")
    } else {
        None
    };
    match problem {
        Some(p) => Err(PortalError::bad_request(format!(
            "Invalid username '{}': it {p}.",
            crate::params::truncate(name)
        ))),
        None => Ok(()),
    }
}

/// A plausible email: one `@`, a dotted domain, no spaces, at most 254 characters.
pub fn email(value: &str) -> Result<()> {
    let ok = value.len() <= 254
        && !value.contains(char::is_whitespace)
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(())
    } else {
        Err(PortalError::bad_request(format!(
            "Invalid email '{}'.",
            crate::params::truncate(value)
        )))
    }
}

/// A text field with a length limit.
pub fn text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(PortalError::bad_request(format!(
            "'{field}' is too long: at most {max} characters."
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(PortalError::bad_request(format!(
            "'{field}' contains control characters."
        )));
    }
    Ok(())
}

/// A role as the API takes it: `org_admin`/`org_publisher`/`org_user`, the legacy
/// `org_viewer`/`viewer`, or a custom role id. Returns `(base role, custom role id)`.
pub fn role(conn: &Connection, value: &str) -> Result<(String, Option<String>)> {
    match value {
        "org_admin" | "org_publisher" | "org_user" | "account_admin" | "account_publisher"
        | "account_user" => Ok((value.replace("account_", "org_"), None)),
        "org_viewer" | "viewer" | "view_only" => {
            Ok(("org_user".into(), Some(privileges::VIEWER_ROLE_ID.into())))
        }
        "viewplusedit" => Ok((
            "org_user".into(),
            Some(privileges::DATA_EDITOR_ROLE_ID.into()),
        )),
        id => {
            let found: Option<(String, String)> = conn
                .query_row(
                    "SELECT id, base_role FROM roles WHERE id = ?1 OR name = ?1 COLLATE NOCASE",
                    params![id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match found {
                Some((id, base)) => Ok((base, Some(id))),
                None => Err(PortalError::bad_request(format!(
                    "Invalid role '{}': no such role in this organization.",
                    crate::params::truncate(id)
                ))),
            }
        }
    }
}

/// A user type id, returned with its canonical spelling.
pub fn user_type(value: &str) -> Result<&'static str> {
    USER_TYPES
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(value))
        .map(|t| t.id)
        .ok_or_else(|| {
            PortalError::bad_request(format!(
                "Invalid user type '{}': use one of {}.",
                crate::params::truncate(value),
                USER_TYPES
                    .iter()
                    .map(|t| t.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

/// The portal's compatibility rule between a role and a user type.
pub fn compatible(user_type: &str, base_role: &str, role_id: Option<&str>) -> Result<()> {
    if privileges::type_allows_role(user_type, base_role, role_id) {
        Ok(())
    } else {
        let role_name = role_id.unwrap_or(base_role);
        Err(PortalError::bad_request(format!(
            "The role '{role_name}' is not compatible with the user type '{user_type}'."
        ))
        .with_detail("Choose a user type that allows this role, or a role this user type allows."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_portal_rules() {
        assert!(username("jsmith_city", 128).is_ok());
        assert!(username("j.smith@org-1", 128).is_ok());
        for bad in ["short", "has space1", "_leading", "semi;colon", "ünïcode12"] {
            assert!(username(bad, 128).is_err(), "{bad}");
        }
        assert!(username(&"a".repeat(25), 24).is_err());
    }

    #[test]
    fn emails_need_an_at_and_a_dotted_domain() {
        assert!(email("a.b@example.com").is_ok());
        for bad in [
            "no-at.example.com",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "@c.com",
            "a@.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }
}
