//! The commands the webview may call. Each one unpacks its request, calls `console-core` and
//! maps the error; logic that grows past a screen belongs in a crate, not here.
//!
//! Adding a command takes three steps: the function here, its name in `names.rs`, and
//! its `allow-…` permission in `src-tauri/capabilities/main.json`. Then regenerate the bindings
//! (`make bindings`).

pub mod app;
pub mod groups;
pub mod invitations;
pub mod members;
pub mod names;
pub mod session;
