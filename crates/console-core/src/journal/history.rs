//! The journal's changes as a CSV file (History's *Export…*).

use super::Change;
use crate::error::{Error, Result};

/// Changes as CSV: when (UTC), job, kind, administrator, member, field, before, after,
/// outcome, message. Values typed by people are written inert (`export::inert`).
pub fn history_csv(changes: &[Change]) -> Result<String> {
    use crate::export::{inert, timestamp};
    let fail = |e: &dyn std::fmt::Display| {
        Error::InvalidInput(format!("The history could not be written: {e}"))
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "When (UTC)",
        "Job",
        "Kind",
        "Administrator",
        "Member",
        "Field",
        "Before",
        "After",
        "Outcome",
        "Message",
    ])
    .map_err(|e| fail(&e))?;
    for c in changes {
        w.write_record([
            timestamp(c.at),
            c.job.to_string(),
            c.kind.clone(),
            inert(&c.admin),
            inert(&c.member),
            c.field.clone(),
            inert(&c.before_text),
            inert(&c.after_text),
            c.outcome.id().to_string(),
            inert(c.message.as_deref().unwrap_or_default()),
        ])
        .map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}
