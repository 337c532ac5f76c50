use std::sync::{Arc, Mutex};
use std::time::Duration;

use portal_client::{Error, OAuthSignIn};
use portal_emulator::testing::{loopback_browser, BrowserVisit};
use portal_emulator::Config;
use secrecy::{ExposeSecret, SecretString};

use crate::support::{start, Live, ADMIN, ADMIN_PASSWORD};

struct SignedIn {
    client: portal_client::Client,
    /// What the stand-in browser saw once the app's listener answered.
    seen: tokio::sync::oneshot::Receiver<BrowserVisit>,
    saved: Arc<Mutex<Vec<(String, String)>>>,
}

async fn oauth_sign_in(live: &Live, refresh_minutes: u32) -> SignedIn {
    let saved: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let keychain = saved.clone();
    let client = live
        .new_client()
        .on_refresh_token(Arc::new(move |user: &str, token: &SecretString| {
            keychain
                .lock()
                .unwrap()
                .push((user.to_string(), token.expose_secret().to_string()));
        }))
        .build()
        .unwrap();
    let (open, seen) = loopback_browser(ADMIN, ADMIN_PASSWORD);
    let options = OAuthSignIn {
        timeout: Duration::from_secs(30),
        refresh_minutes,
        ports: vec![0],
        ..OAuthSignIn::default()
    };
    client
        .sign_in_with_oauth(&options, move |url| {
            assert!(url.contains("code_challenge_method=S256"), "{url}");
            open(url)
        })
        .await
        .unwrap();
    SignedIn {
        client,
        seen,
        saved,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_sign_in_through_a_stand_in_browser_then_refresh_and_sign_out() {
    // Tokens of 3 s: the session must renew itself; text/plain token answers as some
    // Enterprise versions send.
    let live = start(
        5,
        Config {
            token_ttl: Some(3),
            token_as_text_plain: true,
            ..Config::default()
        },
    )
    .await;
    let s = oauth_sign_in(&live, 20160).await;
    assert_eq!(s.client.username().as_deref(), Some(ADMIN));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let visit = s.seen.await.expect("the stand-in browser finished");
    assert!(visit.page.contains("You can close this tab"));
    let saved = s.saved.lock().unwrap().clone();
    assert_eq!(saved.len(), 1, "the refresh token was handed over once");
    assert_eq!(saved[0].0, ADMIN);
    let refresh = s.client.refresh_token().unwrap();
    assert_eq!(refresh.expose_secret(), saved[0].1);
    assert!(s.client.me().await.unwrap().is_admin());

    let before = s.client.request_count();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(s.client.me().await.unwrap().user.username.0, ADMIN);
    assert!(
        s.client.request_count() >= before + 2,
        "an expired token was renewed before the request"
    );
    assert_eq!(
        s.saved.lock().unwrap().len(),
        1,
        "refresh_token grants keep the refresh token"
    );

    // A saved refresh token resumes a session in a new client (an app restart).
    let restarted = live.new_client().build().unwrap();
    restarted
        .resume_oauth(ADMIN, "memberdesk", refresh.clone(), None)
        .await
        .unwrap();
    assert!(restarted.me().await.unwrap().is_admin());

    // Signing out revokes the refresh token on the portal.
    s.client.sign_out().await.unwrap();
    assert!(matches!(s.client.me().await, Err(Error::AuthRequired(_))));
    let again = live.new_client().build().unwrap();
    let refused = again.resume_oauth(ADMIN, "memberdesk", refresh, None).await;
    assert!(matches!(refused, Err(Error::AuthExpired(_))), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_near_its_end_is_exchanged_for_a_new_one() {
    let live = start(
        0,
        Config {
            token_ttl: Some(2),
            ..Config::default()
        },
    )
    .await;
    // A refresh token of one hour is within a day of its end: renewals exchange it.
    let s = oauth_sign_in(&live, 60).await;
    let first = s
        .client
        .refresh_token()
        .unwrap()
        .expose_secret()
        .to_string();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    s.client.me().await.unwrap();
    let second = s
        .client
        .refresh_token()
        .unwrap()
        .expose_secret()
        .to_string();
    assert_ne!(
        first, second,
        "exchange_refresh_token gave a new refresh token"
    );
    let saved = s.saved.lock().unwrap().clone();
    assert!(saved.len() >= 2, "{}", saved.len());
    assert_eq!(
        saved.last().unwrap().1,
        second,
        "the new one was handed to the keychain"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_must_match_and_a_refused_sign_in_is_reported() {
    let live = start(0, Config::default()).await;
    let client = live.new_client().build().unwrap();
    let options = OAuthSignIn {
        timeout: Duration::from_secs(10),
        ports: vec![0],
        ..OAuthSignIn::default()
    };
    let result = client
        .sign_in_with_oauth(&options, |url| {
            // A forged answer: right path, wrong state.
            let port = url::Url::parse(url)
                .unwrap()
                .query_pairs()
                .find(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| url::Url::parse(&v).unwrap().port().unwrap())
                .unwrap();
            tokio::spawn(async move {
                let _ = reqwest::get(format!(
                    "http://127.0.0.1:{port}/callback?code=stolen&state=forged"
                ))
                .await;
            });
            Ok(())
        })
        .await;
    assert!(matches!(result, Err(Error::AuthRequired(_))), "{result:?}");
    assert!(client.username().is_none());

    let timeout = OAuthSignIn {
        timeout: Duration::from_millis(300),
        ports: vec![0],
        ..OAuthSignIn::default()
    };
    let result = client.sign_in_with_oauth(&timeout, |_| Ok(())).await;
    match result {
        Err(Error::AuthRequired(m)) => assert!(m.contains("timed out"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_498_renews_a_password_session_once_and_retries() {
    let live = start(3, Config::default()).await;
    assert!(live.client.me().await.is_ok());
    // The portal ends every token of the admin (as after a password change elsewhere).
    portal_emulator::auth::revoke_user(&live.state, ADMIN).unwrap();
    let before = live.client.request_count();
    assert_eq!(live.client.me().await.unwrap().user.username.0, ADMIN);
    assert_eq!(
        live.client.request_count(),
        before + 3,
        "the 498, one generateToken, one retry"
    );
}

/// A free loopback port, released for the sign-in to take.
fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_registration_the_portal_refuses_is_named_before_the_browser_opens() {
    use portal_client::Refusal;
    let live = start(0, Config::default()).await;
    let registered = portal_client::redirect_uri(free_port());
    portal_emulator::oauth::register_public_app(&live.state, "org-app", &[&registered]).unwrap();
    let client = live.new_client().build().unwrap();
    let other_port = free_port();
    for (client_id, expected) in [
        (
            "unknown-app",
            Refusal::ClientId {
                client_id: "unknown-app".into(),
            },
        ),
        (
            "org-app",
            Refusal::RedirectUri {
                client_id: "org-app".into(),
                redirect_uri: portal_client::redirect_uri(other_port),
            },
        ),
    ] {
        let options = OAuthSignIn {
            client_id: client_id.into(),
            ports: vec![other_port],
            timeout: Duration::from_secs(10),
            ..OAuthSignIn::default()
        };
        let opened = std::sync::atomic::AtomicBool::new(false);
        let result = client
            .sign_in_with_oauth(&options, |_| {
                opened.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            })
            .await;
        match result {
            Err(Error::AppRegistration(refusal)) => {
                assert_eq!(refusal, expected);
                let advice = refusal.to_string();
                assert!(
                    advice.contains("http://127.0.0.1:45451/callback"),
                    "{advice}"
                );
            }
            other => panic!("{client_id}: {other:?}"),
        }
        assert!(!opened.into_inner(), "{client_id}: the browser was opened");
    }
}

#[tokio::test]
async fn a_registered_redirect_is_matched_exactly_and_a_busy_port_falls_to_the_next() {
    let live = start(0, Config::default()).await;
    let busy = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let busy_port = busy.local_addr().unwrap().port();
    let free = free_port();
    let registered = portal_client::redirect_uri(free);
    portal_emulator::oauth::register_public_app(&live.state, "org-app", &[&registered]).unwrap();
    let client = live.new_client().build().unwrap();
    let (open, seen) = loopback_browser(ADMIN, ADMIN_PASSWORD);
    let options = OAuthSignIn {
        client_id: "org-app".into(),
        ports: vec![busy_port, free],
        timeout: Duration::from_secs(30),
        ..OAuthSignIn::default()
    };
    client.sign_in_with_oauth(&options, open).await.unwrap();
    assert_eq!(client.username().as_deref(), Some(ADMIN));
    let visit = seen.await.unwrap();
    assert!(
        visit.location.starts_with(&format!("{registered}?")),
        "{}",
        visit.location
    );
    drop(busy);
}
