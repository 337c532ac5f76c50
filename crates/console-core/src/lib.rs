//! The app's logic without Tauri, one module per domain word: the session and signing in
//! (`session`, `sign_in`, `profiles`, `secrets`), members (`members/`: load, edit, details,
//! delete, create, the local cache), `groups`, `invitations`, changes to many members at once
//! (`bulk`) and the demo portal (`demo`). Each adds its operations to [`Console`].
//!
//! What is deliberately not in it: Tauri, the webview and anything that renders. The Tauri
//! shell in `src-tauri/` calls into this crate and maps its errors; this crate can be tested
//! and benchmarked on its own.

pub mod bulk;
pub mod demo;
pub mod error;
pub mod groups;
pub mod invitations;
pub mod members;
pub mod profiles;
pub mod secrets;
pub mod session;
pub mod sign_in;

pub use bulk::{BulkItem, BulkKind, BulkOutcome, BulkProgress, BulkReport, BulkRequest};
pub use error::{Error, Result};
pub use groups::{GroupMemberRow, GroupRow, GroupSummary};
pub use invitations::{InvitationRow, InvitationState};
pub use members::{
    CacheState, Choice, Choices, Created, DeleteSummary, LoadProgress, Member, MemberDetails,
    MemberEdit, MemberGroup, NewMemberForm, ReceivedInvitation, UsernameCheck,
};
pub use profiles::{Profile, SignInMethod};
pub use session::{Console, PortalKind, SessionInfo};
pub use sign_in::SavedProfiles;

/// Facts about this build of the app, shown on the welcome screen and in "About".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// The product name, as people see it.
    pub name: String,
    /// The semantic version of the app.
    pub version: String,
}

impl AppInfo {
    /// Builds the facts from the product name and version the shell was packaged with.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AppInfo;

    #[test]
    fn app_info_keeps_the_name_and_version_it_was_given() {
        let info = AppInfo::new("Memberdesk", "1.2.3");
        assert_eq!(info.name, "Memberdesk");
        assert_eq!(info.version, "1.2.3");
    }
}
