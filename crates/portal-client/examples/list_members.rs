//! Lists every member of an organization (the benchmark scripts run this command line):
//!
//! ```text
//! cargo run --release -p portal-client --example list_members -- --portal URL \
//!     --username U --password P [--ca-cert PEM] [--concurrency N]
//! ```
//! The last line is `members=N requests=R elapsed_ms=T` (the listing, after sign-in, as the
//! Python baseline measures it).

use std::time::Instant;

mod common;

const NAME: &str = "list_members";
const OWN: &str = "[--concurrency N]";

#[tokio::main]
async fn main() {
    let args = common::parse(NAME, OWN, &["concurrency"]);
    let concurrency = match args.extra.get("concurrency") {
        Some(v) => v.parse().unwrap_or_else(|_| common::usage(NAME, OWN)),
        None => portal_client::users::DEFAULT_CONCURRENCY,
    };
    let client = common::sign_in(NAME, &args).await;
    let started = Instant::now();
    let members = client
        .users()
        .all_members()
        .concurrency(concurrency)
        .send(|done, total| eprint!("\r{done}/{total} members"))
        .await
        .unwrap_or_else(|e| common::fail(NAME, format!("\n{e}")));
    eprintln!();
    println!(
        "members={} requests={} elapsed_ms={}",
        members.len(),
        client.request_count(),
        started.elapsed().as_millis()
    );
}
