//! The import benchmark's Rust side (bench/bulk_import.sh runs it):
//!
//! ```text
//! cargo run --release -p console-core --example bulk_import -- PORTAL_URL USERNAME PASSWORD COUNT NAMES_FILE
//! ```
//! Signs in with the password and loads the organization, then times two imports, each planned
//! (the dry run) and run as one job, as the app and `memberdesk-cli import` do:
//! 1. COUNT new members (`bench_new_1`…, with a password, the User role, and the user type
//!    that allows it with the most seats free; its id is printed for Python to use);
//! 2. COUNT role changes: Publishers made Users. Their usernames go to NAMES_FILE, for Esri's
//!    Python API to change the same members on its own (identically seeded) portal.
//!
//! Prints `user_type=…`, then `created=… failed=… create_ms=… of_which_plan_ms=…`, then
//! `updated=… failed=… roles_ms=… of_which_plan_ms=…`.

use std::time::Instant;

use console_core::Console;
use portal_client::BaseRole;

/// Plans and runs one CSV import; answers (applied, failed, ms of the whole, ms of the plan).
async fn import(console: &Console, name: &str, csv: &str) -> (u32, u32, u128, u128) {
    let started = Instant::now();
    let plan = console
        .plan_import(name, csv.as_bytes())
        .await
        .expect("the dry run");
    let plan_ms = started.elapsed().as_millis();
    assert_eq!(
        plan.invalid,
        0,
        "every row is valid: {:?}",
        plan.rows.first()
    );
    let report = console.run_import(|_| {}).await.expect("the import");
    (
        report.applied,
        report.failed,
        started.elapsed().as_millis(),
        plan_ms,
    )
}

mod common;

#[tokio::main]
async fn main() {
    let [url, username, password, count, names_file] =
        common::args::<5>("bulk_import PORTAL_URL USERNAME PASSWORD COUNT NAMES_FILE");
    let count: usize = count.parse().expect("a count");
    let (_dir, console) = common::signed_in(&url, &username, &password).await;
    console.load_members(|_| {}).await.expect("the load");

    // The user type that allows the User role with the most seats free.
    let choices = console.choices().await.expect("the roles and user types");
    let offers = console
        .license_offers()
        .await
        .expect("the licenses")
        .expect("the organization's licenses");
    let members = console.members().await.expect("the members");
    let free = |id: &str| {
        let offer = offers.user_types.iter().find(|t| t.id == id)?;
        let held = members.iter().filter(|m| m.user_type == id).count();
        let bought = offer.purchased.map_or(usize::MAX, |p| p as usize);
        Some(bought.saturating_sub(held + offer.invited as usize))
    };
    let user_type = choices
        .user_types
        .iter()
        .filter(|t| choices.incompatibility("org_user", &t.id).is_none())
        .filter_map(|t| free(&t.id).map(|f| (f, t)))
        .max_by_key(|(f, _)| *f)
        .filter(|(f, _)| *f >= count)
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| {
            eprintln!("no user type with {count} seats free for the User role");
            std::process::exit(1);
        });
    println!("user_type={}", user_type.id);
    let mut csv = String::from("Username,First Name,Last Name,Email,Role,User Type,Password\n");
    for i in 1..=count {
        csv.push_str(&format!(
            "bench_new_{i},Bench,Member{i},bench.new.{i}@example.com,User,{},Bench-pass-{i}x\n",
            user_type.id
        ));
    }
    let (created, failed, ms, plan_ms) = import(&console, "new.csv", &csv).await;
    println!("created={created} failed={failed} create_ms={ms} of_which_plan_ms={plan_ms}");

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
    let (updated, failed, ms, plan_ms) = import(&console, "roles.csv", &csv).await;
    println!("updated={updated} failed={failed} roles_ms={ms} of_which_plan_ms={plan_ms}");
}
