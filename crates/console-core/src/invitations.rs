//! The organization's pending invitations as the console lists them: who was invited, by
//! whom, with which role and user type, and whether the invitation still works.

use portal_client::Invitation;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::journal::{field, NewChange};
use crate::members::Names;
use crate::session::{now_ms, Console};

/// Invitations that end within this many days are flagged, so they can be sent again in time.
pub const EXPIRING_DAYS: i64 = 3;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Whether an invitation can still be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum InvitationState {
    Pending,
    /// Pending, and ends within `EXPIRING_DAYS` days.
    Expiring,
    /// Past its expiry: the link no longer works.
    Expired,
}

/// One organization invitation, flattened for the table.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvitationRow {
    pub id: String,
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub role_id: String,
    pub role_name: String,
    pub user_type: String,
    pub user_type_name: String,
    /// The username of the administrator who sent it.
    pub invited_by: String,
    /// Sent (epoch ms).
    #[specta(type = f64)]
    pub created: i64,
    /// Ends (epoch ms).
    #[specta(type = f64)]
    pub expiration: i64,
    pub state: InvitationState,
}

/// The state of an invitation ending at `expiration`, seen at `now` (epoch ms).
pub fn state_at(expiration: i64, now: i64) -> InvitationState {
    if expiration <= now {
        InvitationState::Expired
    } else if expiration - now <= EXPIRING_DAYS * DAY_MS {
        InvitationState::Expiring
    } else {
        InvitationState::Pending
    }
}

/// Who sent an invitation: `fromUsername` is a username, or `{username, fullname}`.
pub(crate) fn sender(from: &serde_json::Value) -> String {
    match from {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => o
            .get("username")
            .and_then(|u| u.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

impl InvitationRow {
    /// A row from the portal's invitation, its state seen at `now`.
    pub(crate) fn new(i: Invitation, names: &Names, now: i64) -> Self {
        let invited_by = sender(&i.from_username);
        let full_name = i.full_name.clone().unwrap_or_else(|| {
            [i.first_name.as_deref(), i.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        });
        let role_id = i.role.clone().unwrap_or_else(|| "org_user".into());
        let user_type = i.user_license_type.clone().unwrap_or_default();
        InvitationRow {
            state: state_at(i.expiration, now),
            role_name: names.role_name(&role_id),
            user_type_name: names.user_type_name(&user_type),
            id: i.id,
            username: i.username.unwrap_or_default(),
            email: i.email.unwrap_or_default(),
            full_name,
            role_id,
            user_type,
            invited_by,
            created: i.created,
            expiration: i.expiration,
        }
    }
}

/// The member an invitation asks for, to send it again.
pub(crate) fn invitee(i: &Invitation) -> portal_client::NewMember {
    let (first, last) = match (&i.first_name, &i.last_name) {
        (Some(f), Some(l)) => (f.clone(), l.clone()),
        _ => {
            let full = i.full_name.clone().unwrap_or_default();
            match full.rsplit_once(' ') {
                Some((f, l)) => (f.to_string(), l.to_string()),
                None => (full, String::new()),
            }
        }
    };
    let groups = match &i.groups {
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|g| match g {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => {
                    o.get("id").and_then(|v| v.as_str()).map(String::from)
                }
                _ => None,
            })
            .collect(),
        serde_json::Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    };
    portal_client::NewMember {
        username: i.username.clone().unwrap_or_default(),
        password: None,
        first_name: first,
        last_name: last,
        email: i.email.clone().unwrap_or_default(),
        role: i.role.clone().unwrap_or_else(|| "org_user".into()),
        user_type: i.user_license_type.clone().unwrap_or_default(),
        groups,
        credits: i.user_credit_assignment.filter(|c| *c >= 0.0),
        description: None,
        idp_username: None,
    }
}

/// Who an invitation names in the journal: its username, else its email.
fn invitation_key(i: &Invitation) -> String {
    i.username
        .clone()
        .filter(|u| !u.is_empty())
        .or_else(|| i.email.clone())
        .unwrap_or_else(|| i.id.clone())
}

/// An invitation as the journal records it.
fn invitee_json(i: &Invitation) -> serde_json::Value {
    serde_json::json!({
        "id": i.id,
        "username": i.username,
        "email": i.email,
        "role": i.role,
        "userType": i.user_license_type,
    })
}

impl Console {
    /// Every organization invitation not yet accepted, pending or expired, newest first.
    pub async fn invitations(&self) -> Result<Vec<InvitationRow>> {
        let (client, names) = self.names().await?;
        let now = now_ms();
        let mut rows: Vec<InvitationRow> = client
            .invitations()
            .list()
            .await?
            .into_iter()
            .filter(|i| !i.accepted)
            .map(|i| InvitationRow::new(i, &names, now))
            .collect();
        rows.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// Withdraws an invitation: its link stops working.
    pub async fn delete_invitation(&self, id: &str) -> Result<()> {
        let client = self.client().await?;
        let invitations = client.invitations();
        let old = invitations.get(id.trim()).await?;
        let who = invitation_key(&old);
        let recorder = self
            .record(
                "withdrawInvitation",
                format!("Withdraw the invitation of {who}"),
                &[NewChange {
                    member: who.clone(),
                    field: field::INVITATION.into(),
                    before: Some(invitee_json(&old)),
                    after: None,
                    before_text: format!("invited ({})", old.id),
                    after_text: "withdrawn".into(),
                }],
            )
            .await?;
        let sent = invitations.delete(&old.id).await;
        recorder.settle_one(&who, field::INVITATION, &sent);
        sent?;
        Ok(())
    }

    /// Sends an invitation again: a new invitation to join for the same email, names, role,
    /// user type, groups and credits, with a new expiry, then withdraws the old one. As on
    /// ArcGIS Online, an invitation to join names no username (one that did would create the
    /// member at once): the invitee chooses their account when accepting. If the old one
    /// cannot be withdrawn after the new one is sent, the error says so plainly.
    pub async fn invite_again(&self, id: &str) -> Result<()> {
        let client = self.client().await?;
        let invitations = client.invitations();
        let old = invitations.get(id.trim()).await?;
        let person = invitee(&old);
        if person.email.is_empty() {
            return Err(Error::InvalidInput(
                "This invitation has no email to send again.".into(),
            ));
        }
        let who = invitation_key(&old);
        let recorder = self
            .record(
                "inviteAgain",
                format!("Invite {who} again"),
                &[NewChange {
                    member: who.clone(),
                    field: field::INVITATION.into(),
                    before: Some(invitee_json(&old)),
                    after: Some(invitee_json(&old)),
                    before_text: format!("invited ({})", old.id),
                    after_text: "invited again with a new link".into(),
                }],
            )
            .await?;
        let sent = invitations.invite_to_join(&person).await;
        recorder.settle_one(&who, field::INVITATION, &sent);
        sent?;
        invitations.delete(&old.id).await.map_err(|e| {
            Error::Refused(format!(
                "A new invitation went to {}, but the old one could not be withdrawn: {}. \
                 Withdraw it from the list.",
                person.email,
                e.reason()
            ))
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_follows_the_expiry() {
        let now = 1_000 * DAY_MS;
        assert_eq!(state_at(now - 1, now), InvitationState::Expired);
        assert_eq!(state_at(now, now), InvitationState::Expired);
        assert_eq!(state_at(now + DAY_MS, now), InvitationState::Expiring);
        assert_eq!(state_at(now + 3 * DAY_MS, now), InvitationState::Expiring);
        assert_eq!(
            state_at(now + 3 * DAY_MS + 1, now),
            InvitationState::Pending
        );
    }

    #[test]
    fn an_invitation_is_sent_again_with_its_names_groups_and_credits() {
        let i: Invitation = serde_json::from_value(serde_json::json!({
            "id": "abc", "username": "jdoe", "email": "j@example.com",
            "fullName": "Jane van Doe", "role": "org_publisher",
            "userLicenseType": "creatorUT", "groups": ["g1", {"id": "g2"}],
            "userCreditAssignment": -1, "fromUsername": {"username": "admin"},
            "created": 1, "expiration": 864000000
        }))
        .unwrap();
        let m = invitee(&i);
        assert_eq!(
            (m.first_name.as_str(), m.last_name.as_str()),
            ("Jane van", "Doe")
        );
        assert_eq!(m.groups, vec!["g1", "g2"]);
        assert_eq!(m.credits, None);
        assert!(
            m.password.is_none(),
            "sent again by email, never with a password"
        );
        let row = InvitationRow::new(i, &Names::default(), 0);
        assert_eq!(row.invited_by, "admin");
        assert_eq!(row.state, InvitationState::Pending);
    }
}
