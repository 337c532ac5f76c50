//! The organization's groups as the console lists them (to pick a group for a bulk change,
//! and in the groups view).

use serde::Serialize;

/// One group of the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    pub id: String,
    pub title: String,
    pub owner: String,
    /// `private`, `org` or `public`.
    pub access: String,
}

impl From<portal_client::Group> for GroupSummary {
    fn from(g: portal_client::Group) -> Self {
        Self {
            id: g.id,
            title: g.title,
            owner: g.owner,
            access: g.access.unwrap_or_else(|| "private".into()),
        }
    }
}

/// A group with its number of members (the groups view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub access: String,
    /// Members, the owner included.
    pub members: u32,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupMemberRow {
    pub username: String,
    pub full_name: String,
    /// `owner`, `admin` (a group manager) or `member`.
    pub member_type: String,
    /// Joined (epoch ms).
    #[specta(type = f64)]
    pub joined: i64,
}

impl From<portal_client::GroupMember> for GroupMemberRow {
    fn from(m: portal_client::GroupMember) -> Self {
        Self {
            username: m.username.0,
            full_name: m.full_name,
            member_type: m.member_type,
            joined: m.joined,
        }
    }
}
