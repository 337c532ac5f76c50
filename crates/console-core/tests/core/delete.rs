//! Deleting a member: the summary shown first, the portal's refusal while they own groups and
//! no one receives them, the form's checks, and a deletion with a receiver, after which the
//! portal, the cache and the groups list agree.

use console_core::Error;
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo, row, DEMO_ADMIN};

/// Deleting a group owner: the summary names the owned groups; without someone to receive
/// them the portal refuses (and nothing changes); with a receiver the member is gone from
/// the portal and the cache, and the groups are the receiver's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_member_summarises_what_is_affected_and_reassigns_their_groups() {
    let (_dir, console, members) = loaded_demo().await;
    let portal = demo_portal(&console).await;
    let groups = console.groups(false).await.unwrap();
    let owned = groups
        .iter()
        .find(|g| g.owner != DEMO_ADMIN)
        .expect("a group owned by a member other than the administrator");
    let owner = owned.owner.clone();
    let receiver = members
        .iter()
        .find(|m| !m.disabled && m.username != owner && m.username != DEMO_ADMIN)
        .unwrap()
        .username
        .clone();
    let summary = console.delete_summary(&owner).await.unwrap();
    assert!(
        summary.groups_owned.contains(&owned.title),
        "the summary names the owned group: {summary:?}"
    );
    assert_eq!(summary.items, 0, "the demo portal holds no items");

    let err = console.delete_member(&owner, None).await.unwrap_err();
    assert!(
        matches!(err, Error::Portal(_) | Error::Refused(_)),
        "refused while owning groups: {err:?}"
    );
    assert!(
        inspect::user_row(&portal, &owner).unwrap().is_some(),
        "a refused deletion leaves the member in the portal"
    );
    assert!(
        console
            .members()
            .await
            .unwrap()
            .iter()
            .any(|m| m.username == owner),
        "and in the cache"
    );

    let err = console
        .delete_member(DEMO_ADMIN, Some(receiver.clone()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(_)),
        "the signed-in account cannot delete itself: {err:?}"
    );
    let err = console
        .delete_member(&owner, Some("nobody_by_that_name".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(_)),
        "the receiver must be a member: {err:?}"
    );

    let answered = console
        .delete_member(&owner, Some(receiver.clone()))
        .await
        .unwrap()
        .expect("the receiver's row");
    assert!(
        inspect::user_row(&portal, &owner).unwrap().is_none(),
        "gone from the portal"
    );
    assert_eq!(
        inspect::groups_owned_by(&portal, &owner).unwrap(),
        Vec::<String>::new(),
        "the deleted member owns no group in the portal"
    );
    assert_eq!(
        inspect::group_owner(&portal, &owned.id).unwrap().as_deref(),
        Some(receiver.as_str()),
        "the portal gave the group to the receiver"
    );
    let rows = console.members().await.unwrap();
    assert_eq!(rows.len(), members.len() - 1, "one row fewer");
    assert!(
        !rows.iter().any(|m| m.username == owner),
        "gone from the cache"
    );
    let receiver_row = row(&rows, &receiver);
    assert!(
        receiver_row.groups.iter().any(|k| *k == owned.id),
        "the receiver's row has the group"
    );
    assert_eq!(receiver_row, &answered, "the answer is the cached row");
    let mut cached = answered.groups.clone();
    cached.sort();
    assert_eq!(
        cached,
        inspect::user_group_ids(&portal, &receiver).unwrap(),
        "the receiver's groups are the portal's, each once"
    );
    let listed = console.groups(false).await.unwrap();
    let group_now = listed.iter().find(|g| g.id == owned.id).unwrap();
    assert_eq!(
        group_now.owner, receiver,
        "the groups list names the new owner"
    );
    assert_eq!(
        console.session().await.unwrap().cache.members as usize,
        rows.len(),
        "the session counts the rows the table shows"
    );
}
