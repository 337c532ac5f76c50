//! Deleting a member: what it affects (content, groups owned, memberships, invitations),
//! then the deletion, with content and groups handed to another member first.

use std::sync::Arc;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::groups::GroupSummary;
use crate::journal::{field, NewChange};
use crate::members::Member;
use crate::session::Console;

/// What deleting a member affects, shown before the deletion is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeleteSummary {
    /// Items in the member's root folder.
    pub items: u32,
    /// The member's folders (each may hold more items).
    pub folders: u32,
    /// Titles of the groups the member owns: they need a new owner.
    pub groups_owned: Vec<String>,
    /// Groups the member belongs to without owning them: they simply leave.
    pub memberships: u32,
    /// Invitations to groups the member has not answered: they go with the member.
    pub invitations: u32,
}

impl Console {
    /// What deleting a member touches: their content, the groups they own, their
    /// memberships. Read before asking for confirmation.
    pub async fn delete_summary(&self, username: &str) -> Result<DeleteSummary> {
        let details = self.member_details(username).await?;
        let client = self.client().await?;
        let content = client.users().content_summary(username.trim()).await?;
        Ok(DeleteSummary {
            items: u32::try_from(content.root_items).unwrap_or(u32::MAX),
            folders: u32::try_from(content.folders).unwrap_or(u32::MAX),
            groups_owned: details
                .groups
                .iter()
                .filter(|g| g.owner)
                .map(|g| g.title.clone())
                .collect(),
            memberships: u32::try_from(details.groups.iter().filter(|g| !g.owner).count())
                .unwrap_or(u32::MAX),
            invitations: u32::try_from(details.invitations.len()).unwrap_or(u32::MAX),
        })
    }

    /// Deletes a member. Their content and the groups they own go to `reassign_to` first
    /// when given (the portal refuses to delete an owner otherwise, and says why). The member
    /// leaves the cache; the receiver's row, now with the groups handed over, is the answer.
    pub async fn delete_member(
        &self,
        username: &str,
        reassign_to: Option<String>,
    ) -> Result<Option<Member>> {
        let username = username.trim().to_string();
        let me = self.session().await.ok_or(Error::NoSession)?.username;
        if username.eq_ignore_ascii_case(&me) {
            return Err(Error::InvalidInput(
                "You cannot delete the account you are signed in with.".into(),
            ));
        }
        let target = reassign_to
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if let Some(t) = &target {
            if t.eq_ignore_ascii_case(&username) {
                return Err(Error::InvalidInput(
                    "Choose another member to receive the content.".into(),
                ));
            }
            match self.cached(t).await {
                None => {
                    return Err(Error::InvalidInput(format!(
                        "{t} is not a member of this organization."
                    )))
                }
                Some(m) if m.disabled => {
                    return Err(Error::InvalidInput(format!(
                        "{t} is disabled and cannot receive content; choose an active member."
                    )))
                }
                Some(_) => {}
            }
        }
        let groups = self.groups(false).await?;
        let client = self.client().await?;
        let cached = self.cached(&username).await;
        let record = NewChange {
            member: cached
                .as_ref()
                .map_or(username.clone(), |m| m.username.clone()),
            field: field::MEMBER.into(),
            before: cached.as_ref().and_then(|m| serde_json::to_value(m).ok()),
            // Who receives the content: what a resume sends again.
            after: target
                .as_ref()
                .map(|t| serde_json::json!({ "receiver": t })),
            before_text: cached.as_ref().map_or_else(String::new, |m| {
                format!("{}: {}, {}", m.full_name, m.user_type_name, m.role_name)
            }),
            after_text: match &target {
                Some(t) => format!("deleted; content and groups to {t}"),
                None => "deleted".into(),
            },
        };
        let recorder = self
            .record("delete", format!("Delete {username}"), &[record])
            .await?;
        let sent = client.users().delete(&username, target.as_deref()).await;
        recorder.settle_one(&username, field::MEMBER, &sent);
        sent?;
        self.forget_members(&client, std::slice::from_ref(&username))
            .await?;
        let Some(t) = target else {
            return Ok(None);
        };
        self.hand_over_groups(&client, &groups, std::slice::from_ref(&username), &t)
            .await
    }

    /// After members `from` were deleted with their groups handed to `receiver`: the groups'
    /// owner and the receiver's row say so, without reading every group again. Answers the
    /// receiver's row.
    pub(crate) async fn hand_over_groups(
        &self,
        client: &portal_client::Client,
        groups: &[GroupSummary],
        from: &[String],
        receiver: &str,
    ) -> Result<Option<Member>> {
        let owned: Vec<String> = groups
            .iter()
            .filter(|g| from.iter().any(|u| g.owner.eq_ignore_ascii_case(u)))
            .map(|g| g.id.clone())
            .collect();
        let Some(mut row) = self.cached(receiver).await else {
            return Ok(None);
        };
        for id in &owned {
            if !row.groups.iter().any(|g| g == id) {
                row.groups.push(id.into());
            }
        }
        self.remember(client, vec![row.clone()]).await?;
        let regrouped: Vec<GroupSummary> = groups
            .iter()
            .cloned()
            .map(|mut g| {
                if owned.contains(&g.id) {
                    g.owner = row.username.clone();
                }
                g
            })
            .collect();
        self.update_session(client, |a| a.groups = Some(Arc::new(regrouped)))
            .await;
        Ok(Some(row))
    }
}

impl Console {
    /// Takes deleted members out of the cache and the table's rows.
    pub(crate) async fn forget_members(
        &self,
        client: &portal_client::Client,
        usernames: &[String],
    ) -> Result<()> {
        if usernames.is_empty() {
            return Ok(());
        }
        let gone: std::collections::HashSet<String> =
            usernames.iter().map(|u| u.to_lowercase()).collect();
        self.update_session(client, |a| -> Result<()> {
            a.cache.lock().expect("cache lock").remove(usernames)?;
            let rows: Vec<Member> = a
                .members
                .iter()
                .filter(|m| !gone.contains(&m.username.to_lowercase()))
                .cloned()
                .collect();
            a.info.cache.members = u32::try_from(rows.len()).unwrap_or(u32::MAX);
            a.members = Arc::new(rows);
            Ok(())
        })
        .await
        .transpose()?;
        Ok(())
    }
}
