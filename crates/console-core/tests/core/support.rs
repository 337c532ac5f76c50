//! What the console's tests share: a console signed in to a demo portal in a fresh data folder
//! (with every member loaded), that portal to read with `portal_emulator::inspect`, another
//! administrator signed in through its own client to change the portal behind the console's
//! back, and a member's row in the table.
//!
//! What is deliberately not here: reading the portal's tables (`portal_emulator::inspect` does
//! that, in the portal's own crate) and the OAuth portal of the browser sign-in (`restore`).

use std::path::Path;
use std::sync::Arc;

use console_core::{Console, Member, SessionInfo};
use portal_client::Client;
use portal_emulator::seed;
use secrecy::SecretString;
use tempfile::TempDir;

/// The demo organization's administrator: the account the console signs in as.
pub const DEMO_ADMIN: &str = "demo_admin";

/// The password `another_admin` sets on the administrator it signs in as.
const OTHER_ADMIN_PASSWORD: &str = "Other-admin-pass-1";

/// A console whose data folder is `dir`, signed in to its demo portal (started, and seeded
/// when the folder is new).
pub async fn demo_console(dir: &Path) -> (Console, SessionInfo) {
    let console = Console::new(dir);
    let info = console
        .sign_in_demo()
        .await
        .expect("the demo portal starts and signs its administrator in");
    (console, info)
}

/// A console in a fresh data folder, signed in to the demo portal, with every member loaded.
/// The folder (and the demo portal's database in it) lives as long as the `TempDir`.
pub async fn loaded_demo() -> (TempDir, Console, Arc<Vec<Member>>) {
    let dir = tempfile::tempdir().unwrap();
    let (console, _) = demo_console(dir.path()).await;
    console.load_members(|_| {}).await.unwrap();
    let members = console.members().await.unwrap();
    (dir, console, members)
}

/// The console's demo portal, to read what it holds with `portal_emulator::inspect`.
pub async fn demo_portal(console: &Console) -> portal_emulator::State {
    console
        .demo_portal_state()
        .await
        .expect("the demo portal runs")
}

/// A seeded administrator of the demo organization other than `demo_admin` (whose password
/// only the console knows), signed in through a client of its own with a password the test
/// sets on the portal's database (the demo gives seeded administrators a password nobody
/// knows): a test changes the portal through it as another administrator would, without the
/// console hearing of it. Needs the members loaded; returns the username and the client.
pub async fn another_admin(console: &Console) -> (String, Client) {
    let members = console.members().await.expect("signed in");
    let admin = members
        .iter()
        .find(|m| {
            m.role_id == "org_admin"
                && m.provider == "arcgis"
                && !m.disabled
                && m.username != DEMO_ADMIN
        })
        .expect("the demo org has other administrators with a password");
    let portal_url = console.session().await.expect("signed in").portal_url;
    let state = demo_portal(console).await;
    seed::set_password(&state.db, &admin.username, OTHER_ADMIN_PASSWORD).unwrap();
    let client = Client::builder(portal_url).build().unwrap();
    client
        .sign_in_with_password(
            &admin.username,
            &SecretString::from(OTHER_ADMIN_PASSWORD),
            60,
        )
        .await
        .expect("a seeded administrator signs in with the password the test set");
    (admin.username.clone(), client)
}

/// The row of `username` among `members` (the table's rows).
pub fn row<'a>(members: &'a [Member], username: &str) -> &'a Member {
    members
        .iter()
        .find(|m| m.username == username)
        .unwrap_or_else(|| panic!("{username} is among the members"))
}

/// The demo's nightly reclaim: Creators idle a year (or never signed in) go down to Viewer with
/// the Viewer role, and lose every ArcGIS Pro entitlement. Needs the members loaded.
pub async fn pro_reclaim(console: &Console) -> console_core::ReclaimRequest {
    let offers = console.license_offers().await.unwrap().unwrap();
    let licenses = offers
        .products
        .iter()
        .filter(|p| p.item_id == portal_emulator::licenses::catalog::ARCGIS_PRO_ITEM)
        .flat_map(|p| p.entitlements.iter().map(|e| e.key.clone()))
        .collect();
    console_core::ReclaimRequest {
        days: 365,
        include_never: true,
        user_types: vec!["creatorUT".into()],
        downgrade_to: Some("viewerUT".into()),
        downgrade_role: Some(portal_client::VIEWER_ROLE_ID.into()),
        licenses,
    }
}
