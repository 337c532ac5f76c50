//! The columns of a members CSV file: the app's own export (which it imports back) and the
//! file of ArcGIS's *Invite and add members → upload a file* (`First Name, Last Name, Email,
//! Username, Role, User Type`, with `Password` on ArcGIS Enterprise). Headers are matched
//! loosely: case, spaces, `_` and `-` do not matter, and a few other spellings are known
//! (`userLicenseTypeId`, `idpUsername`).

use serde::{Deserialize, Serialize};

/// A column the app knows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Column {
    Username,
    FirstName,
    LastName,
    FullName,
    Email,
    Role,
    UserType,
    Status,
    Credits,
    Groups,
    Licenses,
    LastLogin,
    Created,
    Provider,
    /// Import only: a new member's password (never exported, never shown).
    Password,
    /// Import only: a new member's login at the organization's identity provider (SAML/OIDC).
    IdpUsername,
}

/// Every column, in the export's order.
pub const ALL: &[Column] = &[
    Column::Username,
    Column::FirstName,
    Column::LastName,
    Column::FullName,
    Column::Email,
    Column::Role,
    Column::UserType,
    Column::Status,
    Column::Credits,
    Column::Groups,
    Column::Licenses,
    Column::LastLogin,
    Column::Created,
    Column::Provider,
    Column::Password,
    Column::IdpUsername,
];

impl Column {
    /// The header the export writes.
    pub fn header(self) -> &'static str {
        match self {
            Column::Username => "Username",
            Column::FirstName => "First Name",
            Column::LastName => "Last Name",
            Column::FullName => "Full Name",
            Column::Email => "Email",
            Column::Role => "Role",
            Column::UserType => "User Type",
            Column::Status => "Status",
            Column::Credits => "Credits",
            Column::Groups => "Groups",
            Column::Licenses => "Licenses",
            Column::LastLogin => "Last Login",
            Column::Created => "Created",
            Column::Provider => "Provider",
            Column::Password => "Password",
            Column::IdpUsername => "IdP Username",
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Column> {
        let key: String = header
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{feff}'))
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "username" | "login" => Column::Username,
            "firstname" => Column::FirstName,
            "lastname" => Column::LastName,
            "fullname" | "name" => Column::FullName,
            "email" | "emailaddress" => Column::Email,
            "role" | "roleid" => Column::Role,
            "usertype" | "userlicensetype" | "userlicensetypeid" => Column::UserType,
            "status" => Column::Status,
            "credits" | "assignedcredits" => Column::Credits,
            "groups" => Column::Groups,
            "licenses" => Column::Licenses,
            "lastlogin" => Column::LastLogin,
            "created" => Column::Created,
            "provider" => Column::Provider,
            "password" => Column::Password,
            "idpusername" | "idpuser" | "samlusername" => Column::IdpUsername,
            _ => return None,
        })
    }

    /// Whether an import reads the column (the others are facts the portal keeps: status,
    /// last login, licenses, …, and are left as they are).
    pub fn imported(self) -> bool {
        matches!(
            self,
            Column::Username
                | Column::FirstName
                | Column::LastName
                | Column::Email
                | Column::Role
                | Column::UserType
                | Column::Credits
                | Column::Groups
                | Column::Password
                | Column::IdpUsername
        )
    }

    /// Whether the export can write the column.
    pub fn exported(self) -> bool {
        !matches!(self, Column::Password | Column::IdpUsername)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely_and_round_trip() {
        for c in ALL {
            assert_eq!(Column::from_header(c.header()), Some(*c), "{c:?}");
        }
        assert_eq!(
            Column::from_header("  first_NAME "),
            Some(Column::FirstName)
        );
        assert_eq!(Column::from_header("\u{feff}Email"), Some(Column::Email));
        assert_eq!(
            Column::from_header("userLicenseTypeId"),
            Some(Column::UserType)
        );
        assert_eq!(Column::from_header("Shoe size"), None);
    }
}
