//! Replaying recorded changes: what undo and resume share. Both take changes from the journal,
//! read what the portal holds of them now (`now`), judge each one, and send recorded values
//! (`send`): undo sends each change's "before", resume its "after".
//!
//! What is deliberately not here: the verdicts (`undo`, `resume`) and how the journal stores
//! anything (`journal`).

use std::collections::HashSet;

use serde::Serialize;

use crate::error::Result;
use crate::journal::{ChangeOutcome, HistoryFilter};
use crate::session::Console;

mod now;
mod send;

pub(crate) use now::{quoted, Held, Now};
pub(crate) use send::ToSend;

/// One replayed change's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplayOutcome {
    pub member: String,
    pub field: String,
    /// `done`, `failed`, `skipped` (or `unknown` when the answer was lost).
    pub outcome: ChangeOutcome,
    pub reason: Option<String>,
}

/// What an undo or a resume did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplayReport {
    /// The job in the journal: the undo's own, or the job resumed.
    #[specta(type = f64)]
    pub job: i64,
    pub items: Vec<ReplayOutcome>,
    pub done: u32,
    pub failed: u32,
    pub skipped: u32,
}

impl Console {
    /// The outcomes of job `job` as the journal has them, of the changes `only` when given,
    /// in the job's order.
    pub(crate) async fn replay_report(
        &self,
        job: i64,
        only: Option<&HashSet<i64>>,
    ) -> Result<ReplayReport> {
        let changes = self
            .history(HistoryFilter {
                job: Some(job),
                limit: Some(u32::MAX),
                ..HistoryFilter::default()
            })
            .await?;
        let mut report = ReplayReport {
            job,
            items: Vec::with_capacity(changes.len()),
            done: 0,
            failed: 0,
            skipped: 0,
        };
        for c in changes
            .into_iter()
            .rev()
            .filter(|c| only.is_none_or(|o| o.contains(&c.id)))
        {
            match c.outcome {
                ChangeOutcome::Done => report.done += 1,
                ChangeOutcome::Skipped => report.skipped += 1,
                _ => report.failed += 1,
            }
            report.items.push(ReplayOutcome {
                member: c.member,
                field: c.field,
                outcome: c.outcome,
                reason: c.message,
            });
        }
        Ok(report)
    }
}

/// Whether two recorded values are the same (lists compared as sets, numbers as numbers).
pub(crate) fn same(a: Option<&serde_json::Value>, b: Option<&serde_json::Value>) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            let mut x: Vec<String> = x.iter().map(ToString::to_string).collect();
            let mut y: Vec<String> = y.iter().map(ToString::to_string).collect();
            x.sort();
            y.sort();
            x == y
        }
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(Value::Null), None) | (None, Some(Value::Null)) => true,
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::same;

    #[test]
    fn values_are_the_same_as_sets_and_as_numbers() {
        assert!(same(Some(&json!(["a", "b"])), Some(&json!(["b", "a"]))));
        assert!(!same(Some(&json!(["a"])), Some(&json!(["a", "b"]))));
        assert!(same(Some(&json!(5.0)), Some(&json!(5))));
        assert!(same(Some(&json!(null)), None));
        assert!(!same(Some(&json!(false)), None));
    }
}
