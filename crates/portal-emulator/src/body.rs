//! Reading a request's parameters from its query and body, within limits: each route has a
//! body limit ([`BodyLimit`]), small everywhere except where ArcGIS takes uploads; a body
//! declared larger is refused before a byte of it is read, and one that turns out larger is
//! refused as soon as it passes the limit, so neither is ever held whole. All bodies being
//! read at one time share [`BODY_BUDGET`] bytes: past it, requests wait their turn. A body
//! must arrive within [`READ_TIMEOUT`] (the dispatcher applies `Config::body_read_timeout`). The
//! numbers and why are in docs/SECURITY.md, Bounded resources.
//!
//! What is deliberately not here: which route a request goes to (`routing`, the dispatcher in
//! `lib.rs` finds it first, so the limit is the route's) and the checks on single values
//! (`params::Params::check_sizes`).

use std::sync::Arc;

use axum::body::HttpBody as _;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::PortalError;
use crate::params::Params;

/// The body limit of every route but uploads: forms, JSON lists and invitation batches are far
/// smaller (a hundred invitations is about 50 KiB).
pub const SMALL_BODY: usize = 256 * 1024;
/// The body limit where ArcGIS takes files (a member's or a group's thumbnail).
pub const UPLOAD_BODY: usize = 10 * 1024 * 1024;
/// The bytes of request bodies the portal reads at one time, all requests together.
pub const BODY_BUDGET: usize = 32 * 1024 * 1024;
/// How long a body may take to arrive once the request head has: 10 MiB at 200 KiB/s.
pub const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
// A body within its limit always fits the budget, so no request waits for ever.
const _: () = assert!(UPLOAD_BODY <= BODY_BUDGET);

/// How large a body a route reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    /// [`SMALL_BODY`].
    Small,
    /// [`UPLOAD_BODY`]: only operations that take files in ArcGIS.
    Upload,
}

impl BodyLimit {
    /// The limit in bytes.
    pub fn bytes(self) -> usize {
        match self {
            BodyLimit::Small => SMALL_BODY,
            BodyLimit::Upload => UPLOAD_BODY,
        }
    }
}

/// The shared budget of body bytes being read.
pub fn budget() -> Arc<Semaphore> {
    Arc::new(Semaphore::new(BODY_BUDGET))
}

/// What a request brought: its parameters, method and headers, and its share of the body
/// budget (held until the request is answered).
pub struct Read {
    pub params: Params,
    pub method: Method,
    pub headers: HeaderMap,
    pub _budget: Option<OwnedSemaphorePermit>,
}

/// The answer to a body over its route's limit: error 413 in the portal's envelope.
pub fn too_large(limit: usize) -> Response {
    PortalError::new(413, "The request is too large.")
        .with_detail(format!(
            "This operation accepts a request body of at most {} KiB.",
            limit / 1024
        ))
        .into_response()
}

/// The answer to a body that stopped arriving: error 408 in the portal's envelope.
pub fn too_slow() -> Response {
    PortalError::new(408, "The request took too long to arrive.")
        .with_detail("Send the request body without pausing.")
        .into_response()
}

fn bad_body(message: &str) -> Response {
    PortalError::bad_request(message).into_response()
}

/// Reads the query and the body (form, or multipart with files remembered by name) within
/// `limit` bytes, waiting for room in `budget` first.
pub async fn read_params(
    request: Request,
    limit: usize,
    budget: &Arc<Semaphore>,
) -> Result<Read, Response> {
    let (parts, body) = request.into_parts();
    let declared = body.size_hint().exact().map(|n| n as usize);
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let reserve = declared.unwrap_or(limit);
    let permit = if reserve == 0 {
        None
    } else {
        let n = u32::try_from(reserve).unwrap_or(u32::MAX);
        match budget.clone().acquire_many_owned(n).await {
            Ok(p) => Some(p),
            Err(_) => return Err(PortalError::internal("body budget").into_response()),
        }
    };
    let body = Body::new(http_body_util::Limited::new(body, limit));
    let mut params = Params::default();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let req = Request::from_parts(parts.clone(), body);
        let mut multipart = axum::extract::Multipart::from_request(req, &())
            .await
            .map_err(|_| bad_body("The multipart body is malformed."))?;
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(limit))
                }
                Err(_) => return Err(bad_body("The multipart body is malformed.")),
            };
            let name = field.name().unwrap_or("").to_string();
            let file_name = field.file_name().map(String::from);
            match field.bytes().await {
                // Files (thumbnails) are remembered by name only.
                Ok(bytes) => match file_name {
                    Some(f) => params.push(name, f),
                    None => params.push(name, String::from_utf8_lossy(&bytes).into_owned()),
                },
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(limit))
                }
                Err(_) => return Err(bad_body("The multipart body could not be read.")),
            }
        }
    } else {
        let bytes: Bytes = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(b) => b,
            Err(e) if is_over_limit(&e) => return Err(too_large(limit)),
            Err(_) => return Err(bad_body("The request body could not be read.")),
        };
        if !bytes.is_empty() && !content_type.starts_with("application/json") {
            params.extend_urlencoded(&bytes);
        }
    }
    if let Some(q) = parts.uri.query() {
        params.extend_urlencoded(q.as_bytes());
    }
    Ok(Read {
        params,
        method: parts.method,
        headers: parts.headers,
        _budget: permit,
    })
}

fn is_over_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}
