#!/usr/bin/env bash
# Benchmark of licenses and seats (issue "Licenses and seats", Measure), on an embedded portal
# with 100,000 members (BENCH_MEMBERS) at --latency-ms 100:
#   1. the license picture: reading what was bought and who holds it (every holder of every
#      license and bundle, the seats of each user type), the whole load that includes it, and
#      counting the picture from the rows; Esri's Python API reading the same picture
#      (license.all() with each report, users.counts);
#   2. reclaiming 1,000 ArcGIS Pro licenses from idle members as one job, against Esri's
#      Python API revoking from other idle members in a loop of License.revoke. Python's
#      revoke re-reads every holder of the license after each call, so on a big organization
#      it runs BENCH_PY_COUNT members (default 25) and the projection to 1,000 is printed as
#      such; BENCH_PY_COUNT=1000 runs them all.
# Prints its figures; asserts nothing (machines here are noisy).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
members="${BENCH_MEMBERS:-100000}"
count="${BENCH_RECLAIM_COUNT:-1000}"
py_count="${BENCH_PY_COUNT:-25}"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && cargo build --release --locked -q -p console-core --example licenses)
bin="$root/target/release"
ensure_compat_venv
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
start_two_portals "$members"
echo "licenses, $(nproc) cores, $members members, embedded portal at --latency-ms 100"
rust="$("$bin/examples/licenses" "$url" bench_admin Bench-pass-1 "$count" "$work/others" 2>/dev/null)"
echo "$rust" | sed 's/^/rust   /'
py="$("$venv/bin/python" "$root/bench/arcgis_reclaim.py" "${tls_url%/sharing/rest}" bench_admin Bench-pass-1 "$work/others" "$py_count")"
echo "$py" | sed 's/^/python /'
ms() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2" | head -1; }
rust_picture="$(ms picture_read_ms "$rust")"
py_picture="$(ms picture_ms "$py")"
rust_reclaim="$(ms reclaim_ms "$rust")"
py_per="$(ms per_member_ms "$py")"
python3 - "$rust_picture" "$py_picture" "$rust_reclaim" "$py_per" "$count" "$py_count" <<'PY'
import sys
rp, pp, rr, per, count, py_count = map(int, sys.argv[1:])
print(f"license picture: {rp} ms, {pp / max(rp, 1):.1f}x faster than Esri's Python API ({pp} ms)")
projected = per * count
label = "measured" if py_count >= count else f"projected from {py_count} members"
print(f"reclaim {count} licenses: {rr} ms; Python's loop of License.revoke: {projected / 1000:.0f} s ({label}), {projected / max(rr, 1):.0f}x slower")
PY
