//! The journal's commands: `jobs` and `history` (read without signing in), `undo` and
//! `resume`.

use console_core::journal::JournalStore;
use console_core::undo::UndoVerdict;
use console_core::{Console, HistoryFilter};

use crate::{data_dir, signed_in, Cli, Failure, Outcome};

/// The journal, read without signing in; `--portal` narrows it to one portal.
fn journal(cli: &Cli) -> Result<(JournalStore, Option<String>), Failure> {
    let store = JournalStore::open(&data_dir()?.join("journal.sqlite"))?;
    let portal = match &cli.portal {
        Some(url) => Some(console_core::rest_base(url)?),
        None => None,
    };
    Ok((store, portal))
}

pub(crate) fn jobs(cli: &Cli, limit: u32) -> Outcome {
    let (store, portal) = journal(cli)?;
    for j in store.jobs(portal.as_deref(), limit)? {
        println!(
            "{} {} {} {} done={} failed={} skipped={} pending={} {} {}",
            j.id,
            j.kind,
            console_core::export::timestamp(j.started).replace(' ', "T") + "Z",
            j.changes,
            j.done,
            j.failed,
            j.skipped,
            j.pending,
            j.state.id(),
            j.summary
        );
    }
    Ok(())
}

pub(crate) fn history(cli: &Cli, job: Option<i64>, member: Option<String>, limit: u32) -> Outcome {
    let (store, portal) = journal(cli)?;
    let filter = HistoryFilter {
        portal,
        job,
        member,
        limit: Some(limit),
        ..HistoryFilter::default()
    };
    for c in store.changes(&filter)? {
        let mut line = format!(
            "{} job={} {} {}: {} → {} {}",
            console_core::export::timestamp(c.at),
            c.job,
            c.member,
            c.field,
            c.before_text,
            c.after_text,
            c.outcome.id()
        );
        if let Some(m) = &c.message {
            line.push_str(&format!(": {m}"));
        }
        println!("{line}");
    }
    Ok(())
}

/// `change 12 jsmith role: undo (Publisher → User)`, or the reason it is left alone.
fn undo_line(i: &console_core::undo::UndoItem) -> String {
    let mut line = format!(
        "change {} {} {}: {}",
        i.change,
        i.member,
        i.field,
        i.verdict.id()
    );
    if i.verdict == UndoVerdict::Undo {
        line.push_str(&format!(" ({})", i.action));
    }
    if let Some(reason) = i
        .reason
        .as_deref()
        .filter(|_| i.verdict != UndoVerdict::Undo)
    {
        line.push_str(&format!(": {reason}"));
    }
    line
}

pub(crate) async fn undo(
    cli: &Cli,
    console: &Console,
    job: i64,
    change: Option<i64>,
    dry_run: bool,
) -> Outcome {
    use console_core::undo::UndoRequest;
    signed_in(cli, console).await?;
    let request = UndoRequest { job, change };
    let plan = console.plan_undo(request).await?;
    for i in &plan.items {
        println!("{}", undo_line(i));
    }
    let counts = |applied: u32, failed: u32| {
        format!(
            "changes={} undo={} unchanged={} conflicts={} refused={} applied={applied} failed={failed}",
            plan.items.len(),
            plan.undo,
            plan.unchanged,
            plan.conflicts,
            plan.refused
        )
    };
    if dry_run || plan.undo == 0 {
        println!("{}", counts(0, 0));
        return Ok(());
    }
    let report = console.undo(request, |_| {}).await?;
    print_replayed(&report, counts(report.done, report.failed + report.skipped))
        .map_err(|n| Failure(format!("{n} changes were not undone (job {})", report.job)))
}

/// Prints each replayed change's outcome, then `last`; answers how many did not go through.
fn print_replayed(report: &console_core::replay::ReplayReport, last: String) -> Result<(), u32> {
    for o in &report.items {
        let mut line = format!("{} {}: {}", o.member, o.field, o.outcome.id());
        if let Some(reason) = &o.reason {
            line.push_str(&format!(": {reason}"));
        }
        println!("{line}");
    }
    println!("{last}");
    match report.failed + report.skipped {
        0 => Ok(()),
        n => Err(n),
    }
}

/// `change 12 jsmith role: send (User → Publisher)`, or why it is not sent.
fn resume_line(i: &console_core::resume::ResumeItem) -> String {
    use console_core::resume::ResumeVerdict;
    let mut line = format!(
        "change {} {} {}: {}",
        i.change,
        i.member,
        i.field,
        i.verdict.id()
    );
    match (i.verdict, &i.reason) {
        (ResumeVerdict::Send, _) => line.push_str(&format!(
            " ({} → {})",
            if i.current_text.is_empty() {
                "nothing"
            } else {
                &i.current_text
            },
            i.after_text
        )),
        (_, Some(reason)) => line.push_str(&format!(": {reason}")),
        _ => {}
    }
    line
}

pub(crate) async fn resume(
    cli: &Cli,
    console: &Console,
    job: Option<i64>,
    dry_run: bool,
) -> Outcome {
    signed_in(cli, console).await?;
    let plan = match console.plan_resume(job).await {
        // Nothing waiting is not a failure: a nightly script runs `resume` first.
        Err(console_core::Error::NotFound(why)) if job.is_none() => {
            println!("{why}");
            return Ok(());
        }
        other => other?,
    };
    println!(
        "job {} {} {}: {}",
        plan.job.id,
        plan.job.kind,
        plan.job.state.id(),
        plan.job.summary
    );
    for i in &plan.items {
        println!("{}", resume_line(i));
    }
    let counts = |done: u32, failed: u32| {
        format!(
            "changes={} applied={} send={} conflicts={} refused={} done={done} failed={failed}",
            plan.items.len(),
            plan.applied,
            plan.send,
            plan.conflicts,
            plan.refused
        )
    };
    if dry_run {
        println!("{}", counts(0, 0));
        return Ok(());
    }
    let report = console.resume(Some(plan.job.id), |_| {}).await?;
    print_replayed(&report, counts(report.done, report.failed + report.skipped)).map_err(|n| {
        Failure(format!(
            "{n} changes of job {} were not applied",
            report.job
        ))
    })
}
