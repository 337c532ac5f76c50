//! In-process tests of the embedded portal's API: the router is called directly, with a fresh
//! in-memory organization per test.

mod auth;
mod basics;
mod connections;
mod delegation;
mod fuzz;
mod groups;
mod inspect;
mod invitations;
mod licenses;
mod limits;
mod members;
mod memory;
mod oauth;
mod oauth_paths;
mod pages;
mod query_bounds;
mod redirects;
mod sessions;
mod snapshot;
mod storage;
mod support;
mod users;
mod visibility;
mod wire;
