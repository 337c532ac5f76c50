//! Memberdesk's entry point; everything lives in the library so tests can reach it.

// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Gives freed memory back to the OS (see `memory.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    memberdesk_lib::memory::before_start();
    memberdesk_lib::run();
}
