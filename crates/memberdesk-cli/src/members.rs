//! `import` and `export`: members in and out of CSV files, one line per row.

use std::path::PathBuf;

use console_core::{Console, ExportRequest, ImportPlan, RowAction};

use crate::{signed_in, Cli, Failure, Outcome};

fn plan_line(r: &console_core::RowPlan) -> String {
    let mut line = format!("row {}: {}", r.row, r.action.id());
    if !r.changes.is_empty() && r.action == RowAction::Update {
        let changes: Vec<String> = r
            .changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
            .collect();
        line.push_str(&format!(" ({})", changes.join("; ")));
    }
    if let Some(reason) = &r.reason {
        line.push_str(&format!(": {reason}"));
    }
    line
}

fn counts(plan: &ImportPlan, applied: u32, failed: u32) -> String {
    format!(
        "rows={} create={} invite={} update={} unchanged={} invalid={} applied={applied} failed={failed}",
        plan.rows.len(),
        plan.create,
        plan.invite,
        plan.update,
        plan.unchanged,
        plan.invalid
    )
}

pub(crate) async fn import(cli: &Cli, console: &Console, file: &PathBuf, dry_run: bool) -> Outcome {
    let bytes =
        std::fs::read(file).map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    signed_in(cli, console).await?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let plan = console.plan_import(&name, &bytes).await?;
    if dry_run {
        for r in &plan.rows {
            println!("{}", plan_line(r));
        }
        println!("{}", counts(&plan, 0, 0));
        return match plan.invalid {
            0 => Ok(()),
            n => Err(Failure(format!("{n} invalid rows"))),
        };
    }
    let report = console.run_import(|_| {}).await?;
    for (r, o) in plan.rows.iter().zip(&report.rows) {
        let line = match o.outcome.as_str() {
            "invalid" | "unchanged" => plan_line(r),
            outcome => {
                let mut line = format!("row {}: {} {outcome}", o.row, o.action.id());
                if let Some(reason) = &o.reason {
                    line.push_str(&format!(": {reason}"));
                }
                line
            }
        };
        println!("{line}");
    }
    println!(
        "{}",
        counts(&plan, report.applied, report.failed + report.skipped)
    );
    match (report.failed + report.skipped, plan.invalid) {
        (0, 0) => Ok(()),
        (f, i) => Err(Failure(format!(
            "{f} rows failed and {i} were invalid (job {})",
            report.job
        ))),
    }
}

pub(crate) async fn export(
    cli: &Cli,
    console: &Console,
    out: &PathBuf,
    filter: Option<&str>,
) -> Outcome {
    signed_in(cli, console).await?;
    let needle = filter.map(str::to_lowercase).unwrap_or_default();
    let usernames: Vec<String> = console
        .members()
        .await?
        .iter()
        .filter(|m| {
            needle.is_empty()
                || m.username.to_lowercase().contains(&needle)
                || m.full_name.to_lowercase().contains(&needle)
                || m.email.to_lowercase().contains(&needle)
        })
        .map(|m| m.username.clone())
        .collect();
    let columns = console_core::import::columns::ALL
        .iter()
        .copied()
        .filter(|c| c.exported())
        .collect();
    let (text, count) = console
        .export_members(ExportRequest { usernames, columns })
        .await?;
    std::fs::write(out, text)
        .map_err(|e| Failure(format!("cannot write {}: {e}", out.display())))?;
    println!("members={count}");
    Ok(())
}
