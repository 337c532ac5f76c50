//! ArcGIS's rules about roles, user types and visibility, written once for the whole project:
//! the base roles in their order, what a custom role amounts to, which roles a user type
//! allows, who may see a profile, and how one belongs to a group. The embedded portal enforces
//! these rules, the console checks forms with them and tells the UI what they allow.
//!
//! What is deliberately not here: the privileges each role holds (the embedded portal's
//! `privileges` module) and anything that talks to a portal.

use serde::{Deserialize, Serialize};

use crate::models::UserType;

/// The Viewer role's id, the same in every ArcGIS organization.
pub const VIEWER_ROLE_ID: &str = "iAAAAAAAAAAAAAAA";

/// A base role: the level every role (built-in or custom) amounts to. Ordered from the
/// least to the most capable, which is the order the user-type rule compares them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[non_exhaustive]
pub enum BaseRole {
    /// `org_user`: uses content, may create some (the Viewer and Data Editor roles are users).
    #[serde(rename = "org_user")]
    User,
    /// `org_publisher`: also publishes hosted layers.
    #[serde(rename = "org_publisher")]
    Publisher,
    /// `org_admin`: administers the organization.
    #[serde(rename = "org_admin")]
    Admin,
}

impl BaseRole {
    /// Every base role, from the least to the most capable.
    pub const ALL: [BaseRole; 3] = [BaseRole::User, BaseRole::Publisher, BaseRole::Admin];

    /// The id ArcGIS uses (`org_user`, `org_publisher`, `org_admin`).
    pub fn id(self) -> &'static str {
        match self {
            BaseRole::User => "org_user",
            BaseRole::Publisher => "org_publisher",
            BaseRole::Admin => "org_admin",
        }
    }

    /// What people call it.
    pub fn name(self) -> &'static str {
        match self {
            BaseRole::User => "User",
            BaseRole::Publisher => "Publisher",
            BaseRole::Admin => "Administrator",
        }
    }

    /// The base role of an id, older `account_*` spellings included; `None` for a custom
    /// role's id or anything else.
    pub fn parse(id: &str) -> Option<BaseRole> {
        match id {
            "org_user" | "account_user" => Some(BaseRole::User),
            "org_publisher" | "account_publisher" => Some(BaseRole::Publisher),
            "org_admin" | "account_admin" => Some(BaseRole::Admin),
            _ => None,
        }
    }

    /// The base role a custom role's privileges amount to, the way ArcGIS classifies custom
    /// roles: any administrative privilege makes an administrator, publishing ones a publisher.
    pub fn of_privileges(privileges: &[String]) -> BaseRole {
        if privileges.iter().any(|p| p.contains(":admin:")) {
            BaseRole::Admin
        } else if privileges
            .iter()
            .any(|p| p.starts_with("portal:publisher:"))
        {
            BaseRole::Publisher
        } else {
            BaseRole::User
        }
    }
}

/// The most a user type allows (its `maxRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoleLimit {
    /// `viewer`: only the Viewer role.
    ViewerOnly,
    /// Roles up to this base role.
    UpTo(BaseRole),
}

impl RoleLimit {
    /// The limit a `maxRole` value names; `None` for a value ArcGIS does not define.
    pub fn parse(max_role: &str) -> Option<RoleLimit> {
        match max_role {
            "viewer" => Some(RoleLimit::ViewerOnly),
            other => BaseRole::parse(other).map(RoleLimit::UpTo),
        }
    }

    /// Whether a role fits under this limit: `role_id` is the role's id (a base role's id or a
    /// custom role's), `base` what it amounts to. `None` when that cannot be told (a custom
    /// role whose privileges are unknown).
    pub fn allows(self, role_id: &str, base: Option<BaseRole>) -> Option<bool> {
        match self {
            RoleLimit::ViewerOnly => Some(role_id == VIEWER_ROLE_ID),
            RoleLimit::UpTo(max) => Some(base.or_else(|| BaseRole::parse(role_id))? <= max),
        }
    }
}

impl UserType {
    /// The most this user type allows, when the portal describes it.
    pub fn role_limit(&self) -> Option<RoleLimit> {
        self.max_role.as_deref().and_then(RoleLimit::parse)
    }

    /// Whether a member of this user type may hold a role (ArcGIS refuses the pair otherwise):
    /// `Some(false)` for a known incompatibility, `None` when the portal did not describe the
    /// type or the role well enough to tell.
    pub fn allows(&self, role_id: &str, base: Option<BaseRole>) -> Option<bool> {
        self.role_limit()?.allows(role_id, base)
    }
}

/// Who may see a member's profile (`access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ProfileVisibility {
    /// Only the member (and administrators).
    Private,
    /// The organization's members: ArcGIS's default.
    #[default]
    Org,
    /// Everyone.
    Public,
}

impl ProfileVisibility {
    /// The value ArcGIS uses.
    pub fn id(self) -> &'static str {
        match self {
            ProfileVisibility::Private => "private",
            ProfileVisibility::Org => "org",
            ProfileVisibility::Public => "public",
        }
    }

    /// The visibility a value names; `None` for anything else.
    pub fn parse(access: &str) -> Option<ProfileVisibility> {
        match access {
            "private" => Some(ProfileVisibility::Private),
            "org" => Some(ProfileVisibility::Org),
            "public" => Some(ProfileVisibility::Public),
            _ => None,
        }
    }
}

/// How a member belongs to a group (`memberType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum MemberType {
    /// The group's owner (one per group).
    Owner,
    /// A manager of the group (`admin` in ArcGIS's answers).
    Admin,
    /// A plain member.
    Member,
}

impl MemberType {
    /// The member type a value names; anything unknown is a plain member.
    pub fn parse(value: &str) -> MemberType {
        match value {
            "owner" => MemberType::Owner,
            "admin" => MemberType::Admin,
            _ => MemberType::Member,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_type(max_role: Option<&str>) -> UserType {
        UserType {
            id: "t".into(),
            name: "T".into(),
            description: None,
            max_role: max_role.map(String::from),
        }
    }

    #[test]
    fn base_roles_are_ordered_from_user_to_administrator() {
        assert!(BaseRole::User < BaseRole::Publisher && BaseRole::Publisher < BaseRole::Admin);
        for role in BaseRole::ALL {
            assert_eq!(BaseRole::parse(role.id()), Some(role));
        }
        assert_eq!(BaseRole::parse(VIEWER_ROLE_ID), None);
    }

    #[test]
    fn a_custom_roles_privileges_decide_its_base_role() {
        let p = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            BaseRole::of_privileges(&p(&["portal:admin:viewUsers", "portal:user:joinGroup"])),
            BaseRole::Admin
        );
        assert_eq!(
            BaseRole::of_privileges(&p(&["portal:publisher:publishFeatures"])),
            BaseRole::Publisher
        );
        assert_eq!(
            BaseRole::of_privileges(&p(&["portal:user:joinGroup"])),
            BaseRole::User
        );
    }

    #[test]
    fn a_user_type_allows_roles_up_to_its_limit_and_viewer_types_only_the_viewer_role() {
        let creator = user_type(Some("org_admin"));
        let contributor = user_type(Some("org_user"));
        let viewer = user_type(Some("viewer"));
        assert_eq!(creator.allows("org_admin", None), Some(true));
        assert_eq!(contributor.allows("org_publisher", None), Some(false));
        assert_eq!(contributor.allows("org_user", None), Some(true));
        assert_eq!(
            contributor.allows("custom1", Some(BaseRole::Admin)),
            Some(false)
        );
        assert_eq!(
            viewer.allows(VIEWER_ROLE_ID, Some(BaseRole::User)),
            Some(true)
        );
        assert_eq!(viewer.allows("org_user", None), Some(false));
        // Unknown: a custom role without privileges, a type without a limit.
        assert_eq!(contributor.allows("custom1", None), None);
        assert_eq!(user_type(None).allows("org_admin", None), None);
        assert_eq!(
            user_type(Some("everything")).allows("org_admin", None),
            None
        );
    }

    #[test]
    fn visibility_and_member_type_read_arcgis_values() {
        for v in [
            ProfileVisibility::Private,
            ProfileVisibility::Org,
            ProfileVisibility::Public,
        ] {
            assert_eq!(ProfileVisibility::parse(v.id()), Some(v));
        }
        assert_eq!(ProfileVisibility::parse("shared"), None);
        assert_eq!(MemberType::parse("admin"), MemberType::Admin);
        assert_eq!(MemberType::parse("owner"), MemberType::Owner);
        assert_eq!(MemberType::parse("none"), MemberType::Member);
    }
}
