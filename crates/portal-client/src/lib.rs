//! A typed async client of the ArcGIS Sharing REST API, for user management.
//!
//! What it is for: signing in to ArcGIS Online and ArcGIS Enterprise, every user-management
//! operation, paging that reaches past the 10,000-result search cap, retries and batching.
//! Shape: a [`Client`] with a handler per resource (`client.users()`…), builders for
//! endpoints with options, typed ids, [`Page<T>`](models::Page).
//!
//! What is deliberately not in it: anything about Tauri, the UI or local storage. It speaks the
//! real contract (`shared/PORTAL-CONTRACT.md`) and never special-cases the embedded portal.
//!
//! State of the crate: transport (TLS, extra CA, retries, decoding), `generateToken` sign-in,
//! users (get, search, the whole org). OAuth2 with PKCE, writes and bulk helpers follow in
//! the issue "The typed portal client".

pub mod error;
pub mod models;
pub mod transport;
pub mod users;

pub use error::{Error, Result};
pub use models::{Page, User, UserId, Username};
pub use transport::{Client, ClientBuilder, RetryPolicy};

/// The user agent every request of this client carries.
pub const USER_AGENT: &str = concat!("Memberdesk-portal-client/", env!("CARGO_PKG_VERSION"));

#[cfg(test)]
mod tests {
    #[test]
    fn user_agent_names_the_crate_and_its_version() {
        assert!(super::USER_AGENT.starts_with("Memberdesk-portal-client/"));
        assert!(super::USER_AGENT.ends_with(env!("CARGO_PKG_VERSION")));
    }
}
