#!/usr/bin/env bash
# The console's figures in the real window: cold start, memory on the sign-in screen, loading
# the whole organization, keystroke-to-table latency of the filter, CPU at rest (web process
# and app) and memory at rest (PSS of the app and the WebKit processes it started). Runs the
# release build (`tauri build --no-bundle`) under Xvfb. Prints figures; asserts nothing.
#
# BENCH_PORTAL=outside (the default): the organization of BENCH_MEMBERS (default 100000)
# members is in a portal-emulator of its own, as an administrator's ArcGIS Enterprise would be,
# and the app signs in to it with a built-in account: the app's figures are the console's only.
# BENCH_PORTAL=demo: the same organization in the demo portal inside the app.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
members="${BENCH_MEMBERS:-100000}"
mode="${BENCH_PORTAL:-outside}"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && bash scripts/tauri.sh build --no-bundle >/dev/null)
data="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$data"' EXIT
mkdir -p "$data/app/demo"
portal_env=()
if [[ "$mode" == outside ]]; then
  "$root/target/release/portal-emulator" serve --profile enterprise --data "$data/portal.db" \
    --admin bench_admin:Bench-pass-1 --seed-users "$members" >"$data/out" 2>"$data/err" &
  for _ in $(seq 1200); do grep -q listening "$data/out" 2>/dev/null && break; sleep 0.1; done
  url="$(sed -n 's/.*listening on //p' "$data/out" | head -n 1)"
  [[ -n "$url" ]] || { cat "$data/err"; exit 1; }
  portal_env=(BENCH_PORTAL_URL="$url" BENCH_USERNAME=bench_admin BENCH_PASSWORD=Bench-pass-1)
  echo "console in the real window, $(nproc) cores, an outside portal (portal-emulator, its own process) of $((members + 1)) members (release build)"
else
  # The demo portal's database, seeded once as the app would find it (the app adds its own
  # administrator, demo_admin, when it opens it).
  "$root/target/release/portal-emulator" serve --data "$data/app/demo/demo-portal.db" \
    --admin seed_admin:Seed-pass-1 --seed-users "$members" >"$data/out" 2>"$data/err" &
  for _ in $(seq 1200); do grep -q listening "$data/out" 2>/dev/null && break; sleep 0.1; done
  kill %1; wait || true
  echo "console in the real window, $(nproc) cores, demo organization of $((members + 1)) members (release build)"
fi
env "${portal_env[@]}" MEMBERDESK_DATA_DIR="$data/app" MEMBERDESK_APP="$root/target/release/memberdesk" \
  MEMBERDESK_UPDATE_ENDPOINT="http://127.0.0.1:9/latest.json" \
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  node "$root/bench/ui.bench.mjs" 2> >(grep -vE "dbus-daemon|Gtk-WARNING|xdg-desktop-portal|SpiRegistry|pw.conf|^$|max threads|\]\[(INFO|WARN)\]" >&2)
