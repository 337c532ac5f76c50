//! A reclaim's plan, from the cached rows: who is idle, what each would lose, and the seats
//! that would come back.

use std::collections::BTreeMap;

use super::{Freed, ReclaimItem, ReclaimPlan, ReclaimRequest, DAY_MS};
use crate::error::{Error, Result};
use crate::licenses::Offers;
use crate::members::{Member, Names};
use crate::session::{now_ms, Console};

fn idle(m: &Member, request: &ReclaimRequest, now: i64) -> bool {
    let before = now - i64::from(request.days) * DAY_MS;
    match m.last_login {
        Some(t) => t < before,
        None => request.include_never && m.created < before,
    }
}

/// The plan, from the rows.
pub fn plan_reclaim(
    request: &ReclaimRequest,
    rows: &[Member],
    names: &Names,
    offers: &Offers,
    me: &str,
    now: i64,
) -> ReclaimPlan {
    let target = request.downgrade_to.as_deref();
    // Seats of the lower type left for the downgrades (members taken in order; `None`: no
    // limit): a member past them keeps their type (and what it needs), and says why.
    let mut seats_left: Option<i64> = target.and_then(|t| {
        offers
            .type_seats(t)
            .map(|bought| bought - rows.iter().filter(|m| m.user_type == t).count() as i64)
    });
    let mut items = Vec::new();
    let mut freed: BTreeMap<String, u32> = BTreeMap::new();
    for m in rows.iter().filter(|m| idle(m, request, now)) {
        if m.username.eq_ignore_ascii_case(me) {
            continue;
        }
        let mut revoke: Vec<String> = m
            .licenses
            .iter()
            .filter(|k| request.licenses.iter().any(|l| l == *k))
            .map(|k| k.to_string())
            .collect();
        let wants_down = target.is_some_and(|t| t != m.user_type)
            && request.user_types.iter().any(|t| *t == m.user_type);
        let mut downgrade = false;
        let mut new_role = None;
        let mut problem = None;
        if let (true, Some(t)) = (wants_down, target) {
            let t_name = names.user_type_name(t);
            let role_fits = if names.choices().incompatibility(&m.role_id, t).is_none() {
                true
            } else {
                match request.downgrade_role.as_deref() {
                    Some(r) if names.choices().incompatibility(r, t).is_none() => {
                        new_role = Some(r.to_string());
                        true
                    }
                    _ => {
                        problem = Some(format!(
                            "{t_name} does not allow the role {}: choose a role to give",
                            m.role_name
                        ));
                        false
                    }
                }
            };
            if role_fits && seats_left.is_some_and(|left| left <= 0) {
                new_role = None;
                problem = Some(format!("no seat of {t_name} is left to downgrade to"));
            } else if role_fits {
                downgrade = true;
                if let Some(left) = seats_left.as_mut() {
                    *left -= 1;
                }
                // What the lower type cannot hold goes too.
                for k in &m.licenses {
                    if offers.blocks_type(k, t, &t_name).is_some() && !revoke.iter().any(|r| r == k)
                    {
                        revoke.push(k.to_string());
                    }
                }
            }
        }
        let reclaims = !revoke.is_empty() || downgrade;
        if !reclaims && problem.is_none() {
            continue;
        }
        for k in &revoke {
            *freed.entry(k.clone()).or_default() += 1;
        }
        if downgrade {
            *freed.entry(m.user_type.to_string()).or_default() += 1;
        }
        items.push(ReclaimItem {
            username: m.username.clone(),
            full_name: m.full_name.clone(),
            last_login: m.last_login,
            user_type_name: m.user_type_name.to_string(),
            revoke,
            downgrade,
            new_role,
            problem,
        });
    }
    let freed = freed
        .into_iter()
        .map(|(key, count)| Freed {
            name: if offers.find(&key).is_some() {
                offers.name_of(&key)
            } else {
                names.user_type_name(&key)
            },
            key,
            count,
        })
        .collect();
    ReclaimPlan { items, freed }
}

impl Console {
    /// The reclaim plan for `request`, from the cached members.
    pub async fn plan_reclaim(&self, request: ReclaimRequest) -> Result<ReclaimPlan> {
        let (_, names) = self.names().await?;
        let offers = self.offers().await.ok_or_else(|| {
            Error::InvalidInput(
                "Load the organization first: its licenses are not read yet.".into(),
            )
        })?;
        let rows = self.members().await?;
        let me = self.signed_in_username().await?;
        Ok(plan_reclaim(
            &request,
            &rows,
            &names,
            &offers,
            &me,
            now_ms(),
        ))
    }
}
