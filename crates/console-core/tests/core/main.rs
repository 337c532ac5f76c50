//! Integration tests of the console's logic against the real embedded portal.

mod bulk;
mod create;
mod invitations;
mod restore;
mod sessions;
