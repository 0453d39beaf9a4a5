#!/usr/bin/env bash
# The tests under sanitizers: an ASan+UBSan build runs every test; a TSan build
# runs the tests of the concurrent parts (runner, agent, API, probes).
#   scripts/sanitize.sh [asan|tsan|all]     (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
scripts/setup.sh >/dev/null

if [ "$which" = asan ] || [ "$which" = all ]; then
  # GCC 12 gives false maybe-uninitialized warnings in libstdc++ under ASan: warnings stay warnings here.
  DK_BUILD_DIR=build-asan scripts/build.sh -DDK_SANITIZE=address,undefined -DDK_WARNINGS_AS_ERRORS=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j 2
fi
if [ "$which" = tsan ] || [ "$which" = all ]; then
  DK_BUILD_DIR=build-tsan scripts/build.sh -DDK_SANITIZE=thread -DDK_WARNINGS_AS_ERRORS=OFF
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --test-dir build-tsan --output-on-failure -j 2 -R '^(agent|probes|api|daemon)/'
fi
