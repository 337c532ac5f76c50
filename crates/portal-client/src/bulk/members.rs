//! Bulk helpers for an import: members created, people invited, profiles updated and credits
//! assigned, each with a result per member and checked before any resend (a member created
//! after a lost answer exists; a profile updated holds the new values), so nothing is applied
//! twice.

use super::verify::applied_once;
use super::{Bulk, ItemOutcome};
use crate::users::{NewMember, UserUpdate};

impl Bulk<'_> {
    /// Deletes each member, [`crate::users::REMOVE_BATCH`] per request
    /// (`portals/self/removeUsers`); after a lost answer, a member no longer found is taken as
    /// removed. A member who owns content or groups is refused by the portal: reassign first.
    pub async fn remove_members(
        &self,
        usernames: &[String],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        self.batched(
            usernames,
            crate::users::REMOVE_BATCH,
            progress,
            |chunk| async move { client.users().remove(&chunk).await },
            |chunk| async move {
                let mut gone = std::collections::HashSet::new();
                for name in chunk {
                    if client.users().get(&name).await?.is_none() {
                        gone.insert(name);
                    }
                }
                Ok(gone)
            },
        )
        .await
    }

    /// Gives each member's content and owned groups to `target`, `concurrency` at a time.
    /// After a lost answer, a member who owns no items and no folders any more is taken as
    /// reassigned.
    pub async fn reassign_to(
        &self,
        usernames: &[String],
        target: &str,
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        self.each(usernames, progress, |name| async move {
            let apply = || async { client.users().reassign(&name, target).await };
            let check = || async {
                let left = client.users().content_summary(&name).await?;
                Ok(left.root_items == 0 && left.folders == 0)
            };
            applied_once(apply, check).await
        })
        .await
    }

    /// Creates each member (`crate::users::Users::create`), `concurrency` at a time; outcomes
    /// by username.
    pub async fn create_members(
        &self,
        members: &[NewMember],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        let names: Vec<String> = members.iter().map(|m| m.username.clone()).collect();
        self.each(&names, progress, |name| async move {
            let Some(member) = members.iter().find(|m| m.username == name) else {
                return super::Outcome::Failed("not in the list".into());
            };
            let apply = || async { client.users().create(member).await };
            let check = || async { Ok(client.users().get(&name).await?.is_some()) };
            applied_once(apply, check).await
        })
        .await
    }

    /// Invites each person to join (ArcGIS Online), `concurrency` at a time; outcomes by email.
    /// After a lost answer, the organization's invitations say whether theirs exists.
    pub async fn invite_people(
        &self,
        people: &[NewMember],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        let emails: Vec<String> = people.iter().map(|m| m.email.clone()).collect();
        self.each(&emails, progress, |email| async move {
            let Some(person) = people.iter().find(|m| m.email == email) else {
                return super::Outcome::Failed("not in the list".into());
            };
            let apply = || async { client.invitations().invite_to_join(person).await };
            let check = || async {
                Ok(client.invitations().list().await?.iter().any(|i| {
                    i.username.as_deref().is_none_or(str::is_empty)
                        && i.email
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(&email))
                }))
            };
            applied_once(apply, check).await
        })
        .await
    }

    /// Updates each member's profile, `concurrency` at a time. Setting a value is the same
    /// however often it is sent, yet after a lost answer the member is read back first.
    pub async fn update_profiles(
        &self,
        updates: &[(String, UserUpdate)],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        let names: Vec<String> = updates.iter().map(|(u, _)| u.clone()).collect();
        self.each(&names, progress, |name| async move {
            let Some((_, update)) = updates.iter().find(|(u, _)| *u == name) else {
                return super::Outcome::Failed("not in the list".into());
            };
            let apply = || async { client.users().update(&name, update).await };
            let check = || async {
                Ok(client.users().get(&name).await?.is_some_and(|u| {
                    update
                        .first_name
                        .as_ref()
                        .is_none_or(|v| *v == u.first_name)
                        && update.last_name.as_ref().is_none_or(|v| *v == u.last_name)
                        && update
                            .email
                            .as_ref()
                            .is_none_or(|v| Some(v) == u.email.as_ref())
                }))
            };
            applied_once(apply, check).await
        })
        .await
    }

    /// Assigns each member their credits (ArcGIS Online), 25 per request.
    pub async fn assign_credits(
        &self,
        assignments: &[(String, f64)],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        let names: Vec<String> = assignments.iter().map(|(u, _)| u.clone()).collect();
        self.batched(
            &names,
            25,
            progress,
            |chunk| async move {
                let list: Vec<(String, f64)> = assignments
                    .iter()
                    .filter(|(u, _)| chunk.contains(u))
                    .cloned()
                    .collect();
                let refused: std::collections::HashSet<String> = client
                    .users()
                    .assign_credits(&list)
                    .await?
                    .into_iter()
                    .map(|u| u.to_lowercase())
                    .collect();
                Ok(chunk
                    .into_iter()
                    .map(|u| {
                        let o = if refused.contains(&u.to_lowercase()) {
                            Err("the portal did not assign the credits".to_string())
                        } else {
                            Ok(())
                        };
                        (u, o)
                    })
                    .collect())
            },
            |chunk| {
                super::verify::already(client, chunk, move |u| {
                    assignments.iter().any(|(name, c)| {
                        name.eq_ignore_ascii_case(&u.username.0) && u.assigned_credits == Some(*c)
                    })
                })
            },
        )
        .await
    }
}
