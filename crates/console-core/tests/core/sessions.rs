use console_core::{Console, Error, MemberEdit, PortalKind};
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
    assert!(
        last.groups_total > 0 && last.groups_read == last.groups_total,
        "and every group's members were read: {last:?}"
    );
    let members = console.members().await.unwrap();
    assert_eq!(members.len(), 501);
    let admin = members.iter().find(|m| m.username == "demo_admin").unwrap();
    assert_eq!(admin.role_name, "Administrator");
    assert!(
        members
            .iter()
            .any(|m| m.role_id != m.role.id() && m.role_name != m.role_id),
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

/// The single number a query with one text parameter answers, in the demo portal's database.
pub fn portal_count(portal: &portal_emulator::State, sql: &str, param: &str) -> i64 {
    let conn = portal.db.get().unwrap();
    conn.query_row(sql, [param], |r| r.get(0)).unwrap()
}

/// A console signed in to a fresh demo portal, with every member loaded.
pub async fn loaded_demo() -> (
    tempfile::TempDir,
    Console,
    std::sync::Arc<Vec<console_core::Member>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let console = Console::new(dir.path());
    console.sign_in_demo().await.unwrap();
    console.load_members(|_| {}).await.unwrap();
    let members = console.members().await.unwrap();
    (dir, console, members)
}

/// The edit form saves the profile, the role and the user type, in an order the portal
/// accepts; the portal holds the new values and the cache shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_saves_profile_role_and_user_type_and_the_cache_follows() {
    let (_dir, console, members) = loaded_demo().await;
    // A Viewer (user type viewerUT, custom role) becomes a Publisher with a Creator type: the
    // type must change first, or the portal refuses the role.
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT" && !m.disabled)
        .expect("the demo org has viewers")
        .clone();
    let choices = console.choices().await.unwrap();
    assert!(choices.roles.iter().any(|r| r.id == "org_publisher"));
    assert!(choices.user_types.iter().any(|t| t.id == "creatorUT"));
    let edit = MemberEdit {
        username: viewer.username.clone(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        description: "<b>not markup</b> & kept as typed".into(),
        access: portal_client::ProfileVisibility::Private,
        role_id: "org_publisher".into(),
        user_type: "creatorUT".into(),
        credits: Some(250.0),
    };
    let saved = console.update_member(edit.clone()).await.unwrap();
    assert_eq!(saved.full_name, "Ada Lovelace");
    assert_eq!(saved.credits, Some(250.0));
    assert_eq!(
        saved.groups, viewer.groups,
        "an edit keeps the member's groups"
    );
    assert_eq!(saved.role_id, "org_publisher");
    assert_eq!(saved.user_type, "creatorUT");
    let portal = console.demo_portal_state().await.unwrap();
    let row: (String, String, String, String, Option<String>, String) = portal
        .db
        .get()
        .unwrap()
        .query_row(
            "SELECT full_name, email, description, access, role_id, user_license_type_id FROM users WHERE username = ?1",
            [&viewer.username],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(row.0, "Ada Lovelace");
    assert_eq!(row.1, "ada@example.com");
    assert_eq!(row.2, "<b>not markup</b> & kept as typed");
    assert_eq!(row.3, "private");
    assert!(row.4.is_none() || row.4.as_deref() == Some("org_publisher"));
    assert_eq!(row.5, "creatorUT");
    let credits: f64 = portal
        .db
        .get()
        .unwrap()
        .query_row(
            "SELECT assigned_credits FROM users WHERE username = ?1",
            [&viewer.username],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(credits, 250.0, "the portal holds the assigned credits");
    let cached = console.members().await.unwrap();
    let in_table = cached
        .iter()
        .find(|m| m.username == viewer.username)
        .unwrap();
    assert_eq!(in_table, &saved, "the table shows what the portal holds");
    assert_eq!(cached.len(), members.len());
    // And back down: Viewer type with the Viewer role; the role must go down first.
    let back = MemberEdit {
        role_id: viewer.role_id.clone(),
        user_type: "viewerUT".into(),
        credits: None,
        ..edit
    };
    let saved = console.update_member(back).await.unwrap();
    assert_eq!(
        (saved.role_id.as_str(), saved.user_type.as_str()),
        (viewer.role_id.as_str(), "viewerUT")
    );
}

/// A change the portal refuses is reported with its reason, and a bad email never leaves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_edit_reports_the_portals_reason() {
    let (_dir, console, members) = loaded_demo().await;
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT")
        .unwrap()
        .clone();
    let edit = MemberEdit {
        username: viewer.username.clone(),
        first_name: viewer.first_name.clone(),
        last_name: viewer.last_name.clone(),
        email: viewer.email.clone(),
        description: viewer.description.clone(),
        access: viewer.access,
        role_id: "org_admin".into(),
        user_type: "viewerUT".into(),
        credits: None,
    };
    let err = console.update_member(edit.clone()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Portal(portal_client::Error::Portal { .. }) | Error::Refused(_)
        ),
        "{err:?}"
    );
    let err = console
        .update_member(MemberEdit {
            email: "not-an-email".into(),
            role_id: viewer.role_id.clone(),
            ..edit
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
}
