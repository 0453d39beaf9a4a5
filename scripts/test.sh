#!/usr/bin/env bash
# From a fresh Debian 12 machine: set up, build, and run every test.
# Tests that need network namespaces run when this runs as root; otherwise
# they say they were skipped and why.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j 2 "$@"
