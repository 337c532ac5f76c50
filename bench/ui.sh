#!/usr/bin/env bash
# The console's figures in the real window: cold start, loading the whole demo organization,
# keystroke-to-table latency of the filter, CPU at rest (web process and app) and memory at
# rest. BENCH_MEMBERS (default 100000) members are seeded into the demo portal's database
# before the app opens it. Runs the release build (`tauri build --no-bundle`) under Xvfb.
# Prints figures; asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
members="${BENCH_MEMBERS:-100000}"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && ui/node_modules/.bin/tauri build --no-bundle >/dev/null)
data="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$data"' EXIT
mkdir -p "$data/demo"
# The demo portal's database, seeded once as the app would find it (the app adds its own
# administrator, demo_admin, when it opens it).
"$root/target/release/portal-emulator" serve --data "$data/demo/demo-portal.db" \
  --admin seed_admin:Seed-pass-1 --seed-users "$members" >"$data/out" 2>"$data/err" &
for _ in $(seq 1200); do grep -q listening "$data/out" 2>/dev/null && break; sleep 0.1; done
kill %1; wait || true
echo "console in the real window, $(nproc) cores, demo organization of $((members + 1)) members (release build)"
MEMBERDESK_DATA_DIR="$data" MEMBERDESK_APP="$root/target/release/memberdesk" \
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  node "$root/bench/ui.bench.mjs" 2> >(grep -vE "dbus-daemon|Gtk-WARNING|xdg-desktop-portal|SpiRegistry|pw.conf|^$|max threads" >&2)
