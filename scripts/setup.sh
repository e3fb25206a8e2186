#!/usr/bin/env bash
# Installs what Borderless needs on a fresh Debian machine; quick when it is all there already.
#   scripts/setup.sh              everything (build + every test)
#   scripts/setup.sh --no-browser only what building and serving the site needs
set -euo pipefail
cd "$(dirname "$0")/.."
browser=1
[ "${1:-}" = "--no-browser" ] && browser=0

# Rust target for the browser build.
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# wasm-bindgen CLI at exactly the crate's version (the schema must match). Not --locked: the
# registry reachable here lacks one of its locked dependencies (see shared/notes/toolchain.md).
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' crate/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (about 5 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$want"
fi

command -v node >/dev/null || { echo "setup: node is required (Debian: apt-get install nodejs)"; exit 1; }

if [ "$browser" = 1 ]; then
  # Debian's Chromium + ChromeDriver for wasm-bindgen-test and the end-to-end tests; Noto fonts
  # so that screenshots show Chinese, Korean, Cyrillic and Mongolian text; Firefox ESR for the
  # offline bundle's Firefox test.
  pkgs="chromium chromium-driver firefox-esr fonts-dejavu-core fonts-noto-core fonts-noto-cjk"
  missing=""
  for p in $pkgs; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    echo "setup: apt-get install$missing"
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
  fi
  # geckodriver (Firefox's WebDriver) is not packaged by Debian: built from crates.io.
  if ! command -v geckodriver >/dev/null && [ ! -x "$HOME/.cargo/bin/geckodriver" ]; then
    echo "setup: installing geckodriver from crates.io (about 3 minutes on 2 cores)"
    cargo install geckodriver --locked
  fi
  # playwright-core only (it never downloads a browser); pinned by package-lock.json.
  if [ ! -d tests/e2e/node_modules/playwright-core ]; then
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
echo "setup: ok"
