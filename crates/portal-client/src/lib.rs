//! A typed async client of the ArcGIS Sharing REST API, for user management.
//!
//! What it is for: signing in to ArcGIS Online and ArcGIS Enterprise, every user-management
//! operation, paging that reaches past the 10,000-result search cap, retries and batching.
//! Shape: a [`Client`] with a handler per resource (`client.users()`…), builders for
//! endpoints with options, typed ids, [`Page<T>`](models::Page).
//!
//! What is deliberately not in it: anything about Tauri, the UI or local storage. It speaks the
//! real API as `docs/PORTAL-API.md` describes it and never special-cases the embedded portal.
//!
//! Modules: `transport` (TLS, extra CA, retries, token renewal, decoding), `oauth` (PKCE
//! sign-in, refresh, revoke), `portal` (org, self, roles, user types), `users` (read, the org
//! listing, write, create), `invitations` (the org's and a member's own), `groups`, `bulk`
//! (per-member outcomes, never applied twice), `roles` (ArcGIS's rules on base roles, user
//! types, profile visibility and group member types).

pub mod bulk;
pub mod error;
pub mod groups;
pub mod invitations;
pub mod licenses;
pub mod models;
pub mod oauth;
pub mod portal;
pub mod roles;
pub mod transport;
pub mod users;

pub use bulk::{Bulk, BulkOptions, ItemOutcome, Outcome};
pub use error::{Error, Result};
pub use models::{
    ContentSummary, Group, GroupMember, Invitation, Me, Page, PortalSelf, Role, User, UserId,
    UserInvitation, UserType, Username,
};
pub use oauth::{
    redirect_uri, redirect_uris, OAuthSignIn, Refusal, LOOPBACK_PORTS, MEMBERDESK_CLIENT_ID,
};
pub use roles::{BaseRole, MemberType, ProfileVisibility, RoleLimit, VIEWER_ROLE_ID};
pub use transport::{Client, ClientBuilder, RefreshTokenListener, RetryPolicy};
pub use users::{NewMember, UserUpdate};

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
