//! Lists every member of an organization (the benchmark scripts run this command line):
//!
//! ```text
//! cargo run --release -p portal-client --example list_members -- --portal URL \
//!     --username U --password P [--ca-cert PEM] [--concurrency N]
//! ```
//! The last line is `members=N requests=R elapsed_ms=T`.

use std::time::Instant;

use portal_client::Client;
use secrecy::SecretString;

fn usage() -> ! {
    eprintln!("usage: list_members --portal URL --username U --password P [--ca-cert PEM] [--concurrency N]");
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut portal, mut username, mut password, mut ca, mut concurrency) = (
        None,
        None,
        None,
        None,
        portal_client::users::DEFAULT_CONCURRENCY,
    );
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--portal" => portal = Some(value),
            "--username" => username = Some(value),
            "--password" => password = Some(SecretString::from(value)),
            "--ca-cert" => ca = Some(value),
            "--concurrency" => concurrency = value.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let (Some(portal), Some(username), Some(password)) = (portal, username, password) else {
        usage()
    };
    let mut builder = Client::builder(portal);
    if let Some(path) = ca {
        let pem = std::fs::read(&path).unwrap_or_else(|e| {
            eprintln!("list_members: {path}: {e}");
            std::process::exit(2)
        });
        builder = builder.extra_ca_pem(pem);
    }
    let client = builder.build().unwrap_or_else(|e| {
        eprintln!("list_members: {e}");
        std::process::exit(2)
    });
    let started = Instant::now();
    if let Err(e) = client.sign_in_with_password(&username, &password, 60).await {
        eprintln!("list_members: sign-in failed: {e}");
        std::process::exit(1);
    }
    let members = client
        .users()
        .all_members(concurrency, |done, total| {
            eprint!("\r{done}/{total} members")
        })
        .await
        .unwrap_or_else(|e| {
            eprintln!("\nlist_members: {e}");
            std::process::exit(1)
        });
    eprintln!();
    println!(
        "members={} requests={} elapsed_ms={}",
        members.len(),
        client.request_count(),
        started.elapsed().as_millis()
    );
}
