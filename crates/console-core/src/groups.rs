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
