//! The one error shape that crosses into the webview: `{ code, message }`.
//!
//! `code` is a closed set the UI branches on; `message` is for people and is never parsed.
//! Nothing secret may be put into a message (tokens, passwords, full request URLs).

use serde::Serialize;

/// What kind of failure a command met. The UI decides what to offer (sign in again, retry,
/// fix the form) from this alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A bug or an unexpected state inside the app.
    Internal,
    /// The request from the UI was malformed or failed validation.
    InvalidInput,
    /// The thing asked for does not exist (or is not visible to this account).
    NotFound,
    /// The portal could not be reached; retrying may help.
    Network,
    /// No session, or the session ended: sign in again.
    AuthRequired,
    /// Signed in, but this account's role cannot do this.
    Forbidden,
    /// The portal refused the request for a reason of its own (see the message).
    Portal,
    /// The person cancelled the operation.
    Cancelled,
}

/// The error every command returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// A sentence for people: what happened and, where possible, what to do.
    pub message: String,
}

impl CommandError {
    /// An error of the given kind with a human message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// The result of every command.
pub type CommandResult<T> = std::result::Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialize_as_code_and_message_with_snake_case_codes() {
        let err = CommandError::new(
            ErrorCode::AuthRequired,
            "Your session ended. Sign in again.",
        );
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "auth_required", "message": "Your session ended. Sign in again."})
        );
    }
}
