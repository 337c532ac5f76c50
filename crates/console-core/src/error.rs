//! One error type for the console's logic. The shell maps it to `{code, message}`; the
//! messages say what happened and what to do, and never contain a token or a password.

/// What went wrong in the console's logic.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The portal answered with an error, or could not be reached.
    #[error(transparent)]
    Portal(#[from] portal_client::Error),
    /// The local member cache could not be read or written.
    #[error("the local member cache failed: {0}")]
    Cache(#[from] rusqlite::Error),
    /// The journal of changes could not be read or written.
    #[error("the journal of changes failed: {0}")]
    Journal(String),
    /// The demo portal could not start.
    #[error("the demo portal could not start: {0}")]
    Demo(String),
    /// Something asked for needs a session and there is none.
    #[error("not signed in: sign in to a portal first")]
    NoSession,
    /// A file of the app's own (profiles) could not be read or written.
    #[error("could not use the app's data folder: {0}")]
    Io(#[from] std::io::Error),
    /// The request was unusable (an empty username, a malformed URL).
    #[error("{0}")]
    InvalidInput(String),
    /// What the request is about no longer exists on the portal.
    #[error("{0}")]
    NotFound(String),
    /// The portal refused one member's change, with its reason.
    #[error("{0}")]
    Refused(String),
    /// The person stopped the operation.
    #[error("{0}")]
    Cancelled(String),
    /// The OS keychain could not keep or give a secret.
    #[error(transparent)]
    Keychain(#[from] crate::secrets::SecretError),
}

impl Error {
    /// A journal failure, from SQLite's error or a file's.
    pub(crate) fn journal(e: impl std::fmt::Display) -> Self {
        Error::Journal(e.to_string())
    }
}

/// The console's result type.
pub type Result<T> = std::result::Result<T, Error>;
