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
//!
//! Here: the arguments, signing in, and which command runs. The commands themselves:
//! `members.rs` (import, export), `journal.rs` (jobs, history, undo, resume), `offboard.rs`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use console_core::{Console, PortalKind};
use secrecy::SecretString;

mod journal;
mod members;
mod offboard;

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
async fn run(cli: Cli) -> Outcome {
    match &cli.command {
        Command::Jobs { limit } => journal::jobs(&cli, *limit),
        Command::History { job, member, limit } => {
            journal::history(&cli, *job, member.clone(), *limit)
        }
        Command::Export { out, filter } => {
            let console = Console::for_command_line(data_dir()?);
            members::export(&cli, &console, out, filter.as_deref()).await
        }
        Command::Undo {
            job,
            change,
            dry_run,
        } => {
            let console = Console::for_command_line(data_dir()?);
            journal::undo(&cli, &console, *job, *change, *dry_run).await
        }
        Command::Offboard {
            usernames,
            from,
            receiver,
            dry_run,
        } => {
            let console = Console::for_command_line(data_dir()?);
            offboard::offboard(
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
            journal::resume(&cli, &console, *job, *dry_run).await
        }
        Command::Import { file, dry_run } => {
            let console = Console::for_command_line(data_dir()?);
            members::import(&cli, &console, file, *dry_run).await
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
