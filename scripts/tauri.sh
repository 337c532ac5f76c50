#!/usr/bin/env bash
# The Tauri CLI of the UI's packages (ui/node_modules), run from the repository root where
# tauri.conf.json is. scripts/lib.sh and the release workflow (tauri-action's tauriScript) call
# it; `npm ci --prefix ui` installs it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec "$root/ui/node_modules/.bin/tauri" "$@"
