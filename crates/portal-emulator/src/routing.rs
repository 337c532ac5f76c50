//! The portal's own router. Esri's clients send double slashes, trailing slashes and operation
//! names in any case (docs/PORTAL-API.md, Transport > paths), while usernames and ids in the
//! same paths are data whose case must be kept. So paths are normalised here and matched
//! against patterns whose literal segments compare without case; `{}` segments capture the
//! value as sent. [`ApiRequest`] is what a handler reads its request from.
//!
//! What is deliberately not here: reading the body and resolving the caller (the dispatcher
//! in `lib.rs` does both before a handler runs, the body within the route's limit through
//! `body`).

use std::future::Future;
use std::pin::Pin;

use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::Value;

use crate::auth::Caller;
use crate::error::Result;
use crate::params::Params;
use crate::State;

/// Where a path lives on the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `/sharing/rest/...`: the API, errors as HTTP 200 envelopes.
    Api,
    /// `/sharing/...` outside `rest` (the sign-in form, the approval page).
    Sharing,
    /// `/portaladmin/...` (Enterprise profile).
    PortalAdmin,
}

/// One request, as handlers see it.
pub struct ApiRequest {
    /// GET, POST, ...
    pub method: Method,
    /// The values of the pattern's `{}` segments, percent-decoded, case kept.
    pub captures: Vec<String>,
    /// Query and body parameters.
    pub params: Params,
    /// Request headers.
    pub headers: HeaderMap,
    /// The portal's configured origin (`https://host:port`) for links it hands out: from
    /// `Config::public_url` or the listening socket, never from the Host header,
    /// `X-Forwarded-*` or the path.
    pub origin: String,
    /// The configured context path before `/sharing` (such as `/portal`), or empty. A
    /// web-adaptor segment in the request's path is routed but never copied into links.
    pub prefix: String,
    /// Who is calling, resolved from the token before the handler runs.
    pub caller: Option<Caller>,
}

impl ApiRequest {
    /// The `i`-th captured segment.
    pub fn capture(&self, i: usize) -> &str {
        self.captures.get(i).map(String::as_str).unwrap_or("")
    }

    /// An absolute URL of the portal: the configured origin and context path, then `path`
    /// (which starts with `/`). Every link and form action the portal renders is made here.
    pub fn portal_url(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.prefix)
    }

    /// The portal as configured, for the redirect rules of OAuth.
    pub(crate) fn portal(&self) -> crate::oauth::Portal<'_> {
        crate::oauth::Portal {
            origin: &self.origin,
            prefix: &self.prefix,
        }
    }

    /// The base of the REST API as the client sees it, e.g. `https://127.0.0.1:4443/sharing/rest`.
    pub fn rest_base(&self) -> String {
        self.portal_url("/sharing/rest")
    }

    /// The paging parameters of every list: `start` (1-based, default 1) and `num` (at most
    /// 100, default `default_num`).
    pub fn paging(&self, default_num: i64) -> Result<(i64, i64)> {
        let start = self.params.int("start", 1, 1, i64::MAX / 4)?;
        let num = self.params.int("num", default_num, 0, 100)?;
        Ok((start, num))
    }

    /// The SQL column for `sortField`, chosen from `(name, column)` pairs; the first pair is
    /// the default. Anything else is refused naming the choices.
    pub fn sort_column(&self, choices: &[(&str, &'static str)]) -> Result<&'static str> {
        let Some(asked) = self.params.str("sortField") else {
            return Ok(choices.first().map(|c| c.1).unwrap_or("1"));
        };
        choices
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(asked))
            .map(|c| c.1)
            .ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
                crate::error::PortalError::bad_request(format!(
                    "Invalid sortField '{}': use one of {}.",
                    crate::params::truncate(asked),
                    names.join(", ")
                ))
            })
    }

    /// `DESC` for `sortOrder=desc`, else `ASC`.
    pub fn sql_order(&self) -> &'static str {
        if self
            .params
            .str("sortOrder")
            .is_some_and(|o| o.eq_ignore_ascii_case("desc"))
        {
            "DESC"
        } else {
            "ASC"
        }
    }

    /// The signed-in caller, or error 499 for anonymous requests.
    pub fn user(&self) -> Result<&Caller> {
        self.caller
            .as_ref()
            .ok_or_else(crate::error::PortalError::token_required)
    }

    /// The signed-in caller, owned to go along into the blocking part of a handler; error 499
    /// for anonymous requests.
    pub fn signed_in(&self) -> Result<Caller> {
        self.user().cloned()
    }

    /// The signed-in caller if they hold `privilege`: error 499 for anonymous requests, 403
    /// for callers without it.
    pub fn holding(&self, privilege: &str) -> Result<Caller> {
        let caller = self.signed_in()?;
        caller.require(privilege)?;
        Ok(caller)
    }
}

/// What a handler answers.
pub enum Reply {
    /// A JSON body (pretty-printed for `f=pjson`).
    Json(Value),
    /// An HTML page with a status.
    Html(StatusCode, String),
    /// A `302 Found` to this location.
    Redirect(String),
    /// Anything else, fully formed.
    Raw(Response),
}

impl Reply {
    /// Renders the reply; `pretty` selects `f=pjson` formatting.
    pub fn render(self, pretty: bool) -> Response {
        match self {
            Reply::Json(v) => {
                let body = if pretty {
                    serde_json::to_string_pretty(&v)
                } else {
                    serde_json::to_string(&v)
                }
                .unwrap_or_else(|_| "{}".into());
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "application/json; charset=utf-8",
                    )],
                    body,
                )
                    .into_response()
            }
            Reply::Html(status, html) => (status, Html(html)).into_response(),
            Reply::Redirect(location) => {
                let mut r = Redirect::to(&location).into_response();
                *r.status_mut() = StatusCode::FOUND;
                r
            }
            Reply::Raw(r) => r,
        }
    }
}

/// The future a handler returns.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Reply>> + Send>>;
/// A handler: state and request in, reply out.
pub type Handler = fn(State, ApiRequest) -> HandlerFuture;

/// Which methods a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methods {
    /// Reads: the portal accepts GET and POST alike (docs/PORTAL-API.md, Transport >
    /// parameters).
    Read,
    /// Writes: POST only.
    Post,
}

/// One route: area, pattern such as `community/users/{}/update`, methods, handler.
pub struct Route {
    pub area: Area,
    pub pattern: &'static str,
    /// The pattern split at `/`, once.
    pub parts: Vec<&'static str>,
    pub methods: Methods,
    pub handler: Handler,
    /// Whether the route runs before token checks (sign-in endpoints, the root).
    pub public_token_check: bool,
    /// How large a body it reads (`body`): small, unless ArcGIS takes uploads there.
    pub body_limit: crate::body::BodyLimit,
}

/// Wraps an `async fn(State, ApiRequest) -> Result<Reply>` as a [`Handler`].
#[macro_export]
macro_rules! handler {
    ($f:path) => {
        |state, req| Box::pin($f(state, req))
    };
}

/// Declares a route: `route!(Api, Read, "community/users/{}", read::get_user)`; a trailing
/// `token_exempt` marks sign-in endpoints that run before any token check, a trailing
/// `upload` the few operations where ArcGIS takes files (a larger body limit, `body`).
#[macro_export]
macro_rules! route {
    ($area:ident, $methods:ident, $pattern:expr, $f:path) => {
        $crate::route!(@make $area, $methods, $pattern, $f, false, Small)
    };
    ($area:ident, $methods:ident, $pattern:expr, $f:path, token_exempt) => {
        $crate::route!(@make $area, $methods, $pattern, $f, true, Small)
    };
    ($area:ident, $methods:ident, $pattern:expr, $f:path, upload) => {
        $crate::route!(@make $area, $methods, $pattern, $f, false, Upload)
    };
    (@make $area:ident, $methods:ident, $pattern:expr, $f:path, $exempt:expr, $limit:ident) => {
        $crate::routing::Route {
            area: $crate::routing::Area::$area,
            pattern: $pattern,
            parts: $crate::routing::split_pattern($pattern),
            methods: $crate::routing::Methods::$methods,
            handler: $crate::handler!($f),
            public_token_check: $exempt,
            body_limit: $crate::body::BodyLimit::$limit,
        }
    };
}

/// The result of splitting a request path.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitPath {
    pub area: Area,
    pub segments: Vec<String>,
}

/// How many times a path segment is percent-decoded when looking for a hidden separator: a
/// legitimate segment is encoded once at most, so anything still changing after this many
/// rounds is refused as well.
const DECODE_ROUNDS: usize = 3;

/// Whether a raw path has a segment that is, or percent-decodes (once, twice, …) to, something
/// holding `/` or `\`: `%2F`, `%5C`, `%252F`, a raw backslash. Such a path is refused for every
/// route by the dispatcher before any matching (docs/SECURITY.md, "OAuth redirects and
/// rendered pages"): no handler ever sees a captured value with a separator in it.
pub fn has_encoded_separator(raw: &str) -> bool {
    raw.split('/').any(|segment| {
        let mut text = segment.to_string();
        for _ in 0..DECODE_ROUNDS {
            if text.contains(['/', '\\']) {
                return true;
            }
            let decoded = percent_encoding::percent_decode_str(&text)
                .decode_utf8_lossy()
                .into_owned();
            if decoded == text {
                return false;
            }
            text = decoded;
        }
        true
    })
}

/// The answer to a path refused by [`has_encoded_separator`]: HTTP 400 with ArcGIS's error
/// envelope (code 400), whatever the area.
pub fn encoded_separator_refusal() -> Response {
    let error = crate::error::PortalError::bad_request("Invalid URL")
        .with_detail("A path segment may not contain an encoded '/' or '\\'.");
    (StatusCode::BAD_REQUEST, axum::Json(error.body())).into_response()
}

/// Normalises a raw path (collapses repeated slashes, drops a trailing slash) and finds the
/// area. `None` for paths outside the portal.
pub fn split_path(raw: &str) -> Option<SplitPath> {
    let segments: Vec<String> = raw
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    // Allow one web-adaptor segment in front (`/portal/sharing/rest`, `/arcgis/portaladmin`).
    for skip in 0..=1usize.min(segments.len()) {
        let rest = &segments[skip..];
        let first = rest.first().map(|s| s.to_ascii_lowercase());
        match first.as_deref() {
            Some("sharing") => {
                let is_rest = rest.get(1).is_some_and(|s| s.eq_ignore_ascii_case("rest"));
                return Some(if is_rest {
                    SplitPath {
                        area: Area::Api,
                        segments: rest[2..].to_vec(),
                    }
                } else {
                    SplitPath {
                        area: Area::Sharing,
                        segments: rest[1..].to_vec(),
                    }
                });
            }
            Some("portaladmin") => {
                return Some(SplitPath {
                    area: Area::PortalAdmin,
                    segments: rest[1..].to_vec(),
                })
            }
            _ => {}
        }
    }
    None
}

/// Splits a route pattern at `/` (the empty pattern is the REST root).
pub fn split_pattern(pattern: &'static str) -> Vec<&'static str> {
    if pattern.is_empty() {
        Vec::new()
    } else {
        pattern.split('/').collect()
    }
}

/// Matches `segments` against a split pattern; returns the captures on success.
pub fn match_parts(parts: &[&str], segments: &[String]) -> Option<Vec<String>> {
    if parts.len() != segments.len() {
        return None;
    }
    let mut captures = Vec::new();
    for (part, seg) in parts.iter().zip(segments) {
        if *part == "{}" {
            captures.push(seg.clone());
        } else if !part.eq_ignore_ascii_case(seg) {
            return None;
        }
    }
    Some(captures)
}

/// Matches `segments` against a pattern; returns the captures on success.
pub fn match_pattern(pattern: &'static str, segments: &[String]) -> Option<Vec<String>> {
    match_parts(&split_pattern(pattern), segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_and_trailing_slashes_are_ignored() {
        let p = split_path("/sharing/rest//portals/self/updateuserrole/").unwrap();
        assert_eq!(p.area, Area::Api);
        assert_eq!(p.segments, ["portals", "self", "updateuserrole"]);
        assert_eq!(
            split_path("/sharing/rest/").unwrap().segments,
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_sign_in_form_lives_outside_rest_and_a_web_adaptor_prefix_is_skipped() {
        let p = split_path("/sharing/oauth2/signin").unwrap();
        assert_eq!(
            (p.area, p.segments.join("/")),
            (Area::Sharing, "oauth2/signin".into())
        );
        // Links never copy the request's prefix (they use the configured origin), so only
        // the routing is left to check.
        let p = split_path("/portal/sharing/rest/community/self").unwrap();
        assert_eq!(
            (p.area, p.segments.join("/")),
            (Area::Api, "community/self".into())
        );
        assert!(split_path("/rest/info").is_none());
    }

    #[test]
    fn segments_hiding_a_separator_are_found_however_often_encoded() {
        for bad in [
            "/sharing/rest/community/users/a%2Fb",
            "/sharing/rest/community/users/a%2fb",
            "/sharing/rest/community/users/a%5Cb",
            "/sharing/rest/community/users/a%255Cb",
            "/sharing/rest/community/users/a%25252Fb",
            "/sharing/rest/community/users/a\\b",
            "/%2F%2Fevil.example/sharing/oauth2/signin",
        ] {
            assert!(has_encoded_separator(bad), "{bad}");
        }
        for ok in [
            "/sharing/rest/community/users/j.smith%40example",
            "/sharing/rest//community/users/a%20b/",
            "/sharing/rest/community/users/100%25",
        ] {
            assert!(!has_encoded_separator(ok), "{ok}");
        }
    }

    #[test]
    fn literals_match_without_case_and_captures_keep_case() {
        let segs: Vec<String> = ["Community", "users", "JSmith", "UPDATE"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            match_pattern("community/users/{}/update", &segs),
            Some(vec!["JSmith".into()])
        );
        assert_eq!(match_pattern("community/users/{}", &segs), None);
    }
}
