//! A row that updates an existing member: what differs from the cache in the columns the file
//! has.

use std::collections::HashSet;

use super::{
    credits, groups, resolve, Context, FieldChange, Outgoing, Planned, RowAction, RowPlan, Update,
};
use crate::import::columns::Column;
use crate::import::parse::CsvRow;
use crate::journal::field;
use crate::members::rules::email_problem;
use crate::members::shared::owned_all;
use crate::members::{Member, SharedStr};

/// An existing member's row: what differs from the cache in the columns the file has.
pub(super) fn plan_update(row: &CsvRow, m: &Member, cx: &Context<'_>) -> Planned {
    let mut problems: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut after = m.clone();
    let mut update = Update {
        username: m.username.clone(),
        ..Update::default()
    };
    let text = |column: Column, current: &str, slot: &mut Option<String>, to: &mut String| {
        if let Some(v) = row.get(column).filter(|v| *v != current) {
            *slot = Some(v.to_string());
            *to = v.to_string();
        }
    };
    text(
        Column::FirstName,
        &m.first_name,
        &mut update.first_name,
        &mut after.first_name,
    );
    text(
        Column::LastName,
        &m.last_name,
        &mut update.last_name,
        &mut after.last_name,
    );
    text(Column::Email, &m.email, &mut update.email, &mut after.email);
    if let Some(e) = &update.email {
        problems.extend(email_problem(e).map(|p| format!("{p} ('{e}' is not one.)")));
    }
    let choices = cx.names.choices();
    if let Some(r) = row.get(Column::Role) {
        match resolve(&choices.roles, r) {
            None => problems.push(format!("The organization has no role '{r}'.")),
            Some(id) if id != m.role_id => {
                update.role = Some(id.to_string());
                after.role_id = id.into();
            }
            Some(_) => {}
        }
    }
    if let Some(t) = row.get(Column::UserType) {
        match resolve(&choices.user_types, t) {
            None => problems.push(format!("The organization has no user type '{t}'.")),
            Some(id) if id != m.user_type => {
                update.user_type = Some(id.to_string());
                after.user_type = id.into();
                let type_name = cx.names.user_type_name(id);
                if let Some(offers) = cx.offers {
                    for key in &m.licenses {
                        if let Some(why) = offers.blocks_type(key, id, &type_name) {
                            problems.push(format!("{why} Revoke it first."));
                        }
                    }
                }
            }
            Some(_) => {}
        }
    }
    if update.role.is_some() || update.user_type.is_some() {
        problems.extend(choices.incompatibility(&after.role_id, &after.user_type));
    }
    update.role_first = update.role.is_some()
        && update
            .user_type
            .as_deref()
            .is_some_and(|t| choices.incompatibility(&m.role_id, t).is_some());
    if let Some(c) = row.get(Column::Credits) {
        match credits(c) {
            Err(e) => problems.push(e),
            Ok(c) if Some(c) != m.credits => {
                update.credits = Some(c);
                after.credits = Some(c);
            }
            Ok(_) => {}
        }
    }
    if let Some(g) = row.get(Column::Groups) {
        match groups(g, cx.groups, &owned_all(&m.groups)) {
            Err(e) => problems.push(e),
            Ok(list) => {
                let wanted: HashSet<&str> = list.iter().map(|g| g.id.as_str()).collect();
                update.join = list
                    .iter()
                    .filter(|g| !m.groups.iter().any(|k| k == &g.id))
                    .map(|g| g.id.clone())
                    .collect();
                update.leave = m
                    .groups
                    .iter()
                    .filter(|id| !wanted.contains(id.as_str()))
                    .map(|id| id.to_string())
                    .collect();
                for id in &update.leave {
                    if let Some(owned) = cx
                        .groups
                        .iter()
                        .find(|g| &g.id == id && g.owner.eq_ignore_ascii_case(&m.username))
                    {
                        problems.push(format!(
                            "{} owns the group '{}' and cannot leave it.",
                            m.username, owned.title
                        ));
                    }
                }
                after.groups = m
                    .groups
                    .iter()
                    .filter(|id| wanted.contains(id.as_str()))
                    .cloned()
                    .chain(update.join.iter().map(SharedStr::from))
                    .collect();
            }
        }
    }
    if row.get(Column::Password).is_some() {
        notes.push("The password of an existing member is not changed.".into());
    }
    if row.get(Column::IdpUsername).is_some() {
        notes.push("The IdP username of an existing member is not changed.".into());
    }
    let mut fields: Vec<String> = [
        field::FIRST_NAME,
        field::LAST_NAME,
        field::EMAIL,
        field::USER_TYPE,
        field::ROLE,
        field::CREDITS,
    ]
    .iter()
    .map(|f| (*f).to_string())
    .collect();
    fields.extend(
        update
            .join
            .iter()
            .chain(&update.leave)
            .map(|g| field::group(g)),
    );
    let field_refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut record = crate::journal::diff(m, &after, &field_refs, cx.names);
    // A group's membership reads better with its title.
    for c in &mut record {
        if let Some(id) = c.field.strip_prefix("group:") {
            let title = cx
                .groups
                .iter()
                .find(|g| g.id == id)
                .map_or(id.to_string(), |g| g.title.clone());
            let inside =
                |v: &Option<serde_json::Value>| v.as_ref().and_then(serde_json::Value::as_bool);
            let words = |b: Option<bool>| {
                if b == Some(true) {
                    format!("in {title}")
                } else {
                    format!("not in {title}")
                }
            };
            c.before_text = words(inside(&c.before));
            c.after_text = words(inside(&c.after));
        }
    }
    let reason = (!problems.is_empty()).then(|| problems.join(" "));
    let action = match (&reason, record.is_empty()) {
        (Some(_), _) => RowAction::Invalid,
        (None, true) => RowAction::Unchanged,
        (None, false) => RowAction::Update,
    };
    Planned {
        plan: RowPlan {
            row: row.number,
            username: m.username.clone(),
            email: m.email.clone(),
            action,
            changes: record
                .iter()
                .map(|c| FieldChange {
                    field: c.field.clone(),
                    before: c.before_text.clone(),
                    after: c.after_text.clone(),
                })
                .collect(),
            reason,
            notes,
        },
        send: if action == RowAction::Update {
            Outgoing::Update(update)
        } else {
            Outgoing::Nothing
        },
        record: if action == RowAction::Update {
            record
        } else {
            Vec::new()
        },
    }
}
