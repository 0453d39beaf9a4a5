#!/usr/bin/env bash
# Runs a command several times in a row with every core kept busy by a bounded
# background load, to show that the tests do not depend on the machine's speed.
#   scripts/under-load.sh 3 scripts/sanitize.sh asan
# The load is one busy loop per core at normal priority, stopped when the runs end
# (and in any case after 3 hours). Prints each run's time and result; fails when
# any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:?usage: scripts/under-load.sh RUNS COMMAND...}"
shift
[ "$#" -gt 0 ] || { echo "usage: scripts/under-load.sh RUNS COMMAND..." >&2; exit 2; }

load=()
stop_load() {
  [ "${#load[@]}" -eq 0 ] || kill "${load[@]}" 2>/dev/null || true
}
trap stop_load EXIT
for ((i = 0; i < $(nproc); i++)); do
  timeout 3h sh -c 'while :; do :; done' &
  load+=("$!")
done
echo "load: ${#load[@]} busy loops (pids ${load[*]})"

failed=0
results=()
for ((run = 1; run <= runs; run++)); do
  start=$SECONDS
  status=0
  "$@" || status=$?
  results+=("run $run: exit $status in $((SECONDS - start)) s")
  [ "$status" -eq 0 ] || failed=1
done
printf '%s\n' "${results[@]}"
exit "$failed"
