//! Editing one member: names, email, description, profile visibility, role, user type and
//! credits, sent in the order the portal accepts and read back into the cache.
//!
//! What is deliberately not here: changes to many members at once (`bulk`).

use portal_client::ProfileVisibility;

use crate::error::{Error, Result};
use crate::journal::{self, field};
use crate::members::rules::email_problem;
use crate::members::{Member, SharedStr};
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
        // The journal's record, written before the first request: what the form changes.
        let before = names.member(current.clone());
        let mut after = before.clone();
        let set = |to: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                to.clone_from(v);
            }
        };
        set(&mut after.first_name, &profile.first_name);
        set(&mut after.last_name, &profile.last_name);
        set(&mut after.email, &profile.email);
        set(&mut after.description, &profile.description);
        if let Some(access) = profile.access.as_deref().and_then(ProfileVisibility::parse) {
            after.access = access;
        }
        after.role_id = SharedStr::from(&edit.role_id);
        after.user_type = SharedStr::from(&edit.user_type);
        if let Some(credits) = edit.credits {
            after.credits = Some(credits);
        }
        let changes = journal::diff(&before, &after, EDIT_FIELDS, &names);
        let recorder = if changes.is_empty() {
            None
        } else {
            let summary = format!("Edit {username}");
            Some(self.record("edit", summary, &changes).await?)
        };
        let sent = self
            .send_edit(&client, &username, &edit, &current, &profile)
            .await;
        // What the portal holds now settles each change, whatever stopped the sending.
        let fresh = users.get(&username).await;
        if let (Some(recorder), Ok(Some(fresh))) = (&recorder, &fresh) {
            let why = sent.as_ref().err().map(ToString::to_string);
            recorder.settle(&journal::verified(
                &changes,
                &names.member(fresh.clone()),
                why.as_deref(),
            ));
        }
        // A job stopped by an error is ended as stopped when the recorder is dropped.
        if let (Some(recorder), true) = (recorder, sent.is_ok()) {
            recorder.finish(false);
        }
        sent?;
        let fresh = fresh?.ok_or_else(|| {
            Error::NotFound(format!("{username} no longer exists in this organization."))
        })?;
        let mut member = names.member(fresh);
        // Groups and licenses are not in the portal's user record; an edit changes neither.
        if let Some(cached) = self.cached(&username).await {
            member.groups = cached.groups;
            member.licenses = cached.licenses;
        }
        self.remember(&client, vec![member.clone()]).await?;
        Ok(member)
    }

    /// Sends an edit's changes: the profile, then the user type and role in the order the
    /// portal accepts, then credits.
    async fn send_edit(
        &self,
        client: &portal_client::Client,
        username: &str,
        edit: &MemberEdit,
        current: &portal_client::User,
        profile: &portal_client::UserUpdate,
    ) -> Result<()> {
        let users = client.users();
        let username = username.to_string();
        let any_profile = profile.first_name.is_some()
            || profile.last_name.is_some()
            || profile.email.is_some()
            || profile.description.is_some()
            || profile.access.is_some();
        if any_profile {
            users.update(&username, profile).await?;
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
        Ok(())
    }
}

/// The fields an edit can change, in the order the journal lists them.
const EDIT_FIELDS: &[&str] = &[
    field::FIRST_NAME,
    field::LAST_NAME,
    field::EMAIL,
    field::DESCRIPTION,
    field::ACCESS,
    field::USER_TYPE,
    field::ROLE,
    field::CREDITS,
];
