//! What the portal holds now of the fields a job changed, read once per member, group,
//! license and bundle involved (not from the cache: another administrator may have changed
//! them since the load), and each change's verdict against it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use portal_client::{Client, ContentSummary};
use serde_json::{json, Value};

use super::{same, UndoItem, UndoVerdict};
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
    /// Reads what `changes` need.
    pub(crate) async fn read(
        client: &Client,
        names: &Arc<Names>,
        offers: Option<&Offers>,
        changes: &[Change],
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
        // A member the job created is deleted only if they own nothing: read their content.
        for c in changes {
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

    /// What undo would do with `c`.
    pub(crate) fn verdict(&self, c: &Change) -> UndoItem {
        let key = c.member.to_lowercase();
        let mut item = UndoItem {
            change: c.id,
            member: c.member.clone(),
            field: c.field.clone(),
            before_text: c.before_text.clone(),
            after_text: c.after_text.clone(),
            current_text: String::new(),
            verdict: UndoVerdict::Refused,
            action: String::new(),
            reason: None,
            target: c.before.clone(),
            current: None,
        };
        let refuse = |mut item: UndoItem, why: String| {
            item.reason = Some(why);
            item
        };
        let current: Option<Value> = match c.field.as_str() {
            field::MEMBER => return self.creation(c, item),
            field::INVITATION => {
                if c.before.is_some() {
                    return refuse(
                        item,
                        "A withdrawn invitation is not sent again by undo: invite the person \
                         again."
                            .into(),
                    );
                }
                return match self.invited.get(&key) {
                    Some(id) => {
                        item.verdict = UndoVerdict::Undo;
                        item.current_text = "invitation pending".into();
                        item.current = Some(json!({ "invitation": id }));
                        item.reason = Some("The invitation is withdrawn.".into());
                        item
                    }
                    None => refuse(
                        item,
                        format!(
                            "No invitation to {} is pending: it was accepted, withdrawn or \
                             has expired.",
                            c.member
                        ),
                    ),
                };
            }
            f => {
                if let Some(id) = f.strip_prefix("group:") {
                    match self.groups.get(id) {
                        Some(Some(inside)) => Some(json!(inside.contains(&key))),
                        _ => return refuse(item, "The group no longer exists.".into()),
                    }
                } else if let Some(id) = f.strip_prefix("license:") {
                    let held = self.licenses.get(id).and_then(|h| h.get(&key));
                    Some(json!(held.cloned().unwrap_or_default()))
                } else if let Some(id) = f.strip_prefix("bundle:") {
                    Some(json!(self
                        .bundles
                        .get(id)
                        .is_some_and(|b| b.contains(&key))))
                } else {
                    match self.members.get(&key) {
                        Some(Some(m)) => value_of(m, f),
                        _ => {
                            return refuse(
                                item,
                                format!("{} is no longer in this organization.", c.member),
                            )
                        }
                    }
                }
            }
        };
        item.current_text = self.text(c, current.as_ref());
        item.verdict = if same(current.as_ref(), c.after.as_ref()) {
            UndoVerdict::Undo
        } else if same(current.as_ref(), c.before.as_ref()) {
            UndoVerdict::Unchanged
        } else {
            item.reason = Some(format!(
                "Changed since: the portal holds {}, the job set {}.",
                quoted(&item.current_text),
                quoted(&c.after_text)
            ));
            UndoVerdict::Conflict
        };
        item.current = current;
        item
    }

    /// A member the job created (deleted by undo if they never signed in and own nothing),
    /// or deleted (which cannot be undone).
    fn creation(&self, c: &Change, mut item: UndoItem) -> UndoItem {
        if c.before.is_some() {
            item.current_text = "deleted".into();
            item.reason = Some(
                "A deleted member cannot be brought back: ArcGIS keeps no recycle bin for \
                 accounts. Create the member again (the History export has the values)."
                    .into(),
            );
            return item;
        }
        let key = c.member.to_lowercase();
        let Some(Some(m)) = self.members.get(&key) else {
            item.verdict = UndoVerdict::Unchanged;
            item.current_text = "no longer in the organization".into();
            return item;
        };
        item.current_text = "member".into();
        if let Some(at) = m.last_login {
            item.reason = Some(format!(
                "{} has signed in since ({}): undo deletes only members who never did. \
                 Delete the account from the members table if it must go.",
                m.username,
                crate::export::date(at)
            ));
            return item;
        }
        match self.content.get(&key) {
            Some(s) if s.root_items > 0 || s.folders > 0 => {
                item.reason = Some(format!(
                    "{} owns content ({} items, {} folders): undo deletes only members who \
                     own none. Delete the account with a receiver from the members table.",
                    m.username, s.root_items, s.folders
                ));
            }
            Some(_) => {
                item.verdict = UndoVerdict::Undo;
                item.reason = Some("Never signed in and owns no content: deleted.".into());
            }
            None => item.reason = Some("Its content could not be read.".into()),
        }
        item
    }

    /// A value of `c`'s field as people read it.
    fn text(&self, c: &Change, value: Option<&Value>) -> String {
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

fn quoted(text: &str) -> String {
    if text.is_empty() {
        "nothing".into()
    } else {
        format!("'{text}'")
    }
}
