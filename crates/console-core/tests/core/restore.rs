//! Browser sign-in (OAuth2 + PKCE with the portal's stand-in browser), the refresh token kept
//! in the secret store, the session restored at the next start, and sign-out revoking it: each
//! step checked against the refresh tokens the portal holds.

use std::sync::Arc;
use std::time::Duration;

use console_core::secrets::{MemoryStore, SecretStore};
use console_core::{Console, Error, PortalKind, SessionInfo};
use portal_emulator::testing::loopback_browser;
use portal_emulator::{inspect, router, seed, server, Config, State};
use secrecy::{ExposeSecret, SecretString};

const ADMIN: &str = "oauth_admin";
const PASSWORD: &str = "Oauth-pass-1";

/// An embedded portal on plain HTTP (loopback) with an admin and 40 members.
async fn portal() -> (String, State) {
    let state = State::open(":memory:", Config::default()).unwrap();
    seed::ensure_admin(&state.db, ADMIN, PASSWORD).unwrap();
    seed::seed_users(&state.db, 40, ADMIN).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(server::serve(listener, router(state.clone()), None));
    (url, state)
}

/// Signs in through the browser: the stand-in browser answers the portal's sign-in page as
/// the administrator and lands on the console's loopback listener.
async fn sign_in(console: &Console, url: &str) -> SessionInfo {
    console
        .sign_in_browser(
            PortalKind::Enterprise,
            url,
            "",
            loopback_browser(ADMIN, PASSWORD).0,
        )
        .await
        .unwrap()
}

/// How many refresh tokens the administrator holds on the portal.
fn refresh_tokens(state: &State) -> i64 {
    inspect::refresh_token_count(state, ADMIN).unwrap()
}

/// The one refresh token the secret store keeps.
fn kept_token(store: &MemoryStore) -> String {
    let accounts = store.accounts();
    assert_eq!(accounts.len(), 1, "one keychain entry: {accounts:?}");
    let token = store.get(&accounts[0]).unwrap().expect("a kept token");
    token.expose_secret().to_string()
}

/// A browser sign-in keeps the refresh token in the secret store (never in the profiles
/// file); the next start restores the session from it with the cached members; sign-out
/// revokes it on the portal and removes it, and keeps the profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_session_is_restored_from_the_keychain_and_sign_out_revokes_it() {
    let (url, state) = portal().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    {
        let console = Console::with_secrets(dir.path(), store.clone());
        let info = sign_in(&console, &url).await;
        assert_eq!(info.username, ADMIN, "signed in as the browser's account");
        assert_eq!(store.accounts().len(), 1, "the refresh token is kept");
        assert!(
            !store.accounts()[0].contains("Oauth-pass"),
            "accounts name the profile, never a secret"
        );
        assert_eq!(
            refresh_tokens(&state),
            1,
            "the portal issued one refresh token"
        );
        console.load_members(|_| {}).await.unwrap();
    }
    let profiles = std::fs::read_to_string(dir.path().join("profiles.json")).unwrap();
    assert!(
        profiles.contains(ADMIN) && profiles.contains("browser"),
        "the profile names the account and how it signed in"
    );
    assert!(
        !profiles.contains(&kept_token(&store)),
        "no token in the profiles file"
    );

    // The next start: signed in again without the browser, members shown from the cache.
    let console = Console::with_secrets(dir.path(), store.clone());
    let restored = console.session_or_restore().await.expect("restored");
    assert_eq!(
        (restored.username.as_str(), restored.kind),
        (ADMIN, PortalKind::Enterprise),
        "the same account on the same kind of portal"
    );
    assert_eq!(restored.cache.members, 41, "the cache answers at once");
    assert_eq!(
        console.members().await.unwrap().len(),
        41,
        "the table shows the cache"
    );
    assert!(
        console.choices().await.is_ok(),
        "the restored session works"
    );

    console.sign_out().await.unwrap();
    assert!(
        store.accounts().is_empty(),
        "sign-out removes the keychain entry"
    );
    assert_eq!(refresh_tokens(&state), 0, "and revokes the refresh token");
    let next = Console::with_secrets(dir.path(), store.clone());
    assert!(
        next.session_or_restore().await.is_none(),
        "the sign-in screen"
    );
    let saved = next.profiles();
    assert_eq!(
        saved.profiles.len(),
        1,
        "the profile stays for a quick sign-in"
    );
    assert!(
        saved.restore_problem.is_none(),
        "a sign-out is not a problem to report"
    );
}

/// A refresh token revoked elsewhere restores nothing: the sign-in screen says why, and the
/// dead token leaves the secret store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_refresh_token_leaves_the_sign_in_screen_with_the_reason() {
    let (url, state) = portal().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    sign_in(&Console::with_secrets(dir.path(), store.clone()), &url).await;
    // The refresh token is revoked on the portal, as by a sign-out elsewhere: another client
    // resumes the session with it and signs out.
    let elsewhere = portal_client::Client::builder(url.as_str())
        .build()
        .unwrap();
    elsewhere
        .resume_oauth(
            ADMIN,
            portal_client::MEMBERDESK_CLIENT_ID,
            SecretString::from(kept_token(&store)),
            None,
        )
        .await
        .unwrap();
    elsewhere.sign_out().await.unwrap();
    assert_eq!(refresh_tokens(&state), 0, "the portal revoked the token");
    let console = Console::with_secrets(dir.path(), store.clone());
    assert!(
        console.session_or_restore().await.is_none(),
        "a revoked token restores nothing"
    );
    let problem = console.profiles().restore_problem.expect("a reason");
    assert!(
        problem.contains(ADMIN),
        "the reason names the account: {problem}"
    );
    assert!(store.accounts().is_empty(), "a dead token is removed");
}

/// A sign-in waiting for the browser ends at once when cancelled, with no session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_sign_in_waiting_for_the_browser_can_be_cancelled() {
    let (url, _state) = portal().await;
    let dir = tempfile::tempdir().unwrap();
    let console = Arc::new(Console::new(dir.path()));
    let waiting = {
        let console = console.clone();
        tokio::spawn(async move {
            console
                .sign_in_browser(PortalKind::Enterprise, &url, "memberdesk", |_| Ok(()))
                .await
        })
    };
    let mut cancelled = false;
    for _ in 0..100 {
        if console.cancel_sign_in() {
            cancelled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(cancelled, "a sign-in was waiting");
    let result = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the wait ends at once")
        .unwrap();
    assert!(matches!(result, Err(Error::Cancelled(_))), "{result:?}");
    assert!(
        console.session().await.is_none(),
        "no session after a cancel"
    );
}
