#!/usr/bin/env bash
# Benchmark of the console's member load (issue "The console", Performance): an embedded
# portal with 10,000 members (and 100,000 with BENCH_BIG=1) at --latency-ms 100; the console
# signs in and loads every member into its SQLite cache. Prints the figures (median of three);
# asserts nothing (machines here are noisy). Loopback only, plain HTTP (allowed on loopback).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && cargo build --release --locked -q -p console-core --example load_members)
bin="$root/target/release"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

bench() {
  local members="$1"
  "$bin/portal-emulator" serve --data :memory: --admin bench_admin:Bench-pass-1 \
    --seed-users "$members" --latency-ms 100 >"$work/out.$members" 2>"$work/err.$members" &
  local pid=$!
  for _ in $(seq 600); do grep -q listening "$work/out.$members" 2>/dev/null && break; sleep 0.1; done
  local url
  url="$(sed -n 's/.*listening on //p' "$work/out.$members")"
  # One untimed load warms the portal's caches, as a real portal's are.
  "$bin/examples/load_members" "$url" bench_admin Bench-pass-1 >/dev/null 2>&1
  local runs=()
  for _ in 1 2 3; do
    runs+=("$("$bin/examples/load_members" "$url" bench_admin Bench-pass-1 2>/dev/null | tail -1)")
  done
  local median
  median="$(printf '%s\n' "${runs[@]}" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^elapsed_ms=/) { split($i, f, "="); print f[2], $0 } }' | sort -n | sed -n '2s/^[0-9]* //p')"
  echo "load $members members at 100 ms latency: $median (runs: $(printf '%s\n' "${runs[@]}" | sed 's/.*elapsed_ms=\([0-9]*\).*/\1/' | paste -sd,) ms)"
  kill "$pid"
}

echo "console load, $(nproc) cores, embedded portal at --latency-ms 100"
bench 10000
if [[ "${BENCH_BIG:-0}" == 1 ]]; then bench 100000; fi
