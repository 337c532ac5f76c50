//! Editing one member: names, email, description, profile visibility, role, user type and
//! credits, sent in the order the portal accepts and read back into the cache.
//!
//! What is deliberately not here: changes to many members at once (`bulk`).

use portal_client::ProfileVisibility;

use crate::error::{Error, Result};
use crate::members::rules::email_problem;
use crate::members::Member;
use crate::session::Console;

/// A member's edit form, as submitted: every field's wanted value. Only what differs from
/// the portal's current state is sent.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberEdit {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub description: String,
    pub access: ProfileVisibility,
    /// A base role or a custom role's id.
    pub role_id: String,
    pub user_type: String,
    /// Credits to assign (ArcGIS Online; `-1`: no limit); `None` leaves them as they are.
    pub credits: Option<f64>,
}

impl Console {
    /// Saves a member's edit form: the profile, then the user type and role in the order the
    /// portal accepts (a higher role may need its user type first, a lower user type may need
    /// the lower role first). The member is read back from the portal into the cache, so what
    /// the table shows is what the portal holds. A refusal is reported with the portal's
    /// reason; whatever was already saved stays saved and is in the answer of a reload.
    pub async fn update_member(&self, edit: MemberEdit) -> Result<Member> {
        let (client, names) = self.names().await?;
        let users = client.users();
        let username = edit.username.trim().to_string();
        let current = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!("{username} no longer exists in this organization."))
        })?;
        let changed = |new: &str, old: &Option<String>| -> Option<String> {
            (Some(new) != old.as_deref()).then(|| new.to_string())
        };
        let email = edit.email.trim();
        // Checked only when it changes: an address the portal already holds is not ours to
        // refuse (and must not block a role change).
        if let Some(problem) = changed(email, &current.email).and_then(|e| email_problem(&e)) {
            return Err(Error::InvalidInput(format!(
                "{problem} ('{email}' is not one.)"
            )));
        }
        let first = edit.first_name.trim();
        let last = edit.last_name.trim();
        let profile = portal_client::UserUpdate {
            first_name: (first != current.first_name).then(|| first.to_string()),
            last_name: (last != current.last_name).then(|| last.to_string()),
            full_name: None,
            email: changed(email, &current.email),
            description: changed(&edit.description, &current.description)
                .filter(|d| !(d.is_empty() && current.description.is_none())),
            // A visibility ArcGIS does not document is shown as the default; left as it is.
            access: changed(edit.access.id(), &current.access).filter(|_| {
                current
                    .access
                    .as_deref()
                    .is_none_or(|a| ProfileVisibility::parse(a).is_some())
            }),
            tags: None,
        };
        let any_profile = profile.first_name.is_some()
            || profile.last_name.is_some()
            || profile.email.is_some()
            || profile.description.is_some()
            || profile.access.is_some();
        if any_profile {
            users.update(&username, &profile).await?;
        }
        let current_role = current
            .role_id
            .clone()
            .filter(|r| !r.is_empty())
            .or(current.role.clone())
            .unwrap_or_default();
        let role_changes = edit.role_id != current_role;
        let type_changes = Some(edit.user_type.as_str()) != current.user_license_type_id.as_deref();
        let one = std::slice::from_ref(&username);
        let set_type = || async {
            let answer = users.set_user_type(one, &edit.user_type).await?;
            match answer
                .into_iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(&username))
            {
                Some((_, Err(reason))) => Err(Error::Refused(reason)),
                _ => Ok(()),
            }
        };
        if type_changes {
            match set_type().await {
                Ok(()) => {
                    if role_changes {
                        users.set_role(&username, &edit.role_id).await?;
                    }
                }
                // The new type may not allow the current role: lower the role first.
                Err(first_try) if role_changes => {
                    users.set_role(&username, &edit.role_id).await?;
                    set_type().await.map_err(|_| first_try)?;
                }
                Err(e) => return Err(e),
            }
        } else if role_changes {
            users.set_role(&username, &edit.role_id).await?;
        }
        if let Some(credits) = edit
            .credits
            .filter(|c| Some(*c) != current.assigned_credits)
        {
            if !(credits == -1.0 || (credits >= 0.0 && credits.is_finite())) {
                return Err(Error::InvalidInput(
                    "Credits are a number of 0 or more (or -1 for no limit).".into(),
                ));
            }
            let refused = users.assign_credits(&[(username.clone(), credits)]).await?;
            if !refused.is_empty() {
                return Err(Error::Refused(format!(
                    "The portal did not assign {credits} credits to {username}."
                )));
            }
        }
        let fresh = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!("{username} no longer exists in this organization."))
        })?;
        let mut member = names.member(fresh);
        member.groups = self
            .cached(&username)
            .await
            .map(|m| m.groups)
            .unwrap_or_default();
        self.remember(&client, vec![member.clone()]).await?;
        Ok(member)
    }
}
