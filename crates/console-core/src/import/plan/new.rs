//! A row that creates a member (a new username) or invites a person (an email only).

use portal_client::NewMember;
use secrecy::SecretString;
use serde_json::json;

use super::{
    credits, groups, resolve, titles, Context, FieldChange, Outgoing, Planned, RowAction, RowPlan,
};
use crate::import::columns::Column;
use crate::import::parse::CsvRow;
use crate::journal::{field, NewChange};
use crate::members::rules::{email_problem, password_problem, username_problem};

/// A create (`with_username`) or an invitation to join.
pub(super) fn plan_new(row: &CsvRow, cx: &Context<'_>, with_username: bool) -> Planned {
    let mut problems: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let username = row.get(Column::Username).unwrap_or_default().to_string();
    let email = row.get(Column::Email).unwrap_or_default().to_string();
    if with_username {
        problems.extend(username_problem(&username));
    } else if !cx.online {
        problems.push("ArcGIS Enterprise adds members with a username: give this row one.".into());
    }
    match email.as_str() {
        "" => problems.push("An email is needed for a new member.".into()),
        e => problems.extend(email_problem(e).map(|p| format!("{p} ('{e}' is not one.)"))),
    }
    let first = row.get(Column::FirstName).unwrap_or_default().to_string();
    let last = row.get(Column::LastName).unwrap_or_default().to_string();
    if with_username && (first.is_empty() || last.is_empty()) {
        problems.push("A new member needs a first and a last name.".into());
    }
    let choices = cx.names.choices();
    let role = match row.get(Column::Role) {
        None => {
            problems.push("Give a role for a new member.".into());
            None
        }
        Some(r) => {
            let id = resolve(&choices.roles, r);
            if id.is_none() {
                problems.push(format!("The organization has no role '{r}'."));
            }
            id
        }
    };
    let user_type = match row.get(Column::UserType) {
        None => {
            problems.push("Give a user type for a new member.".into());
            None
        }
        Some(t) => {
            let id = resolve(&choices.user_types, t);
            if id.is_none() {
                problems.push(format!("The organization has no user type '{t}'."));
            }
            id
        }
    };
    if let (Some(r), Some(t)) = (role, user_type) {
        problems.extend(choices.incompatibility(r, t));
    }
    let password = row.get(Column::Password).filter(|_| with_username);
    let idp = row.get(Column::IdpUsername).filter(|_| with_username);
    match (password, idp) {
        (Some(_), Some(_)) => problems.push(
            "Give a password (a built-in account) or an IdP username (an organization-specific \
             login), not both."
                .into(),
        ),
        (Some(p), None) => problems.extend(password_problem(&username, p)),
        (None, Some(_)) => {
            notes.push("Signs in through the organization's identity provider.".into())
        }
        (None, None) if with_username && cx.online => {
            notes.push("Emailed a link to set a password.".into());
        }
        (None, None) if with_username => problems.push(
            "ArcGIS Enterprise needs a password for a built-in account (or an IdP username for \
             an organization-specific login)."
                .into(),
        ),
        (None, None) => notes.push("Invited by email; they choose their account.".into()),
    }
    let joined = match row.get(Column::Groups).map(|g| groups(g, cx.groups, &[])) {
        None => Vec::new(),
        Some(Ok(list)) => list,
        Some(Err(e)) => {
            problems.push(e);
            Vec::new()
        }
    };
    let credits = match row.get(Column::Credits).map(credits) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            problems.push(e);
            None
        }
    };
    let action = if with_username {
        RowAction::Create
    } else {
        RowAction::Invite
    };
    let mut plan = RowPlan {
        row: row.number,
        username: username.clone(),
        email: email.clone(),
        action,
        changes: Vec::new(),
        reason: (!problems.is_empty()).then(|| problems.join(" ")),
        notes,
    };
    let (Some(role), Some(user_type), None) = (role, user_type, &plan.reason) else {
        return Planned {
            plan,
            send: Outgoing::Nothing,
            record: Vec::new(),
        };
    };
    let member = NewMember {
        username: username.clone(),
        password: password.map(|p| SecretString::from(p.to_string())),
        first_name: first,
        last_name: last,
        email: email.clone(),
        role: role.to_string(),
        user_type: user_type.to_string(),
        groups: if cx.online {
            joined.iter().map(|g| g.id.clone()).collect()
        } else {
            Vec::new()
        },
        credits,
        description: None,
        idp_username: idp.map(str::to_string),
    };
    let joins_after: Vec<String> = if cx.online {
        Vec::new()
    } else {
        joined.iter().map(|g| g.id.clone()).collect()
    };
    let summary = format!(
        "{}, {}{}",
        cx.names.user_type_name(user_type),
        cx.names.role_name(role),
        if joined.is_empty() {
            String::new()
        } else {
            format!("; groups: {}", titles(&joined))
        }
    );
    let (field, after_text, who) = if with_username {
        (
            field::MEMBER,
            format!("created: {summary}"),
            username.clone(),
        )
    } else {
        (field::INVITATION, format!("invited: {summary}"), email)
    };
    let record = NewChange {
        member: who,
        field: field.into(),
        before: None,
        after: Some(json!({
            "username": member.username,
            "firstName": member.first_name,
            "lastName": member.last_name,
            "email": member.email,
            "role": member.role,
            "userType": member.user_type,
            "groups": joined.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
            "credits": member.credits,
            "idpUsername": member.idp_username,
            // Emailed a link to set a password: such a creation can be sent again.
            "notified": member.password.is_none() && member.idp_username.is_none(),
        })),
        before_text: String::new(),
        after_text,
    };
    plan.changes.push(FieldChange {
        field: record.field.clone(),
        before: String::new(),
        after: record.after_text.clone(),
    });
    let mut records = vec![record];
    // Groups joined after the create are changes of their own (they can fail on their own).
    for g in joined.iter().filter(|g| joins_after.contains(&g.id)) {
        records.push(NewChange {
            member: username.clone(),
            field: field::group(&g.id),
            before: Some(json!(false)),
            after: Some(json!(true)),
            before_text: format!("not in {}", g.title),
            after_text: format!("in {}", g.title),
        });
    }
    let send = if with_username {
        Outgoing::Create(member, joins_after)
    } else {
        Outgoing::Invite(member)
    };
    Planned {
        plan,
        send,
        record: records,
    }
}
