//! In-process tests of the embedded portal's API: the router is called directly, with a fresh
//! in-memory organization per test.

mod support;

mod auth;
mod basics;
mod delegation;
mod fuzz;
mod groups;
mod inspect;
mod invitations;
mod members;
mod oauth;
mod storage;
mod users;
