# What the benchmarks share (sourced): the repository root, and the virtual environment with
# Esri's `arcgis` package that the Python baselines run in (the compatibility tests' venv, made
# here when missing or stale).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/target/compat-venv"

ensure_compat_venv() {
  if ! cmp -s "$venv/.requirements" "$root/tests/compat/python/requirements.txt" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/tests/compat/python/requirements.txt"
    cp "$root/tests/compat/python/requirements.txt" "$venv/.requirements"
  fi
}

# Starts two embedded portals seeded alike with $1 members at --latency-ms 100 (seeding is
# deterministic: the same members, holders and seats): plain HTTP on loopback for the console
# (sets $url), HTTPS for Esri's Python API, which insists on it (sets $tls_url). Needs the
# release build of portal-emulator and a scratch folder in $work; the caller's trap ends them.
start_two_portals() {
  local members="$1" bin="$root/target/release/portal-emulator"
  "$bin" serve --data :memory: --admin bench_admin:Bench-pass-1 \
    --seed-users "$members" --latency-ms 100 >"$work/out" 2>"$work/err" &
  "$bin" serve --tls --cert-out "$work/cert.pem" --data :memory: \
    --admin bench_admin:Bench-pass-1 --seed-users "$members" --latency-ms 100 \
    >"$work/out-tls" 2>"$work/err-tls" &
  for _ in $(seq 600); do
    grep -q listening "$work/out" 2>/dev/null && grep -q listening "$work/out-tls" 2>/dev/null && break
    sleep 0.1
  done
  url="$(sed -n 's/.*listening on //p' "$work/out")"
  tls_url="$(sed -n 's/.*listening on //p' "$work/out-tls")"
}
