//! Offboarding: deleting a selection of members in one job, with one receiver for all their
//! content and the groups they own. First a per-member impact report (items, folders, groups
//! owned, licenses and app bundles held), read from the portal and the cache; then the job:
//! licenses and bundles taken back (recorded, so the seats they free are on record), content
//! and groups handed to the receiver, and the members removed `portals/self/removeUsers` at a
//! time (`portal_client::REMOVE_BATCH` a request). Each member gets an outcome.
//!
//! Refused, before anything is sent: the signed-in account, the receiver, a member not in the
//! organization, and a member who owns content or groups when no receiver is named (the
//! portal refuses to delete an owner).
//!
//! What is deliberately not here: deleting one member from their panel (`members/delete.rs`,
//! whose hand-over of groups this module shares) and how the journal stores anything.

use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::members::shared::owned_all;
use crate::members::Member;
use crate::session::Console;

mod run;

/// Requests in flight at once while reading the members' content.
const READS_AT_ONCE: usize = 8;

/// The members to delete, and who receives their content and groups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OffboardRequest {
    pub usernames: Vec<String>,
    /// The member who receives every item, folder and owned group; none: only members who own
    /// nothing can go.
    #[serde(default)]
    pub receiver: Option<String>,
}

/// What deleting one member affects, and whether they can go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    pub username: String,
    pub full_name: String,
    /// Items in their root folder, and their folders (each may hold more).
    pub items: u32,
    pub folders: u32,
    /// Titles of the groups they own (they go to the receiver).
    pub groups_owned: Vec<String>,
    /// Names of the licenses and app bundles they hold (taken back first).
    pub licenses: Vec<String>,
    /// The license keys behind `licenses` (`<item>/<entitlement>`, `bundle/<id>`).
    #[serde(skip)]
    pub(crate) keys: Vec<String>,
    /// Why they cannot go; `None`: they will be deleted.
    pub refused: Option<String>,
}

/// The impact report of an offboarding, before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OffboardPlan {
    pub receiver: Option<String>,
    /// Refused members first, then by username.
    pub members: Vec<Impact>,
    /// Members that will be deleted, and what they take with them.
    pub deletable: u32,
    pub refused: u32,
    pub items: u32,
    pub folders: u32,
    pub groups: u32,
    pub licenses: u32,
}

fn n(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

impl OffboardPlan {
    fn new(receiver: Option<String>, mut members: Vec<Impact>) -> Self {
        members.sort_by(|a, b| {
            (a.refused.is_none(), a.username.to_lowercase())
                .cmp(&(b.refused.is_none(), b.username.to_lowercase()))
        });
        let going: Vec<&Impact> = members.iter().filter(|m| m.refused.is_none()).collect();
        OffboardPlan {
            deletable: n(going.len()),
            refused: n(members.len() - going.len()),
            items: going.iter().map(|m| m.items).sum(),
            folders: going.iter().map(|m| m.folders).sum(),
            groups: n(going.iter().map(|m| m.groups_owned.len()).sum()),
            licenses: n(going.iter().map(|m| m.licenses.len()).sum()),
            receiver,
            members,
        }
    }
}

impl Console {
    /// The impact report of deleting `request.usernames` with their content going to
    /// `request.receiver`: read from the portal (each member's content) and the cache
    /// (groups owned, licenses held); nothing is sent.
    pub async fn plan_offboard(&self, request: OffboardRequest) -> Result<OffboardPlan> {
        let me = self.session().await.ok_or(Error::NoSession)?.username;
        let receiver = request
            .receiver
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let receiver = match receiver {
            None => None,
            Some(r) => match self.cached(&r).await {
                None => {
                    return Err(Error::InvalidInput(format!(
                        "{r} is not a member of this organization: choose who receives the \
                         content."
                    )))
                }
                Some(m) if m.disabled => {
                    return Err(Error::InvalidInput(format!(
                        "{} is disabled and cannot receive content; choose an active member.",
                        m.username
                    )))
                }
                // ArcGIS lets no Viewer own items or groups: the hand-over would fail for all.
                Some(m)
                    if m.user_type == "viewerUT" || m.role_id == portal_client::VIEWER_ROLE_ID =>
                {
                    return Err(Error::InvalidInput(format!(
                        "{} is a Viewer and cannot own content or groups; choose another member.",
                        m.username
                    )))
                }
                Some(m) => Some(m.username),
            },
        };
        let rows = self.members().await?;
        let by: HashMap<String, &Member> = rows
            .iter()
            .map(|m| (m.username.to_lowercase(), m))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let names: Vec<String> = request
            .usernames
            .iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty() && seen.insert(u.to_lowercase()))
            .collect();
        if names.is_empty() {
            return Err(Error::InvalidInput("Select the members to delete.".into()));
        }
        let groups = self.groups(false).await?;
        let offers = self.offers().await;
        let client = self.client().await?;
        let users = client.users();
        let members_named: Vec<String> = names
            .iter()
            .filter(|u| by.contains_key(&u.to_lowercase()))
            .cloned()
            .collect();
        let content: HashMap<String, portal_client::ContentSummary> =
            futures::stream::iter(members_named)
                .map(|u| {
                    let users = &users;
                    async move {
                        let c = users.content_summary(&u).await?;
                        Ok::<_, Error>((u.to_lowercase(), c))
                    }
                })
                .buffer_unordered(READS_AT_ONCE)
                .try_collect()
                .await?;
        let impacts = names
            .iter()
            .map(|u| {
                let key = u.to_lowercase();
                let Some(m) = by.get(&key) else {
                    return Impact {
                        username: u.clone(),
                        full_name: String::new(),
                        items: 0,
                        folders: 0,
                        groups_owned: Vec::new(),
                        licenses: Vec::new(),
                        keys: Vec::new(),
                        refused: Some(format!("{u} is not a member of this organization.")),
                    };
                };
                let c = content.get(&key);
                let groups_owned: Vec<String> = groups
                    .iter()
                    .filter(|g| g.owner.eq_ignore_ascii_case(&m.username))
                    .map(|g| g.title.clone())
                    .collect();
                let items = c.map_or(0, |c| n(usize::try_from(c.root_items).unwrap_or(0)));
                let folders = c.map_or(0, |c| n(usize::try_from(c.folders).unwrap_or(0)));
                let owns = items > 0 || folders > 0 || !groups_owned.is_empty();
                let refused = if m.username.eq_ignore_ascii_case(&me) {
                    Some("You cannot delete the account you are signed in with.".to_string())
                } else if receiver
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(&m.username))
                {
                    Some("The receiver of the content cannot be deleted with the others.".into())
                } else if owns && receiver.is_none() {
                    Some(format!(
                        "{} owns {items} items, {folders} folders and {} groups: choose who \
                         receives them.",
                        m.username,
                        groups_owned.len()
                    ))
                } else {
                    None
                };
                Impact {
                    username: m.username.clone(),
                    full_name: m.full_name.clone(),
                    items,
                    folders,
                    licenses: m
                        .licenses
                        .iter()
                        .map(|k| offers.as_deref().map_or(k.to_string(), |o| o.name_of(k)))
                        .collect(),
                    keys: owned_all(&m.licenses),
                    groups_owned,
                    refused,
                }
            })
            .collect();
        Ok(OffboardPlan::new(receiver, impacts))
    }
}
