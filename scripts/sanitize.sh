#!/usr/bin/env bash
# The tests under sanitizers: an ASan+UBSan build runs every test; a TSan build
# runs the tests of the concurrent parts (runner, agent, API, probes, daemon),
# and builds only those test programs.
#   scripts/sanitize.sh [asan|tsan|all]     (default all)
# Tests that set times against the product's own (a slow threshold, a server's
# delay) stretch them by DK_TEST_SLOWDOWN (tests/support/slowdown.h): 2 under
# ASan+UBSan, 3 under TSan unless set.
# Any sanitizer report fails the run, also one from a program a test started
# (the reports are collected in build-asan/sanitizer-reports and
# build-tsan/sanitizer-reports, and printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
scripts/setup.sh >/dev/null

# Runs ctest with the sanitizer's reports going to files in $1/sanitizer-reports,
# then fails when the tests failed or any report was written.
run_tests() {
  local build="$1" status=0
  shift
  local reports="$PWD/$build/sanitizer-reports"
  rm -rf "$reports"
  mkdir -p "$reports"
  ctest --test-dir "$build" --output-on-failure -j 2 "$@" ||
    status=$?
  if [ -n "$(ls -A "$reports")" ]; then
    echo "sanitizer reports in $reports:" >&2
    for f in "$reports"/*; do
      echo "---- $f" >&2
      cat "$f" >&2
    done
    status=1
  fi
  return "$status"
}

# -O1 and line tables only: what the sanitizers' reports need (file:line in every
# frame), at about half the compile time of -O2 -g.
sanitizer_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")

status=0
if [ "$which" = asan ] || [ "$which" = all ]; then
  # GCC 12 gives false maybe-uninitialized warnings in libstdc++ under ASan: warnings stay warnings here.
  DK_BUILD_DIR=build-asan scripts/build.sh -DDK_SANITIZE=address,undefined -DDK_WARNINGS_AS_ERRORS=OFF \
    "${sanitizer_flags[@]}"
  reports="$PWD/build-asan/sanitizer-reports"
  DK_TEST_SLOWDOWN="${DK_TEST_SLOWDOWN:-2}" \
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$reports/asan" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan" \
    run_tests build-asan || status=1
fi
if [ "$which" = tsan ] || [ "$which" = all ]; then
  # Only the test programs TSan runs (and the program daemon_tests starts); the
  # tray is not among them.
  DK_BUILD_DIR=build-tsan DK_TARGETS="agent_tests probes_tests api_tests daemon_tests" \
    scripts/build.sh -DDK_SANITIZE=thread -DDK_WARNINGS_AS_ERRORS=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON "${sanitizer_flags[@]}"
  reports="$PWD/build-tsan/sanitizer-reports"
  DK_TEST_SLOWDOWN="${DK_TEST_SLOWDOWN:-3}" \
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan" \
    run_tests build-tsan -R '^(agent|probes|api|daemon)/' || status=1
fi
exit "$status"
