#!/usr/bin/env bash
# Renders the app, tray and badge icons from the SVG sources. Needs rsvg-convert (Debian: librsvg2-bin).
# The PNGs are committed, so packaging does not need this tool; rerun it after changing an SVG.
set -euo pipefail
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert not found: apt-get install -y librsvg2-bin" >&2; exit 1; }
mkdir -p icons tray
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$size" -h "$size" icon.svg -o "icons/${size}x${size}.png"
done
cp icons/1024x1024.png icon.png
rsvg-convert -w 32 -h 32 icon.svg -o tray/tray.png
rsvg-convert -w 32 -h 32 tray-unread.svg -o tray/tray-unread.png
rsvg-convert -w 16 -h 16 badge-overlay.svg -o tray/badge-overlay.png
echo "icons rendered"
