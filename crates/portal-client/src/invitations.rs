//! Invitations: the `client.invitations()` handler. The organization's invitations (every
//! pending one, one by id, withdrawing one) and the invitations a member has received and not
//! yet answered (to groups).
//!
//! Not here: creating a member, with or without a password (`Users::create`), even though
//! ArcGIS Online does it through the same `portals/self/invite`; inviting members to a group
//! (`Groups::invite`).

use serde::Deserialize;

use crate::error::Result;
use crate::models::{Invitation, UserInvitation};
use crate::transport::Client;
use crate::users::{encode_segment, Success, Users};

/// The invitations handler: `client.invitations()`.
pub struct Invitations<'a> {
    client: &'a Client,
}

impl Client {
    /// Operations on invitations.
    pub fn invitations(&self) -> Invitations<'_> {
        Invitations { client: self }
    }
}

impl Invitations<'_> {
    /// Every pending organization invitation.
    pub async fn list(&self) -> Result<Vec<Invitation>> {
        self.client
            .all_pages("portals/self/invitations", Vec::new())
            .await
    }

    /// One invitation by id.
    pub async fn get(&self, id: &str) -> Result<Invitation> {
        self.client
            .read(
                &format!("portals/self/invitations/{}", encode_segment(id)),
                Vec::new(),
            )
            .await
    }

    /// The invitations a member has received and not yet answered (to groups).
    pub async fn received(&self, username: &str) -> Result<Vec<UserInvitation>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            user_invitations: Vec<UserInvitation>,
        }
        let answer: Answer = self
            .client
            .read(&Users::path(username, "invitations"), Vec::new())
            .await?;
        Ok(answer.user_invitations)
    }

    /// Invites a person to join the organization (ArcGIS Online, `portals/self/invite` with an
    /// entry that names no username): pending until they accept and choose an account. The
    /// role, user type, groups and credits of `person` are theirs once they join; its
    /// `username` and `password` are not sent.
    pub async fn invite_to_join(&self, person: &crate::NewMember) -> Result<()> {
        crate::users::invite_entry(self.client, person, false).await
    }

    /// Deletes (withdraws) an invitation.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let answer: Success = self
            .client
            .write(
                &format!("portals/self/invitations/{}/delete", encode_segment(id)),
                Vec::new(),
            )
            .await?;
        answer.check("delete invitation")
    }
}
