#!/usr/bin/env bash
# Sets up, builds and serves the site at http://127.0.0.1:${PORT:-8080}/ (the next free port when
# that one is taken; the address is printed) — the simulated
# demo survey is loaded on opening. Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-browser
bash scripts/build.sh
exec node tests/e2e/server.mjs www "${PORT:-8080}" 127.0.0.1
