//! In-process tests of the embedded portal's API: the router is called directly, with a fresh
//! in-memory organization per test.

mod support;

mod auth;
mod basics;
mod fuzz;
mod groups;
mod inspect;
mod invitations;
mod members;
mod oauth;
mod oauth_paths;
mod pages;
mod redirects;
mod sessions;
mod storage;
mod users;
mod wire;
