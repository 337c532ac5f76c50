//! Swapping two members' user types in the order that never needs a spare seat: the member
//! whose new type has a free seat goes first, freeing a seat of their old type for the other.
//! When both types are full, one member waits in a third type with a free seat (that allows
//! their role and what they hold) while the other moves.
//!
//! What is deliberately not here: role changes (a swap that needs one is refused, saying so).

use serde::Serialize;

use super::Offers;
use crate::error::{Error, Result};
use crate::journal::{field, ChangeOutcome, NewChange, Settled};
use crate::members::{Member, Names};
use crate::session::Console;

/// What a swap did, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SwapReport {
    /// "jsmith: Creator → Viewer", in the order sent.
    pub steps: Vec<String>,
}

/// One move: a member to a user type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub username: String,
    pub user_type: String,
}

/// Seats free of a type now (`None`: no limit).
fn free(offers: &Offers, rows: &[Member], user_type: &str) -> Option<i64> {
    offers
        .type_seats(user_type)
        .map(|bought| bought - rows.iter().filter(|m| m.user_type == user_type).count() as i64)
}

/// Why `m` cannot take `user_type`, if they cannot (role, or what they hold).
fn cannot_take(m: &Member, user_type: &str, names: &Names, offers: &Offers) -> Option<String> {
    let t_name = names.user_type_name(user_type);
    if names
        .choices()
        .incompatibility(&m.role_id, user_type)
        .is_some()
    {
        return Some(format!(
            "{t_name} does not allow {}'s role {}: change the role first",
            m.username, m.role_name
        ));
    }
    m.licenses.iter().find_map(|k| {
        offers.blocks_type(k, user_type, &t_name).map(|why| {
            format!(
                "{} holds {} ({why}): revoke it first",
                m.username,
                offers.name_of(k)
            )
        })
    })
}

/// The moves that swap `a`'s and `b`'s user types without ever passing a type's seats.
pub fn swap_moves(
    a: &Member,
    b: &Member,
    rows: &[Member],
    names: &Names,
    offers: &Offers,
) -> Result<Vec<Move>> {
    let (ta, tb) = (a.user_type.clone(), b.user_type.clone());
    if ta == tb {
        return Err(Error::InvalidInput(format!(
            "{} and {} have the same user type.",
            a.username, b.username
        )));
    }
    for (m, t) in [(a, &tb), (b, &ta)] {
        if let Some(why) = cannot_take(m, t, names, offers) {
            return Err(Error::Refused(why));
        }
    }
    let has_room = |t: &str| free(offers, rows, t).is_none_or(|f| f > 0);
    let to = |m: &Member, t: &str| Move {
        username: m.username.clone(),
        user_type: t.to_string(),
    };
    if has_room(&tb) {
        return Ok(vec![to(a, &tb), to(b, &ta)]);
    }
    if has_room(&ta) {
        return Ok(vec![to(b, &ta), to(a, &tb)]);
    }
    // Both full: one of them waits in a third type.
    for (first, second, t_first, t_second) in [(a, b, &tb, &ta), (b, a, &ta, &tb)] {
        let waiting = offers.user_types.iter().find(|t| {
            t.id != ta
                && t.id != tb
                && has_room(&t.id)
                && cannot_take(first, &t.id, names, offers).is_none()
        });
        if let Some(w) = waiting {
            return Ok(vec![
                to(first, &w.id),
                to(second, t_second),
                to(first, t_first),
            ]);
        }
    }
    Err(Error::Refused(format!(
        "{} and {} are both full, and no other user type has a free seat {} or {} could wait in.",
        names.user_type_name(&ta),
        names.user_type_name(&tb),
        a.username,
        b.username
    )))
}

impl Console {
    /// Swaps two members' user types (`swap_moves`), one request per move; stops at the first
    /// refusal and says which moves were made.
    pub async fn swap_user_types(&self, a: &str, b: &str) -> Result<SwapReport> {
        let (client, names) = self.names().await?;
        let offers = self.offers().await.ok_or_else(|| {
            Error::InvalidInput("Load the organization first: its seats are not read yet.".into())
        })?;
        let rows = self.members().await?;
        let find = |u: &str| {
            rows.iter()
                .find(|m| m.username.eq_ignore_ascii_case(u))
                .cloned()
                .ok_or_else(|| Error::NotFound(format!("{u} is not in the loaded organization.")))
        };
        let (ma, mb) = (find(a)?, find(b)?);
        let moves = swap_moves(&ma, &mb, &rows, &names, &offers)?;
        // Recorded as each member's type before and after (a move through a waiting type is
        // not a change of its own).
        let change = |m: &Member, to: &Member| NewChange {
            member: m.username.clone(),
            field: field::USER_TYPE.into(),
            before: Some(serde_json::json!(m.user_type)),
            after: Some(serde_json::json!(to.user_type)),
            before_text: m.user_type_name.to_string(),
            after_text: to.user_type_name.to_string(),
        };
        let recorder = self
            .record(
                "swap",
                format!("Swap the user types of {} and {}", ma.username, mb.username),
                &[change(&ma, &mb), change(&mb, &ma)],
            )
            .await?;
        let settled = |username: &str, outcome, message| {
            [Settled {
                member: username.to_string(),
                field: field::USER_TYPE.into(),
                outcome,
                message,
            }]
        };
        let mut steps = Vec::new();
        let mut current = [ma.clone(), mb.clone()];
        for mv in moves {
            let results = client
                .users()
                .set_user_type(std::slice::from_ref(&mv.username), &mv.user_type)
                .await?;
            if let Some((_, Err(why))) = results.into_iter().next() {
                recorder.settle(&settled(
                    &mv.username,
                    ChangeOutcome::Failed,
                    Some(why.clone()),
                ));
                // The other member's move was not sent (or is where the refused one left it).
                let other = if mv.username == ma.username { &mb } else { &ma };
                recorder.settle(&settled(
                    &other.username,
                    ChangeOutcome::Skipped,
                    Some("Not sent: the other member's move was refused.".into()),
                ));
                recorder.finish(false);
                return Err(Error::Refused(format!(
                    "{why} (done before this: {})",
                    if steps.is_empty() {
                        "nothing".to_string()
                    } else {
                        steps.join("; ")
                    }
                )));
            }
            let m = current
                .iter_mut()
                .find(|m| m.username == mv.username)
                .expect("a member of the swap");
            steps.push(format!(
                "{}: {} → {}",
                m.username,
                m.user_type_name,
                names.user_type_name(&mv.user_type)
            ));
            m.user_type = mv.user_type.as_str().into();
            m.user_type_name = names.user_type_name(&mv.user_type).into();
            let wanted = if m.username == ma.username { &mb } else { &ma };
            if m.user_type == wanted.user_type {
                recorder.settle(&settled(&m.username, ChangeOutcome::Done, None));
            }
            self.remember(&client, vec![m.clone()]).await?;
        }
        recorder.finish(false);
        Ok(SwapReport { steps })
    }
}
