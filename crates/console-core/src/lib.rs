//! The app's logic without Tauri, one module per domain word: the session and signing in
//! (`session`, `sign_in`, `profiles`, `secrets`), members (`members/`: load, edit, details,
//! delete, create, the local cache), `groups`, `invitations`, changes to many members at once
//! (`bulk`), `licenses`, members in and out of CSV files (`import/`, `export`), the record of
//! every change sent (`journal`), setting recorded changes back (`undo`) or finishing a job
//! that was cut off (`resume`), both through `replay`, and the demo portal (`demo`). Each
//! adds its operations to [`Console`].
//!
//! What is deliberately not in it: Tauri, the webview and anything that renders. The Tauri
//! shell in `src-tauri/` calls into this crate and maps its errors; this crate can be tested
//! and benchmarked on its own.

pub mod bulk;
pub mod demo;
pub mod diagnostics;
pub mod error;
pub mod export;
mod files;
pub mod groups;
pub mod import;
pub mod invitations;
pub mod journal;
pub mod licenses;
pub mod members;
pub mod offboard;
pub mod profiles;
pub mod replay;
pub mod resume;
pub mod secrets;
pub mod session;
pub mod sign_in;
pub mod undo;
pub mod updates;

pub use bulk::{
    BulkItem, BulkKind, BulkOutcome, BulkPlan, BulkProgress, BulkReport, BulkRequest, PlanItem,
    Verdict,
};
pub use error::{Error, Result};
pub use export::ExportRequest;
pub use groups::{GroupMemberRow, GroupRow, GroupSummary};
pub use import::{Column, FieldChange, ImportPlan, ImportReport, RowAction, RowOutcome, RowPlan};
pub use invitations::{InvitationRow, InvitationState};
pub use journal::{Change, ChangeOutcome, HistoryFilter, Job, JobState};
pub use licenses::{
    Idle, LicensePicture, Offers, ReclaimItem, ReclaimPlan, ReclaimRequest, SeatKind, SeatLine,
    SwapReport,
};
pub use members::{
    CacheState, Choice, Choices, Created, DeleteSummary, ListMatch, LoadProgress, Member,
    MemberDetails, MemberEdit, MemberGroup, MemberPage, NewMemberForm, ReceivedInvitation,
    UsernameCheck,
};
pub use profiles::{Profile, SignInMethod};
pub use session::{Console, PortalKind, SessionInfo};
pub use sign_in::SavedProfiles;

/// The REST base of a portal URL as the app and the journal name it
/// (`https://gis.example.com/portal` → `https://gis.example.com/portal/sharing/rest`).
pub fn rest_base(url: &str) -> Result<String> {
    Ok(portal_client::Client::builder(url.trim())
        .build()?
        .rest_base()
        .to_string())
}

/// What the log says of a portal's address: its scheme, host and port only (a URL as typed
/// may carry a name and password, or a token in its query).
pub(crate) fn logged_origin(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => "(not a URL)".to_string(),
    }
}

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
