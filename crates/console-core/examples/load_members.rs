//! Loads every member of a portal into a fresh member cache, as the console does when an
//! administrator opens an organization (bench/console.sh runs this):
//!
//! ```text
//! cargo run --release -p console-core --example load_members -- PORTAL_URL USERNAME PASSWORD
//! ```
//! Signs in with the password, then times `Console::load_members`: the roles and user types,
//! the org listing and every group's members (read side by side), the conversion to table rows
//! and the write of the SQLite cache. The last line is
//! `members=N memberships=M elapsed_ms=T restart_ms=R` (R: a restart, signing in again, which
//! opens and reads the cache).

use std::time::Instant;

mod common;

#[tokio::main]
async fn main() {
    let [url, username, password] = common::args::<3>("load_members PORTAL_URL USERNAME PASSWORD");
    let (dir, console) = common::signed_in(&url, &username, &password).await;
    let started = Instant::now();
    let state = console
        .load_members(|p| {
            eprint!(
                "\r{}/{} members, {}/{} groups",
                p.loaded, p.total, p.groups_read, p.groups_total
            )
        })
        .await
        .unwrap_or_else(|e| {
            eprintln!("\nload failed: {e}");
            std::process::exit(1);
        });
    let elapsed = started.elapsed();
    eprintln!();
    // A restart: a new console on the same folder opens the cache at sign-in.
    let reread = Instant::now();
    let again = common::sign_in(dir.path(), &url, &username, &password).await;
    let members = again.members().await.expect("cached members");
    let restart_ms = reread.elapsed().as_millis();
    assert_eq!(members.len() as u32, state.members);
    let memberships: usize = members.iter().map(|m| m.groups.len()).sum();
    println!(
        "members={} memberships={} elapsed_ms={} restart_ms={}",
        state.members,
        memberships,
        elapsed.as_millis(),
        restart_ms
    );
}
