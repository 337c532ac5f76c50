//! OAuth2 for a desktop app: authorization code with PKCE (S256) through the system browser
//! and a single-use loopback listener on 127.0.0.1 (RFC 8252), then `refresh_token`,
//! `exchange_refresh_token` near the refresh token's end, and `revokeToken` on sign-out.
//!
//! ArcGIS answers differ from RFC 6749 (docs/PORTAL-API.md, *`oauth2/token`: the grants* and
//! *The Rust `oauth2` crate (our client)*): no `token_type`, extra fields (`username`, `ssl`,
//! `refresh_token_expires_in`), errors inside HTTP 200 bodies, and some Enterprise versions send
//! `Content-Type: text/plain`. The `oauth2` crate is used with its own token-response type
//! ([`ArcgisTokenResponse`]) and an HTTP function that turns ArcGIS's error envelope into a
//! standard error answer and accepts any content type. `exchange_refresh_token` and
//! `revokeToken` (with `auth_token`) are ArcGIS operations the crate does not model; they are
//! posted directly.
//!
//! Not here: the loopback listener that receives the browser's redirect (`loopback`), and the
//! session itself, password sign-in and the renew-once lock (`crate::transport`), which calls
//! `renew` when an OAuth2 token ends.

mod loopback;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardRevocableToken,
    TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::transport::{check_request, send_error, Client, Renewal, Session};
use loopback::wait_for_redirect;

mod registration;
use registration::{bind_loopback, registration_refused};
pub use registration::{redirect_uri, redirect_uris, Refusal, LOOPBACK_PORTS};

/// The client id Memberdesk registers on portals by default (loopback redirects).
pub const MEMBERDESK_CLIENT_ID: &str = "memberdesk";

/// `exchange_refresh_token` is used when the refresh token ends within this (rest-js: 24 h).
const EXCHANGE_WITHIN: Duration = Duration::from_secs(24 * 3600);

/// The token answer of `oauth2/token`, as ArcGIS sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArcgisTokenResponse {
    access_token: AccessToken,
    /// Absent on ArcGIS: Bearer is what the portal means.
    #[serde(default = "bearer")]
    token_type: BasicTokenType,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    /// Seconds the refresh token lives.
    #[serde(default)]
    pub refresh_token_expires_in: Option<u64>,
    /// The signed-in user (user grants only).
    #[serde(default)]
    pub username: Option<String>,
    /// A boolean here, a string in implicit fragments: kept as sent.
    #[serde(default)]
    pub ssl: Option<Value>,
    #[serde(skip)]
    scopes: Option<Vec<Scope>>,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

impl oauth2::TokenResponse for ArcgisTokenResponse {
    type TokenType = BasicTokenType;
    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    ArcgisTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What a session needs to get new access tokens.
#[derive(Clone)]
pub struct RefreshState {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) refresh_token: SecretString,
    pub(crate) refresh_expires_at: Option<SystemTime>,
}

/// Options of an OAuth2 sign-in.
#[derive(Debug, Clone)]
pub struct OAuthSignIn {
    /// The app's client id registered on the portal.
    pub client_id: String,
    /// The loopback ports the redirect may use, tried in order (ArcGIS matches the port: each
    /// one's redirect URI is registered with the app). `0` is any free port, for portals that
    /// accept any loopback port (RFC 8252 §7.3), as the embedded one does for `memberdesk`.
    pub ports: Vec<u16>,
    /// How long to wait for the browser to come back.
    pub timeout: Duration,
    /// Requested refresh-token lifetime in minutes (ArcGIS `expiration`; 2 weeks by default).
    pub refresh_minutes: u32,
}

impl Default for OAuthSignIn {
    fn default() -> Self {
        Self {
            client_id: MEMBERDESK_CLIENT_ID.into(),
            ports: LOOPBACK_PORTS.to_vec(),
            timeout: Duration::from_secs(300),
            refresh_minutes: 20160,
        }
    }
}

type HttpFuture = Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse>> + Send>>;

/// The HTTP function the `oauth2` crate calls: our reqwest client, with ArcGIS's quirks
/// folded into a standard answer (JSON content type; error envelopes become HTTP 400 with
/// `error`/`error_description`).
fn http_function(client: &Client) -> impl Fn(oauth2::HttpRequest) -> HttpFuture + '_ {
    move |request: oauth2::HttpRequest| {
        let http = client.http_for_one_request().clone();
        let rest = client.rest_base().clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let url = url::Url::parse(&parts.uri.to_string())
                .map_err(|e| Error::InvalidInput(format!("token endpoint: {e}")))?;
            check_request(&rest, &url)?;
            let response = http
                .request(parts.method, url)
                .headers(parts.headers)
                .body(body)
                .send()
                .await
                .map_err(|e| send_error(&e))?;
            let mut status = response.status();
            let bytes = response
                .bytes()
                .await
                .map_err(|e| Error::Network(e.to_string()))?;
            let mut body = bytes.to_vec();
            if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
                if let Some(err) = v.get("error").filter(|e| e.is_object()) {
                    let kind = err
                        .get("error")
                        .and_then(Value::as_str)
                        .unwrap_or("invalid_request");
                    let description = err
                        .get("error_description")
                        .or_else(|| err.get("message"))
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    body = serde_json::json!({"error": kind, "error_description": description})
                        .to_string()
                        .into_bytes();
                    status = http::StatusCode::BAD_REQUEST;
                }
            }
            http::Response::builder()
                .status(status)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(body)
                .map_err(|e| Error::Network(e.to_string()))
        })
    }
}

fn oauth_client(client: &Client, client_id: &str, redirect_uri: &str) -> Result<OAuthClient> {
    let rest = client.rest_base();
    let url = |path: &str| {
        rest.join(path)
            .map(|u| u.to_string())
            .map_err(|e| Error::InvalidInput(format!("{path}: {e}")))
    };
    Ok(oauth2::Client::new(ClientId::new(client_id.to_string()))
        .set_auth_uri(
            AuthUrl::new(url("oauth2/authorize")?)
                .map_err(|e| Error::InvalidInput(e.to_string()))?,
        )
        .set_token_uri(
            TokenUrl::new(url("oauth2/token")?).map_err(|e| Error::InvalidInput(e.to_string()))?,
        )
        .set_redirect_uri(
            RedirectUrl::new(redirect_uri.to_string())
                .map_err(|e| Error::InvalidInput(e.to_string()))?,
        ))
}

fn token_error(
    e: RequestTokenError<Error, BasicErrorResponse>,
    failure: fn(String) -> Error,
) -> Error {
    match e {
        RequestTokenError::ServerResponse(r) => failure(
            r.error_description()
                .cloned()
                .unwrap_or_else(|| r.error().to_string()),
        ),
        RequestTokenError::Request(inner) => inner,
        RequestTokenError::Parse(e, _) => Error::Decode {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        },
        RequestTokenError::Other(message) => Error::Decode {
            path: String::new(),
            message,
        },
    }
}

/// Turns a token answer into a session.
fn session_from(
    answer: ArcgisTokenResponse,
    username: String,
    client_id: &str,
    redirect_uri: &str,
    previous_refresh: Option<(SecretString, Option<SystemTime>)>,
) -> Result<Session> {
    let now = SystemTime::now();
    let (refresh_token, refresh_expires_at) = match answer.refresh_token {
        Some(rt) => (
            SecretString::from(rt.into_secret()),
            answer
                .refresh_token_expires_in
                .map(|s| now + Duration::from_secs(s)),
        ),
        None => previous_refresh.ok_or_else(|| Error::Decode {
            path: "refresh_token".into(),
            message: "the portal gave no refresh token".into(),
        })?,
    };
    Ok(Session {
        username,
        token: SecretString::from(answer.access_token.into_secret()),
        renew_at: answer
            .expires_in
            .map(|s| crate::transport::renew_deadline(Duration::from_secs(s))),
        generation: 0,
        renewal: Renewal::OAuth(RefreshState {
            client_id: client_id.to_string(),
            redirect_uri: redirect_uri.to_string(),
            refresh_token,
            refresh_expires_at,
        }),
    })
}

/// The refresh token of a session, if it is an OAuth2 one.
pub(crate) fn refresh_of(session: &Session) -> Option<&SecretString> {
    match &session.renewal {
        Renewal::OAuth(r) => Some(&r.refresh_token),
        Renewal::Password { .. } => None,
    }
}

/// A new access token for an OAuth2 session (called by the transport when the token ends or
/// a 498 comes back).
pub(crate) async fn renew(client: &Client, username: &str, state: RefreshState) -> Result<Session> {
    let near_end = state
        .refresh_expires_at
        .is_some_and(|at| at <= SystemTime::now() + EXCHANGE_WITHIN);
    if near_end {
        let url = client
            .rest_base()
            .join("oauth2/token")
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        let answer: ArcgisTokenResponse = client
            .post_absolute(
                url,
                vec![
                    ("client_id", state.client_id.clone()),
                    ("grant_type", "exchange_refresh_token".into()),
                    (
                        "refresh_token",
                        state.refresh_token.expose_secret().to_string(),
                    ),
                    ("redirect_uri", state.redirect_uri.clone()),
                ],
                false,
            )
            .await
            .map_err(|e| match e {
                Error::Portal { message, .. } => Error::AuthExpired(message),
                other => other,
            })?;
        return session_from(
            answer,
            username.to_string(),
            &state.client_id,
            &state.redirect_uri,
            None,
        );
    }
    let http = http_function(client);
    let answer = oauth_client(client, &state.client_id, &state.redirect_uri)?
        .exchange_refresh_token(&RefreshToken::new(
            state.refresh_token.expose_secret().to_string(),
        ))
        .request_async(&http)
        .await
        .map_err(|e| token_error(e, Error::AuthExpired))?;
    session_from(
        answer,
        username.to_string(),
        &state.client_id,
        &state.redirect_uri,
        Some((state.refresh_token, state.refresh_expires_at)),
    )
}

impl Client {
    /// Signs in with OAuth2 (authorization code + PKCE): listens on a loopback port, hands the
    /// authorize URL to `open` (the system browser), waits for the redirect, checks `state`,
    /// and redeems the code. The listener takes one sign-in and closes.
    pub async fn sign_in_with_oauth<F>(&self, options: &OAuthSignIn, open: F) -> Result<()>
    where
        F: FnOnce(&str) -> std::result::Result<(), String>,
    {
        let listener = bind_loopback(&options.ports).await?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::InvalidInput(e.to_string()))?
            .port();
        let redirect_uri = redirect_uri(port);
        let oauth = oauth_client(self, &options.client_id, &redirect_uri)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf) = oauth
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(challenge)
            .add_extra_param("expiration", options.refresh_minutes.to_string())
            .url();
        self.check_registration(&url, &options.client_id, &redirect_uri)
            .await?;
        log::info!(
            "sign-in: the portal's sign-in page opens in the browser (redirect to port {port})"
        );
        open(url.as_str()).map_err(|e| Error::InvalidInput(format!("opening the browser: {e}")))?;
        let code =
            tokio::time::timeout(options.timeout, wait_for_redirect(&listener, csrf.secret()))
                .await
                .map_err(|_| {
                    Error::AuthRequired("the sign-in in the browser timed out".into())
                })??;
        drop(listener);
        log::info!("sign-in: the browser came back; redeeming its code");
        let http = http_function(self);
        let answer = oauth
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await
            .map_err(|e| token_error(e, Error::AuthRequired))
            .map_err(|e| registration_refused(e, &options.client_id, &redirect_uri))?;
        self.install_oauth(answer, &options.client_id, &redirect_uri)
            .await
    }

    /// Resumes an OAuth2 session of `username` from a saved refresh token (e.g. from the OS
    /// keychain): one `refresh_token` grant, or `exchange_refresh_token` near its end.
    pub async fn resume_oauth(
        &self,
        username: &str,
        client_id: &str,
        refresh_token: SecretString,
        refresh_expires_at: Option<SystemTime>,
    ) -> Result<()> {
        let state = RefreshState {
            client_id: client_id.to_string(),
            // Not checked on refresh; the loopback form names the app's kind of redirect.
            redirect_uri: "http://127.0.0.1/callback".to_string(),
            refresh_token,
            refresh_expires_at,
        };
        let session = renew(self, username, state).await?;
        self.set_session(session)?;
        self.notify_refresh_token();
        Ok(())
    }

    async fn install_oauth(
        &self,
        answer: ArcgisTokenResponse,
        client_id: &str,
        redirect_uri: &str,
    ) -> Result<()> {
        let username = answer.username.clone().unwrap_or_default();
        let session = session_from(answer, username.clone(), client_id, redirect_uri, None)?;
        self.set_session(session)?;
        if username.is_empty() {
            let me: crate::models::User = self.read("community/self", Vec::new()).await?;
            self.with_session(|s| s.username = me.username.0);
        }
        self.notify_refresh_token();
        Ok(())
    }

    /// When the refresh token of this session ends, if the portal said.
    pub fn refresh_token_expires_at(&self) -> Option<SystemTime> {
        self.with_session(|s| match &s.renewal {
            Renewal::OAuth(r) => r.refresh_expires_at,
            Renewal::Password { .. } => None,
        })
        .flatten()
    }

    /// Signs out: an OAuth2 session's refresh token is revoked on the portal (which also ends
    /// the access tokens made from it); the session is forgotten either way.
    pub async fn sign_out(&self) -> Result<()> {
        let Some(session) = self.take_session() else {
            return Ok(());
        };
        let Renewal::OAuth(state) = session.renewal else {
            // generateToken tokens cannot be revoked; they end on their own.
            return Ok(());
        };
        #[derive(Deserialize)]
        struct Answer {
            success: bool,
        }
        let url = self
            .rest_base()
            .join("oauth2/revokeToken")
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        let answer: Answer = self
            .post_absolute(
                url,
                vec![
                    (
                        "auth_token",
                        state.refresh_token.expose_secret().to_string(),
                    ),
                    ("client_id", state.client_id),
                    ("token_type_hint", "refresh_token".into()),
                ],
                false,
            )
            .await?;
        if answer.success {
            Ok(())
        } else {
            Err(Error::Portal {
                code: 400,
                message: "the portal did not confirm revoking the session".into(),
                details: Vec::new(),
            })
        }
    }
}
