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

# The app's log, kept with the artifacts; and the secrets the test portals hand out or are
# given (a `testing` build of portal-emulator appends them), which must never be in that log.
export MEMBERDESK_LOG_DIR="$artifacts/app-logs" PORTAL_EMULATOR_SECRETS_LOG="$home/issued-secrets"
rm -rf "$MEMBERDESK_LOG_DIR"
# The check for updates at start goes nowhere (a closed port) unless a test serves one.
export MEMBERDESK_UPDATE_ENDPOINT="http://127.0.0.1:9/latest.json"

# The keychain: gnome-keyring's Secret Service, unlocked with a throwaway password.
eval "$(printf 'memberdesk-e2e\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# The tests themselves start the tauri-driver they need (tests/e2e/lib/harness.mjs). No test
# (nor file) may run past its time-out, and the whole run is bounded: a stuck driver or app
# fails the run with its logs printed below, it never hangs CI. (Not --test-force-exit: it
# ends the run before the TAP report is complete; harness.mjs leaves no handle open.)
cd "$here"
status=0
timeout --kill-after=30 1800 node --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$artifacts/results.tap" \
  ./*.test.mjs || status=$?
# Over the whole run: what the app's log holds (run-end/app-log.test.mjs), once every app ended.
timeout 120 node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$artifacts/results-run-end.tap" \
  ./run-end/*.test.mjs || status=$((status == 0 ? 1 : status))
if [[ "$status" -ne 0 ]]; then
  [[ "$status" -eq 124 ]] && echo "the end-to-end run did not end within 30 minutes: stopped"
  for log in "$artifacts"/logs/*-driver-*.log; do
    [[ -f "$log" ]] || continue
    echo "---- last lines of $log (tauri-driver, WebKitWebDriver and the app)"
    tail -n 40 "$log"
  done
fi
exit "$status"
