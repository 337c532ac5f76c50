//! Browser sign-in (OAuth2 + PKCE with a stand-in browser), the refresh token kept in the
//! secret store, the session restored at the next start, and sign-out revoking it: each step
//! checked in the portal's database.

use std::sync::Arc;
use std::time::Duration;

use console_core::secrets::MemoryStore;
use console_core::{Console, Error, PortalKind};
use portal_emulator::{router, seed, server, Config, State};

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

/// Stands in for the system browser: the authorize page, the sign-in form, the redirect to
/// the app's loopback listener.
async fn browser(authorize_url: String, portal: String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(&authorize_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = page
        .lines()
        .find(|l| l.contains("var oAuthInfo"))
        .expect("the sign-in page carries oAuthInfo");
    let info: serde_json::Value =
        serde_json::from_str(&line[line.find('{').unwrap()..=line.rfind('}').unwrap()]).unwrap();
    let signed_in = http
        .post(format!("{portal}/sharing/oauth2/signin"))
        .form(&[
            ("oauth_state", info["oauth_state"].as_str().unwrap()),
            ("username", ADMIN),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let location = signed_in.headers()["location"]
        .to_str()
        .unwrap()
        .to_string();
    http.get(&location).send().await.unwrap();
}

async fn sign_in(console: &Console, url: &str) -> console_core::SessionInfo {
    let portal = url.to_string();
    console
        .sign_in_browser(PortalKind::Enterprise, url, "", move |authorize| {
            tokio::spawn(browser(authorize.to_string(), portal));
            Ok(())
        })
        .await
        .unwrap()
}

fn refresh_tokens(state: &State) -> i64 {
    state
        .db
        .get()
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM tokens WHERE kind = 'refresh' AND username = ?1",
            [ADMIN],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_session_is_restored_from_the_keychain_and_sign_out_revokes_it() {
    let (url, state) = portal().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    {
        let console = Console::with_secrets(dir.path(), store.clone());
        let info = sign_in(&console, &url).await;
        assert_eq!(info.username, ADMIN);
        assert_eq!(store.accounts().len(), 1, "the refresh token is kept");
        assert!(
            !store.accounts()[0].contains("Oauth-pass"),
            "accounts name the profile, never a secret"
        );
        assert_eq!(refresh_tokens(&state), 1);
        console.load_members(|_| {}).await.unwrap();
    }
    let profiles = std::fs::read_to_string(dir.path().join("profiles.json")).unwrap();
    assert!(profiles.contains(ADMIN) && profiles.contains("browser"));
    let kept = store.accounts();
    let token_text = {
        use console_core::secrets::SecretStore;
        use secrecy::ExposeSecret;
        store
            .get(&kept[0])
            .unwrap()
            .unwrap()
            .expose_secret()
            .to_string()
    };
    assert!(
        !profiles.contains(&token_text),
        "no token in the profiles file"
    );

    // The next start: signed in again without the browser, members shown from the cache.
    let console = Console::with_secrets(dir.path(), store.clone());
    let restored = console.session_or_restore().await.expect("restored");
    assert_eq!(
        (restored.username.as_str(), restored.kind),
        (ADMIN, PortalKind::Enterprise)
    );
    assert_eq!(restored.cache.members, 41);
    assert_eq!(console.members().await.unwrap().len(), 41);
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
    assert!(saved.restore_problem.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_refresh_token_leaves_the_sign_in_screen_with_the_reason() {
    let (url, state) = portal().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    sign_in(&Console::with_secrets(dir.path(), store.clone()), &url).await;
    // The refresh token is revoked on the portal (as by a sign-out elsewhere).
    let token = {
        use console_core::secrets::SecretStore;
        use secrecy::ExposeSecret;
        let account = store.accounts().remove(0);
        store
            .get(&account)
            .unwrap()
            .unwrap()
            .expose_secret()
            .to_string()
    };
    let answer = reqwest::Client::new()
        .post(format!("{url}/sharing/rest/oauth2/revokeToken"))
        .form(&[
            ("client_id", "memberdesk"),
            ("token", token.as_str()),
            ("f", "json"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(answer.contains("\"success\":true"), "{answer}");
    assert_eq!(refresh_tokens(&state), 0);
    let console = Console::with_secrets(dir.path(), store.clone());
    assert!(console.session_or_restore().await.is_none());
    let problem = console.profiles().restore_problem.expect("a reason");
    assert!(problem.contains(ADMIN), "{problem}");
    assert!(store.accounts().is_empty(), "a dead token is removed");
}

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
    assert!(console.session().await.is_none());
}
