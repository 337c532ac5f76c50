//! Invitations (docs/PORTAL-API.md, Invitations), by who handles them:
//!
//! - `invite`: an administrator adds people to the organization (`portals/self/invite`: an
//!   entry with a username is a member at once) or invites them to join (`inviteByEmail`, and
//!   `invite` entries without a username);
//! - `org`: the organization's open invitations, one invitation, withdrawing one;
//! - `accept`: the page opened from an email's link: to join, or to set the password of a
//!   member created without one;
//! - `outbox`: the emails this portal would have sent (`portals/self/emulator/outbox`, an
//!   extension of this portal: nothing is mailed);
//! - `received`: a member's own invitations to groups, to accept or decline;
//! - `invitee`: the member an invitation will make, and making it.
//!
//! What is deliberately not here: inviting members to a group (`groups`, which creates the
//! invitations that `received` answers).

mod accept;
mod invite;
mod invitee;
mod org;
mod outbox;
mod received;

pub use invitee::{create_member, InviteeRecord};

use crate::error::PortalError;
use crate::{route, routing::Route};

/// Invitations last 14 days unless the request says otherwise.
pub const DEFAULT_EXPIRATION_MS: i64 = 14 * 86_400_000;

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Post, "portals/self/invite", invite::invite),
        route!(Api, Post, "portals/self/inviteByEmail", invite::invite_by_email),
        route!(Api, Read, "portals/self/invitations", org::list),
        route!(Api, Read, "portals/self/invitations/{}", org::get),
        route!(Api, Post, "portals/self/invitations/{}/delete", org::delete),
        route!(Api, Read, "portals/self/emulator/outbox", outbox::outbox),
        route!(Sharing, Read, "invitation/accept", accept::page, token_exempt),
        route!(Sharing, Post, "invitation/accept", accept::submit, token_exempt),
        route!(Api, Read, "community/users/{}/invitations", received::list),
        route!(Api, Read, "community/users/{}/invitations/{}", received::get),
        route!(Api, Post, "community/users/{}/invitations/{}/accept", received::accept),
        route!(Api, Post, "community/users/{}/invitations/{}/decline", received::decline),
    ]
}

/// The answer for an invitation id that names nothing the caller may see.
pub(crate) fn not_found() -> PortalError {
    PortalError::bad_request("Invitation does not exist or is inaccessible.")
}
