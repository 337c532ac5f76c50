//! Build script of the desktop app: generates Tauri's context and the permission set of the
//! app's own commands. Every command must be listed here to be callable at all, and must also
//! be granted in `src-tauri/capabilities/main.json` (opt-in, see DESIGN.md "Security").

include!("src/commands/names.rs");

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/src/commands/names.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES)),
    )
    .expect("tauri-build failed");
}
