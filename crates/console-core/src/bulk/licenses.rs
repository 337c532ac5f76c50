//! A bulk change of licenses and bundles: the keys a member holds after it, what each member
//! holds of a license now (read from the portal before sending), the whole list of
//! entitlements sent, and the cache rows once it is done.

use std::collections::{HashMap, HashSet};

use portal_client::{ItemOutcome, Outcome};

use super::BulkKind;
use crate::error::Result;
use crate::licenses::{Held, Offers};
use crate::members::Member;

/// The license keys held (`held`) after a license change, `None` when it changes nothing.
pub(crate) fn licenses_after(
    held: &[String],
    kind: BulkKind,
    target: &str,
    offers: Option<&Offers>,
) -> Option<Vec<String>> {
    let mut keys = held.to_vec();
    match kind {
        BulkKind::AssignLicense | BulkKind::GiveBundle => {
            if keys.iter().any(|k| k == target) {
                return None;
            }
            // Another entitlement of the same exclusive group (an ArcGIS Pro level) goes.
            if let Some(Held::Entitlement(p, e)) = offers.and_then(|o| o.find(target)) {
                if let Some(group) = &e.exclusive {
                    keys.retain(|k| {
                        !p.entitlements
                            .iter()
                            .any(|o| &o.key == k && o.exclusive.as_ref() == Some(group))
                    });
                }
            }
            keys.push(target.to_string());
        }
        BulkKind::RevokeLicense | BulkKind::TakeBundle => {
            let before = keys.len();
            match target.strip_suffix("/*") {
                Some(item) => keys.retain(|k| !k.starts_with(&format!("{item}/"))),
                None => keys.retain(|k| k != target),
            }
            if keys.len() == before {
                return None;
            }
        }
        _ => return None,
    }
    Some(keys)
}

/// Each member's license keys in one license, as the portal holds them now (lower-cased
/// usernames).
pub(crate) async fn current_holdings(
    client: &portal_client::Client,
    item_id: &str,
) -> Result<HashMap<String, Vec<String>>> {
    Ok(client
        .licenses()
        .holders(item_id, |_, _| {})
        .await?
        .into_iter()
        .map(|h| {
            let keys = h
                .entitlements
                .iter()
                .map(|e| crate::licenses::entitlement_key(item_id, e))
                .collect();
            (h.username.to_lowercase(), keys)
        })
        .collect())
}

/// Each member's whole list of entitlements in the license after the change (what
/// `provisionUserEntitlements` sets), from what they hold of it now (`held`).
pub(super) fn wanted_entitlements(
    held: &HashMap<String, Vec<String>>,
    usernames: &[String],
    kind: BulkKind,
    target: &str,
    offers: Option<&Offers>,
) -> Vec<(String, Vec<String>)> {
    let item = target.split('/').next().unwrap_or_default();
    let prefix = format!("{item}/");
    usernames
        .iter()
        .map(|u| {
            let now = held.get(&u.to_lowercase()).cloned().unwrap_or_default();
            let keys = licenses_after(&now, kind, target, offers).unwrap_or(now);
            let entitlements = keys
                .iter()
                .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
                .collect();
            (u.clone(), entitlements)
        })
        .collect()
}

/// The rows of the members whose license change is in place: their keys of that license are
/// what was sent.
pub(super) fn rows_with(
    rows: &[Member],
    item_id: &str,
    wanted: &[(String, Vec<String>)],
    outcomes: &[ItemOutcome],
) -> Vec<Member> {
    let done: HashSet<String> = outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::Done)
        .map(|o| o.username.to_lowercase())
        .collect();
    let wanted: HashMap<String, &Vec<String>> = wanted
        .iter()
        .map(|(u, list)| (u.to_lowercase(), list))
        .collect();
    let prefix = format!("{item_id}/");
    rows.iter()
        .filter(|m| done.contains(&m.username.to_lowercase()))
        .filter_map(|m| {
            let list = wanted.get(&m.username.to_lowercase())?;
            let mut m = m.clone();
            m.licenses.retain(|k| !k.starts_with(&prefix));
            m.licenses.extend(
                list.iter()
                    .map(|e| crate::licenses::entitlement_key(item_id, e).into()),
            );
            Some(m)
        })
        .collect()
}
