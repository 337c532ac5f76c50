//! The client's one error type. Portal failures arrive inside HTTP 200 bodies
//! (`{"error":{code,message,details}}`); [`decode`](crate::transport) turns them into
//! [`Error::Portal`] or one of the auth variants, so callers branch on kinds, not texts.

/// Everything that can go wrong talking to a portal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The portal could not be reached, or the connection broke.
    #[error("cannot reach the portal: {0}")]
    Network(String),
    /// The token is expired, revoked or unknown (portal code 498).
    #[error("the session has expired: {0}")]
    AuthExpired(String),
    /// No token was sent for a secured operation (portal code 499), or there is no session.
    #[error("sign-in required: {0}")]
    AuthRequired(String),
    /// Signed in, but this account may not do this (portal code 403).
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The portal refused the request for a reason of its own.
    #[error("{message} (portal error {code})")]
    Portal {
        /// The portal's error code (400, 404, 500…).
        code: i64,
        /// The portal's message, as sent.
        message: String,
        /// More detail, often empty.
        details: Vec<String>,
    },
    /// A transient failure (429 or 5xx) that persisted through every retry.
    #[error("the portal is busy or failing (HTTP {status}) and retries did not help")]
    Unavailable {
        /// The last HTTP status seen.
        status: u16,
    },
    /// The portal redirected a request to another origin, or to plain HTTP off this computer:
    /// the redirect was not followed and nothing was sent there (never retried).
    #[error("refused to follow the portal's redirect: {0}")]
    Redirect(String),
    /// The portal refused the app's OAuth registration before anyone signed in: it does not
    /// know the client ID, or the registration does not allow the redirect URI. The message
    /// says what to fix in the organization.
    #[error("{0}")]
    AppRegistration(crate::oauth::Refusal),
    /// The caller gave something unusable (a bad URL, a missing value).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The answer did not have the expected shape; `path` names the field.
    #[error("unexpected answer from the portal at `{path}`: {message}")]
    Decode {
        /// The JSON path of the offending field (`users[3].created`).
        path: String,
        /// What was wrong.
        message: String,
    },
}

impl Error {
    /// Whether retrying the same request later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Network(_) | Error::Unavailable { .. })
    }

    /// For people: a portal refusal in the portal's own words (its message, without the
    /// code); any other failure as it displays.
    pub fn reason(&self) -> String {
        match self {
            Error::Portal { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

/// The result of every client call.
pub type Result<T> = std::result::Result<T, Error>;
