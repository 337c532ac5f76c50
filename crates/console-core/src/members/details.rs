//! What the member panel shows beside the row: the member's groups (owned ones marked), the
//! group invitations they have not answered, and the licenses and bundles they hold with each
//! license's last use.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::invitations;
use crate::session::Console;

/// A group a member belongs to, for the member panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberGroup {
    pub id: String,
    pub title: String,
    /// The member owns the group.
    pub owner: bool,
}

/// An invitation to a group that a member has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedInvitation {
    pub id: String,
    pub group_id: String,
    pub group_title: String,
    /// Who sent it.
    pub from: String,
    #[specta(type = f64)]
    pub received: i64,
    #[specta(type = f64)]
    pub expiration: i64,
}

/// A license or bundle a member holds, for the member panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HeldLicense {
    /// The license key (`<item id>/<entitlement>`, `bundle/<id>`), or `type/<bundle id>` for
    /// a bundle the user type includes.
    pub key: String,
    pub name: String,
    /// The product's title, "App bundle", or "Included in <user type>".
    pub group: String,
    /// The license's last use (epoch ms) as the portal reports it; `None` for never, and for
    /// bundles (ArcGIS does not report their use).
    #[specta(type = Option<f64>)]
    pub last_used: Option<i64>,
}

/// The member panel's extra sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberDetails {
    pub groups: Vec<MemberGroup>,
    pub invitations: Vec<ReceivedInvitation>,
    pub licenses: Vec<HeldLicense>,
}

impl Console {
    /// What the member panel shows beside the row: the member's groups (from the cache, with
    /// their titles) and the invitations to groups they have not answered (from the portal).
    pub async fn member_details(&self, username: &str) -> Result<MemberDetails> {
        let member = self.cached(username.trim()).await.ok_or_else(|| {
            Error::NotFound(format!(
                "{} is not among the loaded members.",
                username.trim()
            ))
        })?;
        let groups = self.groups(false).await?;
        let client = self.client().await?;
        let title = |id: &str| {
            groups
                .iter()
                .find(|g| g.id == id)
                .map(|g| g.title.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut member_groups: Vec<MemberGroup> = member
            .groups
            .iter()
            .map(|id| MemberGroup {
                id: id.to_string(),
                title: title(id),
                owner: groups
                    .iter()
                    .any(|g| &g.id == id && g.owner.eq_ignore_ascii_case(&member.username)),
            })
            .collect();
        member_groups.sort_by_key(|g| g.title.to_lowercase());
        let invitations = client
            .invitations()
            .received(&member.username)
            .await?
            .into_iter()
            .filter(|i| i.target_type.is_empty() || i.target_type == "group")
            .map(|i| ReceivedInvitation {
                group_title: title(&i.target_id),
                group_id: i.target_id,
                from: invitations::sender(&i.from_username),
                received: i.received,
                expiration: i.expiration,
                id: i.id,
            })
            .collect();
        let licenses = self.held_licenses(&client, &member).await?;
        Ok(MemberDetails {
            groups: member_groups,
            invitations,
            licenses,
        })
    }

    /// What the member holds, read from the portal for each license they hold (for its last
    /// use), then the bundles given to them and those their user type includes.
    async fn held_licenses(
        &self,
        client: &portal_client::Client,
        member: &crate::members::Member,
    ) -> Result<Vec<HeldLicense>> {
        let Some(offers) = self.offers().await else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for p in &offers.products {
            let prefix = format!("{}/", p.item_id);
            if !member.licenses.iter().any(|k| k.starts_with(&prefix)) {
                continue;
            }
            // A license the portal no longer answers for (expired since the load) is shown
            // from the cache, without its last use, rather than losing the panel.
            let holder = match client.licenses().holder(&p.item_id, &member.username).await {
                Ok(h) => h,
                Err(e) if e.is_transient() => return Err(e.into()),
                Err(_) => portal_client::licenses::Holder {
                    username: member.username.clone(),
                    last_login: None,
                    entitlements: member
                        .licenses
                        .iter()
                        .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
                        .collect(),
                },
            };
            let last_used = holder.last_login.filter(|t| *t > 0);
            for e in &holder.entitlements {
                let key = crate::licenses::entitlement_key(&p.item_id, e);
                out.push(HeldLicense {
                    name: offers.name_of(&key),
                    key,
                    group: p.title.clone(),
                    last_used,
                });
            }
        }
        for b in &offers.bundles {
            if member.licenses.iter().any(|k| k == &b.key) {
                out.push(HeldLicense {
                    key: b.key.clone(),
                    name: b.name.clone(),
                    group: "App bundle".into(),
                    last_used: None,
                });
            } else if b.included_in.iter().any(|t| *t == member.user_type) {
                out.push(HeldLicense {
                    key: format!("type/{}", b.id),
                    name: b.name.clone(),
                    group: format!("Included in {}", member.user_type_name),
                    last_used: None,
                });
            }
        }
        Ok(out)
    }
}
