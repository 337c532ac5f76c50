//! The names members are shown with: base and custom roles, user types, and the choices the
//! forms offer (with what the role/user-type compatibility rule needs).
//!
//! What is deliberately not here: the rules themselves (`portal_client::roles`).

use std::collections::HashMap;

use portal_client::{BaseRole, ProfileVisibility, Role, User, UserType};
use serde::Serialize;

use crate::members::Member;

/// Display names for base roles, custom roles and user types.
#[derive(Debug, Default, Clone)]
pub struct Names {
    roles: HashMap<String, String>,
    /// The base role of each role (a custom role's from its privileges, when the portal gave
    /// them).
    bases: HashMap<String, BaseRole>,
    user_types: HashMap<String, String>,
    choices: Choices,
}

/// A role or user type a member can be given, for the forms.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: String,
    pub name: String,
    /// A role's base role; `None` for user types, and for custom roles whose privileges the
    /// portal did not give.
    pub base_role: Option<BaseRole>,
    /// For a user type: the ids of the roles it does not allow (ArcGIS refuses the pair),
    /// by [`portal_client::UserType::allows`]. Empty for roles, and where it cannot be told.
    pub refused_roles: Vec<String>,
}

/// What the forms offer: the organization's roles (base and custom) and user types.
#[derive(Debug, Default, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Choices {
    pub roles: Vec<Choice>,
    pub user_types: Vec<Choice>,
}

impl Choices {
    /// Why a role does not go with a user type (the portal's compatibility rule); `None` when
    /// they go together, or when the portal did not describe them well enough to tell.
    pub fn incompatibility(&self, role_id: &str, user_type: &str) -> Option<String> {
        let t = self.user_types.iter().find(|t| t.id == user_type)?;
        let role = self.roles.iter().find(|r| r.id == role_id)?;
        t.refused_roles.iter().any(|r| r == role_id).then(|| {
            format!(
                "The user type {} does not allow the role {}.",
                t.name, role.name
            )
        })
    }
}

impl Names {
    /// The names the portal gave, with the built-in roles' names added.
    pub fn new(roles: &[Role], user_types: &[UserType]) -> Self {
        let mut names = Names::default();
        for base in BaseRole::ALL {
            names.roles.insert(base.id().into(), base.name().into());
            names.bases.insert(base.id().into(), base);
            names.choices.roles.push(Choice {
                id: base.id().into(),
                name: base.name().into(),
                base_role: Some(base),
                refused_roles: Vec::new(),
            });
        }
        for role in roles {
            names.roles.insert(role.id.clone(), role.name.clone());
            // Without its privileges a custom role's level is unknown: nothing is assumed.
            let base = role.privileges.as_deref().map(BaseRole::of_privileges);
            if let Some(b) = base {
                names.bases.insert(role.id.clone(), b);
            }
            names.choices.roles.push(Choice {
                id: role.id.clone(),
                name: role.name.clone(),
                base_role: base,
                refused_roles: Vec::new(),
            });
        }
        for t in user_types {
            let name = if t.name.is_empty() { &t.id } else { &t.name };
            names.user_types.insert(t.id.clone(), name.clone());
            let refused_roles = names
                .choices
                .roles
                .iter()
                .filter(|r| t.allows(&r.id, r.base_role) == Some(false))
                .map(|r| r.id.clone())
                .collect();
            names.choices.user_types.push(Choice {
                id: t.id.clone(),
                name: name.clone(),
                base_role: None,
                refused_roles,
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
    pub fn base_role(&self, role_id: &str) -> Option<BaseRole> {
        self.bases.get(role_id).copied()
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
        let role = BaseRole::parse(&role).unwrap_or(BaseRole::User);
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
            role_id: role_id.into(),
            role_name: role_name.into(),
            user_type: user_type.into(),
            user_type_name: user_type_name.into(),
            disabled: u.disabled,
            last_login: u.last_login,
            created: u.created,
            provider: u.provider.as_deref().unwrap_or("arcgis").into(),
            idp_username: u.idp_username.filter(|s| !s.is_empty()),
            description: u.description.unwrap_or_default(),
            access: u
                .access
                .as_deref()
                .and_then(ProfileVisibility::parse)
                .unwrap_or_default(),
            groups: Vec::new(),
            credits: u.assigned_credits,
            licenses: Vec::new(),
        }
    }
}
