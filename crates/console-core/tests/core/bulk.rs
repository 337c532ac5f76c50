//! Bulk changes from the console: every selected member reported once, the portal changed,
//! the cache following only what the portal accepted.

use console_core::{BulkKind, BulkOutcome, BulkRequest, Error};
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo, row, DEMO_ADMIN};

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
    assert_eq!(report.items.len(), 8, "one row per member: {report:?}");
    assert_eq!(
        (report.done, report.failed, report.skipped),
        (6, 2, 0),
        "the creators changed, the viewers refused"
    );
    for v in &viewers {
        let item = report.items.iter().find(|i| &i.username == v).unwrap();
        assert_eq!(
            item.outcome,
            BulkOutcome::Failed,
            "{v}: a Viewer type refuses Publisher"
        );
        assert!(
            item.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "the portal's reason is kept: {item:?}"
        );
    }
    let last = heard.last().unwrap();
    assert_eq!(
        (last.done, last.total),
        (8, 8),
        "progress ends at the total"
    );

    let portal = demo_portal(&console).await;
    // The custom role's id, or the base role when there is none (as the table's role_id).
    let role_of = |u: &str| -> String {
        let facts = inspect::user_row(&portal, u).unwrap().expect("a member");
        facts.role_id.unwrap_or(facts.role)
    };
    for c in &creators {
        assert_eq!(role_of(c), "org_publisher", "{c} changed in the portal");
    }
    let cached = console.members().await.unwrap();
    for m in cached.iter().filter(|m| creators.contains(&m.username)) {
        assert_eq!(
            (m.role.id(), m.role_id.as_str(), m.role_name.as_str()),
            ("org_publisher", "org_publisher", "Publisher"),
            "{}: the table shows the role the portal accepted",
            m.username
        );
    }
    for v in &viewers {
        let before = row(&members, v);
        assert_eq!(
            row(&cached, v),
            before,
            "a refused member is unchanged in the table"
        );
        assert_eq!(role_of(v), before.role_id, "and in the portal");
    }
    assert_eq!(
        cached.len(),
        members.len(),
        "a role change adds or drops no row"
    );

    // The cache file holds the change too: a fresh console shows it before any load.
    console.sign_out().await.unwrap();
    console.sign_in_demo().await.unwrap();
    let reopened = console.members().await.unwrap();
    assert_eq!(
        row(&reopened, &creators[0]).role_id,
        "org_publisher",
        "the cache file keeps the accepted change"
    );
}

/// Disable, enable and group membership in bulk; group ids and roles are checked before
/// anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_enable_and_group_membership_in_bulk() {
    let (_dir, console, members) = loaded_demo().await;
    let chosen: Vec<String> = members
        .iter()
        .filter(|m| !m.disabled && m.username != DEMO_ADMIN)
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
    let portal = demo_portal(&console).await;
    let disabled_in_portal = || {
        chosen
            .iter()
            .filter(|u| {
                let facts = inspect::user_row(&portal, u).unwrap();
                facts.expect("a member").disabled
            })
            .count()
    };
    assert_eq!(disabled_in_portal(), 30, "the portal disabled every one");
    let cached = console.members().await.unwrap();
    assert_eq!(
        cached
            .iter()
            .filter(|m| chosen.contains(&m.username) && m.disabled)
            .count(),
        30,
        "the table shows them disabled"
    );
    let report = console
        .bulk(request(BulkKind::Enable, ""), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done, 30, "every one enabled: {report:?}");
    assert_eq!(disabled_in_portal(), 0, "the portal enabled every one");

    let groups = console.groups(false).await.unwrap();
    let group = groups.first().expect("the demo org has groups").clone();
    let report = console
        .bulk(request(BulkKind::AddToGroup, &group.id), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done + report.failed, 30, "{report:?}");
    let in_group = inspect::group_member_names(&portal, &group.id).unwrap();
    assert_eq!(
        chosen.iter().filter(|u| in_group.contains(u)).count(),
        30,
        "every chosen member is in the group"
    );
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
    assert!(
        matches!(err, Error::InvalidInput(_)),
        "a blank username never leaves: {err:?}"
    );
    assert!(!console.cancel_bulk(), "no job runs");
}
