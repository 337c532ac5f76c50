//! The commands the webview may call, one module per domain word (as in `console-core`). Each
//! one unpacks its request, calls `console-core` and maps the error; logic that grows past a
//! screen belongs in a crate, not here.
//!
//! Adding a command: write the function in its domain's module, add `module::function` to
//! `list.rs` (that one list feeds the build script's permissions, the invoke handler and the
//! TS bindings), grant `allow-<name>` in `src-tauri/capabilities/main.json` (tests/app fails
//! until the grants and the list agree), run `make bindings`, and give the UI a function for
//! it in `ui/src/platform/backend.ts`.

pub mod app;
pub mod bulk;
pub mod export;
pub mod groups;
pub mod import;
pub mod invitations;
pub mod journal;
pub mod licenses;
pub mod members;
pub mod session;
pub mod updates;

/// Turns the list in `list.rs` into the command names and the specta builder's commands.
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        /// Every command the webview can invoke, by name.
        pub const COMMAND_NAMES: &[&str] = &[$(stringify!($command)),*];

        /// Every command, for the specta builder (invoke handler and TS bindings).
        pub fn collected() -> tauri_specta::Commands<tauri::Wry> {
            tauri_specta::collect_commands![$($module::$command),*]
        }
    };
}

include!("list.rs");
