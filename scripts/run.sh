#!/usr/bin/env bash
# Sets up what is missing on this machine and starts Memberdesk (README, first command).
# Usage: scripts/run.sh [--release]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_toolchains
ensure_apt_packages "${BUILD_PACKAGES[@]}"
ensure_ui_packages

if [[ "${1:-}" == "--release" ]]; then
  say "Building Memberdesk (release)"
  tauri_cli build --no-bundle
  exec "$REPO_ROOT/target/release/memberdesk"
fi

say "Building and starting Memberdesk (the window opens when the build is done)"
tauri_cli build --debug --no-bundle
exec "$REPO_ROOT/target/debug/memberdesk"
