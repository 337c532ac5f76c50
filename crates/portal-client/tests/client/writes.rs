use portal_client::{Error, NewMember, UserUpdate};
use portal_emulator::{Config, Profile};
use secrecy::SecretString;

use crate::support::{group_usernames, start, ADMIN};

fn member(username: &str, password: Option<&str>) -> NewMember {
    NewMember {
        username: username.into(),
        password: password.map(|p| SecretString::from(p.to_string())),
        first_name: "Carol".into(),
        last_name: "Client".into(),
        email: format!("{username}@example.com"),
        role: "org_user".into(),
        user_type: "creatorUT".into(),
        ..NewMember::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_role_type_credits_disable_enable_and_delete_with_reassignment() {
    let live = start(30, Config::default()).await;
    let users = live.client.users();
    let org = live.client.users().org_page(1, 100).await.unwrap().items;
    let target = org
        .iter()
        .find(|u| {
            u.username.0 != ADMIN
                && !u.disabled
                && u.user_license_type_id.as_deref() == Some("creatorUT")
        })
        .unwrap()
        .username
        .0
        .clone();

    users
        .update(
            &target,
            &UserUpdate {
                description: Some("<b>inert</b> text".into()),
                first_name: Some("Renamed".into()),
                ..UserUpdate::default()
            },
        )
        .await
        .unwrap();
    let u = users.get(&target).await.unwrap().unwrap();
    assert_eq!(u.description.as_deref(), Some("<b>inert</b> text"));
    assert_eq!(u.first_name, "Renamed");

    users.set_role(&target, "org_publisher").await.unwrap();
    assert_eq!(
        users.get(&target).await.unwrap().unwrap().role.as_deref(),
        Some("org_publisher")
    );
    let refused = users.set_role(&target, "no_such_role").await;
    assert!(matches!(refused, Err(Error::Portal { .. })), "{refused:?}");

    let types = live.client.user_types().await.unwrap();
    assert!(types.iter().any(|t| t.id == "viewerUT"));
    let roles = live.client.roles().await.unwrap();
    assert!(roles.iter().any(|r| r.id == "iAAAAAAAAAAAAAAA"));
    users.set_role(&target, "iAAAAAAAAAAAAAAA").await.unwrap();
    let outcome = users
        .set_user_type(&[target.clone(), "nobody_such".into()], "viewerUT")
        .await
        .unwrap();
    assert_eq!(outcome.len(), 2);
    assert!(outcome.iter().any(|(n, r)| n == &target && r.is_ok()));
    assert!(outcome
        .iter()
        .any(|(n, r)| n == "nobody_such" && r.is_err()));
    assert_eq!(
        users
            .get(&target)
            .await
            .unwrap()
            .unwrap()
            .user_license_type_id
            .as_deref(),
        Some("viewerUT")
    );

    let not_assigned = users
        .assign_credits(&[(target.clone(), 250.0)])
        .await
        .unwrap();
    assert!(not_assigned.is_empty());
    assert_eq!(
        users.get(&target).await.unwrap().unwrap().assigned_credits,
        Some(250.0)
    );

    users.disable(&target).await.unwrap();
    assert!(users.get(&target).await.unwrap().unwrap().disabled);
    users.enable(&target).await.unwrap();
    assert!(!users.get(&target).await.unwrap().unwrap().disabled);

    users.delete(&target, Some(ADMIN)).await.unwrap();
    assert!(users.get(&target).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arcgis_online_creates_at_once_with_or_without_a_password_and_invites_to_join() {
    let live = start(10, Config::default()).await;
    let users = live.client.users();
    let group = live.client.groups().all().await.unwrap().remove(0);
    let mut now = member("carol_now", Some("Carol-pass-1"));
    now.groups = vec![group.id.clone()];
    users.create(&now).await.unwrap();
    let created = users.get("carol_now").await.unwrap().unwrap();
    assert_eq!(created.user_license_type_id.as_deref(), Some("creatorUT"));
    let members = live.client.groups().members(&group.id).await.unwrap();
    assert!(members.iter().any(|m| m.username.0 == "carol_now"));

    let twice = users.create(&now).await;
    assert!(matches!(twice, Err(Error::Portal { .. })), "{twice:?}");

    // Without a password the member exists at once too (emailed a link to set one).
    users.create(&member("carol_later", None)).await.unwrap();
    let later = users.get("carol_later").await.unwrap();
    assert!(
        later.is_some_and(|u| u.last_login.unwrap_or(-1) <= 0),
        "a member, never signed in"
    );

    // An invitation to join names no username: pending until accepted.
    let invitations = live.client.invitations();
    invitations
        .invite_to_join(&member("dora_invited", None))
        .await
        .unwrap();
    assert!(
        users.get("dora_invited").await.unwrap().is_none(),
        "not a member"
    );
    let pending = invitations.list().await.unwrap();
    let mine = pending
        .iter()
        .find(|i| i.email.as_deref() == Some("dora_invited@example.com"))
        .expect("listed");
    assert!(mine.username.is_none(), "the invitee chooses a username");
    assert!(mine.expiration > mine.created);
    let one = invitations.get(&mine.id).await.unwrap();
    assert_eq!(one.email.as_deref(), Some("dora_invited@example.com"));
    invitations.delete(&mine.id).await.unwrap();
    assert!(!invitations
        .list()
        .await
        .unwrap()
        .iter()
        .any(|i| i.id == mine.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_creates_through_portaladmin_and_joins_groups() {
    let live = start(
        10,
        Config {
            profile: Profile::Enterprise,
            ..Config::default()
        },
    )
    .await;
    assert!(!live.client.portal_self().await.unwrap().is_arcgis_online());
    let group = live.client.groups().all().await.unwrap().remove(0);
    let mut m = member("ent_member", Some("Ent-pass-12"));
    m.groups = vec![group.id.clone()];
    live.client.users().create(&m).await.unwrap();
    let u = live
        .client
        .users()
        .get("ent_member")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.role.as_deref(), Some("org_user"));
    let members = live.client.groups().members(&group.id).await.unwrap();
    assert!(members.iter().any(|x| x.username.0 == "ent_member"));
    let no_password = live
        .client
        .users()
        .create(&member("ent_nopass", None))
        .await;
    assert!(matches!(no_password, Err(Error::InvalidInput(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_members_are_added_removed_invited_promoted_and_demoted() {
    let live = start(80, Config::default()).await;
    let groups = live.client.groups();
    let group = groups.all().await.unwrap().remove(0);
    assert!(groups.get(&group.id).await.unwrap().is_some());
    assert!(groups
        .get("0123456789abcdef0123456789abcdef")
        .await
        .unwrap()
        .is_none());
    let inside = group_usernames(&live.client, &group.id).await;
    let outsiders: Vec<String> = live
        .client
        .users()
        .org_page(1, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|u| !u.disabled && !inside.contains(&u.username.0))
        .map(|u| u.username.0)
        .take(30)
        .collect();
    assert_eq!(outsiders.len(), 30, "more than one batch of 25");
    let refused = groups.add(&group.id, &outsiders).await.unwrap();
    assert!(refused.is_empty(), "{refused:?}");
    let now = group_usernames(&live.client, &group.id).await;
    assert!(outsiders.iter().all(|o| now.contains(o)));

    groups.promote(&group.id, &outsiders[..2]).await.unwrap();
    let admins: Vec<String> = groups
        .members(&group.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.member_type == "admin")
        .map(|m| m.username.0)
        .collect();
    assert!(admins.contains(&outsiders[0]) && admins.contains(&outsiders[1]));
    groups.demote(&group.id, &outsiders[..1]).await.unwrap();

    let refused = groups.remove(&group.id, &outsiders).await.unwrap();
    assert!(refused.is_empty(), "{refused:?}");
    assert_eq!(groups.members(&group.id).await.unwrap().len(), inside.len());

    groups
        .invite(&group.id, &outsiders[..3], "group_member", 1440)
        .await
        .unwrap();
}

/// A group of more than two `userList` pages is read whole, each member once (pages read
/// side by side), and the one-request listing of names agrees with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_groups_members_are_all_read_once_by_either_listing() {
    let live = start(260, Config::default()).await;
    let groups = live.client.groups();
    let group = groups.all().await.unwrap().remove(0);
    let everyone: Vec<String> = live
        .client
        .users()
        .all_members()
        .send(|_, _| {})
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username.0)
        .collect();
    let refused = groups.add(&group.id, &everyone).await.unwrap();
    assert!(refused.is_empty(), "{refused:?}");
    let members = groups.members(&group.id).await.unwrap();
    let listed: std::collections::BTreeSet<String> =
        members.iter().map(|m| m.username.0.clone()).collect();
    assert_eq!(listed.len(), members.len(), "each member once");
    let all: std::collections::BTreeSet<String> = everyone.iter().cloned().collect();
    assert_eq!(listed, all, "every member of the org is in the group");
    let names = groups.member_names(&group.id).await.unwrap();
    let named: std::collections::BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(named.len(), names.len(), "each name once");
    assert_eq!(named, listed);
}
