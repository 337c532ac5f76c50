//! Keeping the app light on an administrator's laptop (figures in `docs/memory.md`).
//!
//! - The web view draws without OpenGL compositing. On Linux, WebKitGTK's accelerated
//!   compositing keeps layer buffers and much more of the GL driver in the web process: 83 MiB
//!   of the sign-in screen's 352 MiB under Mesa, for a window of forms and one table that
//!   scrolls. (WebKit still opens an EGL display, so the driver stays mapped in part.)
//! - The web view's cache model is the document viewer's: the app shows its own bundled pages,
//!   so WebKit's memory and page caches only hold what will never be read again.
//! - The Rust side allocates through mimalloc (`main.rs`), which hands freed pages back to the
//!   OS. With glibc's allocator the copies an answer of 100,000 members needs in flight stayed
//!   in the process after it was sent.

/// The environment WebKit reads at start; called first thing in `main`, before any thread.
/// A setting the person made in their own environment wins.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
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
