#!/usr/bin/env bash
# Compatibility tests of the embedded portal with Esri's own clients: the `arcgis` Python
# package (pytest, in a virtual environment made here) and @esri/arcgis-rest-js (node:test).
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
  (cd "$here/js" && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } \
    && node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$results/js.tap" ./*.test.mjs) || status=1
fi
exit "$status"
