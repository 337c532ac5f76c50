//! `memberdesk-cli`: Memberdesk's command line, for the administrator who schedules the
//! monthly offboarding or a nightly import. It runs on the same core as the app
//! (`console-core`): the same rules, the same jobs, the same journal in the same data folder.
//!
//! Signing in: `--portal URL --username U`, the password from the `MEMBERDESK_PASSWORD`
//! environment variable or from standard input (never from an argument, which other users of
//! the machine can read); `--ca-cert PEM` trusts a portal's own certificate authority.
//! `MEMBERDESK_DATA_DIR` overrides the data folder, which is otherwise the app's.
//!
//! Every command exits 0 when all went well and non-zero on a failure, with a one-line reason
//! on standard error.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use console_core::{
    journal::JournalStore, undo::UndoVerdict, Console, ExportRequest, HistoryFilter, ImportPlan,
    PortalKind, RowAction,
};
use secrecy::SecretString;

/// The app's bundle identifier: its data folder's name (as Tauri's `app_data_dir`).
const APP_IDENTIFIER: &str = "app.memberdesk.desktop";

#[derive(Parser)]
#[command(
    name = "memberdesk-cli",
    version,
    about = "Import and export an ArcGIS organization's members; read the journal of changes, undo them, resume a job that was cut off."
)]
struct Cli {
    /// The portal: `https://www.arcgis.com`, `https://org.maps.arcgis.com`, or an ArcGIS
    /// Enterprise portal's URL (`https://gis.example.com/portal`).
    #[arg(long, global = true)]
    portal: Option<String>,
    /// The administrator's username (the password comes from MEMBERDESK_PASSWORD or standard
    /// input).
    #[arg(long, global = true)]
    username: Option<String>,
    /// A PEM file of a certificate authority to trust besides the system's (a portal with its
    /// own certificate).
    #[arg(long, global = true, value_name = "PEM")]
    ca_cert: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the organization's members to a CSV file (the app's columns; `members=N` last).
    Export {
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
        /// Only members whose username, full name or email contains this text (any case).
        #[arg(long)]
        filter: Option<String>,
    },
    /// Create, invite and update members from a CSV file: one line per row, then the counts.
    Import {
        file: PathBuf,
        /// Plan every row and print the plan; send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The recent jobs: id, kind, started, changes, done/failed/skipped/pending.
    Jobs {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Set a job (or one change of it) back to the values it found, as a new job; changes
    /// someone else has changed since are listed as conflicts and left alone.
    Undo {
        #[arg(long)]
        job: i64,
        /// Only this change of the job (its id in `history`).
        #[arg(long)]
        change: Option<i64>,
        /// Print what would be undone; send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete members in one job: their licenses taken back, their content and owned groups
    /// to one receiver; the impact report first (one line per member), then the outcomes.
    Offboard {
        /// The usernames to delete.
        usernames: Vec<String>,
        /// A file with more usernames, one per line (`-` for standard input is not accepted:
        /// standard input may carry the password).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Who receives every item, folder and owned group.
        #[arg(long)]
        receiver: Option<String>,
        /// Print the impact report; delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Finish a job that was cut off (the latest by default): each change without a known
    /// outcome is checked against the portal; only what never arrived is sent.
    Resume {
        #[arg(long)]
        job: Option<i64>,
        /// Print what would be sent; send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The changes recorded, the most recent first.
    History {
        #[arg(long)]
        job: Option<i64>,
        #[arg(long)]
        member: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
}

/// A failure: its one-line reason.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

type Outcome = Result<(), Failure>;

fn data_dir() -> Result<PathBuf, Failure> {
    match std::env::var_os("MEMBERDESK_DATA_DIR") {
        Some(dir) => Ok(dir.into()),
        None => dirs::data_dir()
            .map(|d| d.join(APP_IDENTIFIER))
            .ok_or_else(|| Failure("no data folder: set MEMBERDESK_DATA_DIR".into())),
    }
}

/// The password: `MEMBERDESK_PASSWORD`, else the first line of standard input.
fn password(username: &str, portal: &str) -> Result<SecretString, Failure> {
    if let Ok(p) = std::env::var("MEMBERDESK_PASSWORD") {
        return Ok(SecretString::from(p));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for {username} at {portal}: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        return Err(Failure(
            "no password: set MEMBERDESK_PASSWORD or give it on standard input".into(),
        ));
    }
    Ok(SecretString::from(line.to_string()))
}

/// Signs in and loads the organization (progress on standard error when it is a terminal).
async fn signed_in(cli: &Cli, console: &Console) -> Outcome {
    let portal = cli
        .portal
        .as_deref()
        .ok_or_else(|| Failure("--portal URL is needed".into()))?;
    let username = cli
        .username
        .as_deref()
        .ok_or_else(|| Failure("--username U is needed".into()))?;
    let ca = match &cli.ca_cert {
        Some(path) => Some(
            std::fs::read(path)
                .map_err(|e| Failure(format!("cannot read --ca-cert {}: {e}", path.display())))?,
        ),
        None => None,
    };
    let kind = if portal.to_lowercase().contains("arcgis.com") {
        PortalKind::ArcgisOnline
    } else {
        PortalKind::Enterprise
    };
    let secret = password(username, portal)?;
    console
        .sign_in_password_trusting(kind, portal, username, secret, ca)
        .await?;
    let show = std::io::stderr().is_terminal();
    console
        .load_members(|p| {
            if show {
                eprint!("\rloading members: {}/{}", p.loaded, p.total);
            }
        })
        .await?;
    if show {
        eprintln!();
    }
    Ok(())
}

/// One row's plan in a line: `row N: update (role: User → Publisher)`.
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

async fn import(cli: &Cli, console: &Console, file: &PathBuf, dry_run: bool) -> Outcome {
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

async fn export(cli: &Cli, console: &Console, out: &PathBuf, filter: Option<&str>) -> Outcome {
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

/// The journal, read without signing in; `--portal` narrows it to one portal.
fn journal(cli: &Cli) -> Result<(JournalStore, Option<String>), Failure> {
    let store = JournalStore::open(&data_dir()?.join("journal.sqlite"))?;
    let portal = match &cli.portal {
        Some(url) => Some(console_core::rest_base(url)?),
        None => None,
    };
    Ok((store, portal))
}

fn jobs(cli: &Cli, limit: u32) -> Outcome {
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

fn history(cli: &Cli, job: Option<i64>, member: Option<String>, limit: u32) -> Outcome {
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

async fn undo(
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

async fn resume(cli: &Cli, console: &Console, job: Option<i64>, dry_run: bool) -> Outcome {
    signed_in(cli, console).await?;
    let plan = console.plan_resume(job).await?;
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

async fn offboard(
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

async fn run(cli: Cli) -> Outcome {
    match &cli.command {
        Command::Jobs { limit } => jobs(&cli, *limit),
        Command::History { job, member, limit } => history(&cli, *job, member.clone(), *limit),
        Command::Export { out, filter } => {
            let console = Console::for_command_line(data_dir()?);
            export(&cli, &console, out, filter.as_deref()).await
        }
        Command::Undo {
            job,
            change,
            dry_run,
        } => {
            let console = Console::for_command_line(data_dir()?);
            undo(&cli, &console, *job, *change, *dry_run).await
        }
        Command::Offboard {
            usernames,
            from,
            receiver,
            dry_run,
        } => {
            let console = Console::for_command_line(data_dir()?);
            offboard(
                &cli,
                &console,
                usernames.clone(),
                from.as_ref(),
                receiver.clone(),
                *dry_run,
            )
            .await
        }
        Command::Resume { job, dry_run } => {
            let console = Console::for_command_line(data_dir()?);
            resume(&cli, &console, *job, *dry_run).await
        }
        Command::Import { file, dry_run } => {
            let console = Console::for_command_line(data_dir()?);
            import(&cli, &console, file, *dry_run).await
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(reason)) => {
            // One line, whatever the error said.
            eprintln!("memberdesk-cli: {}", reason.replace(['\n', '\r'], " "));
            ExitCode::FAILURE
        }
    }
}
