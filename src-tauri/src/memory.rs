//! Keeping the app light on an administrator's laptop (figures in `docs/memory.md`).
//!
//! - The web view draws without OpenGL compositing. On Linux, WebKitGTK's accelerated
//!   compositing keeps layer buffers and much more of the GL driver in the web process: 83 MiB
//!   of the sign-in screen's 352 MiB under Mesa, for a window of forms and one table that
//!   scrolls. (WebKit still opens an EGL display, so the driver stays mapped in part.)
//! - JavaScriptCore sizes its heap for a machine of 256 MiB (`JSC_forceRAMSize`): it collects
//!   garbage sooner instead of growing. With 100,000 members loaded the web process holds 209
//!   MiB once it has collected (233 to 245 without the setting), and the keystroke median stays
//!   at 13 to 16 ms. (Nothing in the web view is large any more: the members stay on the Rust
//!   side.)
//! - The web view's cache model is the document viewer's: the app shows its own bundled pages,
//!   so WebKit's memory and page caches only hold what will never be read again.
//! - The Rust side allocates through mimalloc (`main.rs`), which hands freed pages back to the
//!   OS: with 100,000 members loaded the app held 204 to 225 MiB with it, 302 with glibc's
//!   allocator (before huge pages were turned off, below).
//! - Transparent huge pages are off for the app and the WebKit processes it starts (Linux).
//!   Where the kernel offers them, mimalloc asks for them on its arenas; the kernel then fills
//!   every 2 MiB range the allocator touched into a whole huge page, in the background, long
//!   after the work is done, and a freed 64 KiB inside one stays resident. With 100,000
//!   members loaded the app grew from 212 to 234 MiB in a minute at rest, with no CPU of its
//!   own; without huge pages it settles at 185 to 194 MiB and stays there, and the sign-in
//!   screen holds 102 to 105 MiB instead of 116.

/// The environment WebKit reads at start; called first thing in `main`, before any thread.
/// A setting the person made in their own environment wins.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    {
        default_env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        huge_pages_off();
    }
    // Read by JavaScriptCore in the web process, which inherits the app's environment.
    default_env("JSC_forceRAMSize", &(256u64 << 20).to_string());
}

/// Transparent huge pages off for this process from now on, and for the processes it starts
/// (inherited). A kernel without the setting (before 3.15) keeps huge pages: nothing else
/// changes.
#[cfg(target_os = "linux")]
fn huge_pages_off() {
    if let Err(e) = nix::sys::prctl::set_thp_disable(true) {
        eprintln!("memory: transparent huge pages stay on: {e}");
    }
}

/// Sets a variable unless the person set it themselves.
fn default_env(name: &str, value: &str) {
    if std::env::var_os(name).is_none() {
        std::env::set_var(name, value);
    }
}

/// The web view's own settings, once its window exists.
pub fn configure(app: &tauri::App) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
        for window in app.webview_windows().values() {
            window.with_webview(|webview| {
                if let Some(context) = webview.inner().context() {
                    context.set_cache_model(CacheModel::DocumentViewer);
                }
            })?;
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
    Ok(())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The processes the app starts (WebKit's) inherit the setting: the kernel says so in
    /// their `/proc/PID/status`. (Only the `prctl`: `before_start`'s environment is not set
    /// from a test, whose harness runs other tests on other threads.)
    #[test]
    fn huge_pages_are_off_for_the_app_and_the_processes_it_starts() {
        super::huge_pages_off();
        assert!(nix::sys::prctl::get_thp_disable().expect("prctl"));
        let child = std::process::Command::new("grep")
            .args(["THP_enabled", "/proc/self/status"])
            .output()
            .expect("grep runs");
        let status = String::from_utf8_lossy(&child.stdout);
        // Kernels before 5.0 do not print the line; the flag above is what they keep.
        if !status.is_empty() {
            assert_eq!(status.split_whitespace().nth(1), Some("0"), "{status}");
        }
    }
}
