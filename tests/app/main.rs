//! Integration tests of the desktop app package that need no window: the typed boundary and
//! the security configuration. The real-window tests are in `tests/e2e/`.

mod bindings;
mod security;
mod updates;
