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

use console_core::{Console, PortalKind};
use secrecy::SecretString;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, username, password] = args.as_slice() else {
        eprintln!("usage: load_members PORTAL_URL USERNAME PASSWORD");
        std::process::exit(2);
    };
    let dir = tempfile::tempdir().expect("a scratch folder");
    let sign_in = |console: Console| async move {
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
        console
    };
    let console = sign_in(Console::new(dir.path())).await;
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
    let again = sign_in(Console::new(dir.path())).await;
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
