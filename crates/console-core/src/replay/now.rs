//! What the portal holds now of the fields recorded changes touch, read once per member,
//! group, license and bundle involved (not from the cache: another administrator may have
//! changed them since the load). Undo and resume each judge a change against it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use portal_client::{Client, ContentSummary};
use serde_json::{json, Value};

use super::same;
use crate::error::Result;
use crate::journal::{field, text_of, value_of, Change};
use crate::licenses::Offers;
use crate::members::{Member, Names};

/// Requests in flight at once while reading members.
const READS_AT_ONCE: usize = 8;

/// What the portal holds now, of what the changes touch.
pub(crate) struct Now {
    names: Arc<Names>,
    offers: Option<Arc<Offers>>,
    /// By lower-cased username; `None`: no longer in the organization.
    members: HashMap<String, Option<Member>>,
    /// By group id, lower-cased usernames; `None`: the group no longer exists.
    groups: HashMap<String, Option<HashSet<String>>>,
    /// By listing item id, each holder's entitlements (lower-cased username).
    licenses: HashMap<String, HashMap<String, Vec<String>>>,
    /// By bundle id, lower-cased usernames.
    bundles: HashMap<String, HashSet<String>>,
    /// Pending invitations by lower-cased email: their ids.
    invited: HashMap<String, String>,
    /// Content of members a job created who have never signed in.
    content: HashMap<String, ContentSummary>,
}

impl Now {
    /// Reads what `changes` need; with `content`, also the content of the members they
    /// created who have never signed in (undo deletes only those who own nothing).
    pub(crate) async fn read(
        client: &Client,
        names: &Arc<Names>,
        offers: Option<&Offers>,
        changes: &[Change],
        content: bool,
    ) -> Result<Now> {
        let mut usernames = BTreeSet::new();
        let mut groups = BTreeSet::new();
        let mut items = BTreeSet::new();
        let mut bundles = BTreeSet::new();
        let mut invitations = false;
        for c in changes {
            if c.field == field::INVITATION {
                invitations = true;
                continue;
            }
            if let Some(id) = c.field.strip_prefix("group:") {
                groups.insert(id.to_string());
            } else if let Some(item) = c.field.strip_prefix("license:") {
                items.insert(item.to_string());
            } else if let Some(id) = c.field.strip_prefix("bundle:") {
                bundles.insert(id.to_string());
            } else {
                usernames.insert(c.member.to_lowercase());
            }
        }
        let users = client.users();
        let members: HashMap<String, Option<Member>> = futures::stream::iter(usernames)
            .map(|u| {
                let users = &users;
                async move {
                    let fresh = users.get(&u).await?;
                    Ok::<_, crate::error::Error>((u, fresh.map(|f| names.member(f))))
                }
            })
            .buffer_unordered(READS_AT_ONCE)
            .try_collect()
            .await?;
        let mut now = Now {
            names: names.clone(),
            offers: offers.map(|o| Arc::new(o.clone())),
            members,
            groups: HashMap::new(),
            licenses: HashMap::new(),
            bundles: HashMap::new(),
            invited: HashMap::new(),
            content: HashMap::new(),
        };
        for id in groups {
            let inside = match client.groups().member_names(&id).await {
                Ok(names) => Some(names.iter().map(|n| n.to_lowercase()).collect()),
                Err(e) if e.is_transient() => return Err(e.into()),
                Err(_) => None,
            };
            now.groups.insert(id, inside);
        }
        for item in items {
            let prefix = format!("{item}/");
            let held = crate::bulk::current_holdings(client, &item)
                .await?
                .into_iter()
                .map(|(u, keys)| {
                    let bare = keys
                        .iter()
                        .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
                        .collect();
                    (u, bare)
                })
                .collect();
            now.licenses.insert(item, held);
        }
        for id in bundles {
            let holders = client.licenses().bundle_holders(&id).await?;
            now.bundles
                .insert(id, holders.iter().map(|h| h.to_lowercase()).collect());
        }
        if invitations {
            for i in client.invitations().list().await? {
                if let Some(email) = i.email.filter(|_| !i.accepted) {
                    now.invited.insert(email.to_lowercase(), i.id);
                }
            }
        }
        for c in changes.iter().filter(|_| content) {
            let key = c.member.to_lowercase();
            let never_signed_in =
                matches!(now.members.get(&key), Some(Some(m)) if m.last_login.is_none());
            if c.field == field::MEMBER && c.before.is_none() && never_signed_in {
                let summary = client.users().content_summary(&c.member).await?;
                now.content.insert(key, summary);
            }
        }
        Ok(now)
    }

    /// What the portal holds now of `c`'s field (a member's field, a group's membership, a
    /// license's entitlements, a bundle), or why nothing holds it any more. Not for the
    /// member itself or an invitation: `member` and `invitation` answer those.
    pub(crate) fn held(&self, c: &Change) -> Held {
        let key = c.member.to_lowercase();
        let f = c.field.as_str();
        if let Some(id) = f.strip_prefix("group:") {
            match self.groups.get(id) {
                Some(Some(inside)) => Held::Value(Some(json!(inside.contains(&key)))),
                _ => Held::Gone("The group no longer exists.".into()),
            }
        } else if let Some(id) = f.strip_prefix("license:") {
            let held = self.licenses.get(id).and_then(|h| h.get(&key));
            Held::Value(Some(json!(held.cloned().unwrap_or_default())))
        } else if let Some(id) = f.strip_prefix("bundle:") {
            Held::Value(Some(json!(self
                .bundles
                .get(id)
                .is_some_and(|b| b.contains(&key)))))
        } else {
            match self.member(&c.member) {
                Some(m) => Held::Value(value_of(m, f)),
                None => Held::Gone(format!("{} is no longer in this organization.", c.member)),
            }
        }
    }

    /// The member as the portal holds them now; `None`: not in the organization.
    pub(crate) fn member(&self, username: &str) -> Option<&Member> {
        self.members
            .get(&username.to_lowercase())
            .and_then(Option::as_ref)
    }

    /// The id of the pending invitation to `email`, if one is.
    pub(crate) fn invitation(&self, email: &str) -> Option<&str> {
        self.invited.get(&email.to_lowercase()).map(String::as_str)
    }

    /// The content of a member a job created who has never signed in (read with `content`).
    pub(crate) fn content(&self, username: &str) -> Option<&ContentSummary> {
        self.content.get(&username.to_lowercase())
    }

    /// A value of `c`'s field as people read it.
    pub(crate) fn text(&self, c: &Change, value: Option<&Value>) -> String {
        if same(value, c.after.as_ref()) {
            return c.after_text.clone();
        }
        if same(value, c.before.as_ref()) {
            return c.before_text.clone();
        }
        if let Some(item) = c.field.strip_prefix("license:") {
            let list: Vec<String> = value
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|e| {
                            let key = crate::licenses::entitlement_key(item, e);
                            self.offers
                                .as_ref()
                                .map_or(key.clone(), |o| o.name_of(&key))
                        })
                        .collect()
                })
                .unwrap_or_default();
            return if list.is_empty() {
                "none".into()
            } else {
                list.join(", ")
            };
        }
        match self.members.get(&c.member.to_lowercase()) {
            Some(Some(m)) if value_of(m, &c.field).is_some() => text_of(m, &c.field, &self.names),
            _ => value.map_or_else(String::new, ToString::to_string),
        }
    }
}

/// A recorded field's value in the portal now.
pub(crate) enum Held {
    Value(Option<Value>),
    /// What held it is gone (the member, the group): why.
    Gone(String),
}

/// A value for a sentence: quoted, or "nothing".
pub(crate) fn quoted(text: &str) -> String {
    if text.is_empty() {
        "nothing".into()
    } else {
        format!("'{text}'")
    }
}
