#!/usr/bin/env bash
# Compatibility tests of the embedded portal with Esri's own clients: the `arcgis` Python
# package (pytest, in a virtual environment made here), @esri/arcgis-rest-js and the ArcGIS Maps
# SDK for JavaScript in headless Chromium (node:test; Chromium and its driver come from
# Debian's chromium and chromium-driver, see scripts/lib.sh).
# Usage: tests/compat/run.sh RESULTS_DIR   (PORTAL_EMULATOR must name the binary)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
results="${1:?results directory}"
mkdir -p "$results"
: "${PORTAL_EMULATOR:?set PORTAL_EMULATOR to the portal-emulator binary}"
export PORTAL_EMULATOR

venv="${COMPAT_VENV:-$here/../../target/compat-venv}"
stamp="$venv/.requirements"
if ! cmp -s "$stamp" "$here/python/requirements.txt" 2>/dev/null; then
  echo "==> Installing Esri's arcgis package into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/python/requirements.txt"
  cp "$here/python/requirements.txt" "$stamp"
fi

status=0
(cd "$here/python" && "$venv/bin/python" -m pytest -q -p no:cacheprovider \
  --junitxml="$results/python.xml" .) || status=1

if [[ -f "$here/js/package.json" ]]; then
  # npm ci again whenever the lockfile differs from the one node_modules was installed from.
  js_stamp="$here/js/node_modules/.compat-lock"
  (cd "$here/js" && { cmp -s "$js_stamp" package-lock.json \
      || { echo "==> Installing the JavaScript clients (npm ci)" && npm ci --ignore-scripts --no-audit --no-fund \
        && cp package-lock.json "$js_stamp"; }; } \
    && node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$results/js.tap" ./*.test.mjs) || status=1
fi
exit "$status"
