#!/usr/bin/env bash
# Writes dist/borderless.html: the whole site in one self-contained HTML file (the WebAssembly
# module, every JS module, the style sheet, the basemap and the demo survey inlined) that opens
# from a USB stick by double-click in Chromium with no server and no network, under a
# Content-Security-Policy that lets no request leave the page (tools/bundle.mjs says how).
# Builds the WebAssembly package first when pkg/ has none. Usage: bash scripts/bundle.sh [OUT.html]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/borderless_bg.wasm ] || bash scripts/build.sh
node tools/bundle.mjs www "${1:-dist/borderless.html}"
