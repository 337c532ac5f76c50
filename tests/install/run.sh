#!/usr/bin/env bash
# The installers, as an administrator gets them: installs the .deb that `make dist` built
# through the OS package manager (apt), checks its files, desktop entry, icons and metadata,
# starts the installed program under Xvfb until a window titled Memberdesk appears (a
# screenshot is kept), removes the package, and inspects the .rpm for the same files and
# metadata. Runs as root or with sudo (scripts/test.sh runs it after `bash scripts/dist.sh`).
#
# Usage: tests/install/run.sh ARTIFACTS_DIR. Prints one `ok`/`not ok` line per check and ends
# with `# pass N` and `# fail N`.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
artifacts="${1:?usage: run.sh ARTIFACTS_DIR}"
mkdir -p "$artifacts"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"

pass=0
fail=0
check() { # check "what" command...
  local what="$1"
  shift
  local out
  if out="$("$@" 2>&1)"; then
    pass=$((pass + 1))
    echo "ok $((pass + fail)) - $what"
  else
    fail=$((fail + 1))
    echo "not ok $((pass + fail)) - $what"
    printf '%s\n' "$out" | sed 's/^/#   /' | head -n 30
  fi
}
finish() {
  echo "# pass $pass"
  echo "# fail $fail"
  [[ "$fail" -eq 0 ]]
  exit $?
}

version="$(cd "$root" && cargo metadata --no-deps --format-version 1 \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="memberdesk");console.log(p.version)})')"
deb="$(find "$root/target/release/bundle/deb" -maxdepth 1 -name "Memberdesk_${version}_*.deb" | head -n 1)"
rpm="$(find "$root/target/release/bundle/rpm" -maxdepth 1 -name "Memberdesk-${version}-*.rpm" | head -n 1)"
check "make dist built the .deb of version $version" test -f "$deb"
check "make dist built the .rpm of version $version" test -f "$rpm"
[[ -f "$deb" && -f "$rpm" ]] || finish

# What both packages must hold, and say about themselves.
expected_files=(
  /usr/bin/memberdesk
  /usr/share/applications/Memberdesk.desktop
  /usr/share/icons/hicolor/32x32/apps/memberdesk.png
  /usr/share/icons/hicolor/128x128/apps/memberdesk.png
  /usr/share/icons/hicolor/256x256@2/apps/memberdesk.png
)
summary="Manage the members of an ArcGIS organization"

field() { dpkg-deb --field "$deb" "$1"; }
check "deb: package name memberdesk" test "$(field Package)" = memberdesk
check "deb: version $version" test "$(field Version)" = "$version"
check "deb: section utils" test "$(field Section)" = utils
check "deb: description starts with the summary" grep -qF "$summary" <(field Description)
check "deb: homepage" grep -qE '^https://' <(field Homepage)
check "deb: depends on WebKitGTK 4.1 and GTK 3" grep -qE 'libwebkit2gtk-4\.1-0.*libgtk-3-0|libgtk-3-0.*libwebkit2gtk-4\.1-0' <(field Depends)

# Installed through apt, as a person would (dependencies resolved from the archive). A
# Memberdesk someone installed on this machine is not replaced unless they said so; ours is
# removed again however the test ends.
before="$(dpkg-query -W -f='${Status} ${Version}' memberdesk 2>/dev/null || true)"
if [[ "$before" == "install ok installed"* && "${MEMBERDESK_INSTALL_TEST_REPLACE:-}" != 1 ]]; then
  check "memberdesk is not installed here already (${before#install ok installed }); set MEMBERDESK_INSTALL_TEST_REPLACE=1 to let the test replace and remove it" false
  finish
fi
trap '$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q memberdesk >/dev/null 2>&1 || true' EXIT
check "apt installs the .deb" $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb"
check "dpkg knows memberdesk $version" grep -qx "install ok installed $version" \
  <(dpkg-query -W -f='${Status} ${Version}\n' memberdesk)
for f in "${expected_files[@]}"; do
  check "installed: $f" test -s "$f"
done
desktop=/usr/share/applications/Memberdesk.desktop
check "desktop entry is valid (desktop-file-validate)" desktop-file-validate "$desktop"
check "desktop entry: Name=Memberdesk" grep -qx 'Name=Memberdesk' "$desktop"
check "desktop entry: Exec=memberdesk" grep -qx 'Exec=memberdesk' "$desktop"
check "desktop entry: Icon=memberdesk" grep -qx 'Icon=memberdesk' "$desktop"
check "desktop entry: Categories=Utility;" grep -qx 'Categories=Utility;' "$desktop"
check "desktop entry: Comment is the summary" grep -qx "Comment=$summary" "$desktop"
check "the 32x32 icon is a 32x32 PNG" grep -q '32 x 32' <(file /usr/share/icons/hicolor/32x32/apps/memberdesk.png)

# The installed program starts and opens its window (its own data folder, a throwaway home).
home="$(mktemp -d)"
cat >"$home/start.sh" <<'SH'
set -u
memberdesk >"$HOME/app.log" 2>&1 &
app=$!
found=""
for _ in $(seq 1 120); do
  found="$(xdotool search --name '^Memberdesk$' 2>/dev/null | head -n 1)"
  [[ -n "$found" ]] && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.5
done
if [[ -n "$found" ]]; then
  sleep 3 # the sign-in screen draws
  import -window root "$SHOT" || true
  echo "window $found: $(xdotool getwindowname "$found")"
fi
kill "$app" 2>/dev/null
wait "$app" 2>/dev/null
[[ -n "$found" ]]
SH
started() {
  HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" SHOT="$artifacts/installed-app.png" \
    timeout 120 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash "$home/start.sh" \
    || { cat "$home/app.log"; return 1; }
}
check "the installed memberdesk opens a window titled Memberdesk" started
check "it wrote its log in the OS log folder" test -s "$home/.local/share/app.memberdesk.desktop/logs/memberdesk.log"
rm -rf "$home"

check "apt removes the package" $sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q memberdesk
check "the program is gone" test ! -e /usr/bin/memberdesk
check "the desktop entry is gone" test ! -e "$desktop"

# The .rpm: the same files and metadata (not installed: this is a Debian machine).
rpm_files="$(rpm -qlp "$rpm" 2>/dev/null)"
for f in "${expected_files[@]}"; do
  check "rpm holds $f" grep -qx "$f" <<<"$rpm_files"
done
rq() { rpm -qp --queryformat "%{$1}" "$rpm" 2>/dev/null; }
check "rpm: name memberdesk" test "$(rq NAME)" = memberdesk
check "rpm: version $version" test "$(rq VERSION)" = "$version"
check "rpm: summary" test "$(rq SUMMARY)" = "$summary"
check "rpm: license MIT" test "$(rq LICENSE)" = MIT
check "rpm: URL" grep -qE '^https://' <<<"$(rq URL)"
check "rpm: requires webkit2gtk4.1 and gtk3" grep -qE 'webkit2gtk4\.1' <(rpm -qpR "$rpm" 2>/dev/null)
rpm_desktop="$(mktemp -d)"
(cd "$rpm_desktop" && rpm2cpio "$rpm" | cpio -idm --quiet ./usr/share/applications/Memberdesk.desktop)
check "rpm: the same desktop entry as the deb's" cmp "$rpm_desktop/usr/share/applications/Memberdesk.desktop" \
  <(dpkg-deb --fsys-tarfile "$deb" | tar -xO usr/share/applications/Memberdesk.desktop)
rm -rf "$rpm_desktop"

finish
