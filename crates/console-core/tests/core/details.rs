//! A member's details: the groups each member is in as the load caches them, and the member
//! panel's groups (owned ones marked) and open group invitations, each as the portal holds
//! them.

use std::collections::{BTreeSet, HashMap};

use portal_emulator::inspect;

use crate::support::{another_admin, demo_portal, loaded_demo, DEMO_ADMIN};

/// Every member's groups in the cache are exactly the portal's memberships.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_caches_every_members_groups_as_the_portal_holds_them() {
    let (_dir, console, members) = loaded_demo().await;
    let mut in_portal: HashMap<String, BTreeSet<String>> = HashMap::new();
    for m in inspect::memberships(&demo_portal(&console).await).unwrap() {
        in_portal.entry(m.username).or_default().insert(m.group_id);
    }
    assert!(
        in_portal.len() > 100,
        "the demo org has many members in groups"
    );
    for m in members.iter() {
        let cached: BTreeSet<String> = m.groups.iter().map(|g| g.to_string()).collect();
        assert_eq!(
            cached.len(),
            m.groups.len(),
            "{}: each group once",
            m.username
        );
        assert_eq!(
            cached,
            in_portal.remove(&m.username).unwrap_or_default(),
            "{}'s groups",
            m.username
        );
    }
    assert!(in_portal.is_empty(), "no membership of a member not listed");
}

/// The panel lists the member's groups by title (owned ones marked) and the group
/// invitations they have not answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panel_shows_a_members_groups_and_open_group_invitations() {
    let (_dir, console, members) = loaded_demo().await;
    let (inviter, admin) = another_admin(&console).await;
    let member = members
        .iter()
        .find(|m| m.groups.len() >= 2 && m.username != DEMO_ADMIN && m.username != inviter)
        .expect("a member of two groups");
    let groups = console.groups(false).await.unwrap();
    let outside = groups
        .iter()
        .find(|g| !member.groups.iter().any(|k| *k == g.id))
        .expect("a group the member is not in");
    // Another administrator invites the member to that group, for two weeks.
    admin
        .groups()
        .invite(
            &outside.id,
            std::slice::from_ref(&member.username),
            "group_member",
            14 * 24 * 60,
        )
        .await
        .unwrap();
    let details = console.member_details(&member.username).await.unwrap();
    let titles: BTreeSet<&str> = details.groups.iter().map(|g| g.title.as_str()).collect();
    let expected: BTreeSet<&str> = groups
        .iter()
        .filter(|g| member.groups.iter().any(|k| *k == g.id))
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(titles, expected, "the panel names the member's groups");
    for g in &details.groups {
        let owner = groups.iter().find(|x| x.id == g.id).unwrap().owner == member.username;
        assert_eq!(g.owner, owner, "{} owner mark", g.title);
    }
    assert_eq!(
        details.invitations.len(),
        1,
        "the one open group invitation: {:?}",
        details.invitations
    );
    let inv = &details.invitations[0];
    assert_eq!(
        (
            inv.group_id.as_str(),
            inv.group_title.as_str(),
            inv.from.as_str()
        ),
        (
            outside.id.as_str(),
            outside.title.as_str(),
            inviter.as_str()
        ),
        "the invitation names its group and who sent it"
    );
}
