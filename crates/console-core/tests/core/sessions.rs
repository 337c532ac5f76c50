//! Sessions: the demo portal signs in and loads every member into the cache, a restart shows
//! the cache at once and keeps the demo organization, a wrong password and a missing session
//! are errors the UI can act on, and signing out ends the session.

use console_core::{Console, Error, PortalKind};
use portal_client::UserUpdate;
use portal_emulator::inspect;
use secrecy::SecretString;

use crate::support::{another_admin, demo_console, demo_portal, row, DEMO_ADMIN};

/// The demo portal seeds its organization once, the admin signs in, and a load fills the
/// cache with exactly the members the portal holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_portal_signs_in_and_loads_every_member_into_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (console, info) = demo_console(dir.path()).await;
    assert_eq!(info.kind, PortalKind::Demo, "a demo session says so");
    assert_eq!(
        info.username, DEMO_ADMIN,
        "signed in as the demo administrator"
    );
    assert_eq!(
        info.cache.members, 0,
        "nothing cached before the first load"
    );
    let mut reports = Vec::new();
    let state = console.load_members(|p| reports.push(p)).await.unwrap();
    let in_portal = inspect::user_count(&demo_portal(&console).await).unwrap();
    assert_eq!(in_portal, 501, "500 seeded members and the administrator");
    assert_eq!(
        i64::from(state.members),
        in_portal,
        "the cache holds every member of the portal"
    );
    assert!(state.loaded_at.is_some(), "the load is dated");
    let last = reports.last().unwrap();
    assert_eq!(
        (last.loaded, last.total),
        (501, 501),
        "progress ends at the total"
    );
    assert!(
        last.groups_total > 0 && last.groups_read == last.groups_total,
        "and every group's members were read: {last:?}"
    );
    let members = console.members().await.unwrap();
    assert_eq!(members.len(), 501, "the table shows every cached member");
    assert_eq!(
        row(&members, DEMO_ADMIN).role_name,
        "Administrator",
        "a built-in role is shown by its name"
    );
    assert!(
        members
            .iter()
            .any(|m| m.role_id != m.role.id() && m.role_name != m.role_id),
        "custom roles are shown by name"
    );
    assert!(
        members.iter().all(|m| !m.user_type_name.is_empty()),
        "every member's user type has a name"
    );
}

/// The next start opens the cache at sign-in, before any load; the demo org is the same
/// (not seeded twice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_shows_the_cached_members_at_once_and_keeps_the_demo_org() {
    const NEW_NAME: &str = "Renamed Before Restart";
    let dir = tempfile::tempdir().unwrap();
    let renamed = {
        let (console, _) = demo_console(dir.path()).await;
        console.load_members(|_| {}).await.unwrap();
        let members = console.members().await.unwrap();
        let renamed = members
            .iter()
            .find(|m| m.username != DEMO_ADMIN)
            .expect("the demo org has members")
            .username
            .clone();
        // Another administrator renames the member on the portal; the console is not told.
        let (_, admin) = another_admin(&console).await;
        let change = UserUpdate {
            full_name: Some(NEW_NAME.into()),
            ..UserUpdate::default()
        };
        admin.users().update(&renamed, &change).await.unwrap();
        let facts = inspect::user_row(&demo_portal(&console).await, &renamed).unwrap();
        assert_eq!(
            facts.map(|f| f.full_name).as_deref(),
            Some(NEW_NAME),
            "the portal holds the new name"
        );
        renamed
    };
    let (console, info) = demo_console(dir.path()).await;
    assert_eq!(info.cache.members, 501, "the cache answers before any load");
    let cached = console.members().await.unwrap();
    assert_eq!(
        cached.len(),
        501,
        "the table shows the cache before any load"
    );
    assert!(
        !cached.iter().any(|m| m.full_name == NEW_NAME),
        "the cache holds what was loaded, until the next load"
    );
    console.load_members(|_| {}).await.unwrap();
    let members = console.members().await.unwrap();
    assert_eq!(members.len(), 501, "the demo org was not seeded twice");
    assert_eq!(
        row(&members, &renamed).full_name,
        NEW_NAME,
        "the next load brings the portal's change"
    );
}

/// A wrong password and a missing session are errors the UI can act on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_no_session_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let console = Console::new(dir.path());
    assert!(
        matches!(console.members().await, Err(Error::NoSession)),
        "no members before signing in"
    );
    let info = console.sign_in_demo().await.unwrap();
    let other = Console::new(tempfile::tempdir().unwrap().path());
    let err = other
        .sign_in_password(
            PortalKind::Enterprise,
            &info.portal_url,
            DEMO_ADMIN,
            SecretString::from("not-the-password-1"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Portal(portal_client::Error::Portal { code: 400, .. })
        ),
        "a wrong password is the portal's refusal: {err:?}"
    );
    let err = other
        .sign_in_password(
            PortalKind::Enterprise,
            &info.portal_url,
            "  ",
            SecretString::from("x"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(_)),
        "a blank username never leaves: {err:?}"
    );
    console.sign_out().await.unwrap();
    assert!(console.session().await.is_none(), "signed out");
    assert!(
        matches!(console.members().await, Err(Error::NoSession)),
        "no members after signing out"
    );
}

/// *Forget this portal* removes the profile and the members copied to this computer (the
/// cache file and SQLite's journal files), and nothing of another portal; the portal in use
/// cannot be forgotten.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetting_a_portal_removes_its_member_cache_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    // A cache left under the name caches had before names were made injective.
    let cache_dir = dir.path().join("cache");
    std::fs::create_dir_all(&cache_dir).unwrap();
    let legacy = cache_dir.join("demo_demo_admin.sqlite");
    std::fs::write(&legacy, b"members under the old name").unwrap();
    let (console, _) = demo_console(dir.path()).await;
    assert!(!legacy.exists(), "signing in removes the cache's old name");
    std::fs::write(&legacy, b"members under the old name").unwrap();
    console.load_members(|_| {}).await.unwrap();
    let files = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let ours = files(&cache_dir);
    assert!(
        ours.iter().any(|f| f.ends_with(".sqlite")),
        "the load wrote a cache: {ours:?}"
    );
    let other = cache_dir.join("https___other_example_com_sharing_rest_-admin.sqlite");
    std::fs::write(&other, b"another portal's cache").unwrap();

    let id = console.profiles().profiles[0].id.clone();
    let refused = console.forget_profile(&id).await;
    assert!(
        matches!(refused, Err(Error::InvalidInput(_))),
        "the portal in use is not forgotten: {refused:?}"
    );
    console.sign_out().await.unwrap();
    console.forget_profile(&id).await.unwrap();
    assert!(
        console.profiles().profiles.is_empty(),
        "the profile is gone"
    );
    assert_eq!(
        files(&cache_dir),
        vec![other.file_name().unwrap().to_string_lossy().into_owned()],
        "its cache (with its journal files, and under its old name) is gone, another portal's cache stays"
    );
    assert!(
        matches!(console.forget_profile(&id).await, Err(Error::NotFound(_))),
        "forgetting twice says the profile is gone"
    );
}
