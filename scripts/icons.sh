#!/usr/bin/env bash
# Render Embargo's PNG icons from the hand-written SVG, one per hicolor size,
# into assets/icons/hicolor/SIZExSIZE/apps/. The PNGs are committed (the app
# embeds the 256 px one, the .deb installs them all), so run this again after
# changing the SVG. Needs rsvg-convert (librsvg2-bin, installed by
# scripts/setup-system.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

svg=assets/icons/org.embargo.Embargo.svg
command -v rsvg-convert >/dev/null || {
  echo "icons: rsvg-convert is missing: run scripts/setup-system.sh" >&2
  exit 1
}

for size in 16 32 48 64 128 256 512; do
  dir="assets/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio \
    --output "$dir/org.embargo.Embargo.png" "$svg"
  echo "$dir/org.embargo.Embargo.png"
done
