#!/usr/bin/env bash
# The Rust filter's figures (issue 13, memory): an embedded portal of BENCH_MEMBERS (default
# 100,000) seeded members; the console loads them, then `members::query` builds its index,
# sorts, and filters as a person types (crates/console-core/examples/query_members.rs).
# Prints figures; asserts nothing (machines here are noisy).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
members="${BENCH_MEMBERS:-100000}"
(cd "$root" && cargo build --release --locked -q -p portal-emulator \
  && cargo build --release --locked -q -p console-core --example query_members)
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$root/target/release/portal-emulator" serve --data :memory: --admin bench_admin:Bench-pass-1 \
  --seed-users "$members" >"$work/out" 2>"$work/err" &
for _ in $(seq 1200); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$work/out" | head -n 1)"
[[ -n "$url" ]] || { cat "$work/err"; exit 1; }
echo "the Rust filter, $(nproc) cores, $((members + 1)) members (release build)"
"$root/target/release/examples/query_members" "$url" bench_admin Bench-pass-1
