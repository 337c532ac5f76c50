# Shared helpers of the set-up, run, test and dist scripts. Sourced, not run.
# Everything here is idempotent: on a machine that already has what is needed it only checks.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages to build a Tauri 2 app (docs/DECISIONS.md, "Debian packages for building and
# testing a Tauri 2 app").
BUILD_PACKAGES=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
# ...and to run its tests: a virtual display, WebKit's WebDriver, a session bus, a keychain,
# Chromium with its WebDriver for the Maps SDK compatibility tests (tests/compat/js), and
# xdotool to answer the OS save dialog (GTK) in the export's end-to-end test (and to find the
# installed app's window), xclip to read what "copy diagnostics" put on the clipboard, and
# what the installer test inspects packages with.
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver imagemagick dbus dbus-x11 gnome-keyring
  libsecret-tools python3-venv chromium chromium-driver xdotool xclip rpm cpio desktop-file-utils)

# Says plainly when the disk holding the repository has less free space than a run needs, rather
# than leaving it to a compiler's "No space left on device" deep in a build. A warning, not a
# stop: the figure is an estimate, and a warm target/ needs less.
warn_if_disk_short() {
  local need_gib="$1" free_gib
  free_gib=$(df -Pk "$REPO_ROOT" | awk 'NR == 2 { print int($4 / 1048576) }')
  if ((free_gib < need_gib)); then
    say "warning: $free_gib GiB free on the disk holding $REPO_ROOT; a run from a clean clone" \
      "needs about $need_gib GiB (one measured peaked at 11.5 GiB, target/ included)"
  fi
}

apt_updated=0
ensure_apt_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    if ((apt_updated == 0)); then
      $sudo apt-get update -q
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
      "${missing[@]}"
  fi
}

ensure_toolchains() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  command -v node >/dev/null || die "node not found: install Node.js 20.19+ (nodejs)"
  command -v npm >/dev/null || die "npm not found: install npm"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  ((node_major >= 20)) || die "Node.js $(node --version) is too old: Vite 8 needs 20.19 or later"
}

ensure_ui_packages() {
  # npm ci is exact and offline-friendly, but slow: skip it when node_modules matches the lock.
  local stamp="$REPO_ROOT/ui/node_modules/.memberdesk-lock"
  if [[ -f "$stamp" ]] && cmp -s "$stamp" "$REPO_ROOT/ui/package-lock.json"; then
    return
  fi
  say "Installing the UI's npm packages (npm ci)"
  (cd "$REPO_ROOT/ui" && npm ci --no-audit --no-fund)
  cp "$REPO_ROOT/ui/package-lock.json" "$stamp"
}

ensure_tauri_driver() {
  if command -v tauri-driver >/dev/null && tauri-driver --help >/dev/null 2>&1; then
    return
  fi
  say "Installing tauri-driver 2.x (cargo install)"
  cargo install tauri-driver --locked --version '^2.1'
}

tauri_cli() {
  bash "$REPO_ROOT/scripts/tauri.sh" "$@"
}
