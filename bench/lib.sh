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
