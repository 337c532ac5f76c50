//! The HTTP side: one `reqwest` client over rustls (system roots plus, optionally, one extra
//! CA such as the demo portal's self-signed certificate), the portal's REST base, the session
//! token (sent only in the `X-Esri-Authorization` header, never in a URL), retries with
//! backoff for transient failures, and the decoding of every answer.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::error::{Error, Result};

/// How a client retries transient failures (429, 5xx, connection errors).
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, first one included.
    pub attempts: u32,
    /// First backoff; doubled each time, with jitter.
    pub base_delay: Duration,
    /// Longest single wait (also caps `Retry-After`).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    portal: String,
    extra_ca_pem: Option<Vec<u8>>,
    timeout: Duration,
    retry: RetryPolicy,
    on_refresh_token: Option<RefreshTokenListener>,
}

/// Told `(username, refresh token)` whenever the session gets a new refresh token (sign-in,
/// `exchange_refresh_token`), so the caller can keep it in the OS keychain.
pub type RefreshTokenListener = Arc<dyn Fn(&str, &SecretString) + Send + Sync>;

impl ClientBuilder {
    /// Trusts one more CA certificate (PEM), e.g. the embedded portal's `--cert-out`.
    pub fn extra_ca_pem(mut self, pem: Vec<u8>) -> Self {
        self.extra_ca_pem = Some(pem);
        self
    }

    /// The timeout of one HTTP request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How transient failures are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Called with every new refresh token (see [`RefreshTokenListener`]).
    pub fn on_refresh_token(mut self, listener: RefreshTokenListener) -> Self {
        self.on_refresh_token = Some(listener);
        self
    }

    /// Makes the client. HTTPS is required except for loopback addresses.
    pub fn build(self) -> Result<Client> {
        let rest = rest_base(&self.portal)?;
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut roots = rustls::RootCertStore::empty();
        let native = rustls_native_certs::load_native_certs();
        for cert in native.certs {
            let _ = roots.add(cert);
        }
        if let Some(pem) = &self.extra_ca_pem {
            let mut added = 0;
            for item in rustls::pki_types::pem::PemObject::pem_slice_iter(pem) {
                let cert: rustls::pki_types::CertificateDer<'static> =
                    item.map_err(|e| Error::InvalidInput(format!("extra CA certificate: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::InvalidInput(format!("extra CA certificate: {e}")))?;
                added += 1;
            }
            if added == 0 {
                return Err(Error::InvalidInput(
                    "extra CA certificate: no certificate in the PEM".into(),
                ));
            }
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::InvalidInput(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(self.timeout)
            .pool_max_idle_per_host(32)
            .user_agent(crate::USER_AGENT)
            .build()
            .map_err(|e| Error::InvalidInput(format!("HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                rest,
                session: RwLock::new(None),
                renewing: tokio::sync::Mutex::new(()),
                requests: AtomicU64::new(0),
                retry: self.retry,
                on_refresh_token: self.on_refresh_token,
            }),
        })
    }
}

/// Turns what a person types (`https://org.maps.arcgis.com`, `https://host/portal`, a URL
/// ending in `/sharing/rest`) into the REST base, and enforces HTTPS off loopback.
pub fn rest_base(portal: &str) -> Result<Url> {
    let mut url =
        Url::parse(portal.trim()).map_err(|e| Error::InvalidInput(format!("portal URL: {e}")))?;
    let loopback = matches!(
        url.host_str(),
        Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
    );
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::InvalidInput(
                "portal URL: HTTPS is required (except on this computer)".into(),
            ))
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "portal URL: unsupported scheme {other}"
            )))
        }
    }
    url.set_query(None);
    url.set_fragment(None);
    let mut path = url.path().trim_end_matches('/').to_string();
    if let Some(i) = path.find("/home") {
        path.truncate(i);
    }
    if !path.ends_with("/sharing/rest") {
        path = format!("{}/sharing/rest", path.trim_end_matches("/sharing"));
    }
    url.set_path(&format!("{path}/"));
    Ok(url)
}

/// How a session gets a new access token when the old one ends.
pub(crate) enum Renewal {
    /// `generateToken` again with the password kept (in memory only) since sign-in.
    Password {
        password: SecretString,
        minutes: u32,
    },
    /// OAuth2: `refresh_token`, or `exchange_refresh_token` when the refresh token nears its
    /// end.
    OAuth(crate::oauth::RefreshState),
}

pub(crate) struct Session {
    pub(crate) username: String,
    pub(crate) token: SecretString,
    /// When to get a new access token: a little before the end the portal announced.
    pub(crate) renew_at: Option<Instant>,
    /// Bumped at every new token, so concurrent requests renew once, not once each.
    pub(crate) generation: u64,
    pub(crate) renewal: Renewal,
}

struct Inner {
    http: reqwest::Client,
    rest: Url,
    session: RwLock<Option<Session>>,
    renewing: tokio::sync::Mutex<()>,
    requests: AtomicU64,
    retry: RetryPolicy,
    on_refresh_token: Option<RefreshTokenListener>,
}

/// When to renew a token that lives `lifetime` from now: a minute early, or a fifth of its
/// life for short-lived tokens, so no request carries a dying token.
pub(crate) fn renew_deadline(lifetime: Duration) -> Instant {
    let ahead = Duration::from_secs(60).min(lifetime / 5);
    Instant::now() + lifetime.saturating_sub(ahead)
}

/// A client of one portal. Cheap to clone; clones share the session.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("rest", &self.inner.rest.as_str())
            .field("username", &self.username())
            .finish()
    }
}

/// Whether a request may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads: always safe to repeat.
    Read,
    /// Writes: repeated only when the portal surely did not act (connection refused, 429).
    Write,
    /// POSTs that change nothing a second one would harm (asking for a token): always safe
    /// to repeat, but their secrets stay in the form body, never in a URL.
    Repeatable,
}

impl Idempotency {
    fn always_safe(self) -> bool {
        matches!(self, Idempotency::Read | Idempotency::Repeatable)
    }
}

impl Client {
    /// Starts building a client for a portal URL.
    pub fn builder(portal: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            portal: portal.into(),
            extra_ca_pem: None,
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            on_refresh_token: None,
        }
    }

    /// The REST base, e.g. `https://host/portal/sharing/rest/`.
    pub fn rest_base(&self) -> &Url {
        &self.inner.rest
    }

    /// Whether `other` is this client or a clone of it (they share one session).
    pub fn same_session(&self, other: &Client) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The signed-in username, if any.
    pub fn username(&self) -> Option<String> {
        self.inner
            .session
            .read()
            .ok()?
            .as_ref()
            .map(|s| s.username.clone())
    }

    /// How many HTTP requests this client (and its clones) has sent.
    pub fn request_count(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    /// Signs in a built-in account with `generateToken` (the token lasts `minutes`). The
    /// password stays in memory (a `SecretString`) to sign in again when the token ends.
    pub async fn sign_in_with_password(
        &self,
        username: &str,
        password: &SecretString,
        minutes: u32,
    ) -> Result<()> {
        let (token, renew_at) = self.generate_token(username, password, minutes).await?;
        self.set_session(Session {
            username: username.to_string(),
            token,
            renew_at,
            generation: 0,
            renewal: Renewal::Password {
                password: password.clone(),
                minutes,
            },
        })
        .map(drop)
    }

    async fn generate_token(
        &self,
        username: &str,
        password: &SecretString,
        minutes: u32,
    ) -> Result<(SecretString, Option<Instant>)> {
        #[derive(serde::Deserialize)]
        struct Answer {
            token: String,
            expires: Option<i64>,
        }
        let params = vec![
            ("username", username.to_string()),
            ("password", password.expose_secret().to_string()),
            ("client", "referer".to_string()),
            ("referer", crate::USER_AGENT.to_string()),
            ("expiration", minutes.to_string()),
        ];
        let answer: Answer = self.send_unauthenticated("generateToken", params).await?;
        // `expires` is epoch milliseconds; turn it into a monotonic deadline.
        let renew_at = answer.expires.map(|ms| {
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            renew_deadline(Duration::from_millis(
                ms.saturating_sub(now_ms).max(0) as u64
            ))
        });
        Ok((SecretString::from(answer.token), renew_at))
    }

    /// Installs a new session (a new generation of the token); answers its generation.
    pub(crate) fn set_session(&self, mut session: Session) -> Result<u64> {
        let mut slot = self
            .inner
            .session
            .write()
            .map_err(|_| Error::InvalidInput("session lock".into()))?;
        session.generation = slot.as_ref().map_or(1, |s| s.generation + 1);
        let generation = session.generation;
        *slot = Some(session);
        Ok(generation)
    }

    /// Reads the session; `missing` says why there is none (an auth error).
    fn read_session<R>(&self, missing: &str, f: impl FnOnce(&Session) -> R) -> Result<R> {
        let slot = self
            .inner
            .session
            .read()
            .map_err(|_| Error::InvalidInput("session lock".into()))?;
        let s = slot
            .as_ref()
            .ok_or_else(|| Error::AuthRequired(missing.into()))?;
        Ok(f(s))
    }

    /// Runs `f` on the current session, if any.
    pub(crate) fn with_session<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let mut slot = self.inner.session.write().ok()?;
        slot.as_mut().map(f)
    }

    /// Tells the listener about the session's refresh token.
    pub(crate) fn notify_refresh_token(&self) {
        let Some(listener) = &self.inner.on_refresh_token else {
            return;
        };
        let current = self.with_session(|s| match &s.renewal {
            Renewal::OAuth(r) => Some((s.username.clone(), r.refresh_token.clone())),
            Renewal::Password { .. } => None,
        });
        if let Some(Some((username, token))) = current {
            listener(&username, &token);
        }
    }

    /// Forgets the session locally without telling the portal (see `sign_out` for OAuth).
    pub fn sign_out_locally(&self) {
        if let Ok(mut slot) = self.inner.session.write() {
            *slot = None;
        }
    }

    /// The current refresh token of an OAuth2 session (to keep in the OS keychain).
    pub fn refresh_token(&self) -> Option<SecretString> {
        let slot = self.inner.session.read().ok()?;
        match &slot.as_ref()?.renewal {
            Renewal::OAuth(r) => Some(r.refresh_token.clone()),
            Renewal::Password { .. } => None,
        }
    }

    pub(crate) fn take_session(&self) -> Option<Session> {
        self.inner.session.write().ok()?.take()
    }

    /// The token to send and its generation; renews first when it is about to end.
    async fn current_token(&self) -> Result<(SecretString, u64)> {
        let (token, generation, expires_at) = self.read_session("not signed in", |s| {
            (s.token.clone(), s.generation, s.renew_at)
        })?;
        if expires_at.is_some_and(|at| at <= Instant::now()) {
            return Box::pin(self.renew(generation)).await;
        }
        Ok((token, generation))
    }

    /// Gets a new access token unless another task already replaced generation `seen`.
    pub(crate) async fn renew(&self, seen: u64) -> Result<(SecretString, u64)> {
        let _one_at_a_time = self.inner.renewing.lock().await;
        let current = self.read_session("signed out", |s| {
            if s.generation != seen {
                return Err((s.token.clone(), s.generation));
            }
            let renewal = match &s.renewal {
                Renewal::Password { password, minutes } => Renewal::Password {
                    password: password.clone(),
                    minutes: *minutes,
                },
                Renewal::OAuth(r) => Renewal::OAuth(r.clone()),
            };
            Ok((s.username.clone(), renewal))
        })?;
        // Another task renewed while this one waited: use its token.
        let (username, renewal) = match current {
            Ok(state) => state,
            Err(renewed) => return Ok(renewed),
        };
        let session = match renewal {
            Renewal::Password { password, minutes } => {
                let (token, renew_at) = self.generate_token(&username, &password, minutes).await?;
                Session {
                    username,
                    token,
                    renew_at,
                    generation: 0,
                    renewal: Renewal::Password { password, minutes },
                }
            }
            Renewal::OAuth(state) => crate::oauth::renew(self, &username, state).await?,
        };
        let token = session.token.clone();
        let refresh_changed = self.refresh_token().map(|t| t.expose_secret().to_string())
            != crate::oauth::refresh_of(&session).map(|t| t.expose_secret().to_string());
        let generation = self.set_session(session)?;
        if refresh_changed {
            self.notify_refresh_token();
        }
        Ok((token, generation))
    }

    pub(crate) async fn send_unauthenticated<T: DeserializeOwned>(
        &self,
        path: &str,
        params: Vec<(&str, String)>,
    ) -> Result<T> {
        // Only generateToken: a failed token request is asked again (a 5xx during sign-in
        // or renewal would otherwise end the session).
        self.send(path, params, Idempotency::Repeatable, false)
            .await
    }

    /// A raw read of `path` under the REST base (`GET`, parameters in the query string; the
    /// token stays in a header), for operations this crate does not wrap yet.
    pub async fn read<T: DeserializeOwned>(
        &self,
        path: &str,
        params: Vec<(&str, String)>,
    ) -> Result<T> {
        self.send(path, params, Idempotency::Read, true).await
    }

    /// A raw write of `path` (`POST`, form body). Retried only when the portal surely did
    /// not act on it.
    pub async fn write<T: DeserializeOwned>(
        &self,
        path: &str,
        params: Vec<(&str, String)>,
    ) -> Result<T> {
        self.send(path, params, Idempotency::Write, true).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        path: &str,
        mut params: Vec<(&str, String)>,
        kind: Idempotency,
        authenticated: bool,
    ) -> Result<T> {
        let url = self
            .inner
            .rest
            .join(path)
            .map_err(|e| Error::InvalidInput(format!("path {path}: {e}")))?;
        params.push(("f", "json".to_string()));
        let mut token = if authenticated {
            Some(self.current_token().await?)
        } else {
            None
        };
        let mut renewed = false;
        let policy = &self.inner.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut request = match kind {
                Idempotency::Read => self.inner.http.get(url.clone()).query(&params),
                Idempotency::Write | Idempotency::Repeatable => {
                    self.inner.http.post(url.clone()).form(&params)
                }
            };
            if let Some((t, _)) = &token {
                request = request.header(
                    "X-Esri-Authorization",
                    format!("Bearer {}", t.expose_secret()),
                );
            }
            self.inner.requests.fetch_add(1, Ordering::Relaxed);
            let outcome = request.send().await;
            let (retryable, wait, error) = match outcome {
                Err(e) => {
                    // A request that never reached the portal can always be sent again.
                    let safe = kind.always_safe() || e.is_connect();
                    (safe, None, Error::Network(describe(&e)))
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    if status == 429 || status >= 500 {
                        let retry_after = response
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(Duration::from_secs);
                        // 429 means "not processed"; a 5xx write may have been applied.
                        let safe = kind.always_safe() || status == 429;
                        (safe, retry_after, Error::Unavailable { status })
                    } else {
                        let bytes = response
                            .bytes()
                            .await
                            .map_err(|e| Error::Network(describe(&e)))?;
                        match decode(status, &bytes) {
                            // 498: the token ended early (revoked, clock skew). The portal
                            // did nothing, so renew once and send once more.
                            Err(Error::AuthExpired(_)) if !renewed && token.is_some() => {
                                renewed = true;
                                let seen = token.as_ref().map_or(0, |(_, g)| *g);
                                token = Some(Box::pin(self.renew(seen)).await?);
                                attempt -= 1;
                                continue;
                            }
                            other => return other,
                        }
                    }
                }
            };
            if !retryable || attempt >= policy.attempts {
                return Err(error);
            }
            let backoff = policy.base_delay.saturating_mul(1 << (attempt - 1).min(16));
            let jitter = Duration::from_millis(
                rand::rng().random_range(0..=policy.base_delay.as_millis() as u64),
            );
            let delay = wait.unwrap_or(backoff + jitter).min(policy.max_delay);
            tokio::time::sleep(delay).await;
        }
    }

    /// A POST to an absolute URL on the portal's host (OAuth and `/portaladmin` live outside
    /// the REST base), decoded like any answer.
    pub(crate) async fn post_absolute<T: DeserializeOwned>(
        &self,
        url: Url,
        params: Vec<(&str, String)>,
        authenticated: bool,
    ) -> Result<T> {
        let mut params = params;
        params.push(("f", "json".to_string()));
        let mut request = self.inner.http.post(url).form(&params);
        if authenticated {
            let (t, _) = self.current_token().await?;
            request = request.header(
                "X-Esri-Authorization",
                format!("Bearer {}", t.expose_secret()),
            );
        }
        self.inner.requests.fetch_add(1, Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| Error::Network(describe(&e)))?;
        let status = response.status().as_u16();
        if status == 429 || status >= 500 {
            return Err(Error::Unavailable { status });
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::Network(describe(&e)))?;
        decode(status, &bytes)
    }

    /// The underlying HTTP client (for the OAuth2 token endpoint); counts one request.
    pub(crate) fn http_for_one_request(&self) -> &reqwest::Client {
        self.inner.requests.fetch_add(1, Ordering::Relaxed);
        &self.inner.http
    }
}

fn describe(e: &reqwest::Error) -> String {
    // reqwest's Display includes the URL; ours never carry secrets, but keep it short.
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Only the `error` member of an answer; every other member is skipped without allocating.
#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(default)]
    error: Option<Value>,
}

/// Decodes an answer: the error envelope becomes a typed error; anything else is
/// deserialized straight from the bytes (no intermediate `Value`: an org listing is
/// megabytes), with the path of a bad field in the error.
pub fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T> {
    let not_json = |e: serde_json::Error| Error::Decode {
        path: String::new(),
        message: format!("not JSON (HTTP {status}): {e}"),
    };
    // Non-objects (an array, a bare string) have no envelope: the typed decode judges them.
    if let Ok(Envelope { error: Some(err) }) = serde_json::from_slice::<Envelope>(bytes) {
        if err.is_object() {
            return Err(portal_error(status, &err));
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            return not_json(e.into_inner());
        }
        Error::Decode {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        }
    })?;
    de.end().map_err(not_json)?;
    Ok(value)
}

/// The typed error for an `{"error":{code, message, details}}` envelope.
fn portal_error(status: u16, err: &Value) -> Error {
    let code = err
        .get("code")
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(status));
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let details: Vec<String> = err
        .get("details")
        .and_then(Value::as_array)
        .map(|d| {
            d.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    match code {
        498 => Error::AuthExpired(message),
        499 => Error::AuthRequired(message),
        403 => Error::Forbidden(message),
        _ => Error::Portal {
            code,
            message,
            details,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rest_base_is_found_from_what_people_type() {
        assert_eq!(
            rest_base("https://org.maps.arcgis.com").unwrap().as_str(),
            "https://org.maps.arcgis.com/sharing/rest/"
        );
        assert_eq!(
            rest_base("https://host/portal/home/index.html")
                .unwrap()
                .as_str(),
            "https://host/portal/sharing/rest/"
        );
        assert_eq!(
            rest_base("https://host/portal/sharing/rest/")
                .unwrap()
                .as_str(),
            "https://host/portal/sharing/rest/"
        );
        assert_eq!(
            rest_base("https://host/portal/sharing").unwrap().as_str(),
            "https://host/portal/sharing/rest/"
        );
        assert!(
            rest_base("http://example.com").is_err(),
            "plain HTTP only on loopback"
        );
        assert!(rest_base("http://127.0.0.1:8080").is_ok());
    }

    #[test]
    fn error_envelopes_become_typed_errors() {
        let e = decode::<Value>(
            200,
            br#"{"error":{"code":498,"message":"Invalid token.","details":[]}}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::AuthExpired(_)));
        let e = decode::<Value>(200, br#"{"error":{"code":400,"message":"User does not exist or is inaccessible.","details":["x"]}}"#).unwrap_err();
        assert!(matches!(e, Error::Portal { code: 400, ref details, .. } if details == &["x"]));
        // The envelope is found wherever `error` sits among the members, and only at the top.
        let e = decode::<Value>(
            200,
            br#"{"other":[1,{"a":2}],"error":{"code":403,"message":"no"}}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)));
        let v = decode::<Value>(200, br#"{"item":{"error":{"code":400}}}"#).unwrap();
        assert_eq!(v["item"]["error"]["code"], 400);
    }

    #[test]
    fn broken_answers_are_reported_as_not_json() {
        for body in [
            &b"<html>Bad gateway</html>"[..],
            b"{\"users\":[",
            b"{} trailing",
        ] {
            match decode::<Value>(502, body).unwrap_err() {
                Error::Decode { message, .. } => {
                    assert!(message.starts_with("not JSON (HTTP 502)"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn decode_errors_name_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct P {
            users: Vec<U>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct U {
            created: i64,
        }
        let e = decode::<P>(200, br#"{"users":[{"created":1},{"created":"soon"}]}"#).unwrap_err();
        match e {
            Error::Decode { path, .. } => assert_eq!(path, "users[1].created"),
            other => panic!("{other:?}"),
        }
    }
}
