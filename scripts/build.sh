#!/usr/bin/env bash
# Configures and builds driftkoll into ./build (or $DK_BUILD_DIR); extra arguments go
# to cmake. Extra targets to build, instead of all: DK_TARGETS="a b c".
#
# The compiler cache is keyed on paths relative to this checkout, so a fresh clone
# (CI's) finds what an earlier build here compiled; see scripts/lib/ccache.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ccache.sh
build="${DK_BUILD_DIR:-build}"
generator=()
# Ninja where the folder is new (an existing one keeps the generator it has).
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDK_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
targets=()
for t in ${DK_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j "$(nproc)" "${targets[@]}"
