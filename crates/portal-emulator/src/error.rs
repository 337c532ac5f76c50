//! The portal's error envelope. Every API error is answered with HTTP 200 and
//! `{"error":{"code":N,"message":"…","details":[…]}}` (docs/PORTAL-API.md, Transport >
//! errors): Esri's clients depend on it, and a real 4xx makes the Python client drop its token
//! (docs/PORTAL-API.md, Client quirks).
//!
//! What is deliberately not here: the HTML error pages of sign-in and of the invitation page
//! (`oauth`, `invitations`), which browsers read.

use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// An error of the Sharing API, as the portal reports it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct PortalError {
    /// The ArcGIS error code (400, 403, 498, 499, 500…).
    pub code: u16,
    /// The exact message text; some texts are matched by Esri's clients.
    pub message: String,
    /// More detail, often empty.
    pub details: Vec<String>,
    /// Esri's message code (e.g. `GWM_0003`), when the real portal sends one.
    pub message_code: Option<&'static str>,
    /// Extra OAuth-style keys (`error`, `error_description`) for oauth2 endpoints.
    pub oauth_error: Option<&'static str>,
}

/// The result of every handler.
pub type Result<T> = std::result::Result<T, PortalError>;

impl PortalError {
    /// A generic error with the given code and message.
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: Vec::new(),
            message_code: None,
            oauth_error: None,
        }
    }

    /// Adds one detail line.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    /// A 400 for bad input, naming what was wrong.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// The exact text Python matches to decide a user does not exist (docs/PORTAL-API.md,
    /// Transport > errors).
    pub fn user_not_found() -> Self {
        Self::new(400, "User does not exist or is inaccessible.")
    }

    /// The exact text Python matches to decide a group does not exist (docs/PORTAL-API.md,
    /// Transport > errors).
    pub fn group_not_found() -> Self {
        let mut e = Self::new(400, "Group does not exist or is inaccessible.");
        e.message_code = Some("CONT_0006");
        e
    }

    /// Signed in, but not allowed.
    pub fn forbidden() -> Self {
        Self::new(
            403,
            "You do not have permissions to access this resource or perform this operation.",
        )
    }

    /// Anonymous call to a secured operation.
    pub fn token_required() -> Self {
        let mut e = Self::new(499, "Token Required").with_detail("Token required.");
        e.message_code = Some("GWM_0003");
        e
    }

    /// A token that is expired, revoked or unknown.
    pub fn invalid_token() -> Self {
        Self::new(498, "Invalid token.").with_detail("Invalid token.")
    }

    /// A path under the API that names no resource or operation.
    pub fn invalid_url() -> Self {
        Self::new(400, "Invalid URL")
    }

    /// An error of an oauth2 endpoint, with the OAuth-style keys as well.
    pub fn oauth(code: u16, error: &'static str, description: impl Into<String>) -> Self {
        let mut e = Self::new(code, description);
        e.oauth_error = Some(error);
        e
    }

    /// A server-side failure that must not leak internals.
    pub fn internal(context: &str) -> Self {
        Self::new(
            500,
            format!("Unable to complete the operation ({context})."),
        )
    }

    /// The JSON body of this error.
    pub fn body(&self) -> Value {
        let mut error = json!({
            "code": self.code,
            "message": self.message,
            "details": self.details,
        });
        if let Some(mc) = self.message_code {
            error["messageCode"] = json!(mc);
        }
        if let Some(oe) = self.oauth_error {
            error["error"] = json!(oe);
            error["error_description"] = json!(self.message);
        }
        json!({ "error": error })
    }
}

impl From<rusqlite::Error> for PortalError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Self::new(400, "The resource does not exist."),
            other => {
                eprintln!("portal-emulator: database error: {other}");
                Self::internal("database")
            }
        }
    }
}

impl From<r2d2::Error> for PortalError {
    fn from(e: r2d2::Error) -> Self {
        eprintln!("portal-emulator: database pool error: {e}");
        Self::internal("database busy")
    }
}

/// Marks a response as an error envelope with this portal code, so that the switch
/// "real HTTP status codes on errors" (docs/PORTAL-API.md, Emulator profiles > switches) can
/// apply it.
#[derive(Debug, Clone, Copy)]
pub struct ErrorStatus(pub u16);

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        // HTTP 200 on purpose: see the module doc.
        let mut r = axum::Json(self.body()).into_response();
        r.extensions_mut().insert(ErrorStatus(self.code));
        r
    }
}

pub use r2d2_sqlite::rusqlite;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_required_carries_the_message_code_rest_js_uses() {
        let body = PortalError::token_required().body();
        assert_eq!(body["error"]["code"], 499);
        assert_eq!(body["error"]["messageCode"], "GWM_0003");
        assert_eq!(body["error"]["message"], "Token Required");
    }

    #[test]
    fn oauth_errors_carry_both_shapes() {
        let body = PortalError::oauth(498, "invalid_request", "refresh_token expired").body();
        assert_eq!(body["error"]["error"], "invalid_request");
        assert_eq!(body["error"]["error_description"], "refresh_token expired");
        assert_eq!(body["error"]["message"], "refresh_token expired");
    }
}
