//! The import benchmark's Rust side (bench/bulk_import.sh runs it):
//!
//! ```text
//! cargo run --release -p console-core --example bulk_import -- PORTAL_URL USERNAME PASSWORD COUNT NAMES_FILE
//! ```
//! Signs in with the password and loads the organization, then times two imports, each planned
//! (the dry run) and run as one job, as the app and `memberdesk-cli import` do:
//! 1. COUNT new members (`bench_new_1`…, with a password, User role, Creator type);
//! 2. COUNT role changes: Publishers made Users. Their usernames go to NAMES_FILE, for Esri's
//!    Python API to change the same members on its own (identically seeded) portal.
//!
//! Prints `created=… failed=… create_ms=…` then `updated=… failed=… roles_ms=…`.

use std::time::Instant;

use console_core::{Console, PortalKind};
use portal_client::BaseRole;
use secrecy::SecretString;

/// Plans and runs one CSV import; answers (applied, failed, ms).
async fn import(console: &Console, name: &str, csv: &str) -> (u32, u32, u128) {
    let started = Instant::now();
    let plan = console
        .plan_import(name, csv.as_bytes())
        .await
        .expect("the dry run");
    assert_eq!(
        plan.invalid,
        0,
        "every row is valid: {:?}",
        plan.rows.first()
    );
    let report = console.run_import(|_| {}).await.expect("the import");
    (report.applied, report.failed, started.elapsed().as_millis())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, username, password, count, names_file] = args.as_slice() else {
        eprintln!("usage: bulk_import PORTAL_URL USERNAME PASSWORD COUNT NAMES_FILE");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("a count");
    let dir = tempfile::tempdir().expect("a scratch folder");
    let console = Console::new(dir.path());
    console
        .sign_in_password(
            PortalKind::Enterprise,
            url,
            username,
            SecretString::from(password.clone()),
        )
        .await
        .unwrap_or_else(|e| {
            eprintln!("sign-in failed: {e}");
            std::process::exit(1);
        });
    console.load_members(|_| {}).await.expect("the load");

    let mut csv = String::from("Username,First Name,Last Name,Email,Role,User Type,Password\n");
    for i in 1..=count {
        csv.push_str(&format!(
            "bench_new_{i},Bench,Member{i},bench.new.{i}@example.com,User,Creator,Bench-pass-{i}x\n"
        ));
    }
    let (created, failed, ms) = import(&console, "new.csv", &csv).await;
    println!("created={created} failed={failed} create_ms={ms}");

    let members = console.members().await.expect("the members");
    let publishers: Vec<&str> = members
        .iter()
        .filter(|m| m.role == BaseRole::Publisher && m.role_id == "org_publisher" && !m.disabled)
        .map(|m| m.username.as_str())
        .take(count)
        .collect();
    if publishers.len() < count {
        eprintln!("only {} Publishers, {count} wanted", publishers.len());
        std::process::exit(1);
    }
    std::fs::write(names_file, publishers.join("\n")).expect("the names file");
    let mut csv = String::from("Username,Role\n");
    for p in &publishers {
        csv.push_str(&format!("{p},User\n"));
    }
    let (updated, failed, ms) = import(&console, "roles.csv", &csv).await;
    println!("updated={updated} failed={failed} roles_ms={ms}");
}
