#!/usr/bin/env bash
# Speed benchmarks, native and WASM side by side (not part of the test run): SECR fits on
# secr's captdata against secr 5.4.1's times on the same kind of machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
cargo bench --bench secr_fit 2>/dev/null
node tests/bench/secr-wasm.mjs
cargo bench --bench genotype_pairs 2>/dev/null
node tests/bench/genotypes-wasm.mjs
cargo bench --bench map_redraw 2>/dev/null
node tests/bench/map-wasm.mjs
