#!/usr/bin/env bash
# Builds the installable packages of this platform. On Linux: .deb and .rpm under
# target/release/bundle/. (.msi and .dmg are configured in tauri.conf.json and build on their
# own platforms; AppImage is left out because its tooling downloads from the internet.)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_toolchains
ensure_apt_packages "${BUILD_PACKAGES[@]}"
ensure_ui_packages

case "$(uname -s)" in
  Linux) bundles="deb,rpm" ;;
  Darwin) bundles="app,dmg" ;;
  *) bundles="msi" ;;
esac
say "Building the release bundles: $bundles"
tauri_cli build --bundles "$bundles"
find "$REPO_ROOT/target/release/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' \
  -o -name '*.dmg' -o -name '*.msi' \) -print
