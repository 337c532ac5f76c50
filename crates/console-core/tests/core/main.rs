//! Integration tests of the console's logic against the real embedded portal.

mod sessions;
