#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang) into ./build-fuzz and runs each
# for SECONDS_PER_TARGET, one after another, starting from its seed corpus in
# tests/fuzz/corpus/<target>/. What a run learns is kept in build-fuzz/corpus/<target>/
# for the next run. A finding (crash, leak, timeout, out of memory) fails the script;
# its input is in build-fuzz/findings/<target>/ and the log in build-fuzz/logs/.
#   scripts/fuzz.sh                      every target for 30 s (CI)
#   scripts/fuzz.sh 3600                 every target for an hour
#   scripts/fuzz.sh 600 config_fuzz      one target for 10 minutes
# Replaying one input: build-fuzz/tests/fuzz/<target> FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
all=(config_fuzz api_fuzz ics_fuzz http_text_fuzz http_probe_fuzz)
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=("${all[@]}")
fi
scripts/setup.sh >/dev/null

# The tray is not fuzzed: the build leaves Qt out.
DK_BUILD_DIR=build-fuzz DK_TARGETS="${targets[*]}" scripts/build.sh -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DDK_FUZZ=ON -DDK_WARNINGS_AS_ERRORS=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON

# Runs one target for $seconds from its seeds; its exit status goes to its log's
# .status file. libFuzzer is single-threaded: the targets run one per core at a
# time, each with a core of its own for its whole time.
fuzz_one() {
  local target="$1" status=0
  local seeds=("tests/fuzz/corpus/$target")
  # The iCalendar parser also starts from the feeds the maintenance tests use.
  if [ "$target" = ics_fuzz ]; then
    seeds+=(tests/data/ics)
  fi
  local options=()
  if [ -f "tests/fuzz/$target.dict" ]; then
    options+=("-dict=tests/fuzz/$target.dict")
  fi
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/findings/$target" build-fuzz/logs
  local log="build-fuzz/logs/$target.log"
  "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$target/" "${options[@]}" \
    "build-fuzz/corpus/$target" "${seeds[@]}" >"$log" 2>&1 || status=$?
  echo "$status" >"$log.status"
}

at_once=$(nproc)
for ((i = 0; i < ${#targets[@]}; i += at_once)); do
  for target in "${targets[@]:i:at_once}"; do
    fuzz_one "$target" &
  done
  wait
done

failed=()
for target in "${targets[@]}"; do
  log="build-fuzz/logs/$target.log"
  status=$(cat "$log.status")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus=$(find "build-fuzz/corpus/$target" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    echo "$target: ${runs:-0} runs in ${seconds} s, no findings (corpus: $corpus inputs)"
  else
    echo "$target: FINDING after ${runs:-?} runs (exit $status); input in build-fuzz/findings/$target/, log $log" >&2
    grep -A 30 -m 1 -E '^==[0-9]+==|^SUMMARY|_fuzz: ' "$log" >&2 || tail -n 30 "$log" >&2
    failed+=("$target")
  fi
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
