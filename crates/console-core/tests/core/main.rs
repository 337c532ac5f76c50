//! Integration tests of the console's logic against the real embedded portal.

mod bulk;
mod create;
mod details;
mod invitations;
mod restore;
mod sessions;
