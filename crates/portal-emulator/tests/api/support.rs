//! A fresh portal per test and a tiny client for it.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use portal_emulator::{router, seed, Config, State};
use serde_json::Value;
use tower::ServiceExt;

pub const ADMIN: &str = "admin_tester";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// The public URL of the portals of these tests (requests are sent with this Host too).
pub const PUBLIC_URL: &str = "http://127.0.0.1:1";

#[derive(Clone)]
pub struct Portal {
    pub state: State,
}

/// A raw answer: status, headers, body text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {}", &self.text[..self.text.len().min(300)])
        })
    }
}

impl Portal {
    /// A portal with the default administrator and `members` seeded members.
    pub fn new(members: usize) -> Self {
        Self::with_config(members, Config::default())
    }

    /// A portal with `config`; its public URL is `http://127.0.0.1:1` unless `config` names one.
    pub fn with_config(members: usize, mut config: Config) -> Self {
        if config.public_url.is_none() {
            config.public_url = Some(PUBLIC_URL.into());
        }
        let state = State::open(":memory:", config).expect("open portal");
        seed::ensure_admin(&state.db, ADMIN, ADMIN_PASSWORD).expect("admin");
        if members > 0 {
            seed::seed_users(&state.db, members, ADMIN).expect("seed");
        }
        Portal { state }
    }

    /// Sends a request; `body` is form-urlencoded.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Answer {
        let uri: String = uri
            .chars()
            .map(|c| match c {
                ' ' => "%20".to_string(),
                '"' => "%22".to_string(),
                '[' => "%5B".to_string(),
                ']' => "%5D".to_string(),
                '{' => "%7B".to_string(),
                '}' => "%7D".to_string(),
                '^' => "%5E".to_string(),
                c => c.to_string(),
            })
            .collect();
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "127.0.0.1:1");
        if !body.is_empty() {
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
        }
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let response = router(self.state.clone())
            .oneshot(builder.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Value {
        self.send("GET", uri, &[], "").await.json()
    }

    pub async fn post(&self, uri: &str, body: &str) -> Value {
        self.send("POST", uri, &[], body).await.json()
    }

    /// A token for `username` through generateToken.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let body =
            format!("username={username}&password={password}&client=referer&referer=test&f=json");
        let v = self.post("/sharing/rest/generateToken", &body).await;
        v["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {v}"))
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token(ADMIN, ADMIN_PASSWORD).await
    }

    /// GET with the token in the X-Esri-Authorization header, as the Python client sends it.
    pub async fn get_as(&self, token: &str, uri: &str) -> Value {
        let header = format!("Bearer {token}");
        self.send("GET", uri, &[("x-esri-authorization", &header)], "")
            .await
            .json()
    }

    pub async fn post_as(&self, token: &str, uri: &str, body: &str) -> Value {
        let header = format!("Bearer {token}");
        self.send("POST", uri, &[("x-esri-authorization", &header)], body)
            .await
            .json()
    }

    /// POSTs every `(path, body)` at once, each from its own task, as `token`; the answers
    /// come back in the order asked.
    pub async fn post_all_at_once(
        &self,
        token: &str,
        requests: Vec<(String, String)>,
    ) -> Vec<Value> {
        let tasks: Vec<_> = requests
            .into_iter()
            .map(|(path, body)| {
                let (p, t) = (self.clone(), token.to_string());
                tokio::spawn(async move { p.post_as(&t, &path, &body).await })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        answers
    }

    /// Opens the link of the newest email in the outbox, as the invitee's browser would: the
    /// link's path and what it showed.
    pub async fn open_newest_mail_link(&self, token: &str) -> (String, Answer) {
        let mail = self
            .get_as(token, "/sharing/rest/portals/self/emulator/outbox?f=json")
            .await;
        let link = mail["messages"][0]["link"].as_str().unwrap().to_string();
        let path = link[link.find("/sharing").unwrap()..].to_string();
        let page = self.send("GET", &path, &[], "").await;
        (path, page)
    }

    /// The usernames of the first `n` members (the default administrator left out).
    pub fn usernames(&self, n: usize) -> Vec<String> {
        let conn = self.state.db.get().unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT username FROM users WHERE builtin_admin = 0 ORDER BY username LIMIT ?1",
            )
            .unwrap();
        stmt.query_map([n as i64], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// A member with the given role, by a plain query on the database.
    pub fn member_with(&self, condition: &str) -> String {
        let conn = self.state.db.get().unwrap();
        conn.query_row(
            &format!("SELECT username FROM users WHERE {condition} AND password_hash IS NOT NULL AND disabled = 0 ORDER BY username LIMIT 1"),
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("no member where {condition}: {e}"))
    }
}

/// The error code of an error envelope, or None for a success body.
pub fn error_code(v: &Value) -> Option<i64> {
    v.get("error").and_then(|e| e["code"].as_i64())
}

/// A value made safe for a query string or a form body.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The `oauth_state` a sign-in page carries in its `oAuthInfo` (what the form posts back).
pub fn oauth_state(page: &str) -> String {
    page.split("\"oauth_state\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no oauth_state in the page: {page:.300}"))
        .to_string()
}
