//! What a reclaim records in the journal before it sends anything.

use std::collections::HashMap;

use super::{ReclaimItem, ReclaimRequest};
use crate::journal::{field, NewChange};
use crate::licenses::Offers;
use crate::members::{Member, Names};

/// What a reclaim records before it sends anything: per member, each license's entitlements
/// (as cached) and what is kept, each bundle taken, the role given where the lower type needs
/// it, and the downgrade.
pub(super) fn reclaim_changes(
    items: &[ReclaimItem],
    rows: &[Member],
    request: &ReclaimRequest,
    names: &Names,
    offers: &Offers,
) -> Vec<NewChange> {
    use serde_json::json;
    let by_name: HashMap<String, &Member> = rows
        .iter()
        .map(|m| (m.username.to_lowercase(), m))
        .collect();
    let text = |keys: &[&str]| {
        if keys.is_empty() {
            "none".to_string()
        } else {
            keys.iter()
                .map(|k| offers.name_of(k))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut changes = Vec::new();
    for i in items {
        let Some(m) = by_name.get(&i.username.to_lowercase()) else {
            continue;
        };
        let change = |field: String, before, after, before_text, after_text| NewChange {
            member: m.username.clone(),
            field,
            before: Some(before),
            after: Some(after),
            before_text,
            after_text,
        };
        for p in &offers.products {
            let prefix = format!("{}/", p.item_id);
            if !i.revoke.iter().any(|k| k.starts_with(&prefix)) {
                continue;
            }
            let held: Vec<&str> = m
                .licenses
                .iter()
                .map(|k| k.as_str())
                .filter(|k| k.starts_with(&prefix))
                .collect();
            let kept: Vec<&str> = held
                .iter()
                .copied()
                .filter(|k| !i.revoke.iter().any(|r| r == k))
                .collect();
            let bare = |keys: &[&str]| {
                json!(keys
                    .iter()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .collect::<Vec<_>>())
            };
            changes.push(change(
                field::license(&p.item_id),
                bare(&held),
                bare(&kept),
                text(&held),
                text(&kept),
            ));
        }
        for b in offers.bundles.iter().filter(|b| i.revoke.contains(&b.key)) {
            changes.push(change(
                field::bundle(&b.id),
                json!(true),
                json!(false),
                b.name.clone(),
                "none".into(),
            ));
        }
        if !i.downgrade {
            continue;
        }
        if let Some(r) = &i.new_role {
            changes.push(change(
                field::ROLE.into(),
                json!(m.role_id),
                json!(r),
                m.role_name.to_string(),
                names.role_name(r),
            ));
        }
        if let Some(t) = request.downgrade_to.as_deref() {
            changes.push(change(
                field::USER_TYPE.into(),
                json!(m.user_type),
                json!(t),
                m.user_type_name.to_string(),
                names.user_type_name(t),
            ));
        }
    }
    changes
}
