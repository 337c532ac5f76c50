//! Undo: a recorded job (or one change of it) set back to the values it found, as a new job
//! that is previewed first and recorded like any other.
//!
//! The inverse of each change is computed from its recorded "before" value. What the portal
//! holds now is read first (`now`): a change someone else has changed since (the member's
//! value is no longer the recorded "after") is not undone but listed as a conflict with both
//! values; a change already back where it was is left alone. A member the job created is
//! deleted only if they own no content and have never signed in; a deleted member or a
//! withdrawn invitation cannot be brought back, and the plan says so.
//!
//! What is deliberately not here: how each operation is sent (the portal client's bulk
//! helpers, `import`'s order of profile, user type and role changes) and how the journal
//! stores anything (`journal`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{field, Change, ChangeOutcome, HistoryFilter};
use crate::session::Console;

mod run;
mod verdict;

use crate::replay::Now;

/// What to undo: a whole job, or one change of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoRequest {
    #[specta(type = f64)]
    pub job: i64,
    /// One change of the job (its id in the journal); the whole job when `None`.
    #[serde(default)]
    #[specta(type = Option<f64>)]
    pub change: Option<i64>,
}

/// What undo would do with one recorded change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum UndoVerdict {
    /// The portal still holds the recorded "after": it is set back to "before".
    Undo,
    /// The portal already holds the recorded "before": nothing to send.
    Unchanged,
    /// Someone changed it since: the portal holds neither value. Left as it is.
    Conflict,
    /// It cannot be undone (a deleted member, a created member who has signed in…);
    /// `reason` says why.
    Refused,
}

impl UndoVerdict {
    pub fn id(self) -> &'static str {
        match self {
            UndoVerdict::Undo => "undo",
            UndoVerdict::Unchanged => "unchanged",
            UndoVerdict::Conflict => "conflict",
            UndoVerdict::Refused => "refused",
        }
    }
}

/// One recorded change and what undo would do with it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoItem {
    /// The recorded change's id.
    #[specta(type = f64)]
    pub change: i64,
    pub member: String,
    pub field: String,
    /// The recorded "before" (what undo sets back), as people read it.
    pub before_text: String,
    /// The recorded "after" (what the job set).
    pub after_text: String,
    /// What the portal holds now.
    pub current_text: String,
    pub verdict: UndoVerdict,
    /// What undo does, for people: "Publisher → User", "delete the member" (empty unless
    /// the verdict is `undo`).
    pub action: String,
    pub reason: Option<String>,
    /// What undo sends, in the portal's terms (not shown; kept for the run).
    #[serde(skip)]
    pub(crate) target: Option<serde_json::Value>,
    #[serde(skip)]
    pub(crate) current: Option<serde_json::Value>,
}

/// What undoing a job (or one change) would do, before anything is sent.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoPlan {
    #[specta(type = f64)]
    pub job: i64,
    /// The job's one line ("Role → Publisher, 12 members").
    pub summary: String,
    pub items: Vec<UndoItem>,
    pub undo: u32,
    pub unchanged: u32,
    pub conflicts: u32,
    pub refused: u32,
    /// Changes of the job that never reached the portal (failed, skipped): nothing to undo.
    pub not_applied: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The changes undo considers, one per member and field: a field a job changed twice (a
/// member created, then added to a group) goes back to its first "before" from its last
/// "after". The answer is in the job's order.
pub(crate) fn undoable(changes: &[Change]) -> (Vec<Change>, u32) {
    let mut kept: Vec<Change> = Vec::new();
    let mut not_applied = 0;
    let mut ordered: Vec<&Change> = changes.iter().collect();
    ordered.sort_by_key(|c| (c.job, c.seq));
    for c in ordered {
        if !matches!(c.outcome, ChangeOutcome::Done | ChangeOutcome::Unknown) {
            not_applied += 1;
            continue;
        }
        match kept
            .iter_mut()
            .find(|k| k.member.eq_ignore_ascii_case(&c.member) && k.field == c.field)
        {
            Some(k) => {
                k.after.clone_from(&c.after);
                k.after_text.clone_from(&c.after_text);
            }
            None => kept.push(c.clone()),
        }
    }
    (kept, not_applied)
}

/// Each change's verdict from what the portal holds now.
pub(crate) fn judge(changes: &[Change], now: &Now) -> Vec<UndoItem> {
    let mut items: Vec<UndoItem> = changes.iter().map(|c| verdict::verdict(now, c)).collect();
    // A member whose creation is undone is deleted: their other changes go with the account.
    let deleted: Vec<String> = items
        .iter()
        .filter(|i| {
            i.field == field::MEMBER && i.verdict == UndoVerdict::Undo && i.target.is_none()
        })
        .map(|i| i.member.to_lowercase())
        .collect();
    items.retain(|i| i.field == field::MEMBER || !deleted.contains(&i.member.to_lowercase()));
    // A member the job deleted (an offboarding) is gone: the licenses it took back first, and
    // any other change of theirs, cannot be given back to an account that no longer exists.
    let gone: Vec<String> = changes
        .iter()
        .filter(|c| c.field == field::MEMBER && c.before.is_some())
        .filter(|c| now.member(&c.member).is_none())
        .map(|c| c.member.to_lowercase())
        .collect();
    for i in items
        .iter_mut()
        .filter(|i| i.field != field::MEMBER && gone.contains(&i.member.to_lowercase()))
    {
        i.verdict = UndoVerdict::Refused;
        i.reason = Some(format!(
            "{} was deleted by this job: what they held went with the account.",
            i.member
        ));
    }
    for i in items.iter_mut().filter(|i| i.verdict == UndoVerdict::Undo) {
        i.action = match i.field.as_str() {
            field::MEMBER => "delete the member".into(),
            field::INVITATION => "withdraw the invitation".into(),
            _ => format!("{} → {}", i.current_text, i.before_text),
        };
    }
    items
}

impl UndoPlan {
    fn new(job: i64, summary: String, items: Vec<UndoItem>, not_applied: u32) -> Self {
        let n = |v: UndoVerdict| count(items.iter().filter(|i| i.verdict == v).count());
        UndoPlan {
            job,
            summary,
            undo: n(UndoVerdict::Undo),
            unchanged: n(UndoVerdict::Unchanged),
            conflicts: n(UndoVerdict::Conflict),
            refused: n(UndoVerdict::Refused),
            not_applied,
            items,
        }
    }
}

impl Console {
    /// What undoing a job (or one change) would do, read against the portal now; nothing is
    /// sent.
    pub async fn plan_undo(&self, request: UndoRequest) -> Result<UndoPlan> {
        let (portal, _) = self.who().await?;
        let store = self.journal()?;
        let (job, changes) = {
            let store = store.lock().expect("journal lock");
            let job = store.job(request.job).map_err(Error::journal)?;
            let changes = store
                .changes(&HistoryFilter {
                    portal: Some(portal.clone()),
                    job: Some(request.job),
                    limit: Some(u32::MAX),
                    ..HistoryFilter::default()
                })
                .map_err(Error::journal)?;
            (job, changes)
        };
        let job = job.filter(|j| j.portal == portal).ok_or_else(|| {
            Error::NotFound(format!(
                "Job {} is not in this portal's journal.",
                request.job
            ))
        })?;
        if job.state == crate::journal::JobState::Running {
            return Err(Error::InvalidInput(format!(
                "Job {} is still running. Undo it once it has ended.",
                job.id
            )));
        }
        let changes: Vec<Change> = match request.change {
            Some(id) => {
                let one: Vec<Change> = changes.into_iter().filter(|c| c.id == id).collect();
                if one.is_empty() {
                    return Err(Error::NotFound(format!(
                        "Change {id} is not part of job {}.",
                        job.id
                    )));
                }
                one
            }
            None => changes,
        };
        let (changes, not_applied) = undoable(&changes);
        let (client, names) = self.names().await?;
        let offers = self.offers().await;
        let now = Now::read(&client, &names, offers.as_deref(), &changes, true).await?;
        Ok(UndoPlan::new(
            job.id,
            job.summary,
            judge(&changes, &now),
            not_applied,
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn change(
        id: i64,
        member: &str,
        field: &str,
        before: serde_json::Value,
        after: serde_json::Value,
        outcome: ChangeOutcome,
    ) -> Change {
        Change {
            id,
            job: 1,
            seq: u32::try_from(id).unwrap(),
            member: member.into(),
            field: field.into(),
            before: Some(before),
            after: Some(after),
            before_text: String::new(),
            after_text: String::new(),
            outcome,
            message: None,
            at: 0,
            admin: "admin".into(),
            kind: "import".into(),
            portal: "https://p/sharing/rest".into(),
            summary: String::new(),
        }
    }

    #[test]
    fn a_field_changed_twice_goes_back_to_its_first_before_and_failures_are_not_undone() {
        // Most recent first, as the journal answers.
        let changes = vec![
            change(
                3,
                "Ann",
                "role",
                json!("org_publisher"),
                json!("org_admin"),
                ChangeOutcome::Done,
            ),
            change(
                2,
                "bob",
                "role",
                json!("org_user"),
                json!("org_admin"),
                ChangeOutcome::Failed,
            ),
            change(
                1,
                "ann",
                "role",
                json!("org_user"),
                json!("org_publisher"),
                ChangeOutcome::Unknown,
            ),
        ];
        let (kept, not_applied) = undoable(&changes);
        assert_eq!(not_applied, 1);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].before, Some(json!("org_user")));
        assert_eq!(kept[0].after, Some(json!("org_admin")));
    }
}
