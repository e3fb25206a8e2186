#!/usr/bin/env bash
# Big-file benchmark (not part of the test run): a ≈ 200 MB / 1.45 M-row Agouti-shaped Camtrap
# DP package (crate/benches/big_parse.rs writes it once) read natively — the median time of
# `pipeline::load_files` and the peak resident memory of `borderless crossborder --json` on it
# (GNU time's "Maximum resident set size", which includes the input bytes) — and in WASM under
# Node (tools/bench-big-wasm.mjs; needs pkg/ from scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export BORDERLESS_BIG_DIR="${BORDERLESS_BIG_DIR:-${TMPDIR:-/tmp}/borderless-big-parse}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load: $(uptime)"
(cd crate && cargo bench --bench big_parse 2>/dev/null)
(cd crate && cargo build --release --bin borderless 2>/dev/null)
for run in 1 2 3; do
  /usr/bin/time -v target/release/borderless crossborder --catalog "big=$BORDERLESS_BIG_DIR" --json \
    2>/tmp/bench-big-time.txt >/dev/null || true
  awk -v run="$run" '/Maximum resident set size/ {rss=$NF} /Elapsed \(wall clock\)/ {wall=$NF}
    END {printf "big_parse: borderless crossborder --json, native, run %s: peak RSS %.0f MiB, wall %s\n", run, rss/1024, wall}' \
    /tmp/bench-big-time.txt
done
if [ -f pkg/borderless_bg.wasm ] && [ "${SKIP_WASM:-}" = "" ]; then
  node tools/bench-big-wasm.mjs "$BORDERLESS_BIG_DIR"
fi
echo "load: $(uptime)"
