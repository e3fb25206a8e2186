#!/usr/bin/env bash
# Runs every test from a fresh machine: formatting and lints, native unit/integration/doc tests,
# wasm-bindgen tests (Node, Chromium page, Chromium dedicated worker), the release WASM build,
# and the browser end-to-end tests. Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
step() { echo; echo "=== $*"; }

step setup
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy (native and wasm32)"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings

step "native tests (unit, integration, doc)"
cargo test 2>&1 | tee -a "$log"

step "wasm-bindgen tests: Node, Chromium page, Chromium dedicated worker"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown \
  --test wasm_node --test wasm_browser --test wasm_worker 2>&1 | tee -a "$log"

step "release WASM build"
bash scripts/build.sh

step "browser end-to-end tests (playwright-core + Debian chromium)"
(cd tests/e2e && node --test ./*.test.mjs) 2>&1 | tee -a "$log"

passed=$(( $(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}') \
         + $(grep -oE '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ))
failed=$(( $(grep -oE '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}') \
         + $(grep -oE '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ))
echo
echo "all suites: ${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
