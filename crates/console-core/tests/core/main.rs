//! Integration tests of the console's logic against the real embedded portal, one module per
//! domain word; what the portal holds is read with `portal_emulator::inspect` and changed only
//! through its API. `support` holds what the modules share.

mod bulk;
mod create;
mod delete;
mod demo;
mod details;
mod edit;
mod groups;
mod invitations;
mod journal;
mod licenses;
mod offboard;
mod restore;
mod resume;
mod sessions;
mod support;
mod table;
mod undo;
