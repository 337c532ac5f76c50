#!/usr/bin/env bash
# Runs the end-to-end tests inside `dbus-run-session -- xvfb-run ...` (scripts/test.sh does
# that): a throwaway HOME, an unlocked gnome-keyring for the OS keychain, then node's test
# runner over tests/e2e/*.test.mjs. Nothing is left running afterwards.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
artifacts="${E2E_ARTIFACTS:?}"
mkdir -p "$artifacts"

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
  XDG_CACHE_HOME="$home/.cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

# The keychain: gnome-keyring's Secret Service, unlocked with a throwaway password.
eval "$(printf 'memberdesk-e2e\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# The tests themselves start the tauri-driver they need (tests/e2e/lib/harness.mjs).
cd "$here"
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$artifacts/results.tap" \
  ./*.test.mjs
