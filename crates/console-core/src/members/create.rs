//! Creating members: the form as submitted, the rules checked before anything is sent
//! (ArcGIS usernames, the default password policy, role and user type compatibility), and
//! the username availability check.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{field, NewChange};
use crate::members::rules::{email_problem, password_problem, username_problem};
use crate::members::{Member, Names};
use crate::session::Console;

/// The create-member form as submitted.
#[derive(Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewMemberForm {
    pub username: String,
    /// With a password the member exists at once and no email is sent; without (ArcGIS
    /// Online), the member exists at once too and is emailed a link to set a password.
    /// Kept as a secret: redacted in debug output, wiped when dropped.
    #[specta(type = Option<String>)]
    pub password: Option<SecretString>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// A base role or a custom role's id.
    pub role_id: String,
    pub user_type: String,
    /// Group ids to join.
    pub groups: Vec<String>,
    /// Credits (ArcGIS Online); `None` for the organization's default.
    pub credits: Option<f64>,
}

/// Whether a username can be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsernameCheck {
    pub username: String,
    /// What breaks the username rules, if anything (then nothing was asked of the portal).
    pub problem: Option<String>,
    /// Whether no member or pending invitation has it; `None` when the portal did not say.
    pub available: Option<bool>,
    /// A free name the portal suggests instead of a taken one.
    pub suggestion: Option<String>,
}

/// What a create did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    /// The member as the portal now holds it.
    pub member: Member,
    /// The member was created without a password and emailed a link to set one.
    pub emailed: bool,
}

/// Every problem of the form, in the order of its fields (empty when it can be sent).
pub fn problems(form: &NewMemberForm, names: &Names) -> Vec<String> {
    let mut out = Vec::new();
    let username = form.username.trim();
    out.extend(username_problem(username));
    if let Some(p) = &form.password {
        out.extend(password_problem(username, p.expose_secret()));
    }
    if form.first_name.trim().is_empty() {
        out.push("Enter a first name.".into());
    }
    if form.last_name.trim().is_empty() {
        out.push("Enter a last name.".into());
    }
    out.extend(email_problem(form.email.trim()));
    let choices = names.choices();
    if !choices.roles.iter().any(|r| r.id == form.role_id) {
        out.push("Choose a role.".into());
    } else if !choices.user_types.iter().any(|t| t.id == form.user_type) {
        out.push("Choose a user type.".into());
    } else {
        out.extend(choices.incompatibility(&form.role_id, &form.user_type));
    }
    if form.credits.is_some_and(|c| !c.is_finite() || c < 0.0) {
        out.push("Credits must be a positive number, or empty for the default.".into());
    }
    out
}

impl Console {
    /// Whether a username follows the rules and is free (no member, no pending invitation).
    pub async fn check_username(&self, name: &str) -> Result<UsernameCheck> {
        let username = name.trim().to_string();
        if let Some(problem) = username_problem(&username) {
            return Ok(UsernameCheck {
                username,
                problem: Some(problem),
                available: None,
                suggestion: None,
            });
        }
        let client = self.client().await?;
        let users = client.users();
        let (available, suggestion) = match users.check_username(&username).await {
            Ok(Some(s)) if s.eq_ignore_ascii_case(&username) => (Some(true), None),
            Ok(Some(s)) => (Some(false), Some(s)),
            // A portal without the check (or an answer of another shape): a member of that
            // name is what can still be found out.
            Ok(None)
            | Err(portal_client::Error::Portal { .. } | portal_client::Error::Decode { .. }) => {
                (Some(users.get(&username).await?.is_none()), None)
            }
            Err(e) => return Err(e.into()),
        };
        Ok(UsernameCheck {
            username,
            problem: None,
            available,
            suggestion,
        })
    }

    /// Creates a member, who exists at once and joins the table (ArcGIS Online through
    /// `invite`, Enterprise through `createUser`): with a password, silently; without one
    /// (ArcGIS Online), the portal emails them a link to set it. Every rule is checked first,
    /// so a bad form sends nothing.
    pub async fn create_member(&self, form: NewMemberForm) -> Result<Created> {
        let (client, names) = self.names().await?;
        let problems = problems(&form, &names);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems.join(" ")));
        }
        let username = form.username.trim().to_string();
        let check = self.check_username(&username).await?;
        if check.available == Some(false) {
            return Err(Error::InvalidInput(match check.suggestion {
                Some(s) => format!("The username {username} is taken; {s} is free."),
                None => format!("The username {username} is taken."),
            }));
        }
        if !form.groups.is_empty() {
            let known = self.groups(false).await?;
            if let Some(g) = form
                .groups
                .iter()
                .find(|g| !known.iter().any(|k| &k.id == *g))
            {
                return Err(Error::InvalidInput(format!(
                    "The organization has no group '{g}'. Reload and choose again."
                )));
            }
        }
        let emailed = form.password.is_none();
        let member = portal_client::NewMember {
            username: username.clone(),
            password: form.password,
            first_name: form.first_name.trim().to_string(),
            last_name: form.last_name.trim().to_string(),
            email: form.email.trim().to_string(),
            role: form.role_id,
            user_type: form.user_type,
            groups: form.groups,
            credits: form.credits,
            description: None,
            idp_username: None,
        };
        let users = client.users();
        // Recorded without the password.
        let record = NewChange {
            member: username.clone(),
            field: field::MEMBER.into(),
            before: None,
            after: Some(serde_json::json!({
                "username": member.username,
                "firstName": member.first_name,
                "lastName": member.last_name,
                "email": member.email,
                "role": member.role,
                "userType": member.user_type,
                "groups": member.groups,
                "credits": member.credits,
                "notified": emailed,
            })),
            before_text: String::new(),
            after_text: format!(
                "created: {}, {}",
                names.user_type_name(&member.user_type),
                names.role_name(&member.role)
            ),
        };
        let recorder = self
            .record("create", format!("Create {username}"), &[record])
            .await?;
        let sent = users.create(&member).await;
        recorder.settle_one(&username, field::MEMBER, &sent);
        sent?;
        let fresh = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!(
                "{username} was created, but the portal does not show it yet. Refresh the members."
            ))
        })?;
        let member = names.member(fresh);
        self.remember(&client, vec![member.clone()]).await?;
        Ok(Created { member, emailed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_client::{Role, UserType, VIEWER_ROLE_ID};

    #[test]
    fn roles_and_user_types_follow_the_compatibility_rule() {
        let role = |id: &str, privileges: Option<&[&str]>| Role {
            id: id.into(),
            name: id.into(),
            description: None,
            privileges: privileges.map(|p| p.iter().map(|s| s.to_string()).collect()),
        };
        let user_type = |id: &str, max: &str| UserType {
            id: id.into(),
            name: id.into(),
            description: None,
            max_role: Some(max.into()),
        };
        let names = Names::new(
            &[
                role(VIEWER_ROLE_ID, Some(&["portal:user:joinGroup"])),
                role("custom", None),
            ],
            &[
                user_type("creatorUT", "org_admin"),
                user_type("editorUT", "org_user"),
                user_type("viewerUT", "viewer"),
            ],
        );
        let c = names.choices();
        assert_eq!(c.incompatibility("org_admin", "creatorUT"), None);
        assert!(c.incompatibility("org_admin", "editorUT").is_some());
        assert!(c.incompatibility("org_admin", "viewerUT").is_some());
        assert_eq!(c.incompatibility(VIEWER_ROLE_ID, "viewerUT"), None);
        assert_eq!(c.incompatibility(VIEWER_ROLE_ID, "editorUT"), None);
        assert_eq!(
            c.incompatibility("custom", "editorUT"),
            None,
            "unknown: not assumed"
        );
        assert!(c.incompatibility("custom", "viewerUT").is_some());
    }
}
