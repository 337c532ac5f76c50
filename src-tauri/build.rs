//! Build script of the desktop app: generates Tauri's context and the permission set of the
//! app's own commands. Every command must be listed here to be callable at all, and must also
//! be granted in `src-tauri/capabilities/main.json` (opt-in; docs/ARCHITECTURE.md, "Adding a command").

/// Turns the command list into the names tauri-build makes permissions for.
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        const COMMAND_NAMES: &[&str] = &[$(stringify!($command)),*];
    };
}

include!("src/commands/list.rs");

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/src/commands/list.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES)),
    )
    .expect("tauri-build failed");
}
