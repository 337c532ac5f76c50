//! `offboard`: members deleted in one job, the impact report first.

use std::path::PathBuf;

use console_core::Console;

use crate::{signed_in, Cli, Failure, Outcome};

/// `member jsmith: delete (3 items, 1 folder; owns Roads; holds ArcGIS Pro Advanced)`, or
/// `member jsmith: refused: reason`.
fn impact_line(m: &console_core::offboard::Impact) -> String {
    if let Some(why) = &m.refused {
        return format!("member {}: refused: {why}", m.username);
    }
    let mut parts = vec![format!("{} items, {} folders", m.items, m.folders)];
    if !m.groups_owned.is_empty() {
        parts.push(format!("owns {}", m.groups_owned.join(", ")));
    }
    if !m.licenses.is_empty() {
        parts.push(format!("holds {}", m.licenses.join(", ")));
    }
    format!("member {}: delete ({})", m.username, parts.join("; "))
}

pub(crate) async fn offboard(
    cli: &Cli,
    console: &Console,
    mut usernames: Vec<String>,
    from: Option<&PathBuf>,
    receiver: Option<String>,
    dry_run: bool,
) -> Outcome {
    use console_core::offboard::OffboardRequest;
    if let Some(file) = from {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure(format!("{} could not be read: {e}", file.display())))?;
        usernames.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    signed_in(cli, console).await?;
    let request = OffboardRequest {
        usernames,
        receiver,
    };
    let plan = console.plan_offboard(request.clone()).await?;
    for m in &plan.members {
        println!("{}", impact_line(m));
    }
    let counts = |deleted: u32, failed: u32| {
        format!(
            "members={} delete={} refused={} deleted={deleted} failed={failed}",
            plan.members.len(),
            plan.deletable,
            plan.refused
        )
    };
    if dry_run || plan.deletable == 0 {
        println!("{}", counts(0, 0));
        return match plan.refused {
            0 => Ok(()),
            n => Err(Failure(format!("{n} members cannot be deleted"))),
        };
    }
    let report = console.offboard(request, |_| {}).await?;
    for i in &report.items {
        let mut line = format!("{}: {}", i.username, outcome_word(i.outcome));
        if let Some(reason) = &i.reason {
            line.push_str(&format!(": {reason}"));
        }
        println!("{line}");
    }
    println!("{}", counts(report.done, report.failed + report.skipped));
    match report.failed + report.skipped {
        0 => Ok(()),
        n => Err(Failure(format!("{n} members were not deleted"))),
    }
}

fn outcome_word(o: console_core::BulkOutcome) -> &'static str {
    match o {
        console_core::BulkOutcome::Done => "deleted",
        console_core::BulkOutcome::Failed => "failed",
        console_core::BulkOutcome::Skipped => "skipped",
    }
}
