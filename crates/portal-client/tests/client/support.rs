use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use portal_client::{Client, User};
use portal_emulator::{router, seed, server, Config, State};
use secrecy::SecretString;

pub const ADMIN: &str = "client_admin";
pub const ADMIN_PASSWORD: &str = "Client-pass-1";

/// A running embedded portal (HTTPS) and a client trusting exactly its certificate.
pub struct Live {
    pub url: String,
    pub client: Client,
    pub state: State,
    pub cert_pem: String,
    /// The portal's TLS settings, to serve another origin the client trusts as much.
    pub tls: Arc<rustls::ServerConfig>,
}

impl Live {
    /// Another client of the same portal, not signed in.
    pub fn new_client(&self) -> portal_client::ClientBuilder {
        Client::builder(&self.url).extra_ca_pem(self.cert_pem.clone().into_bytes())
    }
}

pub async fn start(members: usize, config: Config) -> Live {
    start_with(members, config, None).await
}

/// Starts a portal; with `flaky`, writes pass through it (see [`Flaky`]).
pub async fn start_with(members: usize, config: Config, flaky: Option<Arc<Flaky>>) -> Live {
    start_wrapped(members, config, move |app| match flaky {
        Some(f) => app.layer(axum::middleware::from_fn(move |req: Request, next| {
            let f = f.clone();
            async move { f.pass(req, next).await }
        })),
        None => app,
    })
    .await
}

/// Starts a portal whose router is first handed to `wrap` (to put a layer in front of it).
pub async fn start_wrapped(
    members: usize,
    config: Config,
    wrap: impl FnOnce(axum::Router) -> axum::Router,
) -> Live {
    let config = Config {
        tls: true,
        ..config
    };
    let state = State::open(":memory:", config).unwrap();
    seed::ensure_admin(&state.db, ADMIN, ADMIN_PASSWORD).unwrap();
    if members > 0 {
        seed::seed_users(&state.db, members, ADMIN).unwrap();
    }
    let cert = server::self_signed().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let app = wrap(router(state.clone()));
    tokio::spawn(server::serve(listener, app, Some(cert.config.clone())));
    let client = Client::builder(&url)
        .extra_ca_pem(cert.cert_pem.clone().into_bytes())
        .build()
        .unwrap();
    client
        .sign_in_with_password(ADMIN, &SecretString::from(ADMIN_PASSWORD), 60)
        .await
        .unwrap();
    Live {
        url,
        client,
        state,
        cert_pem: cert.cert_pem,
        tls: cert.config,
    }
}

/// Every member of the org, listed `concurrency` pages at a time; asserts that nobody is
/// listed twice (usernames compared as ArcGIS does, ignoring case).
pub async fn every_member_once(client: &Client, concurrency: usize) -> Vec<User> {
    let members = client
        .users()
        .all_members()
        .concurrency(concurrency)
        .send(|_, _| {})
        .await
        .unwrap();
    let unique: HashSet<_> = members
        .iter()
        .map(|u| u.username.0.to_lowercase())
        .collect();
    assert_eq!(unique.len(), members.len(), "nobody listed twice");
    members
}

/// The usernames in a group, its owner included, as `groups().members` reads them.
pub async fn group_usernames(client: &Client, group: &str) -> HashSet<String> {
    client
        .groups()
        .members(group)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.username.0)
        .collect()
}

/// Between the network and the portal, for writes to operations ending in `op`: fails some
/// before the portal sees them (500), loses the answer of others after the portal applied them
/// (502), and counts, per member named in `key`, how often the portal applied the change.
pub struct Flaky {
    pub op: &'static str,
    pub key: &'static str,
    pub seen: Mutex<usize>,
    /// Bodies already failed once: a resent request goes through, so the test is certain.
    pub failed_once: Mutex<HashSet<Vec<u8>>>,
    pub applied: Mutex<HashMap<String, usize>>,
    pub lost: Mutex<usize>,
}

impl Flaky {
    pub fn new(op: &'static str, key: &'static str) -> Arc<Self> {
        Arc::new(Flaky {
            op,
            key,
            seen: Mutex::new(0),
            failed_once: Mutex::new(HashSet::new()),
            applied: Mutex::new(HashMap::new()),
            lost: Mutex::new(0),
        })
    }

    async fn pass(&self, req: Request, next: axum::middleware::Next) -> Response {
        let targeted = req.method() == "POST"
            && req
                .uri()
                .path()
                .to_ascii_lowercase()
                .ends_with(&self.op.to_ascii_lowercase());
        if !targeted {
            return next.run(req).await;
        }
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let names: Vec<String> = url::form_urlencoded::parse(&bytes)
            .filter(|(k, _)| k == self.key)
            .flat_map(|(_, v)| {
                // A JSON object naming its `users` (`provisionUserEntitlements`), or a comma list.
                match serde_json::from_str::<serde_json::Value>(&v) {
                    // An `invitationList`: each entry's username, or email for an invitation
                    // to join.
                    Ok(serde_json::Value::Object(o)) if o.contains_key("invitations") => o
                        ["invitations"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|i| {
                            i["username"]
                                .as_str()
                                .filter(|u| !u.is_empty())
                                .or_else(|| i["email"].as_str())
                                .map(str::to_lowercase)
                        })
                        .collect::<Vec<_>>(),
                    Ok(serde_json::Value::Object(o)) => o["users"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|u| u.as_str().map(str::to_lowercase))
                        .collect::<Vec<_>>(),
                    _ => v
                        .split(',')
                        .map(|s| s.trim().to_lowercase())
                        .collect::<Vec<_>>(),
                }
            })
            .collect();
        // A fixed pattern, so every run meets both kinds of failure: every 7th request fails
        // before the portal sees it, every 3rd loses its answer after the portal acted.
        let n = {
            let mut seen = self.seen.lock().unwrap();
            *seen += 1;
            *seen
        };
        let first_time = self.failed_once.lock().unwrap().insert(bytes.to_vec());
        let n = if first_time { n } else { 0 };
        if n % 7 == 3 {
            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "injected").into_response();
        }
        let response = next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
        let (parts, body) = response.into_parts();
        let text = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let answer: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
        let failed: Vec<String> = answer["results"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter(|x| x["status"] == false)
                    .filter_map(|x| x["username"].as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default();
        if answer.get("error").is_none() {
            let mut applied = self.applied.lock().unwrap();
            for n in names.iter().filter(|n| !failed.contains(n)) {
                *applied.entry(n.clone()).or_default() += 1;
            }
        }
        if n % 3 == 1 {
            *self.lost.lock().unwrap() += 1;
            return (axum::http::StatusCode::BAD_GATEWAY, "answer lost").into_response();
        }
        Response::from_parts(parts, Body::from(text))
    }
}

/// Buys `more` seats of `user_type` for the organization. Seats are bought from Esri, not
/// through the portal's API, so a test that needs room writes it where the portal keeps it.
pub fn buy_seats(live: &Live, user_type: &str, more: i64) {
    live.state
        .db
        .get()
        .unwrap()
        .execute(
            &format!(
                "UPDATE user_type_seats SET max_users = max_users + {more} WHERE type_id = '{user_type}'"
            ),
            [],
        )
        .unwrap();
}

/// Members holding any add-on license or app bundle (lower-cased): those a change of user type
/// may be refused for.
pub async fn license_holders(client: &Client) -> HashSet<String> {
    let mut out = HashSet::new();
    let licenses = client.licenses();
    for p in licenses.purchases().await.unwrap() {
        for h in licenses
            .holders(&p.listing.item_id, |_, _| {})
            .await
            .unwrap()
        {
            out.insert(h.username.to_lowercase());
        }
    }
    for b in licenses.app_bundles().await.unwrap() {
        if let Some(item) = b.app_bundle_item_id.filter(|_| b.max_users.is_some()) {
            for u in licenses.bundle_holders(&item).await.unwrap() {
                out.insert(u.to_lowercase());
            }
        }
    }
    out
}
