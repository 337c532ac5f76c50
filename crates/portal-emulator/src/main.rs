//! `portal-emulator`: the embedded portal's command line (README, "The embedded portal").
//! Scripts, benchmarks and the compatibility tests rely on it: flags are added, never changed.
//!
//! ```text
//! portal-emulator serve [--listen 127.0.0.1:0] [--tls [--cert-out PEM]] [--data PATH | --data :memory:]
//!                       [--profile agol|enterprise] [--admin USER:PASSWORD] [--seed-users N]
//!                       [--latency-ms N] [--fault-rate F] [--token-ttl SECONDS]
//!                       [--public-url URL]
//! ```
//! When ready it prints `portal-emulator listening on http(s)://127.0.0.1:PORT/sharing/rest`.
//!
//! What is deliberately not here: anything a portal does; this file parses flags, opens the
//! portal ([`portal_emulator::State`]), seeds it, binds and serves.

use std::io::Write;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use portal_emulator::{router, seed, server, Config, Profile, State};

#[derive(Parser)]
#[command(
    name = "portal-emulator",
    version,
    about = "A local ArcGIS-compatible portal (Sharing REST API) on SQLite"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost.
    #[arg(long)]
    tls: bool,
    /// Write the certificate (PEM) here, so a client can trust exactly it.
    #[arg(long, requires = "tls", value_name = "PEM")]
    cert_out: Option<std::path::PathBuf>,
    /// The database file, or `:memory:`. Default: portal.db in the user's data directory.
    #[arg(long, value_name = "PATH")]
    data: Option<String>,
    /// ArcGIS Online or ArcGIS Enterprise behaviour.
    #[arg(long, value_enum, default_value = "agol")]
    profile: Profile,
    /// Create the org's default administrator (built-in account, org_admin).
    #[arg(long, value_name = "USER:PASSWORD")]
    admin: Option<String>,
    /// Add N realistic members, groups and invitations.
    #[arg(long, value_name = "N")]
    seed_users: Option<usize>,
    /// Delay every API response by N milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Answer this fraction of API requests with a transient failure (500, or 429 + Retry-After).
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_fraction)]
    fault_rate: f64,
    /// Access-token lifetime in seconds (to exercise refresh).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    token_ttl: Option<u64>,
    /// Register a public app (PKCE, no secret) allowed exactly these redirect URIs, as an
    /// organization registers OAuth 2.0 credentials. Repeatable.
    #[arg(long = "app", value_name = "CLIENT_ID=URI[,URI...]")]
    apps: Vec<String>,
    /// The portal's public base URL (`https://host:port[/context]`): the only origin its pages
    /// and links are built from. Default: the address it listens on.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    let f: f64 = s.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if (0.0..=1.0).contains(&f) {
        Ok(f)
    } else {
        Err(format!("{f} is not between 0 and 1"))
    }
}

fn default_data_path() -> String {
    let base = dirs::data_dir().unwrap_or_else(std::env::temp_dir);
    base.join("portal-emulator")
        .join("portal.db")
        .to_string_lossy()
        .into_owned()
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("portal-emulator: {message}");
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let Command::Serve(args) = Cli::parse().command;
    let data = args.data.clone().unwrap_or_else(default_data_path);
    let config = Config {
        profile: args.profile,
        latency: Duration::from_millis(args.latency_ms),
        fault_rate: args.fault_rate,
        token_ttl: args.token_ttl,
        tls: args.tls,
        public_url: args.public_url.clone(),
        ..Config::default()
    };
    let state =
        State::open(&data, config).unwrap_or_else(|e| fail(format!("{data}: {}", e.message)));

    for app in &args.apps {
        let Some((client_id, uris)) = app.split_once('=') else {
            fail("--app must be CLIENT_ID=URI[,URI...]");
        };
        let uris: Vec<&str> = uris.split(',').filter(|u| !u.is_empty()).collect();
        portal_emulator::oauth::register_public_app(&state, client_id, &uris)
            .unwrap_or_else(|e| fail(e.message));
    }
    let mut owner = None;
    if let Some(admin) = &args.admin {
        let Some((user, password)) = admin.split_once(':') else {
            fail("--admin must be USER:PASSWORD");
        };
        seed::ensure_admin(&state.db, user, password).unwrap_or_else(|e| fail(e.message));
        owner = Some(user.to_string());
    }
    if let Some(n) = args.seed_users {
        let owner = owner.clone().unwrap_or_else(|| {
            seed::ensure_admin(&state.db, "admin_demo", seed::DEMO_PASSWORD)
                .unwrap_or_else(|e| fail(e.message));
            "admin_demo".into()
        });
        let started = Instant::now();
        let report = seed::seed_users(&state.db, n, &owner).unwrap_or_else(|e| fail(e.message));
        eprintln!(
            "portal-emulator: seeded {} members, {} groups, {} memberships, {} invitations in {} ms",
            report.users,
            report.groups,
            report.memberships,
            report.invitations,
            started.elapsed().as_millis()
        );
    }

    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .unwrap_or_else(|e| fail(format!("cannot listen on {}: {e}", args.listen)));
    let addr = listener.local_addr().unwrap_or_else(|e| fail(e));
    let tls = if args.tls {
        let cert = server::self_signed().unwrap_or_else(|e| fail(format!("certificate: {e}")));
        if let Some(path) = &args.cert_out {
            std::fs::write(path, &cert.cert_pem)
                .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        }
        Some(cert.config)
    } else {
        None
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("portal-emulator listening on {scheme}://{addr}/sharing/rest");
    let _ = std::io::stdout().flush();
    let app = router(state);
    tokio::select! {
        r = server::serve(listener, app, tls) => {
            if let Err(e) = r { fail(e) }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}
