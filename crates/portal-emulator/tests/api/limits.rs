//! Bounded resources, in process: the body limit of every route, and the lockout after failed
//! sign-ins (with a clock the test moves, so nothing waits).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::Request;
use http_body_util::BodyExt;
use portal_emulator::body::{BodyLimit, SMALL_BODY, UPLOAD_BODY};
use portal_emulator::lockout::{Clock, Policy, LOCKED_MESSAGE};
use portal_emulator::routing::Area;
use portal_emulator::{router, Config};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::{error_code, urlencode, Portal, ADMIN, ADMIN_PASSWORD};

/// A path that reaches the route of `pattern` in `area`.
fn path_of(area: Area, pattern: &str) -> String {
    let base = match area {
        Area::Api => "/sharing/rest/",
        Area::Sharing => "/sharing/",
        Area::PortalAdmin => "/portaladmin/",
    };
    format!("{base}{}", pattern.replace("{}", "x"))
}

/// A body of 64 KiB chunks that never ends, or one that declares `len` bytes and never sends
/// one.
enum TestBody {
    Endless,
    DeclaredButSilent(u64),
}

impl http_body::Body for TestBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        match *self {
            TestBody::Endless => std::task::Poll::Ready(Some(Ok(http_body::Frame::data(
                Bytes::from_static(&[b'a'; 64 * 1024]),
            )))),
            TestBody::DeclaredButSilent(_) => std::task::Poll::Pending,
        }
    }
    fn size_hint(&self) -> http_body::SizeHint {
        match *self {
            TestBody::Endless => http_body::SizeHint::default(),
            TestBody::DeclaredButSilent(n) => http_body::SizeHint::with_exact(n),
        }
    }
}

fn endless() -> Body {
    Body::new(TestBody::Endless)
}

fn declared_but_silent(len: u64) -> Body {
    Body::new(TestBody::DeclaredButSilent(len))
}

async fn post_body(p: &Portal, path: &str, content_type: &str, body: Body) -> Value {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header("host", "127.0.0.1:1")
        .header("content-type", content_type)
        .body(body)
        .unwrap();
    let response = router(p.state.clone()).oneshot(request).await.unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{path}: not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    })
}

#[tokio::test]
async fn every_route_refuses_a_body_over_its_limit_without_reading_it_whole() {
    let p = Portal::new(0);
    let table = p.state.route_table();
    assert!(table.len() > 40, "the table covers the whole portal");
    for (area, pattern, _, limit) in table {
        let path = path_of(area, pattern);
        for content_type in [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
        ] {
            // Declared too large: refused before a byte is read (the body never sends one).
            let v = post_body(
                &p,
                &path,
                content_type,
                declared_but_silent(limit.bytes() as u64 + 1),
            )
            .await;
            assert_eq!(
                error_code(&v),
                Some(413),
                "{path} ({content_type}), declared: {v}"
            );
            // Never ending: refused once past the limit, never held whole.
            let v = post_body(&p, &path, content_type, endless()).await;
            assert_eq!(
                error_code(&v),
                Some(413),
                "{path} ({content_type}), endless: {v}"
            );
        }
    }
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_given_up_on() {
    let config = Config {
        body_read_timeout: std::time::Duration::from_millis(200),
        ..Config::default()
    };
    let p = Portal::with_config(0, config);
    // Within every limit, but never sent: without a timeout this request would never end.
    let v = post_body(
        &p,
        "/sharing/rest/generateToken",
        "application/x-www-form-urlencoded",
        declared_but_silent(100),
    )
    .await;
    assert_eq!(error_code(&v), Some(408), "{v}");
}

#[tokio::test]
async fn only_operations_that_take_files_in_arcgis_have_the_upload_limit() {
    let p = Portal::new(0);
    let mut uploads: Vec<&str> = p
        .state
        .route_table()
        .into_iter()
        .filter(|(_, _, _, limit)| *limit == BodyLimit::Upload)
        .map(|(_, pattern, _, _)| pattern)
        .collect();
    uploads.sort();
    assert_eq!(
        uploads,
        ["community/createGroup", "community/users/{}/update"]
    );
    println!(
        "body limits: {} KiB, uploads {} KiB",
        SMALL_BODY / 1024,
        UPLOAD_BODY / 1024
    );
}

#[tokio::test]
async fn bodies_within_their_limit_are_read_as_before() {
    let p = Portal::new(0);
    // A form just under the small limit still signs in.
    let filler = "a".repeat(SMALL_BODY - 200);
    let body = format!("username={ADMIN}&password={ADMIN_PASSWORD}&f=json&filler={filler}");
    assert!(body.len() < SMALL_BODY);
    let v = p.post("/sharing/rest/generateToken", &body).await;
    assert!(v["token"].is_string(), "{v}");
    // A thumbnail of several MiB goes to the one place that takes files.
    let token = p.admin_token().await;
    let image = vec![0x89u8; 3 * 1024 * 1024];
    let mut multipart = Vec::new();
    multipart
        .extend_from_slice(b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\njson\r\n");
    multipart.extend_from_slice(
        format!("--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n")
            .as_bytes(),
    );
    multipart.extend_from_slice(
        b"--b\r\nContent-Disposition: form-data; name=\"thumbnail\"; filename=\"me.png\"\r\n\
          Content-Type: image/png\r\n\r\n",
    );
    multipart.extend_from_slice(&image);
    multipart.extend_from_slice(b"\r\n--b--\r\n");
    let path = format!("/sharing/rest/community/users/{ADMIN}/update");
    let v = post_body(
        &p,
        &path,
        "multipart/form-data; boundary=b",
        Body::from(multipart),
    )
    .await;
    assert_eq!(v["success"], true, "{v}");
}

/// A portal whose lockout clock the test moves.
fn portal_with_clock() -> (Portal, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(1_700_000_000_000));
    let clock = {
        let now = now.clone();
        Clock::new(move || now.load(Ordering::SeqCst))
    };
    let config = Config {
        lockout: Policy {
            clock,
            ..Policy::default()
        },
        ..Config::default()
    };
    (Portal::with_config(0, config), now)
}

async fn generate_token(p: &Portal, username: &str, password: &str) -> Value {
    let body = format!(
        "username={username}&password={}&f=json",
        urlencode(password)
    );
    p.post("/sharing/rest/generateToken", &body).await
}

fn detail(v: &Value) -> String {
    v["error"]["details"][0].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_account_whatever_the_password_for_fifteen_minutes() {
    let (p, now) = portal_with_clock();
    for _ in 0..4 {
        let v = generate_token(&p, ADMIN, "wrong-password-1").await;
        assert_eq!(detail(&v), "Invalid username or password.");
    }
    let v = generate_token(&p, ADMIN, "wrong-password-1").await;
    assert_eq!(detail(&v), LOCKED_MESSAGE, "the fifth failure locks");
    let v = generate_token(&p, ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(
        detail(&v),
        LOCKED_MESSAGE,
        "the right password is refused the same way"
    );
    assert_eq!(error_code(&v), Some(400));
    now.fetch_add(15 * 60 * 1000 - 1, Ordering::SeqCst);
    let v = generate_token(&p, &ADMIN.to_uppercase(), ADMIN_PASSWORD).await;
    assert_eq!(detail(&v), LOCKED_MESSAGE, "in any case of the username");
    now.fetch_add(1, Ordering::SeqCst);
    let v = generate_token(&p, ADMIN, ADMIN_PASSWORD).await;
    assert!(v["token"].is_string(), "fifteen minutes later: {v}");
}

#[tokio::test]
async fn a_successful_sign_in_starts_the_count_again() {
    let (p, _) = portal_with_clock();
    for round in 0..3 {
        for _ in 0..4 {
            let v = generate_token(&p, ADMIN, "wrong-password-1").await;
            assert_eq!(detail(&v), "Invalid username or password.", "round {round}");
        }
        let v = generate_token(&p, ADMIN, ADMIN_PASSWORD).await;
        assert!(v["token"].is_string(), "round {round}: {v}");
    }
}

#[tokio::test]
async fn unknown_usernames_lock_the_same_way_so_a_lockout_tells_nothing() {
    let (p, _) = portal_with_clock();
    for _ in 0..4 {
        let v = generate_token(&p, "nobody_here", "wrong-password-1").await;
        assert_eq!(detail(&v), "Invalid username or password.");
    }
    let v = generate_token(&p, "nobody_here", "wrong-password-1").await;
    assert_eq!(detail(&v), LOCKED_MESSAGE);
    let v = generate_token(&p, ADMIN, ADMIN_PASSWORD).await;
    assert!(
        v["token"].is_string(),
        "other accounts are not touched: {v}"
    );
}

#[tokio::test]
async fn the_sign_in_page_and_a_password_change_count_and_show_the_lockout_too() {
    let (p, _) = portal_with_clock();
    let token = p.admin_token().await;
    // Two wrong current passwords on a password change...
    for _ in 0..2 {
        let v = p
            .post_as(
                &token,
                &format!("/sharing/rest/community/users/{ADMIN}/reset"),
                "password=wrong-password-1&newPassword=another-password-2&f=json",
            )
            .await;
        assert_eq!(
            v["error"]["message"], "The current password is not correct.",
            "{v}"
        );
    }
    // ...and three on the sign-in page make five.
    let authorize = "/sharing/rest/oauth2/authorize?client_id=pythonapi&response_type=token\
                     &redirect_uri=https://127.0.0.1:1";
    let mut last = String::new();
    for _ in 0..3 {
        let page = p.send("GET", authorize, &[], "").await;
        let line = page
            .text
            .lines()
            .find(|l| l.contains("var oAuthInfo"))
            .unwrap();
        let info: Value =
            serde_json::from_str(&line[line.find('{').unwrap()..=line.rfind('}').unwrap()])
                .unwrap();
        let body = format!(
            "oauth_state={}&username={ADMIN}&password=wrong-password-1",
            urlencode(info["oauth_state"].as_str().unwrap())
        );
        last = p
            .send("POST", "/sharing/oauth2/signin", &[], &body)
            .await
            .text;
    }
    assert!(
        last.contains(LOCKED_MESSAGE),
        "the page shows the lockout: {last}"
    );
    let v = generate_token(&p, ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(detail(&v), LOCKED_MESSAGE);
}
