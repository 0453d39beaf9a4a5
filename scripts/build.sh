#!/usr/bin/env bash
# Configures and builds driftkoll into ./build (or $DK_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${DK_BUILD_DIR:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDK_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
