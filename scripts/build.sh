#!/usr/bin/env bash
# Builds the WebAssembly packages into pkg/ (www/pkg is a symlink to it): the page's main module
# (pkg/borderless*.{js,wasm}: analysis, maps, charts, review, outreach, report) and the estimation
# module the worker loads on first use (pkg/estimate/: SECR, survey design, waterbirds) — one crate, two
# feature sets (crate/Cargo.toml [features]), so the module every visit downloads stays small.
set -euo pipefail
cd "$(dirname "$0")/.."
build() { # features out-dir
  cargo build --target wasm32-unknown-unknown --lib --profile wasm -p borderless --no-default-features --features "$1"
  wasm-bindgen --target web --out-dir "$2" --remove-name-section --remove-producers-section \
    target/wasm32-unknown-unknown/wasm/borderless.wasm
}
build main-exports pkg
build estimate-exports pkg/estimate
echo "built pkg/ ($(du -h pkg/borderless_bg.wasm | cut -f1) wasm) and pkg/estimate/ ($(du -h pkg/estimate/borderless_bg.wasm | cut -f1) wasm)"
