//! A member's fields as the journal records them: the value of a field, its text for people,
//! the changes between two states of a member, and an edit's outcomes read back.

use super::{field, ChangeOutcome, NewChange, Settled};
use crate::members::{Member, Names};

/// A member's value of `field`, as the journal records it.
pub(crate) fn value_of(m: &Member, field: &str) -> Option<serde_json::Value> {
    use serde_json::json;
    Some(match field {
        field::FIRST_NAME => json!(m.first_name),
        field::LAST_NAME => json!(m.last_name),
        field::EMAIL => json!(m.email),
        field::DESCRIPTION => json!(m.description),
        field::ACCESS => json!(m.access.id()),
        field::ROLE => json!(m.role_id),
        field::USER_TYPE => json!(m.user_type),
        field::CREDITS => json!(m.credits),
        field::DISABLED => json!(m.disabled),
        _ => {
            if let Some(id) = field.strip_prefix("group:") {
                json!(m.groups.iter().any(|g| g == id))
            } else if let Some(id) = field.strip_prefix("bundle:") {
                json!(m
                    .licenses
                    .iter()
                    .any(|k| *k == crate::licenses::bundle_key(id)))
            } else if let Some(item) = field.strip_prefix("license:") {
                let prefix = format!("{item}/");
                json!(m
                    .licenses
                    .iter()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .collect::<Vec<_>>())
            } else {
                return None;
            }
        }
    })
}

/// A member's value of a profile, role or user type field as people read it.
fn text_of(m: &Member, field: &str, names: &Names) -> String {
    match field {
        field::FIRST_NAME => m.first_name.clone(),
        field::LAST_NAME => m.last_name.clone(),
        field::EMAIL => m.email.clone(),
        field::DESCRIPTION => m.description.clone(),
        field::ACCESS => m.access.id().to_string(),
        field::ROLE => names.role_name(&m.role_id),
        field::USER_TYPE => names.user_type_name(&m.user_type),
        field::CREDITS => match m.credits {
            Some(c) if c < 0.0 => "no limit".into(),
            Some(c) => c.to_string(),
            None => String::new(),
        },
        field::DISABLED => if m.disabled { "disabled" } else { "enabled" }.into(),
        _ => value_of(m, field).map_or_else(String::new, |v| v.to_string()),
    }
}

/// The changes from `before` to `after` in `fields` (those whose value differs).
pub(crate) fn diff(
    before: &Member,
    after: &Member,
    fields: &[&str],
    names: &Names,
) -> Vec<NewChange> {
    fields
        .iter()
        .filter_map(|f| {
            let (b, a) = (value_of(before, f), value_of(after, f));
            (b != a).then(|| NewChange {
                member: before.username.clone(),
                field: (*f).to_string(),
                before: b,
                after: a,
                before_text: text_of(before, f, names),
                after_text: text_of(after, f, names),
            })
        })
        .collect()
}

/// Each change's outcome from what the portal holds now (`now`): done where it holds the
/// "after" value, failed otherwise (with `why`, the error that stopped the job, if any).
pub(crate) fn verified(changes: &[NewChange], now: &Member, why: Option<&str>) -> Vec<Settled> {
    changes
        .iter()
        .map(|c| {
            let kept = value_of(now, &c.field) == c.after;
            Settled {
                member: c.member.clone(),
                field: c.field.clone(),
                outcome: if kept {
                    ChangeOutcome::Done
                } else {
                    ChangeOutcome::Failed
                },
                message: (!kept).then(|| {
                    why.unwrap_or("The portal did not keep the new value.")
                        .to_string()
                }),
            }
        })
        .collect()
}
