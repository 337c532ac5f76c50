//! Previews of bulk changes: before anything is sent, what the change would do to each
//! selected member — change, leave unchanged, or be refused, and why — and the seats it would
//! need. Checked locally against the member rows, the organization's roles and user types,
//! what it bought (`licenses::Offers`) and ArcGIS's rules; no request is made.
//!
//! When seats run short, the members past the free seats (in the order selected) are the ones
//! marked refused, so "go on with the ones that can" sends exactly what fits.
//!
//! What is deliberately not here: running the change (`bulk`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{BulkKind, BulkRequest};
use crate::licenses::{Held, Offers};
use crate::members::{Member, Names, SharedStr};

/// What would happen to one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Change,
    Unchanged,
    Refused,
}

/// One member of a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    pub username: String,
    pub full_name: String,
    pub verdict: Verdict,
    /// Why the member is refused, or left unchanged.
    pub reason: Option<String>,
}

/// A preview of a bulk change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkPlan {
    pub items: Vec<PlanItem>,
    pub change: u32,
    pub unchanged: u32,
    pub refused: u32,
    /// The preview in sentences: "195 selected: 62 will change", "133 cannot: …", "4 seats of
    /// Creator short".
    pub summary: Vec<String>,
}

fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The license keys a member holds in a product (by item id).
fn held_in<'a>(m: &'a Member, item_id: &str) -> impl Iterator<Item = &'a SharedStr> {
    let prefix = format!("{item_id}/");
    m.licenses.iter().filter(move |k| k.starts_with(&prefix))
}

/// The seats a change needs: how many are free of what, named for the summary.
struct Seats {
    name: String,
    free: i64,
}

/// The preview of `request` on `rows`, for the signed-in `me`.
pub fn plan(
    request: &BulkRequest,
    rows: &[Member],
    names: &Names,
    offers: Option<&Offers>,
    me: &str,
) -> BulkPlan {
    let by_name: HashMap<String, &Member> = rows
        .iter()
        .map(|m| (m.username.to_lowercase(), m))
        .collect();
    let target = request.target.as_str();
    let target_name = match request.kind {
        BulkKind::SetRole => names.role_name(target),
        BulkKind::SetUserType => names.user_type_name(target),
        _ => offers.map_or(target.to_string(), |o| o.name_of(target)),
    };
    let held = offers.and_then(|o| o.find(target));
    let mut items = Vec::with_capacity(request.usernames.len());
    for name in &request.usernames {
        let Some(m) = by_name.get(&name.to_lowercase()) else {
            items.push(PlanItem {
                username: name.clone(),
                full_name: String::new(),
                verdict: Verdict::Refused,
                reason: Some("not a member of the organization (reload)".into()),
            });
            continue;
        };
        let (verdict, reason) = verdict(request.kind, target, &target_name, m, names, offers, me);
        items.push(PlanItem {
            username: m.username.clone(),
            full_name: m.full_name.clone(),
            verdict,
            reason,
        });
    }
    // Seats: members are given seats in the order selected, each taking one of every limit
    // they draw on (an entitlement's count, and the license's members for a first holder);
    // one whose limit has run out is refused, and does not take the others.
    let limits = needed_seats(
        request.kind,
        target,
        &target_name,
        rows,
        offers,
        held,
        &items,
        &by_name,
    );
    let mut left: Vec<i64> = limits.iter().map(|(s, _)| s.free.max(0)).collect();
    let mut short: Vec<usize> = vec![0; limits.len()];
    let drawing: Vec<HashSet<usize>> = limits
        .iter()
        .map(|(_, on)| on.iter().copied().collect())
        .collect();
    for (i, item) in items.iter_mut().enumerate() {
        if item.verdict != Verdict::Change {
            continue;
        }
        let needs: Vec<usize> = (0..limits.len())
            .filter(|&l| drawing[l].contains(&i))
            .collect();
        match needs.iter().find(|&&l| left[l] <= 0) {
            Some(&l) => {
                short[l] += 1;
                item.verdict = Verdict::Refused;
                item.reason = Some(format!("no seat of {} left", limits[l].0.name));
            }
            None => {
                for &l in &needs {
                    left[l] -= 1;
                }
            }
        }
    }
    let shortages: Vec<String> = limits
        .iter()
        .zip(&short)
        .filter(|(_, &k)| k > 0)
        .map(|((seats, _), &k)| {
            format!(
                "{k} {} of {} short",
                if k == 1 { "seat" } else { "seats" },
                seats.name
            )
        })
        .collect();
    let count = |v: Verdict| items.iter().filter(|i| i.verdict == v).count();
    let (change, unchanged, refused) = (
        count(Verdict::Change),
        count(Verdict::Unchanged),
        count(Verdict::Refused),
    );
    let mut summary = vec![format!("{} selected: {change} will change", items.len())];
    if unchanged > 0 {
        summary.push(format!("{unchanged} already as asked"));
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for i in items.iter().filter(|i| i.verdict == Verdict::Refused) {
        *reasons
            .entry(i.reason.as_deref().unwrap_or(""))
            .or_default() += 1;
    }
    let mut reasons: Vec<(&str, usize)> = reasons.into_iter().collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (why, k) in reasons {
        summary.push(format!("{k} cannot: {why}"));
    }
    summary.extend(shortages);
    BulkPlan {
        change: n(change),
        unchanged: n(unchanged),
        refused: n(refused),
        items,
        summary,
    }
}

/// One member's verdict before seats are counted.
fn verdict(
    kind: BulkKind,
    target: &str,
    target_name: &str,
    m: &Member,
    names: &Names,
    offers: Option<&Offers>,
    me: &str,
) -> (Verdict, Option<String>) {
    use Verdict::*;
    let is_me = m.username.eq_ignore_ascii_case(me);
    let refuse = |why: String| (Refused, Some(why));
    let same = |why: &str| (Unchanged, Some(why.to_string()));
    match kind {
        BulkKind::SetRole => {
            if m.role_id == target {
                return same("already has this role");
            }
            if is_me {
                return refuse("you cannot change your own role".into());
            }
            match names.choices().incompatibility(target, &m.user_type) {
                Some(_) => refuse(format!("{} does not allow {target_name}", m.user_type_name)),
                None => (Change, None),
            }
        }
        BulkKind::SetUserType => {
            if m.user_type == target {
                return same("already has this user type");
            }
            if names
                .choices()
                .incompatibility(&m.role_id, target)
                .is_some()
            {
                return refuse(format!("{target_name} does not allow {}", m.role_name));
            }
            if let Some(o) = offers {
                for key in &m.licenses {
                    if let Some(why) = o.blocks_type(key, target, target_name) {
                        return refuse(format!(
                            "holds {} ({why}): revoke it first",
                            o.name_of(key)
                        ));
                    }
                }
            }
            (Change, None)
        }
        BulkKind::Disable | BulkKind::Enable => {
            let disable = kind == BulkKind::Disable;
            if m.disabled == disable {
                return same(if disable {
                    "already disabled"
                } else {
                    "already enabled"
                });
            }
            if is_me && disable {
                return refuse("you cannot disable your own account".into());
            }
            (Change, None)
        }
        BulkKind::AddToGroup | BulkKind::RemoveFromGroup => {
            let member = m.groups.iter().any(|g| g == target);
            match (kind == BulkKind::AddToGroup, member) {
                (true, true) => same("already in the group"),
                (false, false) => same("not in the group"),
                _ => (Change, None),
            }
        }
        BulkKind::AssignLicense | BulkKind::GiveBundle => {
            if m.licenses.iter().any(|k| k == target) {
                return same("already holds it");
            }
            match offers.and_then(|o| o.refusal(target, &m.user_type, &m.user_type_name)) {
                Some(why) => refuse(why),
                None => (Change, None),
            }
        }
        BulkKind::RevokeLicense => {
            let holds = match target.strip_suffix("/*") {
                Some(item) => held_in(m, item).next().is_some(),
                None => m.licenses.iter().any(|k| k == target),
            };
            if holds {
                (Change, None)
            } else {
                same("does not hold it")
            }
        }
        BulkKind::TakeBundle => {
            if m.licenses.iter().any(|k| k == target) {
                (Change, None)
            } else {
                same("was not given it")
            }
        }
    }
}

/// For each limit the change draws on: its seats and the items (indexes) that would take one,
/// in the order selected.
#[allow(clippy::too_many_arguments)]
fn needed_seats(
    kind: BulkKind,
    target: &str,
    target_name: &str,
    rows: &[Member],
    offers: Option<&Offers>,
    held: Option<Held<'_>>,
    items: &[PlanItem],
    by_name: &HashMap<String, &Member>,
) -> Vec<(Seats, Vec<usize>)> {
    let changing: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.verdict == Verdict::Change)
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    let Some(offers) = offers else {
        return out;
    };
    match (kind, held) {
        (BulkKind::SetUserType, _) => {
            if let Some(bought) = offers.type_seats(target) {
                let used = rows.iter().filter(|m| m.user_type == target).count() as i64;
                out.push((
                    Seats {
                        name: target_name.to_string(),
                        free: bought - used,
                    },
                    changing,
                ));
            }
        }
        (BulkKind::AssignLicense, Some(Held::Entitlement(p, e))) => {
            let used = rows
                .iter()
                .filter(|m| m.licenses.iter().any(|k| k == &e.key))
                .count();
            out.push((
                Seats {
                    name: e.name.clone(),
                    free: i64::from(e.purchased) - used as i64,
                },
                changing.clone(),
            ));
            if let Some(max) = p.max_users {
                let holders: HashSet<&str> = rows
                    .iter()
                    .filter(|m| held_in(m, &p.item_id).next().is_some())
                    .map(|m| m.username.as_str())
                    .collect();
                let newcomers: Vec<usize> = changing
                    .into_iter()
                    .filter(|&i| {
                        by_name
                            .get(&items[i].username.to_lowercase())
                            .is_some_and(|m| held_in(m, &p.item_id).next().is_none())
                    })
                    .collect();
                out.push((
                    Seats {
                        name: p.title.clone(),
                        free: i64::from(max) - holders.len() as i64,
                    },
                    newcomers,
                ));
            }
        }
        (BulkKind::GiveBundle, Some(Held::Bundle(b))) => {
            if let Some(bought) = b.purchased {
                let used = rows
                    .iter()
                    .filter(|m| m.licenses.iter().any(|k| k == &b.key))
                    .count();
                out.push((
                    Seats {
                        name: b.name.clone(),
                        free: i64::from(bought) - used as i64,
                    },
                    changing,
                ));
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licenses::{EntitlementOffer, ProductOffer};

    fn member(username: &str, licenses: &[&str]) -> Member {
        Member {
            licenses: licenses.iter().map(|k| (*k).into()).collect(),
            ..crate::members::test_member(username)
        }
    }

    fn pro(std_num: u32, max_users: u32) -> Offers {
        let ent = |id: &str, purchased| EntitlementOffer {
            key: format!("pro/{id}"),
            id: id.into(),
            name: id.into(),
            purchased,
            exclusive: Some("ArcGIS Pro level".into()),
        };
        Offers {
            products: vec![ProductOffer {
                item_id: "pro".into(),
                title: "ArcGIS Pro".into(),
                max_users: Some(max_users),
                user_types: Some(vec!["creatorUT".into()]),
                entitlements: vec![ent("desktopStdN", std_num), ent("desktopAdvN", 10)],
                ends: None,
            }],
            ..Offers::default()
        }
    }

    /// Members moving from Advanced to Standard need a Standard seat but no new seat of the
    /// license; newcomers need both. Seats go in the order selected, and a member refused for
    /// one limit takes no seat of the other.
    #[test]
    fn seats_are_given_in_order_and_a_refused_member_takes_none() {
        // Standard: 5 free. The license: 2 holders of 4, so 2 newcomers fit.
        let mut rows: Vec<Member> = (1..=5).map(|i| member(&format!("n{i}"), &[])).collect();
        rows.extend((1..=2).map(|i| member(&format!("e{i}"), &["pro/desktopAdvN"])));
        let request = BulkRequest {
            kind: BulkKind::AssignLicense,
            target: "pro/desktopStdN".into(),
            usernames: ["n1", "n2", "n3", "n4", "n5", "e1", "e2"]
                .map(String::from)
                .to_vec(),
        };
        let plan = plan(
            &request,
            &rows,
            &Names::default(),
            Some(&pro(5, 4)),
            "admin",
        );
        let verdicts: Vec<(&str, Verdict)> = plan
            .items
            .iter()
            .map(|i| (i.username.as_str(), i.verdict))
            .collect();
        use Verdict::{Change, Refused};
        assert_eq!(
            verdicts,
            [
                ("n1", Change),
                ("n2", Change),
                ("n3", Refused),
                ("n4", Refused),
                ("n5", Refused),
                ("e1", Change),
                ("e2", Change),
            ]
        );
        assert!(
            plan.summary
                .contains(&"3 seats of ArcGIS Pro short".to_string()),
            "{:?}",
            plan.summary
        );
        assert_eq!(
            plan.items[2].reason.as_deref(),
            Some("no seat of ArcGIS Pro left")
        );
    }
}
