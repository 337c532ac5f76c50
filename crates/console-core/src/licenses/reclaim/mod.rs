//! Reclaiming seats: members holding a paid user type or license who have not signed in for
//! N days (or never, and were created more than N days ago). The plan says, per member, what
//! would be revoked and whether the user type goes down, and what seats would come back; the
//! job then revokes, changes roles where the lower type needs it, and downgrades.
//!
//! Order matters, and is ArcGIS's: licenses the lower type cannot hold are revoked first
//! (the portal refuses the type otherwise), then the role is lowered where the lower type does
//! not allow it (a lower role is always allowed by the higher type), then the type.
//!
//! Here: what is asked and what a plan holds. The pure plan from the cached rows is in
//! `plan.rs`, the job that sends it in `run.rs`, and what it records in the journal before
//! the first request in `record.rs`.

use serde::{Deserialize, Serialize};

mod plan;
mod record;
mod run;

pub use plan::plan_reclaim;

/// A day, in the epoch milliseconds of last logins.
const DAY_MS: i64 = 86_400_000;

/// What to reclaim.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimRequest {
    /// Members idle this many days or more.
    pub days: u32,
    /// Also members who never signed in (and were created more than `days` ago).
    pub include_never: bool,
    /// User types to downgrade from.
    pub user_types: Vec<String>,
    /// The user type to downgrade to (`None`: keep the user type).
    pub downgrade_to: Option<String>,
    /// The role to give where the lower user type does not allow the member's role.
    pub downgrade_role: Option<String>,
    /// License keys to revoke (`<item id>/<entitlement>`, `bundle/<id>`).
    pub licenses: Vec<String>,
}

/// One member of a reclaim plan.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimItem {
    pub username: String,
    pub full_name: String,
    #[specta(type = Option<f64>)]
    pub last_login: Option<i64>,
    pub user_type_name: String,
    /// License keys that would be revoked.
    pub revoke: Vec<String>,
    /// Whether the user type goes down.
    pub downgrade: bool,
    /// The role given first, where the lower type needs it.
    pub new_role: Option<String>,
    /// Why (part of) the member cannot be reclaimed; what can be done still is.
    pub problem: Option<String>,
}

/// Seats that would come back, per user type, license or bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Freed {
    pub key: String,
    pub name: String,
    pub count: u32,
}

/// The plan of a reclaim.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimPlan {
    pub items: Vec<ReclaimItem>,
    pub freed: Vec<Freed>,
}
