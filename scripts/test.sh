#!/usr/bin/env bash
# Runs every test from a fresh machine: formatting and lints, native unit/integration/doc tests,
# wasm-bindgen tests (Node, Chromium page, Chromium dedicated worker), the release WASM build,
# and the browser end-to-end tests. Every suite runs even when an earlier one fails; the last
# line is always "N passed, N failed" and the exit status is non-zero when anything failed.
# A step that is not a test suite (setup, fmt, clippy, build) counts as one test: it passes or
# fails as a whole. Takes about 25-35 minutes on 2 cores from a clean clone (most of it is
# compiling); the release site is written to www/pkg/ (generated, never committed).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
step_passed=0
step_failed=0
failed_steps=()

# step NAME CMD...: runs CMD, its output to the terminal and to the log; a failing exit status
# is recorded (and the run goes on).
step() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local start=$SECONDS
  "$@" 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc after $((SECONDS - start)) s"
  if [ "$rc" = 0 ]; then
    step_passed=$((step_passed + 1))
  else
    step_failed=$((step_failed + 1))
    failed_steps+=("$name")
  fi
  return 0
}

# suite NAME CMD...: a step whose tests are counted from its own output (cargo's "test result"
# lines, node's "# pass"/"# fail"). It adds no count of its own, except one failure when it
# failed without reporting any failing test (a compile error, a crash).
suite() {
  local name=$1 before after
  before=$(count_failed)
  step "$@"
  after=$(count_failed)
  if [ "${#failed_steps[@]}" -gt 0 ] && [ "${failed_steps[-1]}" = "$name" ]; then
    if [ "$after" != "$before" ]; then
      step_failed=$((step_failed - 1))
    else
      echo "=== $name failed before reporting its tests: counted as one failure"
    fi
  else
    step_passed=$((step_passed - 1))
  fi
}

count_passed() {
  echo $(( $(grep -aoE 'test result: (ok|FAILED)\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}') \
         + $(grep -aoE '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ))
}
count_failed() {
  echo $(( $(grep -aoE 'test result: (ok|FAILED)\. [0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$6} END {print s+0}') \
         + $(grep -aoE '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ))
}

step setup bash scripts/setup.sh
step "cargo fmt --check" cargo fmt --check
step "cargo clippy (native)" cargo clippy --all-targets -- -D warnings
step "cargo clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
suite "native tests (unit, integration, doc)" cargo test --no-fail-fast
suite "wasm-bindgen tests: Node, Chromium page, Chromium dedicated worker" \
  env CHROMEDRIVER=/usr/bin/chromedriver cargo test --no-fail-fast --target wasm32-unknown-unknown \
  --test wasm_node --test wasm_browser --test wasm_worker
step "release WASM build" bash scripts/build.sh
suite "browser end-to-end tests (playwright-core + Debian chromium)" \
  bash -c 'cd tests/e2e && node --test --test-concurrency=1 ./*.test.mjs'

passed=$(( $(count_passed) + step_passed ))
failed=$(( $(count_failed) + step_failed ))
echo
if [ "${#failed_steps[@]}" -gt 0 ]; then
  echo "steps that failed: ${failed_steps[*]}"
fi
echo "${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
