#!/usr/bin/env bash
# Benchmark of bringing people in at scale (issue "Bring people in and out at scale", Measure),
# on an embedded portal of BENCH_MEMBERS members (default 100,000, so that a user type has
# 1,000 seats free) at --latency-ms 100:
#   1. importing BENCH_COUNT (default 1,000) new members from a CSV file, planned then run as
#      one job, against Esri's Python API creating members in its documented loop of
#      gis.users.create;
#   2. importing BENCH_COUNT role changes (Publishers made Users), against Python's loop of
#      gis.users.get(name).update_role.
# Python's loops send one member at a time, so at 100 ms a request they run BENCH_PY_COUNT
# members (default 50) and the projection to BENCH_COUNT is printed as such;
# BENCH_PY_COUNT=1000 runs them all.
# Prints its figures; asserts nothing (machines here are noisy).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
members="${BENCH_MEMBERS:-100000}"
count="${BENCH_COUNT:-1000}"
py_count="${BENCH_PY_COUNT:-50}"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && cargo build --release --locked -q -p console-core --example bulk_import)
bin="$root/target/release"
ensure_compat_venv
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
start_two_portals "$members"
echo "bulk import, $(nproc) cores, $members members, embedded portal at --latency-ms 100"
rust="$("$bin/examples/bulk_import" "$url" bench_admin Bench-pass-1 "$count" "$work/names")"
echo "$rust" | sed 's/^/rust   /'
user_type="$(sed -n 's/^user_type=//p' <<<"$rust")"
py="$("$venv/bin/python" "$root/bench/arcgis_import.py" "${tls_url%/sharing/rest}" bench_admin Bench-pass-1 "$work/names" "$py_count" "$user_type")"
echo "$py" | sed 's/^/python /'
ms() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2" | head -1; }
python3 - "$(ms create_ms "$rust")" "$(ms roles_ms "$rust")" "$(ms per_create_ms "$py")" "$(ms per_role_ms "$py")" "$count" "$py_count" <<'PY'
import sys
create, roles, per_create, per_role, count, py_count = map(int, sys.argv[1:])
label = "measured" if py_count >= count else f"projected from {py_count} members"
for what, ours, per in (("create", create, per_create), ("role changes", roles, per_role)):
    projected = per * count
    print(f"{count} {what}: Memberdesk {ours / 1000:.1f} s; Python's loop {projected / 1000:.0f} s ({label}), {projected / max(ours, 1):.0f}x slower")
PY
