use console_core::{Console, Error, PortalKind};
use secrecy::SecretString;

/// The demo portal seeds its organization once, the admin signs in, and a load fills the
/// cache with exactly the members the portal holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_portal_signs_in_and_loads_every_member_into_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let console = Console::new(dir.path());
    let info = console.sign_in_demo().await.unwrap();
    assert_eq!(info.kind, PortalKind::Demo);
    assert_eq!(info.username, "demo_admin");
    assert_eq!(
        info.cache.members, 0,
        "nothing cached before the first load"
    );
    let mut reports = Vec::new();
    let state = console.load_members(|p| reports.push(p)).await.unwrap();
    let portal = console.demo_portal_state().await.unwrap();
    let in_portal: u32 = portal
        .db
        .get()
        .unwrap()
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(in_portal, 501, "500 seeded members and the administrator");
    assert_eq!(state.members, in_portal);
    assert!(state.loaded_at.is_some());
    let last = reports.last().unwrap();
    assert_eq!(
        (last.loaded, last.total),
        (501, 501),
        "progress ends at the total"
    );
    let members = console.members().await.unwrap();
    assert_eq!(members.len(), 501);
    let admin = members.iter().find(|m| m.username == "demo_admin").unwrap();
    assert_eq!(admin.role_name, "Administrator");
    assert!(
        members
            .iter()
            .any(|m| m.role_id != m.role && m.role_name != m.role_id),
        "custom roles are shown by name"
    );
    assert!(members.iter().all(|m| !m.user_type_name.is_empty()));
}

/// The next start opens the cache at sign-in, before any load; the demo org is the same
/// (not seeded twice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_shows_the_cached_members_at_once_and_keeps_the_demo_org() {
    let dir = tempfile::tempdir().unwrap();
    {
        let console = Console::new(dir.path());
        console.sign_in_demo().await.unwrap();
        console.load_members(|_| {}).await.unwrap();
        let state = console.demo_portal_state().await.unwrap();
        let conn = state.db.get().unwrap();
        conn.execute(
            "UPDATE users SET full_name = 'Renamed Before Restart' WHERE username <> 'demo_admin' AND rowid = (SELECT MIN(rowid) FROM users WHERE username <> 'demo_admin')",
            [],
        )
        .unwrap();
    }
    let console = Console::new(dir.path());
    let info = console.sign_in_demo().await.unwrap();
    assert_eq!(info.cache.members, 501, "the cache answers before any load");
    assert_eq!(console.members().await.unwrap().len(), 501);
    assert!(
        !console
            .members()
            .await
            .unwrap()
            .iter()
            .any(|m| m.full_name == "Renamed Before Restart"),
        "the cache holds what was loaded, until the next load"
    );
    console.load_members(|_| {}).await.unwrap();
    let members = console.members().await.unwrap();
    assert_eq!(members.len(), 501, "the demo org was not seeded twice");
    assert!(members
        .iter()
        .any(|m| m.full_name == "Renamed Before Restart"));
}

/// A wrong password and a missing session are errors the UI can act on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_no_session_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let console = Console::new(dir.path());
    assert!(matches!(console.members().await, Err(Error::NoSession)));
    let info = console.sign_in_demo().await.unwrap();
    let other = Console::new(tempfile::tempdir().unwrap().path());
    let err = other
        .sign_in_password(
            PortalKind::Enterprise,
            &info.portal_url,
            "demo_admin",
            SecretString::from("not-the-password-1"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Portal(portal_client::Error::Portal { code: 400, .. })
        ),
        "{err:?}"
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
    assert!(matches!(err, Error::InvalidInput(_)));
    console.sign_out().await.unwrap();
    assert!(console.session().await.is_none());
    assert!(matches!(console.members().await, Err(Error::NoSession)));
}
