//! The HTTP side: one `reqwest` client over rustls (system roots plus, optionally, one extra
//! CA such as the demo portal's self-signed certificate), the portal's REST base, the session
//! token (sent only in the `X-Esri-Authorization` header, never in a URL, and only ever to the
//! portal's origin: `origin`), retries with backoff for transient failures, and the decoding of
//! every answer.
//!
//! Here: [`Client`] and its builder, the raw `read`/`write` every handler goes through, and
//! the retry loop. Not here: how a session is made and renewed (`session`: `generateToken`
//! sign-in, renewal once per expiry), how answers become values or typed errors (`decode`),
//! the OAuth2 grants (`crate::oauth`), and any knowledge of a resource (the handlers).

mod decode;
mod origin;
mod session;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{Error, Result};

pub use decode::decode;
pub(crate) use origin::{check_request, send_error};
pub(crate) use session::{renew_deadline, Renewal, Session};

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

    /// Makes the client. HTTPS is required except for loopback addresses, and redirects are
    /// followed only within the portal's origin (see `origin`).
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
            // Close idle connections before servers do (the embedded portal after 20 s,
            // common proxies after 30–60 s), so a request is not sent on a connection the
            // server is closing.
            .pool_idle_timeout(std::time::Duration::from_secs(15))
            .user_agent(crate::USER_AGENT)
            .redirect(origin::redirect_policy(&rest))
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
    let loopback = origin::is_loopback(url.host_str());
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

struct Inner {
    http: reqwest::Client,
    rest: Url,
    session: RwLock<Option<Session>>,
    renewing: tokio::sync::Mutex<()>,
    requests: AtomicU64,
    retry: RetryPolicy,
    on_refresh_token: Option<RefreshTokenListener>,
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

    /// The URL of `path` under the Portal Admin API (`<web adaptor>/portaladmin/…`), beside
    /// the REST base (ArcGIS Enterprise only).
    pub(crate) fn portal_admin_url(&self, path: &str) -> Result<Url> {
        let admin = self
            .inner
            .rest
            .as_str()
            .strip_suffix("sharing/rest/")
            .map(|root| format!("{root}portaladmin/{path}"))
            .ok_or_else(|| Error::InvalidInput("portal URL without /sharing/rest".into()))?;
        Url::parse(&admin).map_err(|e| Error::InvalidInput(e.to_string()))
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
        check_request(&self.inner.rest, &url)?;
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
                Err(e) => match send_error(&e) {
                    // A refused redirect would be refused again.
                    refused @ Error::Redirect(_) => return Err(refused),
                    // A request that never reached the portal can always be sent again.
                    other => (kind.always_safe() || e.is_connect(), None, other),
                },
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
        check_request(&self.inner.rest, &url)?;
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
        let response = request.send().await.map_err(|e| send_error(&e))?;
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
}
