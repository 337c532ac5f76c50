//! The groups view: every group with its member count, a group's members (the owner first),
//! and a member added and removed from there, each as the portal holds it.

use std::collections::BTreeSet;

use console_core::{BulkKind, BulkRequest};
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo};

/// Every group's member count and a group's members are the portal's; a member added from
/// the view is in the group on the portal and in the list, and removed is neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_show_their_member_counts_and_members() {
    let (_dir, console, members) = loaded_demo().await;
    let rows = console.group_rows(false).await.unwrap();
    assert!(!rows.is_empty(), "the demo org has groups");
    let portal = demo_portal(&console).await;
    let in_portal = |id: &str| -> BTreeSet<String> {
        inspect::group_member_names(&portal, id)
            .unwrap()
            .into_iter()
            .collect()
    };
    for g in &rows {
        assert_eq!(
            g.members as usize,
            in_portal(&g.id).len(),
            "{}: the count is the portal's",
            g.title
        );
    }
    let group = rows.iter().max_by_key(|g| g.members).unwrap();
    let listed = console.group_members(&group.id).await.unwrap();
    assert_eq!(
        listed.len() as u32,
        group.members,
        "the list has as many members as the count says"
    );
    assert_eq!(
        listed
            .iter()
            .map(|l| l.username.clone())
            .collect::<BTreeSet<_>>(),
        in_portal(&group.id),
        "the list names the portal's members"
    );
    assert_eq!(
        listed[0].member_type,
        portal_client::MemberType::Owner,
        "the owner comes first"
    );
    let outsider = members
        .iter()
        .find(|m| !m.disabled && !listed.iter().any(|l| l.username == m.username))
        .expect("an enabled member outside the group");
    let change = |kind| BulkRequest {
        kind,
        target: group.id.clone(),
        usernames: vec![outsider.username.clone()],
    };
    let report = console
        .bulk(change(BulkKind::AddToGroup), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done, 1, "added: {report:?}");
    let now = in_portal(&group.id);
    assert_eq!(
        (now.len(), now.contains(&outsider.username)),
        (group.members as usize + 1, true),
        "the portal has one member more: the one added"
    );
    let listed = console.group_members(&group.id).await.unwrap();
    assert!(
        listed.iter().any(|l| l.username == outsider.username),
        "the group's list shows the new member"
    );

    let report = console
        .bulk(change(BulkKind::RemoveFromGroup), |_| {})
        .await
        .unwrap();
    assert_eq!(report.done, 1, "removed: {report:?}");
    let now = in_portal(&group.id);
    assert_eq!(
        (now.len(), now.contains(&outsider.username)),
        (group.members as usize, false),
        "the portal has one member fewer: the one removed"
    );
    let listed = console.group_members(&group.id).await.unwrap();
    assert!(
        !listed.iter().any(|l| l.username == outsider.username),
        "the group's list no longer shows them"
    );
}
