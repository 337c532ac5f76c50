//! Creating members: the form as submitted, the rules checked before anything is sent
//! (ArcGIS usernames, the default password policy, role and user type compatibility), and
//! the username availability check.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::members::{Choice, Member, Names};
use crate::session::Console;

/// The create-member form as submitted.
#[derive(Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewMemberForm {
    pub username: String,
    /// With a password the member exists at once; without, an email invitation is sent.
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
    /// The member as the portal now holds it (created with a password), `None` for an
    /// invitation.
    pub member: Option<Member>,
    /// An email invitation is pending.
    pub invited: bool,
}

/// What breaks ArcGIS's username rules: 6 to 128 characters, letters, numbers and `. _ @ -`,
/// starting with a letter or a number.
pub fn username_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    let problem = if len < 6 {
        "must be at least 6 characters long"
    } else if len > 128 {
        "must be at most 128 characters long"
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
    {
        "may only contain letters, numbers and the characters . _ @ -"
    } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        "must start with a letter or a number"
    } else {
        return None;
    };
    Some(format!("The username {problem}."))
}

/// What breaks the default ArcGIS password policy: 8 to 128 characters, at least one letter
/// and one number, not the username. (An organization can be stricter; the portal says so
/// when it refuses.)
pub fn password_problem(username: &str, password: &str) -> Option<String> {
    let len = password.chars().count();
    let problem = if len < 8 {
        "must be at least 8 characters long"
    } else if len > 128 {
        "must be at most 128 characters long"
    } else if !password.chars().any(char::is_alphabetic) {
        "must contain at least one letter"
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        "must contain at least one number"
    } else if password.eq_ignore_ascii_case(username) {
        "must not be the username"
    } else {
        return None;
    };
    Some(format!("The password {problem}."))
}

fn rank(base_role: &str) -> u8 {
    match base_role {
        "org_admin" => 3,
        "org_publisher" => 2,
        _ => 1,
    }
}

/// The Viewer role's id, the same in every ArcGIS organization.
pub const VIEWER_ROLE_ID: &str = "iAAAAAAAAAAAAAAA";

/// Why a role does not go with a user type (the portal's compatibility rule: a type allows
/// roles up to its maximum base role; the Viewer type only the Viewer role). `None` when they
/// go together, or when the portal did not describe the role or the type.
pub fn incompatibility(role: &Choice, user_type: &Choice) -> Option<String> {
    let max = user_type.max_role.as_deref()?;
    let fits = if max == "viewer" {
        role.id == VIEWER_ROLE_ID
    } else {
        rank(role.base_role.as_deref()?) <= rank(max)
    };
    (!fits).then(|| {
        format!(
            "The user type {} does not allow the role {}.",
            user_type.name, role.name
        )
    })
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
    let email = form.email.trim();
    let at = email.find('@');
    if !at.is_some_and(|i| i > 0 && email[i + 1..].contains('.')) || email.contains(' ') {
        out.push("Enter an email address.".into());
    }
    let role = names.choices().roles.iter().find(|r| r.id == form.role_id);
    let user_type = names
        .choices()
        .user_types
        .iter()
        .find(|t| t.id == form.user_type);
    match (role, user_type) {
        (None, _) => out.push("Choose a role.".into()),
        (_, None) => out.push("Choose a user type.".into()),
        (Some(r), Some(t)) => out.extend(incompatibility(r, t)),
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

    /// Creates a member: with a password the member exists at once (ArcGIS Online through
    /// `invite`, Enterprise through `createUser`) and joins the table; without, an email
    /// invitation is sent. Every rule is checked first, so a bad form sends nothing.
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
        let with_password = form.password.is_some();
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
        };
        let users = client.users();
        users.create(&member).await?;
        if !with_password {
            return Ok(Created {
                member: None,
                invited: true,
            });
        }
        let fresh = users.get(&username).await?.ok_or_else(|| {
            Error::NotFound(format!(
                "{username} was created, but the portal does not show it yet. Refresh the members."
            ))
        })?;
        let member = names.member(fresh);
        self.remember(&client, vec![member.clone()]).await?;
        Ok(Created {
            member: Some(member),
            invited: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_arcgis_rules() {
        assert_eq!(username_problem("jsmith_gis"), None);
        assert_eq!(username_problem("j.smith@city-gov"), None);
        assert!(username_problem("short").unwrap().contains("6 characters"));
        assert!(username_problem("has space")
            .unwrap()
            .contains("only contain"));
        assert!(username_problem("_leading").unwrap().contains("start with"));
        assert!(username_problem(&"a".repeat(129)).unwrap().contains("128"));
    }

    #[test]
    fn passwords_follow_the_default_policy() {
        assert_eq!(password_problem("jsmith_gis", "river7stone"), None);
        assert!(password_problem("u", "a1")
            .unwrap()
            .contains("8 characters"));
        assert!(password_problem("u", "12345678")
            .unwrap()
            .contains("letter"));
        assert!(password_problem("u", "abcdefgh")
            .unwrap()
            .contains("number"));
        assert!(password_problem("abcdefg1", "ABCDEFG1")
            .unwrap()
            .contains("username"));
    }

    fn choice(id: &str, base: Option<&str>, max: Option<&str>) -> Choice {
        Choice {
            id: id.into(),
            name: id.into(),
            base_role: base.map(String::from),
            max_role: max.map(String::from),
        }
    }

    #[test]
    fn roles_and_user_types_follow_the_compatibility_rule() {
        let admin = choice("org_admin", Some("org_admin"), None);
        let viewer = choice(VIEWER_ROLE_ID, Some("org_user"), None);
        let unknown = choice("custom", None, None);
        let creator = choice("creatorUT", None, Some("org_admin"));
        let contributor = choice("editorUT", None, Some("org_user"));
        let viewer_type = choice("viewerUT", None, Some("viewer"));
        assert_eq!(incompatibility(&admin, &creator), None);
        assert!(incompatibility(&admin, &contributor).is_some());
        assert!(incompatibility(&admin, &viewer_type).is_some());
        assert_eq!(incompatibility(&viewer, &viewer_type), None);
        assert_eq!(incompatibility(&viewer, &contributor), None);
        assert_eq!(
            incompatibility(&unknown, &contributor),
            None,
            "unknown: not assumed"
        );
        assert!(incompatibility(&unknown, &viewer_type).is_some());
    }
}
