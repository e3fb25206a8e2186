#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/ (www/pkg is a symlink to it).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --target wasm32-unknown-unknown --lib --profile wasm -p borderless
wasm-bindgen --target web --out-dir pkg --remove-name-section --remove-producers-section \
  target/wasm32-unknown-unknown/wasm/borderless.wasm
echo "built pkg/ ($(du -h pkg/borderless_bg.wasm | cut -f1) wasm)"
