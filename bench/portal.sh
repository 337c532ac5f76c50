#!/usr/bin/env bash
# Benchmark of the embedded portal (issue "The embedded portal", Performance):
#  1. requests/s of single-page `community/users` searches and `portals/self/users` pages on a
#     10,000-member org, with wrk (2 threads, 32 connections, 10 s each);
#  2. the first read after a change against an ordinary read, on the same 10,000 members: a
#     member's update, then at once a sorted search, 40 times; then the same search 40 times
#     with no change between (median and worst of each, one keep-alive connection);
#  3. seeding 100,000 members: time and database size.
# Prints its figures; asserts nothing (machines here are noisy). Loopback only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
(cd "$root" && cargo build --release -p portal-emulator --locked -q)
bin="${CARGO_TARGET_DIR:-$root/target}/release/portal-emulator"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
duration="${BENCH_DURATION:-10s}"

"$bin" serve --data "$work/bench.db" --admin bench_admin:Bench-pass-1 --seed-users 10000 \
  >"$work/out" 2>"$work/err" &
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(sed -n 's/.*listening on //p' "$work/out")"
token="$(curl -s -d 'username=bench_admin&password=Bench-pass-1&client=referer&referer=bench&f=json' \
  "$base/generateToken" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

run() {
  local name="$1" path="$2"
  local out
  out="$(wrk -t2 -c32 -d"$duration" -H "X-Esri-Authorization: Bearer $token" "$base/$path")"
  local rps latency
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  latency="$(awk '/Latency/ {print $2; exit}' <<<"$out")"
  local errors
  errors="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  printf '%-52s %10s req/s   mean latency %8s   non-2xx %s\n' "$name" "$rps" "$latency" "${errors:-0}"
}

echo "portal-emulator on $(nproc) cores, 10,000 members, wrk -t2 -c32 -d$duration"
run "community/users q=username:j* (10 per page)" "community/users?q=username:j*&num=10&f=json"
run "community/users q=JSmith (free text, 10)" "community/users?q=JSmith&num=10&f=json"
run "portals/self/users page 51 (100 per page)" "portals/self/users?start=5001&num=100&f=json"
run "portals/self/users page 1 (10 per page)" "portals/self/users?num=10&f=json"
run "community/users/{name} (get one)" "community/users/jsmith?f=json"

# The read right after a write brings the member copy forward by the changed row; it should
# cost about what any read costs.
python3 - "$base" "$token" <<'PY'
import http.client, statistics, sys, time, urllib.parse
base, token = sys.argv[1], sys.argv[2]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
head = {"X-Esri-Authorization": f"Bearer {token}",
        "Content-Type": "application/x-www-form-urlencoded"}
search = f"{url.path}/community/users?q=username:j*&num=10&sortField=fullname&f=json"
def timed(method, path, body=None):
    started = time.perf_counter()
    conn.request(method, path, body, head)
    answer = conn.getresponse().read()
    took = (time.perf_counter() - started) * 1000
    if b'"error"' in answer:
        sys.exit(f"{path}: {answer[:300]!r}")
    return took
timed("GET", search)
after, plain = [], []
for i in range(40):
    timed("POST", f"{url.path}/community/users/jsmith/update", f"description=bench+{i}&f=json")
    after.append(timed("GET", search))
for i in range(40):
    plain.append(timed("GET", search))
def show(name, xs):
    print(f"{name:<52} median {statistics.median(xs):7.2f} ms   worst {max(xs):7.2f} ms")
show("search right after a member's update (40 times)", after)
show("search with no change before it (40 times)", plain)
PY
kill %1 2>/dev/null || true
wait 2>/dev/null || true

rm -f "$work"/big.db*
start=$(date +%s%N)
"$bin" serve --data "$work/big.db" --admin bench_admin:Bench-pass-1 --seed-users 100000 \
  >"$work/big.out" 2>"$work/big.err" &
for _ in $(seq 1200); do grep -q listening "$work/big.out" 2>/dev/null && break; sleep 0.1; done
end=$(date +%s%N)
kill %1 2>/dev/null || true
wait 2>/dev/null || true
size=$(du -cb "$work"/big.db* | tail -1 | cut -f1)
echo "seeding 100,000 members: $(( (end - start) / 1000000 )) ms to ready ($(sed -n 's/.*in \([0-9]*\) ms/\1/p' "$work/big.err") ms seeding), database $(( size / 1048576 )) MiB"
