use std::collections::HashSet;

use portal_client::{Client, Error, RetryPolicy};
use portal_emulator::Config;
use secrecy::SecretString;

use crate::support::{start, ADMIN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_org_is_listed_past_ten_thousand_each_member_once() {
    let live = start(10_120, Config::default()).await;
    let mut calls = 0;
    let members = live
        .client
        .users()
        .all_members(8, |done, total| {
            calls += 1;
            assert!(done <= total);
        })
        .await
        .unwrap();
    assert_eq!(members.len(), 10_121);
    let unique: HashSet<_> = members
        .iter()
        .map(|u| u.username.0.to_lowercase())
        .collect();
    assert_eq!(unique.len(), members.len());
    assert!(calls >= 102, "progress after every page");
    let sorted = members
        .windows(2)
        .all(|w| w[0].username.0.to_lowercase() <= w[1].username.0.to_lowercase());
    assert!(sorted, "username order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_are_retried_and_nobody_is_lost_or_doubled() {
    // One request in twenty fails with a 500 or a 429 + Retry-After.
    let flaky = start(
        2_000,
        Config {
            fault_rate: 0.05,
            ..Config::default()
        },
    )
    .await;
    let members = flaky
        .client
        .users()
        .all_members(8, |_, _| {})
        .await
        .unwrap();
    assert_eq!(members.len(), 2_001);
    let unique: HashSet<_> = members.iter().map(|u| u.username.0.clone()).collect();
    assert_eq!(unique.len(), 2_001);
    assert!(
        flaky.client.request_count() > 21,
        "the failed pages were asked again"
    );
}

#[tokio::test]
async fn get_search_and_a_missing_user() {
    let live = start(50, Config::default()).await;
    let jsmith = live
        .client
        .users()
        .get("jsmith")
        .await
        .unwrap()
        .expect("jsmith exists");
    assert_eq!(jsmith.full_name, "John Smith");
    assert!(live
        .client
        .users()
        .get("nobody_at_all")
        .await
        .unwrap()
        .is_none());
    let page = live
        .client
        .users()
        .search("username:j*")
        .num(5)
        .send()
        .await
        .unwrap();
    assert!(page.items.iter().all(|u| u.username.0.starts_with('j')));
    assert_eq!(live.client.username().as_deref(), Some(ADMIN));
}

#[tokio::test]
async fn a_wrong_password_and_a_missing_session_are_typed_errors() {
    let live = start(0, Config::default()).await;
    let other = Client::builder(&live.url).build().unwrap();
    // Without the demo CA the TLS handshake fails: a network error, never a silent success.
    let e = other
        .sign_in_with_password(ADMIN, &SecretString::from("x"), 60)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Network(_)), "{e:?}");
    let e = live
        .client
        .sign_in_with_password(ADMIN, &SecretString::from("wrong"), 60)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Portal { code: 400, .. }), "{e:?}");
    let fresh = Client::builder(&live.url)
        .retry(RetryPolicy {
            attempts: 1,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let e = fresh.users().get("jsmith").await.unwrap_err();
    assert!(matches!(e, Error::AuthRequired(_)), "{e:?}");
}
