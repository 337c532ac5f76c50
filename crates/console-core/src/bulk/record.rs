//! What a bulk job records in the journal before it sends anything: one change per selected
//! member, the field the job touches with its value before (from the cache, or from the portal
//! for licenses, read just before sending) and after.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{licenses_after, BulkKind, BulkRequest};
use crate::journal::{field, NewChange};
use crate::licenses::{Held, Offers};
use crate::members::{Member, Names};

/// What the journal needs to know to describe a bulk job's changes.
pub(crate) struct Context<'a> {
    pub names: &'a Names,
    pub offers: Option<&'a Offers>,
    /// The members as cached, by lower-cased username.
    pub rows: HashMap<String, &'a Member>,
    /// The target group's title, for a group change.
    pub group_title: Option<String>,
    /// Each member's keys of the license, read from the portal (license changes).
    pub held: Option<&'a HashMap<String, Vec<String>>>,
}

/// The field a bulk job of `kind` changes.
pub(crate) fn field_of(kind: BulkKind, target: &str, offers: Option<&Offers>) -> String {
    match kind {
        BulkKind::SetRole => field::ROLE.into(),
        BulkKind::SetUserType => field::USER_TYPE.into(),
        BulkKind::Disable | BulkKind::Enable => field::DISABLED.into(),
        BulkKind::AddToGroup | BulkKind::RemoveFromGroup => field::group(target),
        BulkKind::AssignLicense | BulkKind::RevokeLicense => {
            field::license(target.split('/').next().unwrap_or_default())
        }
        BulkKind::GiveBundle | BulkKind::TakeBundle => match offers.and_then(|o| o.find(target)) {
            Some(Held::Bundle(b)) => field::bundle(&b.id),
            _ => field::bundle(target.strip_prefix("bundle/").unwrap_or(target)),
        },
    }
}

/// The job's one line for people: "Role → Publisher, 12 members".
pub(crate) fn summary(request: &BulkRequest, cx: &Context<'_>) -> String {
    let n = request.usernames.len();
    let members = if n == 1 {
        "1 member".to_string()
    } else {
        format!("{n} members")
    };
    let target = request.target.as_str();
    let name = |key: &str| cx.offers.map_or(key.to_string(), |o| o.name_of(key));
    let what = match request.kind {
        BulkKind::SetRole => format!("Role → {}", cx.names.role_name(target)),
        BulkKind::SetUserType => format!("User type → {}", cx.names.user_type_name(target)),
        BulkKind::Disable => "Disable".into(),
        BulkKind::Enable => "Enable".into(),
        BulkKind::AddToGroup => format!("Add to {}", group_name(cx, target)),
        BulkKind::RemoveFromGroup => format!("Remove from {}", group_name(cx, target)),
        BulkKind::AssignLicense => format!("Assign {}", name(target)),
        BulkKind::RevokeLicense => match target.strip_suffix("/*") {
            Some(item) => format!("Revoke all of {}", product_title(cx.offers, item)),
            None => format!("Revoke {}", name(target)),
        },
        BulkKind::GiveBundle => format!("Give {}", name(target)),
        BulkKind::TakeBundle => format!("Take {}", name(target)),
    };
    format!("{what}, {members}")
}

fn group_name(cx: &Context<'_>, id: &str) -> String {
    cx.group_title.clone().unwrap_or_else(|| id.to_string())
}

fn product_title(offers: Option<&Offers>, item: &str) -> String {
    offers
        .and_then(|o| o.products.iter().find(|p| p.item_id == item))
        .map_or(item.to_string(), |p| p.title.clone())
}

/// Entitlement names for people ("ArcGIS Pro Advanced, Spatial Analyst"), "none" for none.
fn keys_text(keys: &[String], offers: Option<&Offers>) -> String {
    if keys.is_empty() {
        return "none".into();
    }
    keys.iter()
        .map(|k| offers.map_or(k.clone(), |o| o.name_of(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One change per member of the request.
pub(crate) fn changes(request: &BulkRequest, cx: &Context<'_>) -> Vec<NewChange> {
    let target = request.target.as_str();
    let field = field_of(request.kind, target, cx.offers);
    request
        .usernames
        .iter()
        .map(|u| {
            let m = cx.rows.get(&u.to_lowercase()).copied();
            let (before, after, before_text, after_text) = values(request.kind, target, u, m, cx);
            NewChange {
                member: m.map_or(u.clone(), |m| m.username.clone()),
                field: field.clone(),
                before,
                after,
                before_text,
                after_text,
            }
        })
        .collect()
}

type Values = (Option<Value>, Option<Value>, String, String);

fn values(
    kind: BulkKind,
    target: &str,
    username: &str,
    m: Option<&Member>,
    cx: &Context<'_>,
) -> Values {
    let names = cx.names;
    match kind {
        BulkKind::SetRole => (
            m.map(|m| json!(m.role_id)),
            Some(json!(target)),
            m.map_or_else(String::new, |m| m.role_name.to_string()),
            names.role_name(target),
        ),
        BulkKind::SetUserType => (
            m.map(|m| json!(m.user_type)),
            Some(json!(target)),
            m.map_or_else(String::new, |m| m.user_type_name.to_string()),
            names.user_type_name(target),
        ),
        BulkKind::Disable | BulkKind::Enable => {
            let text = |d: bool| if d { "disabled" } else { "enabled" }.to_string();
            let after = kind == BulkKind::Disable;
            (
                m.map(|m| json!(m.disabled)),
                Some(json!(after)),
                m.map_or_else(String::new, |m| text(m.disabled)),
                text(after),
            )
        }
        BulkKind::AddToGroup | BulkKind::RemoveFromGroup => {
            let title = group_name(cx, target);
            let text = |inside: bool| {
                if inside {
                    format!("in {title}")
                } else {
                    format!("not in {title}")
                }
            };
            let after = kind == BulkKind::AddToGroup;
            let before = m.map(|m| m.groups.iter().any(|g| g == target));
            (
                before.map(|b| json!(b)),
                Some(json!(after)),
                before.map_or_else(String::new, text),
                text(after),
            )
        }
        BulkKind::AssignLicense | BulkKind::RevokeLicense => {
            let item = target.split('/').next().unwrap_or_default();
            let prefix = format!("{item}/");
            // What the portal holds now, read just before sending (what is sent is made
            // from the same reading).
            let now: Vec<String> = cx
                .held
                .and_then(|h| h.get(&username.to_lowercase()))
                .cloned()
                .unwrap_or_default();
            let after = licenses_after(&now, kind, target, cx.offers).unwrap_or(now.clone());
            let bare = |keys: &[String]| -> Vec<String> {
                keys.iter()
                    .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
                    .collect()
            };
            (
                Some(json!(bare(&now))),
                Some(json!(bare(&after))),
                keys_text(&now, cx.offers),
                keys_text(&after, cx.offers),
            )
        }
        BulkKind::GiveBundle | BulkKind::TakeBundle => {
            let name = cx.offers.map_or(target.to_string(), |o| o.name_of(target));
            let text = |has: bool| if has { name.clone() } else { "none".into() };
            let after = kind == BulkKind::GiveBundle;
            let before = m.map(|m| m.licenses.iter().any(|k| k == target));
            (
                before.map(|b| json!(b)),
                Some(json!(after)),
                before.map_or_else(String::new, text),
                text(after),
            )
        }
    }
}
