//! The dry run of an import: a plan for every row, checked against the cache and ArcGIS's
//! rules before anything is sent. A row with a username the organization has updates that
//! member (only the columns the file has, and only cells that are not empty); a row with a new
//! username creates one (with a password, by email on ArcGIS Online, or as an
//! organization-specific login with an IdP username); a row with only an email invites that
//! person (ArcGIS Online). Each rule a row breaks is named; seats are given in the file's order.

use std::collections::HashMap;

use portal_client::NewMember;
use serde::Serialize;

mod new;
mod update;

use new::plan_new;
use update::plan_update;

use super::columns::Column;
use super::parse::{CsvRow, CsvTable};
use crate::groups::GroupSummary;
use crate::journal::NewChange;
use crate::licenses::Offers;
use crate::members::{Member, Names};

/// What a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RowAction {
    Create,
    Invite,
    Update,
    Unchanged,
    Invalid,
}

impl RowAction {
    pub fn id(self) -> &'static str {
        match self {
            RowAction::Create => "create",
            RowAction::Invite => "invite",
            RowAction::Update => "update",
            RowAction::Unchanged => "unchanged",
            RowAction::Invalid => "invalid",
        }
    }
}

/// One field a row changes, as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// The journal's field (`role`, `group:<id>`, `member` for a new member, …).
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One row's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RowPlan {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub row: u32,
    pub username: String,
    pub email: String,
    pub action: RowAction,
    pub changes: Vec<FieldChange>,
    /// Why the row is invalid.
    pub reason: Option<String>,
    /// What else to know ("emailed a link to set a password", a column left as it is).
    pub notes: Vec<String>,
}

/// The plan of a whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub rows: Vec<RowPlan>,
    pub create: u32,
    pub invite: u32,
    pub update: u32,
    pub unchanged: u32,
    pub invalid: u32,
    /// Headers the import leaves alone (facts the portal keeps, unknown headers).
    pub ignored_columns: Vec<String>,
}

/// What a valid row sends (the password stays here, in Rust memory).
#[derive(Debug, Clone)]
pub(crate) enum Outgoing {
    /// A member to create, and the groups to join once created (ArcGIS Enterprise creates
    /// first and adds to groups after; ArcGIS Online does both in one request).
    Create(NewMember, Vec<String>),
    Invite(NewMember),
    Update(Update),
    Nothing,
}

/// An existing member's changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Update {
    pub username: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    /// Set by undo only (an import's columns do not carry them).
    pub description: Option<String>,
    pub access: Option<String>,
    pub disabled: Option<bool>,
    pub user_type: Option<String>,
    pub role: Option<String>,
    pub credits: Option<f64>,
    pub join: Vec<String>,
    pub leave: Vec<String>,
    /// The new user type does not allow the member's current role: the role goes first.
    pub role_first: bool,
}

/// A row's plan with what it would send and record.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub plan: RowPlan,
    pub send: Outgoing,
    pub record: Vec<NewChange>,
}

/// What the rules are checked against.
pub struct Context<'a> {
    pub members: &'a [Member],
    pub names: &'a Names,
    pub groups: &'a [GroupSummary],
    pub offers: Option<&'a Offers>,
    /// ArcGIS Online (members created without a password are emailed; invitations to join).
    pub online: bool,
}

fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A role or user type given by its id or its name (any case).
fn resolve<'a>(choices: &'a [crate::members::Choice], given: &str) -> Option<&'a str> {
    choices
        .iter()
        .find(|c| c.id == given)
        .or_else(|| choices.iter().find(|c| c.id.eq_ignore_ascii_case(given)))
        .or_else(|| choices.iter().find(|c| c.name.eq_ignore_ascii_case(given)))
        .map(|c| c.id.as_str())
}

/// Credits as written: a number of 0 or more, or "no limit" / -1.
fn credits(given: &str) -> Result<f64, String> {
    let lower = given.to_lowercase();
    if lower == "no limit" || lower == "unlimited" {
        return Ok(-1.0);
    }
    match given.parse::<f64>() {
        Ok(c) if c == -1.0 || (c >= 0.0 && c.is_finite()) => Ok(c),
        _ => Err(format!(
            "Credits are a number of 0 or more, or \"no limit\" ('{given}' is not)."
        )),
    }
}

/// Groups as written: titles or ids separated by `;`. A title two groups share names the one
/// the member is in already (`current`), else it must be given by id (the export writes the
/// id of such a group, and of one whose title holds a `;`).
fn groups<'a>(
    given: &str,
    all: &'a [GroupSummary],
    current: &[String],
) -> Result<Vec<&'a GroupSummary>, String> {
    let mut out: Vec<&GroupSummary> = Vec::new();
    for part in given.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let by_id = all.iter().find(|g| g.id == part);
        let by_title: Vec<&GroupSummary> = all
            .iter()
            .filter(|g| g.title.eq_ignore_ascii_case(part))
            .collect();
        let mine: Vec<&GroupSummary> = by_title
            .iter()
            .copied()
            .filter(|g| current.contains(&g.id))
            .collect();
        let group = match (by_id, by_title.as_slice(), mine.as_slice()) {
            (Some(g), _, _) | (None, &[g], _) | (None, _, &[g]) => g,
            (None, [], _) => return Err(format!("The organization has no group '{part}'.")),
            (None, _, _) => {
                return Err(format!(
                    "{} groups are titled '{part}': give the one meant by its id.",
                    by_title.len()
                ))
            }
        };
        if !out.iter().any(|g| g.id == group.id) {
            out.push(group);
        }
    }
    Ok(out)
}

fn titles(list: &[&GroupSummary]) -> String {
    list.iter()
        .map(|g| g.title.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The plan of every row of a file: the dry run on its own, without a session (benchmarks).
pub fn dry_run(bytes: &[u8], cx: &Context<'_>) -> crate::error::Result<ImportPlan> {
    Ok(plan(&super::parse::read(bytes)?, cx).0)
}

/// The plan of every row of `table`.
pub(crate) fn plan(table: &CsvTable, cx: &Context<'_>) -> (ImportPlan, Vec<Planned>) {
    let by_name: HashMap<String, &Member> = cx
        .members
        .iter()
        .map(|m| (m.username.to_lowercase(), m))
        .collect();
    let mut usernames_seen: HashMap<String, u32> = HashMap::new();
    let mut emails_seen: HashMap<String, u32> = HashMap::new();
    let mut planned: Vec<Planned> = table
        .rows
        .iter()
        .map(|row| {
            let mut p = plan_row(row, cx, &by_name, &mut usernames_seen, &mut emails_seen);
            if let Some(reason) = p.plan.reason.clone() {
                p = invalid(row, reason);
            }
            p
        })
        .collect();
    give_seats(&mut planned, cx);
    let count = |a: RowAction| n(planned.iter().filter(|p| p.plan.action == a).count());
    let plan = ImportPlan {
        rows: planned.iter().map(|p| p.plan.clone()).collect(),
        create: count(RowAction::Create),
        invite: count(RowAction::Invite),
        update: count(RowAction::Update),
        unchanged: count(RowAction::Unchanged),
        invalid: count(RowAction::Invalid),
        ignored_columns: table.ignored.clone(),
    };
    (plan, planned)
}

fn invalid(row: &CsvRow, reason: String) -> Planned {
    Planned {
        plan: RowPlan {
            row: row.number,
            username: row.get(Column::Username).unwrap_or_default().to_string(),
            email: row.get(Column::Email).unwrap_or_default().to_string(),
            action: RowAction::Invalid,
            changes: Vec::new(),
            reason: Some(reason),
            notes: Vec::new(),
        },
        send: Outgoing::Nothing,
        record: Vec::new(),
    }
}

fn plan_row(
    row: &CsvRow,
    cx: &Context<'_>,
    by_name: &HashMap<String, &Member>,
    usernames_seen: &mut HashMap<String, u32>,
    emails_seen: &mut HashMap<String, u32>,
) -> Planned {
    if let Some(problem) = &row.problem {
        return invalid(row, problem.clone());
    }
    match (row.get(Column::Username), row.get(Column::Email)) {
        (Some(u), _) => {
            if let Some(first) = usernames_seen.get(&u.to_lowercase()) {
                return invalid(row, format!("The username {u} is also on row {first}."));
            }
            usernames_seen.insert(u.to_lowercase(), row.number);
            match by_name.get(&u.to_lowercase()) {
                Some(m) => plan_update(row, m, cx),
                None => plan_new(row, cx, true),
            }
        }
        (None, Some(e)) => {
            if let Some(first) = emails_seen.get(&e.to_lowercase()) {
                return invalid(
                    row,
                    format!("{e} is also invited on row {first}; one invitation per person."),
                );
            }
            emails_seen.insert(e.to_lowercase(), row.number);
            plan_new(row, cx, false)
        }
        (None, None) => invalid(row, "The row has neither a username nor an email.".into()),
    }
}

/// The user type a valid row gives a member or person (and takes a seat of), if any.
fn seat_taken(p: &Planned) -> Option<&str> {
    match &p.send {
        Outgoing::Create(m, _) | Outgoing::Invite(m) => Some(&m.user_type),
        Outgoing::Update(u) => u.user_type.as_deref(),
        Outgoing::Nothing => None,
    }
}

/// Seats of limited user types go to rows in the file's order; a row past the free seats is
/// invalid (seats a row frees by moving a member out of a type are not counted on).
fn give_seats(planned: &mut [Planned], cx: &Context<'_>) {
    let Some(offers) = cx.offers else { return };
    let mut free: HashMap<String, i64> = HashMap::new();
    for p in planned.iter_mut() {
        let Some(t) = seat_taken(p).map(str::to_string) else {
            continue;
        };
        let Some(bought) = offers.type_seats(&t) else {
            continue;
        };
        let left = free.entry(t.clone()).or_insert_with(|| {
            bought - cx.members.iter().filter(|m| m.user_type == t).count() as i64
        });
        if *left > 0 {
            *left -= 1;
            continue;
        }
        let reason = format!(
            "No seat of {} left ({bought} bought, all taken or given to rows above).",
            cx.names.user_type_name(&t)
        );
        p.plan.action = RowAction::Invalid;
        p.plan.reason = Some(reason);
        p.plan.changes.clear();
        p.send = Outgoing::Nothing;
        p.record.clear();
    }
}

#[cfg(test)]
mod tests;
