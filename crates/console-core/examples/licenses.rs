//! The license benchmarks' Rust side (bench/licenses.sh runs it):
//!
//! ```text
//! cargo run --release -p console-core --example licenses -- PORTAL_URL USERNAME PASSWORD RECLAIM_COUNT OTHERS_FILE
//! ```
//! Signs in with the password, then:
//! 1. times reading the license picture alone (purchases, every holder of every license and
//!    bundle, the seats of every user type: `licenses::read::read_offers`), then the whole
//!    load that includes it, then counting the picture from the rows;
//! 2. plans a reclaim of ArcGIS Pro from members idle for a year or more (or never signed in)
//!    and times reclaiming the first RECLAIM_COUNT of them as one job; writes the next
//!    RECLAIM_COUNT idle holders to OTHERS_FILE (for Esri's Python API to reclaim the same
//!    number from the same kind of members).
//!
//! Prints `picture_read_ms=… holders=… load_ms=… count_ms=…` then
//! `reclaimed=… failed=… reclaim_ms=…`.

use std::time::Instant;

use console_core::licenses::read::read_offers;
use console_core::ReclaimRequest;
use secrecy::SecretString;

mod common;

#[tokio::main]
async fn main() {
    let [url, username, password, count, others] =
        common::args::<5>("licenses PORTAL_URL USERNAME PASSWORD RECLAIM_COUNT OTHERS_FILE");
    let count: usize = count.parse().expect("a count");
    let (_dir, console) = common::signed_in(&url, &username, &password).await;
    let client = portal_client::Client::builder(url.as_str())
        .build()
        .expect("a client");
    client
        .sign_in_with_password(&username, &SecretString::from(password.clone()), 60)
        .await
        .expect("sign in");
    let online = client
        .portal_self()
        .await
        .expect("portals/self")
        .is_arcgis_online();
    let names = console_core::members::Names::new(
        &client.roles().await.expect("roles"),
        &client.user_types().await.expect("user types"),
    );
    let started = Instant::now();
    let (offers, holdings) = read_offers(&client, &names, online, |_, _| {})
        .await
        .expect("the licenses");
    let picture_read_ms = started.elapsed().as_millis();
    let holders: usize = holdings.values().map(Vec::len).sum();

    let started = Instant::now();
    console.load_members(|_| {}).await.expect("the load");
    let load_ms = started.elapsed().as_millis();
    let started = Instant::now();
    let picture = console.license_picture().await.expect("the picture");
    let count_ms = started.elapsed().as_micros() as f64 / 1000.0;
    println!(
        "picture_read_ms={picture_read_ms} products={} bundles={} holdings={holders} lines={} load_ms={load_ms} count_ms={count_ms:.1}",
        offers.products.len(),
        offers.bundles.len(),
        picture.lines.len()
    );

    let pro = offers
        .products
        .iter()
        .find(|p| p.title == "ArcGIS Pro")
        .expect("ArcGIS Pro is bought");
    let request = ReclaimRequest {
        days: 365,
        include_never: true,
        user_types: Vec::new(),
        downgrade_to: None,
        downgrade_role: None,
        licenses: pro.entitlements.iter().map(|e| e.key.clone()).collect(),
    };
    let plan = console
        .plan_reclaim(request.clone())
        .await
        .expect("the plan");
    if plan.items.len() < 2 * count {
        eprintln!(
            "only {} idle Pro holders, {} wanted",
            plan.items.len(),
            2 * count
        );
        std::process::exit(1);
    }
    let mine: Vec<String> = plan.items[..count]
        .iter()
        .map(|i| i.username.clone())
        .collect();
    let theirs: Vec<&str> = plan.items[count..2 * count]
        .iter()
        .map(|i| i.username.as_str())
        .collect();
    std::fs::write(others, theirs.join("\n")).expect("the others file");
    let started = Instant::now();
    let report = console
        .reclaim(request, mine, |_| {})
        .await
        .expect("the reclaim");
    println!(
        "reclaimed={} failed={} reclaim_ms={}",
        report.done,
        report.failed,
        started.elapsed().as_millis()
    );
}
