//! The client never hands the session to another origin. The portal (the embedded one, over
//! TLS) is made to redirect one request with 301, 302, 303, 307 or 308 to a stand-in attacker
//! at another origin that records every request it receives. For every kind of request the
//! client makes (API reads and writes with the `X-Esri-Authorization` header, a `token` in the
//! query or the form, the password of `generateToken`, the refresh token of the two OAuth2
//! grants, `revokeToken`), the call ends with `Error::Redirect` and the attacker receives
//! nothing at all.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use portal_client::{Client, Error, OAuthSignIn, MEMBERDESK_CLIENT_ID};
use portal_emulator::testing::loopback_browser;
use portal_emulator::{server, Config};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::support::{start_wrapped, Live, ADMIN, ADMIN_PASSWORD};

/// Every request the attacker received: method, target, headers, body.
type Record = Arc<Mutex<Vec<String>>>;

/// A server at another origin (HTTPS with the portal's own certificate, so TLS would not stop
/// a leak, or plain HTTP) that records what it receives and answers `{}`.
async fn attacker(tls: Option<Arc<rustls::ServerConfig>>) -> (String, Record) {
    let record: Record = Arc::default();
    let kept = record.clone();
    let app = axum::Router::new().fallback(move |req: Request| {
        let kept = kept.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20)
                .await
                .unwrap_or_default();
            let headers: Vec<String> = parts
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("?")))
                .collect();
            kept.lock().unwrap().push(format!(
                "{} {} [{}] {}",
                parts.method,
                parts.uri,
                headers.join("; "),
                String::from_utf8_lossy(&body)
            ));
            ([("content-type", "application/json")], "{}")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let scheme = if tls.is_some() { "https" } else { "http" };
    tokio::spawn(server::serve(listener, app, tls));
    (format!("{scheme}://127.0.0.1:{port}"), record)
}

/// In front of the portal: once armed, the next request whose path ends with `op` is answered
/// with a redirect to the same path and query at `target`; then it disarms.
#[derive(Default)]
struct Detour {
    armed: Mutex<Option<(&'static str, u16, String)>>,
}

impl Detour {
    fn arm(&self, op: &'static str, status: u16, target: &str) {
        *self.armed.lock().unwrap() = Some((op, status, target.to_string()));
    }

    async fn pass(&self, req: Request, next: axum::middleware::Next) -> Response {
        let hit = {
            let mut armed = self.armed.lock().unwrap();
            match armed.as_ref() {
                Some((op, ..)) if req.uri().path().ends_with(op) => armed.take(),
                _ => None,
            }
        };
        let Some((_, status, target)) = hit else {
            return next.run(req).await;
        };
        let rest = req.uri().path_and_query().map_or("/", |p| p.as_str());
        Response::builder()
            .status(status)
            .header("location", format!("{target}{rest}"))
            .body(Body::empty())
            .unwrap()
    }
}

async fn portal_with_detour() -> (Live, Arc<Detour>) {
    let detour = Arc::new(Detour::default());
    let d = detour.clone();
    let live = start_wrapped(0, Config::default(), move |app| {
        app.layer(axum::middleware::from_fn(move |req: Request, next| {
            let d = d.clone();
            async move { d.pass(req, next).await }
        }))
    })
    .await;
    (live, detour)
}

/// A refresh token of `ADMIN` for the app's client id, from a real OAuth2 sign-in.
async fn refresh_token(live: &Live) -> SecretString {
    let client = live.new_client().build().unwrap();
    let (open, _) = loopback_browser(ADMIN, ADMIN_PASSWORD);
    let options = OAuthSignIn {
        timeout: Duration::from_secs(30),
        ports: vec![0],
        ..OAuthSignIn::default()
    };
    client.sign_in_with_oauth(&options, open).await.unwrap();
    client.refresh_token().unwrap()
}

/// The requests of the table: each names the operation the portal redirects.
#[derive(Debug, Clone, Copy)]
enum Call {
    /// `generateToken`: the password in the form.
    PasswordSignIn,
    /// A GET with the session in `X-Esri-Authorization`.
    Read,
    /// A GET with a `token` in the query, as a caller of the raw `read` may send.
    ReadWithQueryToken,
    /// A POST with the header and a form.
    Write,
    /// A POST with a `token` in the form.
    WriteWithFormToken,
    /// `oauth2/token`, `refresh_token` grant (through the `oauth2` crate).
    OAuthRefresh,
    /// `oauth2/token`, `exchange_refresh_token` (the refresh token near its end).
    OAuthExchange,
    /// `oauth2/revokeToken` on sign-out: the refresh token in the form.
    Revoke,
}

const CALLS: [Call; 8] = [
    Call::PasswordSignIn,
    Call::Read,
    Call::ReadWithQueryToken,
    Call::Write,
    Call::WriteWithFormToken,
    Call::OAuthRefresh,
    Call::OAuthExchange,
    Call::Revoke,
];

const FIELD_TOKEN: &str = "token-field-secret-7d1c";

impl Call {
    /// The end of the path the portal redirects.
    fn op(self) -> &'static str {
        match self {
            Call::PasswordSignIn => "generateToken",
            Call::Read | Call::ReadWithQueryToken => "community/self",
            Call::Write | Call::WriteWithFormToken => "/update",
            Call::OAuthRefresh | Call::OAuthExchange => "oauth2/token",
            Call::Revoke => "oauth2/revokeToken",
        }
    }

    /// Arms the detour at the right moment and makes the call; answers its result.
    async fn run(
        self,
        live: &Live,
        refresh: &SecretString,
        arm: impl FnOnce(),
    ) -> portal_client::Result<()> {
        let signed_in = || async {
            let client = live.new_client().build().unwrap();
            client
                .sign_in_with_password(ADMIN, &SecretString::from(ADMIN_PASSWORD), 60)
                .await
                .unwrap();
            client
        };
        let resume = |client: &Client, near_end: bool| {
            let at = near_end.then(|| SystemTime::now() + Duration::from_secs(3600));
            let (client, refresh) = (client.clone(), refresh.clone());
            async move {
                client
                    .resume_oauth(ADMIN, MEMBERDESK_CLIENT_ID, refresh, at)
                    .await
            }
        };
        let update = format!("community/users/{ADMIN}/update");
        match self {
            Call::PasswordSignIn => {
                let client = live.new_client().build().unwrap();
                arm();
                client
                    .sign_in_with_password(ADMIN, &SecretString::from(ADMIN_PASSWORD), 60)
                    .await
            }
            Call::Read | Call::ReadWithQueryToken => {
                let client = signed_in().await;
                let params = match self {
                    Call::ReadWithQueryToken => vec![("token", FIELD_TOKEN.to_string())],
                    _ => Vec::new(),
                };
                arm();
                client
                    .read::<Value>("community/self", params)
                    .await
                    .map(drop)
            }
            Call::Write | Call::WriteWithFormToken => {
                let client = signed_in().await;
                let mut params = vec![("description", "moved".to_string())];
                if let Call::WriteWithFormToken = self {
                    params.push(("token", FIELD_TOKEN.to_string()));
                }
                arm();
                client.write::<Value>(&update, params).await.map(drop)
            }
            Call::OAuthRefresh | Call::OAuthExchange => {
                let client = live.new_client().build().unwrap();
                arm();
                resume(&client, matches!(self, Call::OAuthExchange)).await
            }
            Call::Revoke => {
                let client = live.new_client().build().unwrap();
                resume(&client, false).await.unwrap();
                arm();
                client.sign_out().await
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_follows_a_redirect_to_another_origin_and_the_other_origin_receives_nothing() {
    let (live, detour) = portal_with_detour().await;
    let refresh = refresh_token(&live).await;
    let secrets = [
        ADMIN_PASSWORD.to_string(),
        refresh.expose_secret().to_string(),
        FIELD_TOKEN.to_string(),
        "x-esri-authorization".to_string(),
    ];
    let (https_attacker, https_record) = attacker(Some(live.tls.clone())).await;
    let (http_attacker, http_record) = attacker(None).await;
    // Another origin over HTTPS, another over plain HTTP on loopback, and plain HTTP off
    // loopback (nothing listens there: the rule refuses it before any connection).
    let targets = [
        (https_attacker.as_str(), Some(&https_record), "another site"),
        (http_attacker.as_str(), Some(&http_record), "another site"),
        ("http://attacker.invalid", None, "HTTPS is required"),
    ];
    let mut rows = 0;
    let mut failures = Vec::new();
    let mut leaks = 0;
    for call in CALLS {
        for status in [301, 302, 303, 307, 308] {
            for (target, record, reason) in targets {
                rows += 1;
                let row = format!("{call:?} {status} -> {target}");
                let result = call
                    .run(&live, &refresh, || detour.arm(call.op(), status, target))
                    .await;
                match &result {
                    Err(Error::Redirect(why)) if why.contains(reason) && why.contains(target) => {}
                    other => failures.push(format!("{row}: {other:?}")),
                }
                let received: Vec<String> = record
                    .map(|r| std::mem::take(&mut *r.lock().unwrap()))
                    .unwrap_or_default();
                if !received.is_empty() {
                    let secret = received.iter().any(|r| {
                        let r = r.to_lowercase();
                        secrets.iter().any(|s| r.contains(&s.to_lowercase()))
                    });
                    leaks += usize::from(secret);
                    failures.push(format!("{row}: the attacker received {received:?}"));
                }
            }
        }
    }
    println!("{rows} redirects tried; {leaks} delivered a secret to the other origin");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_within_the_portals_origin_is_still_followed() {
    let (live, detour) = portal_with_detour().await;
    for status in [301, 302, 307, 308] {
        detour.arm("community/self", status, &live.url);
        let me: Value = live
            .client
            .read("community/self", Vec::new())
            .await
            .unwrap();
        assert_eq!(
            me["username"], ADMIN,
            "after a {status} to the portal itself"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_path_that_leaves_the_portal_is_never_sent() {
    let (live, _) = portal_with_detour().await;
    let (other, record) = attacker(None).await;
    let path = format!("{other}/sharing/rest/community/self");
    let refused = live.client.read::<Value>(&path, Vec::new()).await;
    assert!(
        matches!(refused, Err(Error::InvalidInput(_))),
        "{refused:?}"
    );
    assert!(record.lock().unwrap().is_empty(), "nothing reached {other}");
}
