//! Changes the role of N members who have role FROM (the benchmark scripts run this command
//! line):
//!
//! ```text
//! cargo run --release -p portal-client --example bulk_role -- --portal URL --username U \
//!     --password P [--ca-cert PEM] --count N --from ROLE --to ROLE
//! ```
//! Members are found first (a search; only those whose user type allows the new role); the
//! time is that of the changes. The last line is
//! `changed=N failed=F elapsed_ms=T`.

use std::time::Instant;

use portal_client::bulk::{tally, BulkOptions};

mod common;

const NAME: &str = "bulk_role";
const OWN: &str = "--count N --from ROLE --to ROLE";

#[tokio::main]
async fn main() {
    let args = common::parse(NAME, OWN, &["count", "from", "to"]);
    let (Some(count), Some(from), Some(to)) = (
        args.extra
            .get("count")
            .and_then(|c| c.parse::<usize>().ok()),
        args.extra.get("from").cloned(),
        args.extra.get("to").cloned(),
    ) else {
        common::usage(NAME, OWN)
    };
    let client = common::sign_in(NAME, &args).await;
    // Only members whose user type allows the new role (the portal refuses the others).
    let allowed: Vec<String> = client
        .user_types()
        .await
        .unwrap_or_else(|e| common::fail(NAME, e))
        .into_iter()
        .filter(|t| t.allows(&to, None) != Some(false))
        .map(|t| t.id)
        .collect();
    let mut chosen = Vec::new();
    let mut start = 1;
    while chosen.len() < count {
        let page = client
            .users()
            .search(format!("role:{from}"))
            .start(start)
            .num(100)
            .send()
            .await
            .unwrap_or_else(|e| common::fail(NAME, e));
        let got = page.items.len();
        chosen.extend(
            page.items
                .into_iter()
                .filter(|u| {
                    u.role_id
                        .as_deref()
                        .unwrap_or(u.role.as_deref().unwrap_or(""))
                        == from
                })
                .filter(|u| {
                    u.user_license_type_id
                        .as_ref()
                        .is_some_and(|t| allowed.contains(t))
                })
                .map(|u| u.username.0),
        );
        match page.next_start {
            Some(n) if got > 0 => start = n,
            _ => break,
        }
    }
    chosen.truncate(count);
    if chosen.len() < count {
        common::fail(
            NAME,
            format!("only {} members have role {from}", chosen.len()),
        );
    }
    let started = Instant::now();
    let outcomes = client
        .bulk(BulkOptions::default())
        .set_role(&chosen, &to, |done, total| {
            eprint!("\r{done}/{total} changed")
        })
        .await;
    let elapsed = started.elapsed();
    eprintln!();
    for o in &outcomes {
        if let portal_client::Outcome::Failed(why) = &o.outcome {
            eprintln!("{}: {why}", o.username);
        }
    }
    let t = tally(&outcomes);
    println!(
        "changed={} failed={} elapsed_ms={}",
        t.done,
        t.failed,
        elapsed.as_millis()
    );
}
