#!/usr/bin/env bash
# Benchmark of the portal client (issue "The typed portal client", Performance), against
# Esri's Python API doing the same work, on one embedded portal with --tls --latency-ms 100
# and 10,000 members:
#   1. list every member: list_members vs gis.users.search(query=None) and gis.users.all();
#   2. change the role of 300 members: bulk_role vs a loop of user.update_role(...).
# Prints its figures and the ratios; asserts nothing (machines here are noisy).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count="${BENCH_ROLE_COUNT:-300}"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && cargo build --release --locked -q -p portal-client --example list_members --example bulk_role)
bin="$root/target/release"
ensure_compat_venv
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/portal-emulator" serve --tls --cert-out "$work/cert.pem" --data :memory: \
  --admin bench_admin:Bench-pass-1 --seed-users 10000 --latency-ms 100 \
  >"$work/out" 2>"$work/err" &
for _ in $(seq 300); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$work/out")"
common=(--portal "$url" --username bench_admin --password Bench-pass-1 --ca-cert "$work/cert.pem")
echo "portal-client vs arcgis $("$venv/bin/python" -c 'import arcgis; print(arcgis.__version__)'), $(nproc) cores, 10,000 members, --tls --latency-ms 100"

# One untimed listing first: the portal's caches warm, as a real portal's are (the Python
# runs below come after other work too). Then the median of three.
"$bin/examples/list_members" "${common[@]}" >/dev/null 2>&1
runs=()
for _ in 1 2 3; do
  runs+=("$("$bin/examples/list_members" "${common[@]}" 2>/dev/null | tail -1)")
done
rust_list="$(printf '%s\n' "${runs[@]}" | sort -t= -k4 -n | sed -n 2p)"
echo "rust list_members:            $rust_list (median of $(printf '%s\n' "${runs[@]}" | sed 's/.*elapsed_ms=//' | paste -sd,))"
rust_role="$("$bin/examples/bulk_role" "${common[@]}" --count "$count" --from org_user --to org_publisher 2>/dev/null | tail -1)"
echo "rust bulk_role ($count):        $rust_role"

py="$("$venv/bin/python" "$root/bench/arcgis_baseline.py" "$url" bench_admin Bench-pass-1 "$count" org_user org_publisher)"
echo "$py" | sed 's/^/python /'

ms() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2"; }
list_ms="$(ms elapsed_ms "$rust_list")"
role_ms="$(ms elapsed_ms "$rust_role")"
search_ms="$(ms search_ms "$py")"
all_ms="$(ms all_ms "$py")"
py_role_ms="$(ms role_ms "$py")"
ratio() { python3 -c "print(f'{$1/$2:.1f}x')"; }
echo "list every member: $(ratio "$search_ms" "$list_ms") faster than users.search(query=None), $(ratio "$all_ms" "$list_ms") faster than users.all()"
echo "role change of $count: $(ratio "$py_role_ms" "$role_ms") faster than a loop of update_role"
