use std::collections::HashSet;

use portal_client::{Client, Error, RetryPolicy};
use portal_emulator::Config;
use secrecy::SecretString;

use crate::support::{every_member_once, start, ADMIN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_org_is_listed_past_ten_thousand_each_member_once() {
    let live = start(10_120, Config::default()).await;
    let mut calls = 0;
    let members = live
        .client
        .users()
        .all_members()
        .concurrency(8)
        .send(|done, total| {
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
    // 102 pages: the first round (page 1 and the speculative ones) reports once, then every
    // later page does.
    let first_round = 1 + portal_client::users::SPECULATIVE_PAGES;
    assert_eq!(calls, 1 + (102 - first_round), "progress after every page");
    let sorted = members
        .windows(2)
        .all(|w| w[0].username.0.to_lowercase() <= w[1].username.0.to_lowercase());
    assert!(sorted, "username order");
}

/// `send_map` turns each member into the caller's row as their page arrives: the same members,
/// in the same order, as `send` lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_member_is_mapped_as_their_page_arrives_in_username_order() {
    let live = start(1_049, Config::default()).await;
    let listed = live.client.users().all_members().send(|_, _| {}).await;
    let mapped = live
        .client
        .users()
        .all_members()
        .concurrency(4)
        .send_map(|_, _| {}, |u| (u.username.0, u.email))
        .await
        .unwrap();
    let listed: Vec<_> = listed
        .unwrap()
        .into_iter()
        .map(|u| (u.username.0, u.email))
        .collect();
    assert_eq!(mapped.len(), 1_050);
    assert_eq!(mapped, listed);
}

/// The first round asks for the pages the org probably has; wrong guesses cost only empty
/// answers, never a missing or doubled member.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_round_guesses_the_pages_and_a_wrong_guess_loses_nobody() {
    let live = start(1_049, Config::default()).await; // 1,050 members: 11 pages
    let list = |expected: Option<u64>| {
        let live = &live;
        async move {
            let client = &live.client;
            let before = client.request_count();
            let mut all = client.users().all_members().concurrency(4);
            if let Some(n) = expected {
                all = all.expected_total(n);
            }
            let members = all.send(|_, _| {}).await.unwrap();
            let names: HashSet<_> = members.iter().map(|u| u.username.0.clone()).collect();
            assert_eq!(names.len(), members.len(), "nobody twice");
            (members.len(), client.request_count() - before)
        }
    };
    // Unknown size: page 1 and 3 speculative pages, then the other 7.
    assert_eq!(list(None).await, (1_050, 11));
    // The right size: at most `concurrency` pages in the first round, still 11 requests.
    assert_eq!(list(Some(1_050)).await, (1_050, 11));
    // The org shrank since last time: 4 pages asked at once, 2 come back empty.
    assert_eq!(list(Some(100_000)).await, (1_050, 11));
    // It grew: the rest is fetched after the first page tells the truth.
    assert_eq!(list(Some(10)).await, (1_050, 11));
    let tiny = start(9, Config::default()).await;
    let members = tiny
        .client
        .users()
        .all_members()
        .send(|_, _| {})
        .await
        .unwrap();
    assert_eq!(
        members.len(),
        10,
        "a small org costs at most the speculative empty pages"
    );
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
    let members = every_member_once(&flaky.client, 8).await;
    assert_eq!(members.len(), 2_001);
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
