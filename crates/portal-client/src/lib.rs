//! A typed async client of the ArcGIS Sharing REST API, for user management.
//!
//! What it is for: signing in to ArcGIS Online and ArcGIS Enterprise (OAuth2 authorization
//! code with PKCE, refresh, `generateToken`, revoke), every user-management operation (users,
//! invitations, roles, user types, credits, groups), paging that reaches past the 10,000-result
//! search cap, retries and batching.
//!
//! What is deliberately not in it: anything about Tauri, the UI or local storage. It speaks the
//! real contract (`shared/PORTAL-CONTRACT.md`) and never special-cases the embedded portal.
//!
//! The operations arrive with the issue "The typed portal client"; for now the crate only
//! names itself so the workspace layout is in place.

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
