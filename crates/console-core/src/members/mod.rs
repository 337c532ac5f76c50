//! Members as the console shows them: one row per member, the operations on one member
//! (`load`, `edit`, `details`, `delete`, `create`), the names rows are given (`names`) and the
//! local cache that keeps the whole organization on this computer (`cache`).
//!
//! The table filters and sorts in Rust (`query`) and reads only the rows it shows (`table`):
//! the organization does not cross into the web view (docs/memory.md). Changes to many members
//! at once are in `bulk`.

use std::sync::Arc;

use portal_client::{BaseRole, Client, ProfileVisibility};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::session::Console;

pub mod cache;
pub mod create;
pub mod delete;
pub mod details;
pub mod edit;
pub mod load;
pub mod names;
pub mod query;
pub mod rules;
pub mod shared;
pub mod table;

pub use cache::{CacheState, MemberCache};
pub use create::{Created, NewMemberForm, UsernameCheck};
pub use delete::DeleteSummary;
pub use details::{HeldLicense, MemberDetails, MemberGroup, ReceivedInvitation};
pub use edit::MemberEdit;
pub use load::LoadProgress;
pub use names::{Choice, Choices, Names};
pub use shared::SharedStr;
pub use table::{ListMatch, MemberPage};

/// One member, flattened for the table: role and user type come with their display names.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub username: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The base level the role amounts to.
    pub role: BaseRole,
    /// The custom role's id, or the base role when there is none.
    #[specta(type = String)]
    pub role_id: SharedStr,
    /// What people call the role: "Administrator", "Viewer", a custom role's name.
    #[specta(type = String)]
    pub role_name: SharedStr,
    /// The user type's id (`creatorUT`), empty when the portal does not say.
    #[specta(type = String)]
    pub user_type: SharedStr,
    /// What people call the user type ("Creator").
    #[specta(type = String)]
    pub user_type_name: SharedStr,
    pub disabled: bool,
    /// Last sign-in (epoch ms), `None` for never.
    #[specta(type = Option<f64>)]
    pub last_login: Option<i64>,
    /// Created (epoch ms).
    #[specta(type = f64)]
    pub created: i64,
    /// `arcgis` for built-in accounts, `enterprise` for SAML and other identity providers.
    #[specta(type = String)]
    pub provider: SharedStr,
    /// The member's username at their identity provider (SAML or OIDC logins), when the portal
    /// says.
    pub idp_username: Option<String>,
    pub description: String,
    /// Who may see the profile.
    pub access: ProfileVisibility,
    /// The ids of the groups the member belongs to (as owner, manager or member).
    #[specta(type = Vec<String>)]
    pub groups: Vec<SharedStr>,
    /// Credits assigned to the member (ArcGIS Online; `-1`: no limit), `None` when the portal
    /// does not manage credits.
    pub credits: Option<f64>,
    /// The add-on licenses and app bundles given to the member, as keys of the license
    /// picture (`licenses::key`): `<listing item id>/<entitlement>`, `bundle/<bundle id>`.
    /// Bundles the user type includes are not listed.
    #[specta(type = Vec<String>)]
    pub licenses: Vec<SharedStr>,
}

/// A plain member for unit tests: built-in account, User role, Creator, never signed in, no
/// email, groups or licenses; tests change what they need.
#[cfg(test)]
pub(crate) fn test_member(username: &str) -> Member {
    Member {
        username: username.into(),
        full_name: username.into(),
        first_name: String::new(),
        last_name: String::new(),
        email: String::new(),
        role: BaseRole::User,
        role_id: "org_user".into(),
        role_name: "User".into(),
        user_type: "creatorUT".into(),
        user_type_name: "Creator".into(),
        disabled: false,
        last_login: None,
        created: 0,
        provider: "arcgis".into(),
        idp_username: None,
        description: String::new(),
        access: ProfileVisibility::Org,
        groups: Vec::new(),
        credits: None,
        licenses: Vec::new(),
    }
}

impl Console {
    /// Every member in the cache (what the table shows).
    pub async fn members(&self) -> Result<Arc<Vec<Member>>> {
        let active = self.active.read().await;
        Ok(active.as_ref().ok_or(Error::NoSession)?.members.clone())
    }

    /// The cached row of one member.
    pub(crate) async fn cached(&self, username: &str) -> Option<Member> {
        let active = self.active.read().await;
        active
            .as_ref()?
            .members
            .iter()
            .find(|m| m.username.eq_ignore_ascii_case(username))
            .cloned()
    }

    /// Puts members' new state into the cache and the rows the table reads.
    pub(crate) async fn remember(&self, client: &Client, changed: Vec<Member>) -> Result<()> {
        if changed.is_empty() {
            return Ok(());
        }
        self.update_session(client, |a| -> Result<()> {
            a.cache.lock().expect("cache lock").upsert(&changed)?;
            let mut rows = a.members.as_ref().clone();
            let at: std::collections::HashMap<&str, usize> = rows
                .iter()
                .enumerate()
                .map(|(i, m)| (m.username.as_str(), i))
                .collect();
            let (mut replace, mut add) = (Vec::new(), Vec::new());
            for member in changed {
                match at.get(member.username.as_str()) {
                    Some(&i) => replace.push((i, member)),
                    None => add.push(member),
                }
            }
            for (i, member) in replace {
                rows[i] = member;
            }
            rows.extend(add);
            a.members = Arc::new(rows);
            Ok(())
        })
        .await
        .transpose()?;
        Ok(())
    }
}
