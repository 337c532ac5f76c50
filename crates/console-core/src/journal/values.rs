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
pub(crate) fn text_of(m: &Member, field: &str, names: &Names) -> String {
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

/// Sets a member's `field` to a value as the journal records it (the inverse of `value_of`):
/// the cache's row after an undo.
pub(crate) fn set_value(m: &mut Member, field: &str, value: &serde_json::Value, names: &Names) {
    let text = || value.as_str().unwrap_or_default().to_string();
    match field {
        field::FIRST_NAME | field::LAST_NAME => {
            if field == field::FIRST_NAME {
                m.first_name = text();
            } else {
                m.last_name = text();
            }
            m.full_name = format!("{} {}", m.first_name, m.last_name)
                .trim()
                .to_string();
        }
        field::EMAIL => m.email = text(),
        field::DESCRIPTION => m.description = text(),
        field::ACCESS => {
            if let Some(a) = portal_client::ProfileVisibility::parse(&text()) {
                m.access = a;
            }
        }
        field::ROLE => {
            let id = text();
            if let Some(base) = names.base_role(&id) {
                m.role = base;
            }
            m.role_name = names.role_name(&id).into();
            m.role_id = id.into();
        }
        field::USER_TYPE => {
            m.user_type = text().into();
            m.user_type_name = names.user_type_name(&m.user_type).into();
        }
        field::CREDITS => m.credits = value.as_f64(),
        field::DISABLED => m.disabled = value.as_bool().unwrap_or(m.disabled),
        _ => {
            let on = value.as_bool() == Some(true);
            if let Some(id) = field.strip_prefix("group:") {
                m.groups.retain(|g| g != id);
                if on {
                    m.groups.push(id.into());
                }
            } else if let Some(id) = field.strip_prefix("bundle:") {
                let key = crate::licenses::bundle_key(id);
                m.licenses.retain(|k| *k != key);
                if on {
                    m.licenses.push(key.into());
                }
            } else if let Some(item) = field.strip_prefix("license:") {
                let prefix = format!("{item}/");
                m.licenses.retain(|k| !k.starts_with(&prefix));
                m.licenses.extend(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(serde_json::Value::as_str)
                        .map(|e| crate::licenses::entitlement_key(item, e).into()),
                );
            }
        }
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
