#!/usr/bin/env bash
# Take a screenshot of the real app under Xvfb.
#   scripts/screenshot.sh OUT.png [embargo args...] [-- xdotool commands]
# Starts the app on the example project by default (fresh config: no recent
# projects), waits for the first frames, optionally sends xdotool input, then
# grabs the screen. Used to refresh the README's screenshots.
set -euo pipefail
out=${1:?usage: scripts/screenshot.sh OUT.png [args...]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup-system.sh"
bin=${EMBARGO_BIN:-"${CARGO_TARGET_DIR:-$here/target}/debug/embargo"}
[ -x "$bin" ] || (cd "$here" && cargo build --quiet)

app_args=()
keys=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; keys=("$@"); break; fi
  app_args+=("$1"); shift
done

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cfg=$(mktemp -d)
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$cfg"; }
trap cleanup EXIT
sleep 1
DISPLAY=$display EMBARGO_CONFIG_DIR=$cfg "$bin" "${app_args[@]}" >/dev/null 2>&1 &
app=$!
sleep "${EMBARGO_SCREENSHOT_WAIT:-6}"
DISPLAY=$display xdotool mousemove 1279 799   # no hover tooltips in the picture
if [ ${#keys[@]} -gt 0 ]; then
  # No window manager runs on this display, so nothing gives the app the
  # keyboard focus: give it, or typed keys and shortcuts go nowhere.
  DISPLAY=$display xdotool search --name Embargo windowfocus >/dev/null 2>&1 || true
  DISPLAY=$display xdotool "${keys[@]}"
  sleep 2
fi
DISPLAY=$display xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > "$out"
echo "wrote $out"
