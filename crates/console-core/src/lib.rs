//! The app's logic without Tauri: sessions and portal profiles, the demo portal, the local
//! member cache (later: bulk jobs and their journal, CSV import and export).
//!
//! What is deliberately not in it: Tauri, the webview and anything that renders. The Tauri
//! shell in `src-tauri/` calls into this crate and maps its errors; this crate can be tested
//! and benchmarked on its own.

pub mod bulk;
pub mod console;
pub mod create;
pub mod demo;
pub mod error;
pub mod groups;
pub mod invitations;
pub mod members;
pub mod profiles;
pub mod secrets;

pub use bulk::{BulkItem, BulkKind, BulkOutcome, BulkProgress, BulkReport, BulkRequest};
pub use console::{
    Console, DeleteSummary, LoadProgress, MemberDetails, MemberEdit, MemberGroup, PortalKind,
    ReceivedInvitation, SavedProfiles, SessionInfo,
};
pub use create::{Created, NewMemberForm, UsernameCheck};
pub use error::{Error, Result};
pub use groups::{GroupMemberRow, GroupRow, GroupSummary};
pub use invitations::{InvitationRow, InvitationState};
pub use members::{CacheState, Choice, Choices, Member};
pub use profiles::{Profile, SignInMethod};

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
