use std::sync::atomic::Ordering;

use portal_client::bulk::{tally, BulkOptions};
use portal_client::{ItemOutcome, Outcome};
use portal_emulator::Config;

use crate::support::{
    buy_seats, every_member_once, group_usernames, license_holders, start, start_with, Flaky, Live,
    ADMIN,
};

async fn members_where(live: &Live, keep: impl Fn(&portal_client::User) -> bool) -> Vec<String> {
    every_member_once(&live.client, 4)
        .await
        .into_iter()
        .filter(|u| u.username.0 != ADMIN && !u.disabled && keep(u))
        .map(|u| u.username.0)
        .collect()
}

/// Every member reported once, and the portal applied each change exactly once.
fn assert_once(outcomes: &[ItemOutcome], names: &[String], flaky: &Flaky) {
    assert_eq!(outcomes.len(), names.len(), "one outcome per member");
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|o| o.outcome != Outcome::Done)
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    let applied = flaky.applied.lock().unwrap();
    for n in names {
        assert_eq!(
            applied.get(&n.to_lowercase()).copied(),
            Some(1),
            "{n} applied exactly once"
        );
    }
    assert!(
        *flaky.lost.lock().unwrap() > 0,
        "the test lost some answers after the portal acted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_role_change_with_lost_answers_applies_each_member_once() {
    let flaky = Flaky::new("updateUserRole", "user");
    let live = start_with(900, Config::default(), Some(flaky.clone())).await;
    let names: Vec<String> = members_where(&live, |u| {
        u.role.as_deref() == Some("org_user")
            && u.role_id.is_none()
            && u.user_license_type_id.as_deref() == Some("creatorUT")
    })
    .await
    .into_iter()
    .take(120)
    .collect();
    assert!(names.len() >= 60, "enough members: {}", names.len());
    let mut last = 0;
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .set_role(&names, "org_publisher", |done, total| {
            assert!(done > last && done <= total);
            last = done;
        })
        .await;
    assert_eq!(last, names.len());
    assert_once(&outcomes, &names, &flaky);
    for o in outcomes.iter().take(10) {
        let u = live.client.users().get(&o.username).await.unwrap().unwrap();
        assert_eq!(u.role.as_deref(), Some("org_publisher"));
    }
    assert_eq!(
        outcomes.iter().map(|o| &o.username).collect::<Vec<_>>(),
        names.iter().collect::<Vec<_>>(),
        "outcomes in the order given"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batched_user_type_change_with_lost_answers_reports_everyone_once() {
    let flaky = Flaky::new("updateUserLicenseType", "users");
    let live = start_with(600, Config::default(), Some(flaky.clone())).await;
    let mut names = members_where(&live, |u| {
        u.role.as_deref() == Some("org_user")
            && u.user_license_type_id.as_deref() == Some("creatorUT")
    })
    .await;
    let holders = license_holders(&live.client).await;
    names.retain(|n| !holders.contains(&n.to_lowercase()));
    names.truncate(250);
    buy_seats(&live, "editorUT", 250);
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .set_user_type(&names, "editorUT", |_, _| {})
        .await;
    assert_once(&outcomes, &names, &flaky);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_carry_the_portals_reason_and_cancel_skips_the_rest() {
    let live = start(200, Config::default()).await;
    let all = members_where(&live, |u| {
        u.role.as_deref() == Some("org_user")
            && u.user_license_type_id.as_deref() == Some("creatorUT")
    })
    .await;
    let (mut names, others) = (all[..5].to_vec(), all[5..10].to_vec());
    names.push("nobody_at_all".into());
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .set_disabled(&names, true, |_, _| {})
        .await;
    let t = tally(&outcomes);
    assert_eq!((t.done, t.failed), (5, 1), "{outcomes:#?}");
    match &outcomes.last().unwrap().outcome {
        Outcome::Failed(why) => assert!(!why.is_empty()),
        other => panic!("{other:?}"),
    }

    let options = BulkOptions {
        concurrency: 1,
        ..BulkOptions::default()
    };
    let cancel = options.cancel.clone();
    let outcomes = live
        .client
        .bulk(options)
        .set_role(&others, "org_publisher", |done, _| {
            if done == 2 {
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .await;
    let t = tally(&outcomes);
    assert_eq!(t.done + t.skipped, 5, "{outcomes:#?}");
    assert!(t.skipped >= 1, "{outcomes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_membership_in_bulk_with_lost_answers_applies_once() {
    let flaky = Flaky::new("addUsers", "users");
    let live = start_with(200, Config::default(), Some(flaky.clone())).await;
    let group = live.client.groups().all().await.unwrap().remove(0);
    let inside = group_usernames(&live.client, &group.id).await;
    let names: Vec<String> = members_where(&live, |u| !inside.contains(&u.username.0))
        .await
        .into_iter()
        .take(100)
        .collect();
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .add_to_group(&group.id, &names, |_, _| {})
        .await;
    assert_once(&outcomes, &names, &flaky);
    let removed = live
        .client
        .bulk(BulkOptions::default())
        .remove_from_group(&group.id, &names, |_, _| {})
        .await;
    assert_eq!(tally(&removed).done, names.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_tokens_and_faults_still_list_every_member_exactly_once() {
    let live = start(
        3_000,
        Config {
            fault_rate: 0.05,
            token_ttl: Some(2),
            ..Config::default()
        },
    )
    .await;
    let mut total = 0;
    for _ in 0..3 {
        total = every_member_once(&live.client, 8).await.len();
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    }
    assert_eq!(total, 3_001);
}

/// An import's new members and invitations with lost answers: each member is created once and
/// each person invited once; after a lost answer the member (or the open invitation) is looked
/// for before anything is sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_created_and_people_invited_with_lost_answers_are_each_sent_once() {
    let flaky = Flaky::new("invite", "invitationList");
    let live = start_with(20, Config::default(), Some(flaky.clone())).await;
    buy_seats(&live, "creatorUT", 100);
    let person = |i: usize, username: bool| portal_client::NewMember {
        username: if username {
            format!("imported_{i:03}")
        } else {
            String::new()
        },
        password: username.then(|| secrecy::SecretString::from(format!("Import-pass-{i}"))),
        first_name: "Imported".into(),
        last_name: format!("Person {i}"),
        email: format!("imported.{i}@example.com"),
        role: "org_user".into(),
        user_type: "creatorUT".into(),
        ..portal_client::NewMember::default()
    };
    let members: Vec<_> = (0..30).map(|i| person(i, true)).collect();
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .create_members(&members, |_, _| {})
        .await;
    let names: Vec<String> = members.iter().map(|m| m.username.clone()).collect();
    assert_once(&outcomes, &names, &flaky);
    for n in &names {
        assert!(
            live.client.users().get(n).await.unwrap().is_some(),
            "{n} exists"
        );
    }

    let flaky_invites = Flaky::new("invite", "invitationList");
    let live = start_with(20, Config::default(), Some(flaky_invites.clone())).await;
    buy_seats(&live, "creatorUT", 100);
    let people: Vec<_> = (0..30).map(|i| person(i, false)).collect();
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .invite_people(&people, |_, _| {})
        .await;
    let emails: Vec<String> = people.iter().map(|m| m.email.clone()).collect();
    assert_once(&outcomes, &emails, &flaky_invites);
}
