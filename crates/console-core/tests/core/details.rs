//! Groups in the member cache, the member panel's groups and invitations, and deleting a
//! member (with the summary shown first and content reassigned), each checked in the portal's
//! database.

use std::collections::{BTreeSet, HashMap};

use console_core::Error;

use crate::sessions::{loaded_demo, portal_count};

/// Every member's groups in the cache are exactly the portal's memberships.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_caches_every_members_groups_as_the_portal_holds_them() {
    let (_dir, console, members) = loaded_demo().await;
    let portal = console.demo_portal_state().await.unwrap();
    let mut in_portal: HashMap<String, BTreeSet<String>> = HashMap::new();
    {
        let conn = portal.db.get().unwrap();
        let mut stmt = conn
            .prepare("SELECT username, group_id FROM group_members")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap();
        for row in rows {
            let (user, group) = row.unwrap();
            in_portal.entry(user).or_default().insert(group);
        }
    }
    assert!(
        in_portal.len() > 100,
        "the demo org has many members in groups"
    );
    for m in members.iter() {
        let cached: BTreeSet<String> = m.groups.iter().cloned().collect();
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
    let portal = console.demo_portal_state().await.unwrap();
    let member = members
        .iter()
        .find(|m| m.groups.len() >= 2 && m.username != "demo_admin")
        .expect("a member of two groups");
    let groups = console.groups(false).await.unwrap();
    let outside = groups
        .iter()
        .find(|g| !member.groups.contains(&g.id))
        .expect("a group the member is not in");
    portal
        .db
        .get()
        .unwrap()
        .execute(
            "INSERT INTO invitations (id, kind, username, role, from_username, target_id, created, expiration)
             VALUES ('ginv-test', 'group', ?1, 'group_member', 'demo_admin', ?2, ?3, ?4)",
            rusqlite::params![
                member.username,
                outside.id,
                now_ms(),
                now_ms() + 14 * 24 * 3600 * 1000
            ],
        )
        .unwrap();
    let details = console.member_details(&member.username).await.unwrap();
    let titles: BTreeSet<&str> = details.groups.iter().map(|g| g.title.as_str()).collect();
    let expected: BTreeSet<&str> = groups
        .iter()
        .filter(|g| member.groups.contains(&g.id))
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(titles, expected);
    for g in &details.groups {
        let owner = groups.iter().find(|x| x.id == g.id).unwrap().owner == member.username;
        assert_eq!(g.owner, owner, "{} owner mark", g.title);
    }
    assert_eq!(details.invitations.len(), 1, "{:?}", details.invitations);
    let inv = &details.invitations[0];
    assert_eq!(
        (
            inv.group_id.as_str(),
            inv.group_title.as_str(),
            inv.from.as_str()
        ),
        (outside.id.as_str(), outside.title.as_str(), "demo_admin")
    );
}

/// Deleting a group owner: the summary names the owned groups; without someone to receive
/// them the portal refuses (and nothing changes); with a receiver the member is gone from
/// the portal and the cache, and the groups are the receiver's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_member_summarises_what_is_affected_and_reassigns_their_groups() {
    let (_dir, console, members) = loaded_demo().await;
    let portal = console.demo_portal_state().await.unwrap();
    let groups = console.groups(false).await.unwrap();
    let owned = groups
        .iter()
        .find(|g| g.owner != "demo_admin")
        .expect("a group owned by a member other than the administrator");
    let owner = owned.owner.clone();
    let receiver = members
        .iter()
        .find(|m| !m.disabled && m.username != owner && m.username != "demo_admin")
        .unwrap()
        .username
        .clone();
    let summary = console.delete_summary(&owner).await.unwrap();
    assert!(summary.groups_owned.contains(&owned.title), "{summary:?}");
    assert_eq!(summary.items, 0, "the demo portal holds no items");

    let err = console.delete_member(&owner, None).await.unwrap_err();
    assert!(
        matches!(err, Error::Portal(_) | Error::Refused(_)),
        "refused while owning groups: {err:?}"
    );
    let is_member = "SELECT COUNT(*) FROM users WHERE username = ?1";
    assert_eq!(portal_count(&portal, is_member, &owner), 1);
    assert!(console
        .members()
        .await
        .unwrap()
        .iter()
        .any(|m| m.username == owner));

    let err = console
        .delete_member("demo_admin", Some(receiver.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = console
        .delete_member(&owner, Some("nobody_by_that_name".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");

    let answered = console
        .delete_member(&owner, Some(receiver.clone()))
        .await
        .unwrap()
        .expect("the receiver's row");
    assert_eq!(
        portal_count(&portal, is_member, &owner),
        0,
        "gone from the portal"
    );
    assert_eq!(
        portal_count(
            &portal,
            "SELECT COUNT(*) FROM groups WHERE owner = ?1",
            &owner
        ),
        0
    );
    let owner_now: String = portal
        .db
        .get()
        .unwrap()
        .query_row("SELECT owner FROM groups WHERE id = ?1", [&owned.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(owner_now, receiver);
    let rows = console.members().await.unwrap();
    assert_eq!(rows.len(), members.len() - 1);
    assert!(
        !rows.iter().any(|m| m.username == owner),
        "gone from the cache"
    );
    let receiver_row = rows.iter().find(|m| m.username == receiver).unwrap();
    assert!(
        receiver_row.groups.contains(&owned.id),
        "the receiver's row has the group"
    );
    assert_eq!(receiver_row, &answered, "the answer is the cached row");
    let in_portal: BTreeSet<String> = {
        let conn = portal.db.get().unwrap();
        let mut stmt = conn
            .prepare("SELECT group_id FROM group_members WHERE username = ?1")
            .unwrap();
        stmt.query_map([&receiver], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let cached: BTreeSet<String> = answered.groups.iter().cloned().collect();
    assert_eq!(cached, in_portal, "the receiver's groups are the portal's");
    let listed = console.groups(false).await.unwrap();
    let group_now = listed.iter().find(|g| g.id == owned.id).unwrap();
    assert_eq!(
        group_now.owner, receiver,
        "the groups list names the new owner"
    );
    assert_eq!(
        console.session().await.unwrap().cache.members as usize,
        rows.len()
    );
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
