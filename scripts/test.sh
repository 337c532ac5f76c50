#!/usr/bin/env bash
# Sets up what the tests need on this machine and runs every test (README, second command):
# gates (rustfmt, clippy, tsc, eslint), Rust tests, UI tests, end-to-end tests in the real app
# window under Xvfb. Ends with one summary line: "Summary: N passed, N failed".
# Artifacts (screenshots, logs) go to artifacts/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARTIFACTS="$REPO_ROOT/artifacts"
LOGS="$ARTIFACTS/logs"
rm -rf "$ARTIFACTS"
mkdir -p "$LOGS"

warn_if_disk_short 14
ensure_toolchains
ensure_apt_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_ui_packages
ensure_tauri_driver

passed=0
failed=0
report=()

# Runs a gate (a check that is not a test suite); it counts as one pass or one failure.
gate() {
  local name="$1"
  shift
  say "$name"
  if "$@" >"$LOGS/$name.log" 2>&1; then
    passed=$((passed + 1))
    report+=("ok    $name")
  else
    cat "$LOGS/$name.log"
    failed=$((failed + 1))
    report+=("FAIL  $name (log: artifacts/logs/$name.log)")
  fi
}

# Adds the counts a suite reported; a suite that crashed before reporting counts as a failure.
# (The counts are read with `|| true`: a report cut short must fail the suite, not end this
# script before its summary.)
suite() {
  local name="$1" ok="$2" bad="$3" status="$4"
  if [[ -z "$ok" ]]; then ok=0; fi
  if [[ -z "$bad" ]]; then bad=0; fi
  if [[ "$status" -ne 0 && "$bad" -eq 0 ]]; then bad=1; fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  if [[ "$bad" -eq 0 ]]; then
    report+=("ok    $name: $ok passed")
  else
    report+=("FAIL  $name: $ok passed, $bad failed (log: artifacts/logs/$name.log)")
  fi
}

cd "$REPO_ROOT"

gate rustfmt cargo fmt --all --check
gate clippy cargo clippy --workspace --all-targets --locked -- -D warnings

say "Rust tests"
set +e
cargo test --workspace --locked 2>&1 | tee "$LOGS/rust-tests.log"
status=${PIPESTATUS[0]}
set -e
ok=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$LOGS/rust-tests.log" | awk '{s+=$4} END {print s+0}')
bad=$(grep -Eo '[0-9]+ failed;' "$LOGS/rust-tests.log" | awk '{s+=$1} END {print s+0}')
suite rust-tests "$ok" "$bad" "$status"

say "Compatibility with Esri's clients (arcgis for Python, @esri/arcgis-rest-js)"
set +e
cargo build -p portal-emulator --locked >"$LOGS/portal-emulator-build.log" 2>&1 \
  && PORTAL_EMULATOR="$REPO_ROOT/target/debug/portal-emulator" \
    bash "$REPO_ROOT/tests/compat/run.sh" "$ARTIFACTS/compat" 2>&1 | tee "$LOGS/compat.log"
status=${PIPESTATUS[0]}
set -e
read -r py_ok py_bad < <(python3 - "$ARTIFACTS/compat/python.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    print(total - bad - skipped, bad)
except Exception:
    print(0, 0)
PY
)
js_ok=$(grep -E '^# pass [0-9]+' "$ARTIFACTS/compat/js.tap" 2>/dev/null | awk '{print $3}' || true)
js_bad=$(grep -E '^# fail [0-9]+' "$ARTIFACTS/compat/js.tap" 2>/dev/null | awk '{print $3}' || true)
suite compat "$((py_ok + ${js_ok:-0}))" "$((py_bad + ${js_bad:-0}))" "$status"

gate typescript npm --prefix ui run --silent typecheck
gate eslint npm --prefix ui run --silent lint

say "UI tests (vitest)"
set +e
(cd ui && npx vitest run --reporter=default --reporter=json \
  --outputFile.json="$LOGS/ui-tests.json") 2>&1 | tee "$LOGS/ui-tests.log"
status=${PIPESTATUS[0]}
set -e
ok=$(node -e 'try{const r=require(process.argv[1]);console.log(r.numPassedTests)}catch{console.log(0)}' "$LOGS/ui-tests.json")
bad=$(node -e 'try{const r=require(process.argv[1]);console.log(r.numFailedTests)}catch{console.log(0)}' "$LOGS/ui-tests.json")
suite ui-tests "$ok" "$bad" "$status"

say "Building the app, and the test portal and stand-in browser (testing builds) for the end-to-end tests"
if tauri_cli build --debug --no-bundle >"$LOGS/app-build.log" 2>&1 \
  && cargo build --locked -p portal-emulator --features testing --bins \
    >>"$LOGS/app-build.log" 2>&1; then
  say "End-to-end tests in the real window (tauri-driver + WebKitWebDriver, Xvfb)"
  set +e
  E2E_ARTIFACTS="$ARTIFACTS/e2e" dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
    bash "$REPO_ROOT/tests/e2e/session.sh" 2>&1 | tee "$LOGS/e2e.log"
  status=${PIPESTATUS[0]}
  set -e
  # The tests' files, then the checks over the whole run (run-end/).
  taps=("$ARTIFACTS/e2e/results.tap" "$ARTIFACTS/e2e/results-run-end.tap")
  ok=$(cat "${taps[@]}" 2>/dev/null | grep -E '^# pass [0-9]+' | awk '{s += $3} END {print s + 0}' || true)
  bad=$(cat "${taps[@]}" 2>/dev/null | grep -E '^# fail [0-9]+' | awk '{s += $3} END {print s + 0}' || true)
  suite e2e "$ok" "$bad" "$status"
else
  cat "$LOGS/app-build.log"
  failed=$((failed + 1))
  report+=("FAIL  app-build (log: artifacts/logs/app-build.log); end-to-end tests not run")
fi

say "Installers: make dist, then the .deb installed with apt and started, the .rpm inspected"
set +e
bash "$REPO_ROOT/scripts/dist.sh" >"$LOGS/dist.log" 2>&1
status=$?
if [[ "$status" -eq 0 ]]; then
  bash "$REPO_ROOT/tests/install/run.sh" "$ARTIFACTS/install" 2>&1 | tee "$LOGS/install.log"
  status=${PIPESTATUS[0]}
else
  tail -n 40 "$LOGS/dist.log"
fi
set -e
ok=$(grep -E '^# pass [0-9]+' "$LOGS/install.log" 2>/dev/null | awk '{print $3}' || true)
bad=$(grep -E '^# fail [0-9]+' "$LOGS/install.log" 2>/dev/null | awk '{print $3}' || true)
suite install "$ok" "$bad" "$status"

printf '\n'
printf '%s\n' "${report[@]}"
printf '\nSummary: %d passed, %d failed\n' "$passed" "$failed"
[[ "$failed" -eq 0 ]]
