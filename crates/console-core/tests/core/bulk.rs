//! Bulk changes from the console: every selected member reported once, the portal changed,
//! the cache following only what the portal accepted.

use console_core::{BulkKind, BulkOutcome, BulkRequest, Error};

use crate::sessions::loaded_demo;

/// A role change for a mixed selection: those whose user type allows the role get it, the
/// Viewers are refused with the portal's reason, and the table follows the portal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_role_change_reports_each_member_and_the_cache_follows_the_portal() {
    let (_dir, console, members) = loaded_demo().await;
    let creators: Vec<String> = members
        .iter()
        .filter(|m| m.user_type == "creatorUT" && m.role_id == "org_user")
        .take(6)
        .map(|m| m.username.clone())
        .collect();
    let viewers: Vec<String> = members
        .iter()
        .filter(|m| m.user_type == "viewerUT")
        .take(2)
        .map(|m| m.username.clone())
        .collect();
    assert_eq!(
        (creators.len(), viewers.len()),
        (6, 2),
        "the demo org has both"
    );
    let mut usernames = [creators.clone(), viewers.clone()].concat();
    // Spelled twice and padded: still one request and one row per member.
    usernames.push(format!(" {} ", creators[0]));
    let mut heard = Vec::new();
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::SetRole,
                target: "org_publisher".into(),
                usernames,
            },
            |p| heard.push(p),
        )
        .await
        .unwrap();
    assert_eq!(report.items.len(), 8, "{report:?}");
    assert_eq!((report.done, report.failed, report.skipped), (6, 2, 0));
    for v in &viewers {
        let item = report.items.iter().find(|i| &i.username == v).unwrap();
        assert_eq!(item.outcome, BulkOutcome::Failed);
        assert!(
            item.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "the portal's reason is kept: {item:?}"
        );
    }
    let last = heard.last().unwrap();
    assert_eq!((last.done, last.total), (8, 8));

    let portal = console.demo_portal_state().await.unwrap();
    let conn = portal.db.get().unwrap();
    let role_of = |u: &str| -> String {
        conn.query_row(
            "SELECT COALESCE(role_id, role) FROM users WHERE username = ?1",
            [u],
            |r| r.get(0),
        )
        .unwrap()
    };
    for c in &creators {
        assert_eq!(role_of(c), "org_publisher", "{c} changed in the portal");
    }
    let cached = console.members().await.unwrap();
    for m in cached.iter().filter(|m| creators.contains(&m.username)) {
        assert_eq!(
            (m.role.id(), m.role_id.as_str(), m.role_name.as_str()),
            ("org_publisher", "org_publisher", "Publisher")
        );
    }
    for v in &viewers {
        let before = members.iter().find(|m| &m.username == v).unwrap();
        let after = cached.iter().find(|m| &m.username == v).unwrap();
        assert_eq!(before, after, "a refused member is unchanged in the table");
        assert_eq!(role_of(v), before.role_id);
    }
    assert_eq!(cached.len(), members.len());

    // The cache file holds the change too: a fresh console shows it before any load.
    console.sign_out().await.unwrap();
    console.sign_in_demo().await.unwrap();
    let reopened = console.members().await.unwrap();
    let first = reopened.iter().find(|m| m.username == creators[0]).unwrap();
    assert_eq!(first.role_id, "org_publisher");
}

/// Disable, enable and group membership in bulk; group ids and roles are checked before
/// anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_enable_and_group_membership_in_bulk() {
    let (_dir, console, members) = loaded_demo().await;
    let chosen: Vec<String> = members
        .iter()
        .filter(|m| !m.disabled && m.username != "demo_admin")
        .take(30)
        .map(|m| m.username.clone())
        .collect();
    let request = |kind, target: &str| BulkRequest {
        kind,
        target: target.into(),
        usernames: chosen.clone(),
    };
    let report = console
        .bulk(request(BulkKind::Disable, ""), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done, 30, "{report:?}");
    let portal = console.demo_portal_state().await.unwrap();
    let disabled_in_portal = |conn: &rusqlite::Connection| -> u32 {
        let list = chosen
            .iter()
            .map(|u| format!("'{u}'"))
            .collect::<Vec<_>>()
            .join(",");
        conn.query_row(
            &format!("SELECT COUNT(*) FROM users WHERE disabled = 1 AND username IN ({list})"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(disabled_in_portal(&portal.db.get().unwrap()), 30);
    let cached = console.members().await.unwrap();
    assert_eq!(
        cached
            .iter()
            .filter(|m| chosen.contains(&m.username) && m.disabled)
            .count(),
        30
    );
    let report = console
        .bulk(request(BulkKind::Enable, ""), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done, 30);
    assert_eq!(disabled_in_portal(&portal.db.get().unwrap()), 0);

    let groups = console.groups(false).await.unwrap();
    let group = groups.first().expect("the demo org has groups").clone();
    let report = console
        .bulk(request(BulkKind::AddToGroup, &group.id), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done + report.failed, 30, "{report:?}");
    let in_group: u32 = portal
        .db
        .get()
        .unwrap()
        .query_row(
            &format!(
                "SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND username IN ({})",
                chosen
                    .iter()
                    .map(|u| format!("'{u}'"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            [&group.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(in_group, 30, "every chosen member is in the group");
    let rows = console.members().await.unwrap();
    assert!(
        chosen.iter().all(|u| rows
            .iter()
            .any(|m| &m.username == u && m.groups.iter().filter(|g| **g == group.id).count() == 1)),
        "the cache has each chosen member in the group once"
    );

    for (kind, target) in [
        (BulkKind::SetRole, "no_such_role"),
        (BulkKind::SetUserType, ""),
        (BulkKind::AddToGroup, "0123456789abcdef"),
    ] {
        let err = console
            .bulk(request(kind, target), |_| {})
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{kind:?}: {err:?}");
    }
    let err = console
        .bulk(
            BulkRequest {
                kind: BulkKind::Disable,
                target: String::new(),
                usernames: vec!["  ".into()],
            },
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(!console.cancel_bulk(), "no job runs");
}

/// The groups view: every group with its member count, a group's members, and a member
/// added and removed from there, each as the portal holds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_show_their_member_counts_and_members() {
    let (_dir, console, members) = loaded_demo().await;
    let rows = console.group_rows(false).await.unwrap();
    assert!(!rows.is_empty());
    let portal = console.demo_portal_state().await.unwrap();
    let in_portal = |id: &str| -> u32 {
        portal
            .db
            .get()
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM group_members WHERE group_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    for g in &rows {
        assert_eq!(g.members, in_portal(&g.id), "{}", g.title);
    }
    let group = rows.iter().max_by_key(|g| g.members).unwrap();
    let listed = console.group_members(&group.id).await.unwrap();
    assert_eq!(listed.len() as u32, group.members);
    assert_eq!(listed[0].member_type, portal_client::MemberType::Owner, "the owner comes first");
    let outsider = members
        .iter()
        .find(|m| !m.disabled && !listed.iter().any(|l| l.username == m.username))
        .unwrap();
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::AddToGroup,
                target: group.id.clone(),
                usernames: vec![outsider.username.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    assert_eq!(in_portal(&group.id), group.members + 1);
    let listed = console.group_members(&group.id).await.unwrap();
    assert!(listed.iter().any(|l| l.username == outsider.username));
}
