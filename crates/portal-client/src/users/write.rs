//! Changes to one member: profile, delete (with reassignment), disable, enable, role, user
//! type and credits, and the portal's `{"success":true}` and `{"results":[…]}` answers they
//! share with the other handlers.
//!
//! Not here: creating members (`create`), invitations (`crate::invitations`), and changing
//! many members with per-member outcomes and no double application (`crate::bulk`).

use serde::Deserialize;

use super::Users;
use crate::error::{Error, Result};

/// Changes to a member's profile; only the fields set are sent.
#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub description: Option<String>,
    /// `private`, `org` or `public`.
    pub access: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// Members per `portals/self/removeUsers` request: ArcGIS's REST reference gives no limit; the
/// embedded portal takes 100, and Memberdesk keeps to it so a request stays small.
pub const REMOVE_BATCH: usize = 100;

/// The usual `{"success":true}` answer (Portal Admin says `{"status":"success"}`).
#[derive(Debug, Deserialize)]
pub(crate) struct Success {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    status: Option<String>,
}

impl Success {
    pub(crate) fn check(self, what: &str) -> Result<()> {
        if self.success || self.status.as_deref() == Some("success") {
            Ok(())
        } else {
            Err(Error::Portal {
                code: 400,
                message: format!("the portal did not confirm: {what}"),
                details: Vec::new(),
            })
        }
    }
}

/// One `{"username","status"}` result of a batch operation.
#[derive(Debug, Deserialize)]
pub(crate) struct BatchResult {
    pub username: String,
    #[serde(default, alias = "success")]
    pub status: bool,
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

/// `{"results":[…]}`.
#[derive(Debug, Deserialize)]
pub(crate) struct BatchResults {
    #[serde(default)]
    pub results: Vec<BatchResult>,
}

impl BatchResult {
    /// Why this item failed, in the portal's words.
    pub(crate) fn reason(&self) -> String {
        self.error
            .as_ref()
            .and_then(|e| e.get("message").and_then(|m| m.as_str()).map(String::from))
            .unwrap_or_else(|| "the portal refused the change".into())
    }
}

impl Users<'_> {
    /// Updates a member's profile.
    pub async fn update(&self, username: &str, change: &UserUpdate) -> Result<()> {
        let mut params: Vec<(&str, String)> = Vec::new();
        let fields = [
            ("firstName", &change.first_name),
            ("lastName", &change.last_name),
            ("fullname", &change.full_name),
            ("email", &change.email),
            ("description", &change.description),
            ("access", &change.access),
        ];
        for (key, value) in fields {
            if let Some(v) = value {
                params.push((key, v.clone()));
            }
        }
        if let Some(tags) = &change.tags {
            // An empty list is sent as "," (the portal's way to clear tags).
            let joined = tags.join(",");
            params.push((
                "tags",
                if joined.is_empty() {
                    ",".into()
                } else {
                    joined
                },
            ));
        }
        if params.iter().any(|(_, v)| v.is_empty()) {
            params.push(("clearEmptyFields", "true".into()));
        }
        self.member_operation(username, "update", params).await
    }

    /// Deletes a member; their content and groups go to `reassign_to` first when given.
    pub async fn delete(&self, username: &str, reassign_to: Option<&str>) -> Result<()> {
        if let Some(target) = reassign_to {
            self.reassign(username, target).await?;
        }
        self.member_operation(username, "delete", Vec::new()).await
    }

    /// Gives a member's content (items and folders) and the groups they own to `target`.
    pub async fn reassign(&self, username: &str, target: &str) -> Result<()> {
        let to = vec![("targetUsername", target.to_string())];
        self.member_operation(username, "reassign", to).await
    }

    /// Deletes many members in one request (`portals/self/removeUsers`; at most
    /// [`REMOVE_BATCH`] a request); per member, `Ok` or why the portal kept them. ArcGIS
    /// answers only `notRemoved`; a reason is taken from `errors` when the portal gives one.
    pub async fn remove(
        &self,
        usernames: &[String],
    ) -> Result<Vec<(String, std::result::Result<(), String>)>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            not_removed: Vec<serde_json::Value>,
            #[serde(default)]
            errors: Vec<serde_json::Value>,
        }
        let answer: Answer = self
            .client
            .write(
                "portals/self/removeUsers",
                vec![("users", usernames.join(","))],
            )
            .await?;
        let kept: Vec<String> = answer
            .not_removed
            .iter()
            .filter_map(|v| v.as_str().map(str::to_lowercase))
            .collect();
        let why = |name: &str| {
            answer
                .errors
                .iter()
                .find(|e| {
                    e.get("username")
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|u| u.eq_ignore_ascii_case(name))
                })
                .and_then(|e| e.pointer("/error/message"))
                .and_then(serde_json::Value::as_str)
                .map_or_else(
                    || "the portal did not remove this member (they may still own content or groups)".to_string(),
                    str::to_string,
                )
        };
        Ok(usernames
            .iter()
            .map(|u| {
                let outcome = if kept.contains(&u.to_lowercase()) {
                    Err(why(u))
                } else {
                    Ok(())
                };
                (u.clone(), outcome)
            })
            .collect())
    }

    /// Disables a member (they can no longer sign in).
    pub async fn disable(&self, username: &str) -> Result<()> {
        self.member_operation(username, "disable", Vec::new()).await
    }

    /// Enables a disabled member.
    pub async fn enable(&self, username: &str) -> Result<()> {
        self.member_operation(username, "enable", Vec::new()).await
    }

    /// POSTs `community/users/{username}/{operation}` and checks the portal confirmed it.
    async fn member_operation(
        &self,
        username: &str,
        operation: &str,
        params: Vec<(&'static str, String)>,
    ) -> Result<()> {
        let answer: Success = self
            .client
            .write(&Self::path(username, operation), params)
            .await?;
        answer.check(operation)
    }

    /// Gives a member a role: `org_user`, `org_publisher`, `org_admin` or a custom role id.
    pub async fn set_role(&self, username: &str, role: &str) -> Result<()> {
        let answer: Success = self
            .client
            .write(
                "portals/self/updateUserRole",
                vec![("user", username.to_string()), ("role", role.to_string())],
            )
            .await?;
        answer.check("role change")
    }

    /// Gives many members one user type in one request; per member, `Ok` or the reason.
    pub async fn set_user_type(
        &self,
        usernames: &[String],
        user_type: &str,
    ) -> Result<Vec<(String, std::result::Result<(), String>)>> {
        let answer: BatchResults = self
            .client
            .write(
                "portals/self/updateUserLicenseType",
                vec![
                    ("users", usernames.join(",")),
                    ("userLicenseType", user_type.to_string()),
                ],
            )
            .await?;
        Ok(answer
            .results
            .into_iter()
            .map(|r| {
                let outcome = if r.status { Ok(()) } else { Err(r.reason()) };
                (r.username, outcome)
            })
            .collect())
    }

    /// Assigns credits (ArcGIS Online); answers the usernames the portal did not assign.
    pub async fn assign_credits(&self, assignments: &[(String, f64)]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            not_assigned_users: Vec<serde_json::Value>,
        }
        let list: Vec<serde_json::Value> = assignments
            .iter()
            .map(|(u, c)| serde_json::json!({"username": u, "credits": c}))
            .collect();
        let answer: Answer = self
            .client
            .write(
                "portals/self/assignUserCredits",
                vec![("userAssignments", serde_json::Value::from(list).to_string())],
            )
            .await?;
        Ok(answer
            .not_assigned_users
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other
                    .get("username")
                    .and_then(|u| u.as_str())
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect())
    }
}
