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
    /// The portal refused the app's OAuth registration (unknown client ID, redirect URI not
    /// registered): the message says what to fix, the UI shows the registration steps.
    AppRegistration,
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
    /// An error of the given kind with a human message. Every error a command answers is
    /// made here, so this is where it reaches the log (its message holds nothing secret).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let message = message.into();
        let level = match code {
            ErrorCode::Cancelled | ErrorCode::InvalidInput | ErrorCode::NotFound => {
                log::Level::Info
            }
            _ => log::Level::Warn,
        };
        log::log!(level, "command answered {code:?}: {message}");
        Self { code, message }
    }
}

/// The result of every command.
pub type CommandResult<T> = std::result::Result<T, CommandError>;

impl From<portal_client::Error> for CommandError {
    fn from(e: portal_client::Error) -> Self {
        use portal_client::Error as E;
        let code = match &e {
            E::Network(_) | E::Unavailable { .. } => ErrorCode::Network,
            E::AuthExpired(_) | E::AuthRequired(_) => ErrorCode::AuthRequired,
            E::Forbidden(_) => ErrorCode::Forbidden,
            E::InvalidInput(_) => ErrorCode::InvalidInput,
            E::Portal { .. } | E::Decode { .. } | E::Redirect(_) => ErrorCode::Portal,
            E::AppRegistration(_) => ErrorCode::AppRegistration,
            _ => ErrorCode::Internal,
        };
        let message = match &e {
            E::Network(_) | E::Unavailable { .. } => {
                format!("The portal could not be reached ({e}). Check the connection and retry.")
            }
            E::AuthExpired(_) | E::AuthRequired(_) => {
                "Your session has ended. Sign in again.".to_string()
            }
            E::Forbidden(_) => "Your role in this organization cannot do this.".to_string(),
            E::Portal { message, .. } => message.clone(),
            _ => e.to_string(),
        };
        CommandError::new(code, message)
    }
}

impl From<console_core::Error> for CommandError {
    fn from(e: console_core::Error) -> Self {
        use console_core::Error as E;
        match e {
            E::Portal(p) => p.into(),
            E::NoSession => {
                CommandError::new(ErrorCode::AuthRequired, "Sign in to a portal first.")
            }
            E::InvalidInput(m) => CommandError::new(ErrorCode::InvalidInput, m),
            E::NotFound(m) => CommandError::new(ErrorCode::NotFound, m),
            E::Refused(m) => CommandError::new(ErrorCode::Portal, m),
            E::Cancelled(m) => CommandError::new(ErrorCode::Cancelled, m),
            other => CommandError::new(ErrorCode::Internal, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_errors_map_to_codes_the_ui_acts_on() {
        let e: CommandError = portal_client::Error::AuthExpired("Invalid token.".into()).into();
        assert_eq!(e.code, ErrorCode::AuthRequired);
        let e: CommandError = portal_client::Error::Forbidden("nope".into()).into();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e: CommandError = portal_client::Error::Portal {
            code: 400,
            message: "Invalid username or password.".into(),
            details: vec![],
        }
        .into();
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::Portal, "Invalid username or password.")
        );
        let e: CommandError = console_core::Error::NoSession.into();
        assert_eq!(e.code, ErrorCode::AuthRequired);
        let e: CommandError =
            portal_client::Error::AppRegistration(portal_client::Refusal::ClientId {
                client_id: "abc".into(),
            })
            .into();
        assert_eq!(e.code, ErrorCode::AppRegistration);
        assert!(e.message.contains("Developer credentials"), "{}", e.message);
    }

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
