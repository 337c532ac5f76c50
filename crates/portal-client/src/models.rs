//! Typed views of what the portal answers. Wire quirks are fixed here, once: `-1` dates and
//! `nextStart` become `None`, epoch milliseconds stay `i64` milliseconds.

use serde::{Deserialize, Deserializer, Serialize};

/// A username, as the portal spells it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(pub String);

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user's 32-hex id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub String);

/// Reads epoch milliseconds where `-1` (or null) means "never".
fn optional_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v: Option<i64> = Option::deserialize(d)?;
    Ok(v.filter(|ms| *ms >= 0))
}

/// A member of an organization, in the search/listing view (no groups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: Username,
    pub id: Option<UserId>,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    pub email: Option<String>,
    pub description: Option<String>,
    /// `org_admin`, `org_publisher` or `org_user` (the base level for custom roles).
    pub role: Option<String>,
    /// The custom role, if any.
    pub role_id: Option<String>,
    pub user_license_type_id: Option<String>,
    #[serde(default)]
    pub disabled: bool,
    pub access: Option<String>,
    pub provider: Option<String>,
    pub idp_username: Option<String>,
    /// Last sign-in, or `None` for never.
    #[serde(default, deserialize_with = "optional_millis")]
    pub last_login: Option<i64>,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
    pub assigned_credits: Option<f64>,
    pub available_credits: Option<f64>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One page of a paged list. `next_start` is `None` on the last page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub total: u64,
    pub start: u64,
    pub next_start: Option<u64>,
    pub items: Vec<T>,
}

/// The wire shape of a paged answer whose items live under `key`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WirePage<T> {
    pub total: u64,
    #[serde(default)]
    pub start: u64,
    pub next_start: i64,
    #[serde(
        alias = "users",
        alias = "results",
        alias = "invitations",
        alias = "roles",
        alias = "userLicenseTypes"
    )]
    pub items: Vec<T>,
}

impl<T> From<WirePage<T>> for Page<T> {
    fn from(w: WirePage<T>) -> Self {
        Page {
            total: w.total,
            start: w.start,
            next_start: u64::try_from(w.next_start).ok().filter(|n| *n > 0),
            items: w.items,
        }
    }
}

/// The signed-in member's own view: the member plus privileges and groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    #[serde(flatten)]
    pub user: User,
    #[serde(default)]
    pub privileges: Vec<String>,
    #[serde(default)]
    pub groups: Vec<Group>,
}

impl Me {
    /// Whether this member administers the organization (a privilege with `:admin:`).
    pub fn is_admin(&self) -> bool {
        self.privileges.iter().any(|p| p.contains(":admin:"))
    }
}

/// Who is signed in to a portal, as `portals/self` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalUser {
    pub username: Username,
}

/// The organization (`portals/self`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalSelf {
    /// The organization's id.
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    /// `ArcGIS Online` or `ArcGIS Enterprise`.
    #[serde(default)]
    pub portal_name: String,
    /// `multitenant` (ArcGIS Online) or `singletenant` (Enterprise).
    #[serde(default)]
    pub portal_mode: String,
    #[serde(default)]
    pub is_portal: bool,
    pub url_key: Option<String>,
    pub current_version: Option<String>,
    pub user: Option<PortalUser>,
}

impl PortalSelf {
    /// ArcGIS Online creates members with `portals/self/invite`; Enterprise with `createUser`.
    pub fn is_arcgis_online(&self) -> bool {
        self.portal_name == "ArcGIS Online" && self.portal_mode == "multitenant"
    }
}

/// A custom role (`portals/self/roles`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub privileges: Option<Vec<String>>,
}

/// A user type (`portals/self/userLicenseTypes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserType {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The highest base role this type allows (`org_user`, `org_publisher`, `org_admin`).
    #[serde(default)]
    pub max_role: Option<String>,
}

/// A pending organization invitation (`portals/self/invitations`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: String,
    pub username: Option<String>,
    pub email: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub role: Option<String>,
    pub user_license_type: Option<String>,
    /// Credits the member gets on accepting (`-1` or absent: the organization's default).
    #[serde(default)]
    pub user_credit_assignment: Option<f64>,
    /// A username, or `{username, fullname}` in some views.
    #[serde(default)]
    pub from_username: serde_json::Value,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub expiration: i64,
    #[serde(default)]
    pub accepted: bool,
    #[serde(default)]
    pub groups: serde_json::Value,
}

/// An invitation a member has received (`community/users/{u}/invitations`): to a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInvitation {
    pub id: String,
    /// `group` (other kinds are ignored by the console).
    #[serde(default)]
    pub target_type: String,
    #[serde(default)]
    pub target_id: String,
    /// A username, or `{username, fullname}`.
    #[serde(default)]
    pub from_username: serde_json::Value,
    #[serde(default)]
    pub received: i64,
    #[serde(default)]
    pub expiration: i64,
    #[serde(default)]
    pub accepted: bool,
}

/// What a member owns in content (`content/users/{u}`): items in the root folder and folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentSummary {
    pub root_items: u64,
    pub folders: u64,
}

/// A group's membership of the viewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub username: Option<String>,
    pub member_type: Option<String>,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub owner: String,
    pub access: Option<String>,
    pub description: Option<String>,
    pub snippet: Option<String>,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
    pub user_membership: Option<Membership>,
}

/// One member of a group (`userList`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMember {
    pub username: Username,
    #[serde(default)]
    pub full_name: String,
    /// `owner`, `admin` or `member`.
    #[serde(default)]
    pub member_type: String,
    #[serde(default)]
    pub joined: i64,
}
