//! The Rust filter's figures on a real organization (bench/query.sh runs it):
//!
//! ```text
//! cargo run --release -p console-core --example query_members -- PORTAL_URL USERNAME PASSWORD
//! ```
//! Signs in with the password, loads every member, then times `members::query`: building the
//! index (the search text of every member), each sort the table offers, and the filter as a
//! person types: eight words typed a letter at a time and deleted again (50 keystrokes, the
//! kind of run bench/ui.sh makes in the window), each keystroke asking for the matching members
//! in order and taking the first 50 rows.
//! Prints `members=… index_ms=… index_bytes=…`, a line per sort, then the keystroke median,
//! 95th percentile and maximum.

use std::sync::Arc;
use std::time::Instant;

use console_core::members::query::{MemberFilter, MemberIndex, MemberSort, SortKey};

mod common;

#[tokio::main]
async fn main() {
    let [url, username, password] = common::args::<3>("query_members PORTAL_URL USERNAME PASSWORD");
    let (_dir, console) = common::signed_in(&url, &username, &password).await;
    console.load_members(|_| {}).await.unwrap_or_else(|e| {
        eprintln!("load failed: {e}");
        std::process::exit(1);
    });
    let members = console.members().await.expect("cached members");
    let count = members.len();

    let started = Instant::now();
    let index = MemberIndex::new(Arc::clone(&members));
    let built = started.elapsed();
    let text: usize = members
        .iter()
        .map(|m| m.username.len() + m.full_name.len() + m.email.len() + 2)
        .sum();
    println!(
        "members={count} index_ms={:.1} index_bytes={}",
        built.as_secs_f64() * 1000.0,
        text + 4 * (count + 1)
    );
    let all = MemberFilter::default();
    for key in [
        SortKey::Username,
        SortKey::FullName,
        SortKey::Email,
        SortKey::LastLogin,
    ] {
        for descending in [false, true] {
            let started = Instant::now();
            let shown = index.matching(&all, MemberSort { key, descending }).len();
            println!(
                "sort {key:?} descending={descending}: {:.1} ms ({shown} members)",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }

    // Typing and deleting, as bench/ui.sh does in the window.
    let mut texts = Vec::new();
    for word in ["smith", "anne", "jo", "lee", "gis", "mar", "ar", "wil"] {
        for n in 1..=word.len() {
            texts.push(word[..n].to_string());
        }
        for n in (0..word.len()).rev() {
            texts.push(word[..n].to_string());
        }
    }
    let sort = MemberSort::default();
    let mut times = Vec::new();
    let mut shown = 0;
    for text in &texts {
        let started = Instant::now();
        let matching = index.matching(
            &MemberFilter {
                text: text.clone(),
                ..MemberFilter::default()
            },
            sort,
        );
        // What crosses over per keystroke: the count and the first screen of rows.
        let rows: Vec<_> = matching
            .iter()
            .take(50)
            .map(|&i| members[i as usize].clone())
            .collect();
        shown += rows.len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "keystroke to rows ({} keystrokes, {shown} rows handed over): median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}
