//! The embedded portal: a local server that speaks the ArcGIS Sharing REST API for users,
//! invitations, roles, user types, groups and sign-in, stored in SQLite.
//!
//! What it is for: Esri's own clients (`arcgis` for Python, `@esri/arcgis-rest-js`) must accept
//! it unchanged; it is Memberdesk's offline demo portal and the ground of every test and
//! benchmark. The API it serves is described in `docs/PORTAL-API.md`; its command line is
//! `main.rs`.
//!
//! What is deliberately not in it: anything Memberdesk-specific. It is a portal, not a fake of
//! the app's needs.
//!
//! Shape: [`router`] builds the axum `Router` over a [`State`]; the binary (`main.rs`) only
//! parses flags, binds and serves. One module (or folder) per domain word: [`users`],
//! [`groups`], [`invitations`], [`roles`], [`licenses`], [`oauth`], [`portal`], [`tokens`],
//! [`portaladmin`]; each declares its routes beside its handlers, and [`routing`] matches them
//! the way the real portal does (case-insensitive operation names, repeated and trailing
//! slashes ignored). A handler reads its request first ([`routing::ApiRequest::signed_in`],
//! [`routing::ApiRequest::holding`]), then does its database work on the blocking pool
//! ([`State::with_db`]; `users::Target` and `groups::PathGroup` for the member or group a path
//! names). [`inspect`] reads what the organization holds, for tests of other crates; with the
//! `testing` feature, `testing::sign_in_as_browser` plays the browser in their OAuth sign-ins.

pub mod auth;
pub mod body;
pub mod db;
pub mod delegation;
pub mod error;
pub mod groups;
pub mod inspect;
pub mod invitations;
pub mod licenses;
pub mod lockout;
pub mod oauth;
pub mod params;
pub mod passwords;
pub mod portal;
pub mod portaladmin;
pub mod privileges;
pub mod query;
pub mod roles;
pub mod routing;
pub mod seed;
pub mod server;
pub mod snapshot;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;
pub mod users;
pub mod util;
pub mod validate;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use rand::Rng;

pub use error::{PortalError, Result};
use routing::{Area, Methods, Route};

/// Which kind of portal to be (docs/PORTAL-API.md, Emulator profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// ArcGIS Online: `portalMode` multitenant, users created through `portals/self/invite`.
    Agol,
    /// ArcGIS Enterprise: singletenant, `/portaladmin` with `createUser`.
    Enterprise,
}

/// Settings of one portal.
#[derive(Debug, Clone)]
pub struct Config {
    pub profile: Profile,
    /// Delay added to every API response.
    pub latency: Duration,
    /// Fraction (0..1) of API requests answered with a transient failure.
    pub fault_rate: f64,
    /// Access-token lifetime in seconds, overriding what clients ask for.
    pub token_ttl: Option<u64>,
    /// Add `token_type` to oauth2/token answers (to test clients that need it).
    pub token_type_in_responses: bool,
    /// Whether the portal is served over HTTPS (links it hands out use that scheme).
    pub tls: bool,
    /// Answer `oauth2/token` with `Content-Type: text/plain`, as some Enterprise versions do.
    pub token_as_text_plain: bool,
    /// Send errors with their code as the HTTP status instead of 200 (docs/PORTAL-API.md,
    /// Emulator profiles > switches).
    pub real_error_status: bool,
    /// Keep every member's rendered JSON in memory after its first listing: fast repeated
    /// listings for a server; a portal inside an app turns it off to keep its memory.
    pub keep_rendered_members: bool,
    /// The portal's public base URL (`https://host:port` or `https://host/context`). Every
    /// link and form action the portal renders is built from it, never from the request's
    /// Host, `X-Forwarded-*` or path (docs/SECURITY.md, "OAuth redirects and rendered
    /// pages"). `None`: the address `server::serve` listens on, else `http(s)://127.0.0.1`.
    pub public_url: Option<String>,
    /// The lockout after failed sign-ins: ArcGIS's numbers by default; tests shorten them
    /// and bring their own clock.
    pub lockout: lockout::Policy,
    /// How long a request body may take to arrive once its head has (`body`).
    pub body_read_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            profile: Profile::Agol,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            token_ttl: None,
            token_type_in_responses: false,
            tls: false,
            token_as_text_plain: false,
            real_error_status: false,
            keep_rendered_members: true,
            public_url: None,
            lockout: lockout::Policy::default(),
            body_read_timeout: body::READ_TIMEOUT,
        }
    }
}

/// Everything the handlers share.
pub struct Inner {
    pub config: Config,
    pub db: db::DbPool,
    /// The organization's id (16 characters), read once at start.
    pub org_id: String,
    pub org_name: String,
    pub url_key: String,
    pub tokens: auth::TokenCache,
    /// The in-memory copy of the members for the hot read paths.
    pub members: snapshot::SnapshotCache,
    /// A valid argon2 hash verified when a username is unknown, so timing does not tell.
    pub dummy_hash: String,
    /// `Config::public_url` split into origin and context path, checked once at start.
    public: Option<(String, String)>,
    /// Failed sign-ins per username (`lockout`).
    pub lockouts: lockout::Lockouts,
    /// The bytes of request bodies read at one time (`body`).
    body_budget: Arc<tokio::sync::Semaphore>,
    routes: Vec<Route>,
    /// For `:memory:` portals, the scratch directory of the database (removed on drop).
    _scratch: Option<tempfile::TempDir>,
}

/// The shared state of a portal.
#[derive(Clone)]
pub struct State(pub Arc<Inner>);

impl std::ops::Deref for State {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl State {
    /// Opens (or creates) the portal's database and its organization.
    pub fn open(data: &str, config: Config) -> Result<Self> {
        let database = db::open(data)?;
        let pool = database.pool;
        let (org_id, org_name, url_key) = seed::ensure_org(&pool)?;
        let mut routes = Vec::new();
        routes.extend(portal::routes());
        routes.extend(tokens::routes());
        routes.extend(oauth::routes());
        routes.extend(users::routes());
        routes.extend(licenses::routes());
        routes.extend(invitations::routes());
        routes.extend(groups::routes());
        routes.extend(portaladmin::routes());
        routes.extend(roles::routes());
        let keep_rendered = config.keep_rendered_members;
        let public = config
            .public_url
            .as_deref()
            .map(split_public_url)
            .transpose()?;
        Ok(State(Arc::new(Inner {
            config,
            db: pool,
            org_id,
            org_name,
            url_key,
            tokens: auth::TokenCache::default(),
            members: snapshot::SnapshotCache::new(keep_rendered),
            dummy_hash: passwords::hash("not a real password 0")?,
            public,
            lockouts: lockout::Lockouts::default(),
            body_budget: body::budget(),
            routes,
            _scratch: database.scratch,
        })))
    }

    /// Every route as `(area, pattern, methods, body limit)`, for tests that go over them all.
    pub fn route_table(&self) -> Vec<(Area, &'static str, Methods, body::BodyLimit)> {
        self.routes
            .iter()
            .map(|r| (r.area, r.pattern, r.methods, r.body_limit))
            .collect()
    }

    /// Runs blocking database work off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&State) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(&state))
            .await
            .map_err(|_| PortalError::internal("worker"))?
    }

    /// Runs blocking database work with one connection from the pool: the part of a handler
    /// after it has read its request.
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&State, db::Conn) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.blocking(move |s| f(s, s.db.get()?)).await
    }
}

/// Splits a public base URL into origin (`https://host:port`) and context path (`/portal` or
/// empty); anything else than an `http(s)` URL without userinfo, query or fragment is refused.
fn split_public_url(text: &str) -> Result<(String, String)> {
    let bad = || PortalError::bad_request(format!("Invalid public URL '{text}'."));
    let url = url::Url::parse(text).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad());
    }
    let prefix = url.path().trim_end_matches('/').to_string();
    Ok((url.origin().ascii_serialization(), prefix))
}

/// The origin and context path links are built from: the configured public URL, else the
/// address the server listens on, else `http(s)://127.0.0.1`. Nothing of the request.
fn public_base(state: &State, served_at: Option<&server::ServedAt>) -> (String, String) {
    if let Some((origin, prefix)) = &state.public {
        return (origin.clone(), prefix.clone());
    }
    if let Some(server::ServedAt(origin)) = served_at {
        return (origin.clone(), String::new());
    }
    let scheme = if state.config.tls { "https" } else { "http" };
    (format!("{scheme}://127.0.0.1"), String::new())
}

/// The portal as an axum router. Everything goes through one dispatcher, which normalises the
/// path and matches routes the way the real portal does.
pub fn router(state: State) -> Router {
    Router::new()
        .fallback(dispatch)
        .with_state(state)
        // Each route's own limit applies instead (`body`).
        .layer(axum::extract::DefaultBodyLimit::disable())
}

async fn dispatch(
    axum::extract::State(state): axum::extract::State<State>,
    request: Request,
) -> Response {
    let origin_header = request.headers().get(header::ORIGIN).cloned();
    let real_status = state.config.real_error_status;
    let mut response = handle(state, request).await;
    if let Some(error::ErrorStatus(429)) = response.extensions().get().copied() {
        // Too busy (`passwords`): say when to come back, as the transient faults do.
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    if real_status {
        if let Some(error::ErrorStatus(code)) = response.extensions().get().copied() {
            *response.status_mut() = StatusCode::from_u16(code)
                .ok()
                .filter(|s| s.is_client_error() || s.is_server_error())
                .unwrap_or(StatusCode::BAD_REQUEST);
        }
    }
    add_cors(response.headers_mut(), origin_header);
    response
}

fn add_cors(headers: &mut HeaderMap, origin: Option<HeaderValue>) {
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
}

async fn handle(state: State, request: Request) -> Response {
    if request.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Content-Type, Authorization, X-Esri-Authorization"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        return r;
    }
    let (origin, prefix) = public_base(&state, request.extensions().get());
    if routing::has_encoded_separator(request.uri().path()) {
        return routing::encoded_separator_refusal();
    }
    let method = request.method().clone();
    let Some(split) = routing::split_path(request.uri().path()) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    if split.area == Area::Api {
        if !state.config.latency.is_zero() {
            tokio::time::sleep(state.config.latency).await;
        }
        if state.config.fault_rate > 0.0
            && rand::rng().random_bool(state.config.fault_rate.min(1.0))
        {
            return transient_fault();
        }
    }
    // The most specific route wins: `portals/languages` before `portals/{}`.
    let found = state
        .routes
        .iter()
        .filter(|route| route.area == split.area)
        .filter_map(|route| {
            routing::match_parts(&route.parts, &split.segments).map(|captures| (route, captures))
        })
        // ...and for a POST, a POST-only route before a read route of the same path.
        .min_by_key(|(route, captures)| {
            let read_for_post = method == Method::POST && route.methods == Methods::Read;
            (captures.len(), read_for_post)
        });
    let Some((route, captures)) = found else {
        return match split.area {
            Area::Api => PortalError::invalid_url().into_response(),
            _ => (StatusCode::NOT_FOUND, "Not found").into_response(),
        };
    };
    if route.methods == Methods::Post && method != Method::POST {
        return PortalError::new(405, "Method not supported.")
            .with_detail("This operation is only supported with POST.")
            .into_response();
    }
    let body::Read {
        params,
        method,
        headers,
        _budget,
    } = match tokio::time::timeout(
        state.config.body_read_timeout,
        body::read_params(request, route.body_limit.bytes(), &state.body_budget),
    )
    .await
    {
        Ok(Ok(read)) => read,
        Ok(Err(r)) => return r,
        Err(_) => return body::too_slow(),
    };
    if let Err(e) = params.check_sizes() {
        return e.into_response();
    }
    let pretty = params.pretty();
    let caller = if route.public_token_check {
        None
    } else {
        let tokens = auth::presented_tokens(&headers, &params);
        let resolved = {
            let state = state.clone();
            tokio::task::spawn_blocking(move || auth::resolve_caller(&state, &tokens)).await
        };
        match resolved {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return e.into_response(),
            Err(_) => return PortalError::internal("worker").into_response(),
        }
    };
    let req = routing::ApiRequest {
        method,
        captures,
        params,
        headers,
        origin,
        prefix,
        caller,
    };
    match (route.handler)(state, req).await {
        Ok(reply) => reply.render(pretty),
        Err(e) => e.into_response(),
    }
}

fn transient_fault() -> Response {
    if rand::rng().random_bool(0.5) {
        let mut r = (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(PortalError::new(429, "Too many requests. Try again later.").body()),
        )
            .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        r
    } else {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(
                PortalError::new(500, "An error occurred on the server (injected fault).").body(),
            ),
        )
            .into_response()
    }
}
