//! Creating a member, with or without a password: on ArcGIS Online through
//! `portals/self/invite` (an entry that names a username creates the member at once), on
//! Enterprise through `/portaladmin/security/users/createUser` and then the groups.
//!
//! Not here: the organization's invitations as things to list, read or withdraw
//! (`crate::invitations`), and checking that a username is free (`Users::check_username`).

use serde::Deserialize;

use super::write::Success;
use super::Users;
use crate::error::{Error, Result};

/// A member to create.
#[derive(Debug, Clone, Default)]
pub struct NewMember {
    pub username: String,
    /// With a password the member exists at once; without (ArcGIS Online), the member exists
    /// at once too and the portal emails them a link to set a password.
    pub password: Option<secrecy::SecretString>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `org_user`, `org_publisher`, `org_admin` or a custom role id.
    pub role: String,
    pub user_type: String,
    /// Group ids to join.
    pub groups: Vec<String>,
    /// Credits to assign (ArcGIS Online), `None` for the organization's default.
    pub credits: Option<f64>,
    pub description: Option<String>,
    /// An organization-specific login (SAML/OIDC): the member's username at the identity
    /// provider. Such a member has no password and signs in through the provider.
    pub idp_username: Option<String>,
}

impl Users<'_> {
    /// Creates a member, who exists when this returns: on ArcGIS Online through
    /// `portals/self/invite` (an entry with a username creates the member; without a password
    /// the portal emails a link to set one); on Enterprise through
    /// `/portaladmin/security/users/createUser`, then joins the groups.
    pub async fn create(&self, member: &NewMember) -> Result<()> {
        let portal = self.client.portal_self().await?;
        if portal.is_arcgis_online() {
            return self.invite(member).await;
        }
        let url = self.client.portal_admin_url("security/users/createUser")?;
        let mut params = vec![
            ("username", member.username.clone()),
            ("firstname", member.first_name.clone()),
            ("lastname", member.last_name.clone()),
            ("email", member.email.clone()),
            ("role", member.role.clone()),
            ("userLicenseTypeId", member.user_type.clone()),
        ];
        match (&member.password, &member.idp_username) {
            (_, Some(idp)) => {
                params.push(("provider", "enterprise".to_string()));
                params.push(("idpUsername", idp.clone()));
            }
            (Some(password), None) => {
                params.push(("provider", "arcgis".to_string()));
                params.push((
                    "password",
                    secrecy::ExposeSecret::expose_secret(password).to_string(),
                ));
            }
            (None, None) => {
                return Err(Error::InvalidInput(
                    "ArcGIS Enterprise creates built-in members with a password".into(),
                ))
            }
        }
        if let Some(d) = &member.description {
            params.push(("description", d.clone()));
        }
        let answer: Success = self.client.post_absolute(url, params, true).await?;
        answer.check("createUser")?;
        for group in &member.groups {
            let not_added = self
                .client
                .groups()
                .add(group, std::slice::from_ref(&member.username))
                .await?;
            if !not_added.is_empty() {
                return Err(Error::Portal {
                    code: 400,
                    message: format!("created, but not added to group {group}"),
                    details: Vec::new(),
                });
            }
        }
        Ok(())
    }

    async fn invite(&self, member: &NewMember) -> Result<()> {
        invite_entry(self.client, member, true).await
    }
}

/// Posts one entry of `portals/self/invite` built from `member`: with its username (and
/// password, if any) when `with_username`, so the member is created at once; without, an
/// invitation to join (the invitee chooses an account when accepting).
pub(crate) async fn invite_entry(
    client: &crate::transport::Client,
    member: &NewMember,
    with_username: bool,
) -> Result<()> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        #[serde(default)]
        success: bool,
        #[serde(default)]
        not_invited: Vec<String>,
        #[serde(default)]
        errors: Vec<serde_json::Value>,
    }
    let mut invitation = serde_json::json!({
        "firstname": member.first_name,
        "lastname": member.last_name,
        "fullname": format!("{} {}", member.first_name, member.last_name).trim(),
        "email": member.email,
        "role": member.role,
        "userLicenseType": member.user_type,
        "groups": member.groups.join(","),
        "userCreditAssignment": member.credits.unwrap_or(-1.0),
        "targetUserProvider": "arcgis",
    });
    if with_username {
        invitation["username"] = member.username.clone().into();
        if let Some(idp) = &member.idp_username {
            invitation["targetUserProvider"] = "enterprise".into();
            invitation["idpUsername"] = idp.clone().into();
        } else if let Some(p) = &member.password {
            invitation["password"] = secrecy::ExposeSecret::expose_secret(p).into();
        }
    }
    let list = serde_json::json!({"invitations": [invitation], "apps": [], "appBundles": []});
    let answer: Answer = client
        .write(
            "portals/self/invite",
            vec![("invitationList", list.to_string())],
        )
        .await?;
    if !answer.success || !answer.not_invited.is_empty() {
        let why = answer
            .errors
            .first()
            .and_then(|e| e.pointer("/error/message").and_then(|m| m.as_str()))
            .unwrap_or("the portal did not invite this member")
            .to_string();
        return Err(Error::Portal {
            code: 400,
            message: why,
            details: answer.not_invited,
        });
    }
    Ok(())
}
