//! The names members are shown with: base and custom roles, user types, and the choices the
//! forms offer (with what the role/user-type compatibility rule needs).
//!
//! What is deliberately not here: the rule itself (`portal_client::UserType::allows`).

use std::collections::HashMap;

use portal_client::{Role, User, UserType};
use serde::Serialize;

use crate::members::Member;

/// Display names for base roles, custom roles and user types.
#[derive(Debug, Default, Clone)]
pub struct Names {
    roles: HashMap<String, String>,
    /// The base role (`org_user`, `org_publisher`, `org_admin`) of each custom role.
    bases: HashMap<String, String>,
    user_types: HashMap<String, String>,
    choices: Choices,
}

/// A role or user type a member can be given, for the edit form.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: String,
    pub name: String,
    /// A role's base role (`org_user`, `org_publisher`, `org_admin`); `None` for user types.
    pub base_role: Option<String>,
    /// The highest base role a user type allows (`viewer`: only the Viewer role); `None` for
    /// roles, and for user types the portal does not describe.
    pub max_role: Option<String>,
}

/// What the edit form offers: the organization's roles (base and custom) and user types.
#[derive(Debug, Default, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Choices {
    pub roles: Vec<Choice>,
    pub user_types: Vec<Choice>,
}

impl Names {
    /// The names the portal gave, with the built-in roles' names added.
    pub fn new(roles: &[Role], user_types: &[UserType]) -> Self {
        let mut names = Names::default();
        for (id, name) in [
            ("org_admin", "Administrator"),
            ("org_publisher", "Publisher"),
            ("org_user", "User"),
        ] {
            names.roles.insert(id.into(), name.into());
            names.bases.insert(id.into(), id.into());
            names.choices.roles.push(Choice {
                id: id.into(),
                name: name.into(),
                base_role: Some(id.into()),
                max_role: None,
            });
        }
        for role in roles {
            names.roles.insert(role.id.clone(), role.name.clone());
            // Without its privileges a custom role's level is unknown: nothing is assumed.
            let base = role
                .privileges
                .as_deref()
                .map(|p| base_role_of(p).to_string());
            if let Some(b) = &base {
                names.bases.insert(role.id.clone(), b.clone());
            }
            names.choices.roles.push(Choice {
                id: role.id.clone(),
                name: role.name.clone(),
                base_role: base,
                max_role: None,
            });
        }
        for t in user_types {
            let name = if t.name.is_empty() { &t.id } else { &t.name };
            names.user_types.insert(t.id.clone(), name.clone());
            names.choices.user_types.push(Choice {
                id: t.id.clone(),
                name: name.clone(),
                base_role: None,
                max_role: t.max_role.clone(),
            });
        }
        names
    }

    /// The roles and user types to choose from.
    pub fn choices(&self) -> &Choices {
        &self.choices
    }

    /// A role's display name (its id when the portal did not name it).
    pub fn role_name(&self, role_id: &str) -> String {
        self.roles
            .get(role_id)
            .cloned()
            .unwrap_or(role_id.to_string())
    }

    /// The base role a role amounts to: itself for a base role, from its privileges for a
    /// custom role (administrative privileges make an administrator, publishing ones a
    /// publisher), the way ArcGIS Online classifies custom roles.
    /// `None` for a custom role whose privileges the portal did not give.
    pub fn base_role(&self, role_id: &str) -> Option<String> {
        self.bases.get(role_id).cloned()
    }

    /// A user type's display name (its id when the portal did not name it).
    pub fn user_type_name(&self, user_type: &str) -> String {
        self.user_types
            .get(user_type)
            .cloned()
            .unwrap_or(user_type.to_string())
    }

    /// A member row from the portal's view of a user.
    pub fn member(&self, u: User) -> Member {
        let role = u.role.unwrap_or_default();
        let role_id = u.role_id.filter(|r| !r.is_empty()).unwrap_or(role.clone());
        let role_name = self.role_name(&role_id);
        let user_type = u.user_license_type_id.unwrap_or_default();
        let user_type_name = self.user_type_name(&user_type);
        Member {
            username: u.username.0,
            full_name: u.full_name,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email.unwrap_or_default(),
            role,
            role_id,
            role_name,
            user_type,
            user_type_name,
            disabled: u.disabled,
            last_login: u.last_login,
            created: u.created,
            provider: u.provider.unwrap_or_else(|| "arcgis".into()),
            description: u.description.unwrap_or_default(),
            access: u.access.unwrap_or_else(|| "org".into()),
            groups: Vec::new(),
            credits: u.assigned_credits,
        }
    }
}

/// The base role a custom role's privileges amount to.
fn base_role_of(privileges: &[String]) -> &'static str {
    if privileges.iter().any(|p| p.contains(":admin:")) {
        "org_admin"
    } else if privileges
        .iter()
        .any(|p| p.starts_with("portal:publisher:"))
    {
        "org_publisher"
    } else {
        "org_user"
    }
}
