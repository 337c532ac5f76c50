//! The organization's groups as the console lists them (to pick a group for a bulk change,
//! and in the groups view): the groups with their member counts, and one group's members.
//!
//! What is deliberately not here: each member's groups (read with the members, `members/load`)
//! and changes to memberships (`bulk`).

use std::sync::Arc;

use portal_client::{Client, MemberType};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::session::Console;

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
    /// Owner, manager (`admin`) or member.
    pub member_type: MemberType,
    /// Joined (epoch ms).
    #[specta(type = f64)]
    pub joined: i64,
}

impl From<portal_client::GroupMember> for GroupMemberRow {
    fn from(m: portal_client::GroupMember) -> Self {
        Self {
            username: m.username.0,
            full_name: m.full_name,
            member_type: MemberType::parse(&m.member_type),
            joined: m.joined,
        }
    }
}

impl Console {
    /// The organization's groups, read from the portal on first need (`refresh` reads again).
    pub async fn groups(&self, refresh: bool) -> Result<Arc<Vec<GroupSummary>>> {
        let (client, known) = {
            let active = self.active.read().await;
            let a = active.as_ref().ok_or(Error::NoSession)?;
            (a.client.clone(), a.groups.clone())
        };
        if let Some(groups) = known.filter(|_| !refresh) {
            return Ok(groups);
        }
        let groups = Arc::new(read_groups(&client).await?);
        self.update_session(&client, |a| a.groups = Some(groups.clone()))
            .await;
        Ok(groups)
    }

    /// The groups with their member counts (one small request per group, 8 at a time).
    pub async fn group_rows(&self, refresh: bool) -> Result<Vec<GroupRow>> {
        use futures::stream::{self, StreamExt, TryStreamExt};
        let groups = self.groups(refresh).await?;
        let client = self.client().await?;
        stream::iter(groups.iter().cloned())
            .map(|g| {
                let client = client.clone();
                async move {
                    let members = client.groups().member_count(&g.id).await?;
                    Ok::<_, Error>(GroupRow {
                        id: g.id,
                        title: g.title,
                        owner: g.owner,
                        access: g.access,
                        members: u32::try_from(members).unwrap_or(u32::MAX),
                    })
                }
            })
            .buffered(8)
            .try_collect()
            .await
    }

    /// A group's members, owner first, then by username.
    pub async fn group_members(&self, id: &str) -> Result<Vec<GroupMemberRow>> {
        let client = self.client().await?;
        let mut rows: Vec<GroupMemberRow> = client
            .groups()
            .members(id.trim())
            .await?
            .into_iter()
            .map(GroupMemberRow::from)
            .collect();
        rows.sort_by_key(|r| {
            (
                r.member_type != MemberType::Owner,
                r.username.to_lowercase(),
            )
        });
        Ok(rows)
    }
}

/// The organization's groups, by title.
pub(crate) async fn read_groups(client: &Client) -> Result<Vec<GroupSummary>> {
    let mut groups: Vec<GroupSummary> = client
        .groups()
        .all()
        .await?
        .into_iter()
        .map(GroupSummary::from)
        .collect();
    groups.sort_by_key(|g| g.title.to_lowercase());
    Ok(groups)
}
