//! What the member panel shows beside the row: the member's groups (owned ones marked) and
//! the group invitations they have not answered.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::invitations;
use crate::session::Console;

/// A group a member belongs to, for the member panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberGroup {
    pub id: String,
    pub title: String,
    /// The member owns the group.
    pub owner: bool,
}

/// An invitation to a group that a member has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedInvitation {
    pub id: String,
    pub group_id: String,
    pub group_title: String,
    /// Who sent it.
    pub from: String,
    #[specta(type = f64)]
    pub received: i64,
    #[specta(type = f64)]
    pub expiration: i64,
}

/// The member panel's extra sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberDetails {
    pub groups: Vec<MemberGroup>,
    pub invitations: Vec<ReceivedInvitation>,
}

impl Console {
    /// What the member panel shows beside the row: the member's groups (from the cache, with
    /// their titles) and the invitations to groups they have not answered (from the portal).
    pub async fn member_details(&self, username: &str) -> Result<MemberDetails> {
        let member = self.cached(username.trim()).await.ok_or_else(|| {
            Error::NotFound(format!(
                "{} is not among the loaded members.",
                username.trim()
            ))
        })?;
        let groups = self.groups(false).await?;
        let client = self.client().await?;
        let title = |id: &str| {
            groups
                .iter()
                .find(|g| g.id == id)
                .map(|g| g.title.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut member_groups: Vec<MemberGroup> = member
            .groups
            .iter()
            .map(|id| MemberGroup {
                id: id.clone(),
                title: title(id),
                owner: groups
                    .iter()
                    .any(|g| &g.id == id && g.owner.eq_ignore_ascii_case(&member.username)),
            })
            .collect();
        member_groups.sort_by_key(|g| g.title.to_lowercase());
        let invitations = client
            .invitations()
            .received(&member.username)
            .await?
            .into_iter()
            .filter(|i| i.target_type.is_empty() || i.target_type == "group")
            .map(|i| ReceivedInvitation {
                group_title: title(&i.target_id),
                group_id: i.target_id,
                from: invitations::sender(&i.from_username),
                received: i.received,
                expiration: i.expiration,
                id: i.id,
            })
            .collect();
        Ok(MemberDetails {
            groups: member_groups,
            invitations,
        })
    }
}
