#!/usr/bin/env bash
# Time to verdict, side by side in one run: `driftkoll check` against the same
# checks done one after another by a shell script with curl, with the same
# per-target timeout, in three situations: all healthy, link down, and half the
# targets black-holed. Runs inside network namespaces it builds itself (root),
# so no packet leaves this machine.
#
#   scripts/bench-verdict.sh [RUNS]      (default 5 runs per cell; the median is shown)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
[ "$(id -u)" -eq 0 ] || { echo "bench-verdict.sh: needs root (network namespaces)" >&2; exit 1; }
bin=build/agent/driftkoll
[ -x "$bin" ] || scripts/build.sh
source scripts/lib/lab.sh

work=$(mktemp -d)
trap 'lab_down; rm -rf "$work"' EXIT
lab_up "$work"
timeout_s=3
lab_config "$work/bench.toml" "${timeout_s}s"

# The same checks, one after another, as a careful shell script would do them.
cat > "$work/sequential.sh" <<SEQ
#!/usr/bin/env bash
ip -o link show >/dev/null
ip route show default | grep -q . || exit 1
ping -c 1 -W $timeout_s 10.199.0.1 >/dev/null 2>&1
for n in ${LAB_NAMES[*]}; do
  timeout $timeout_s getent hosts "\$n" >/dev/null 2>&1
  curl -s -o /dev/null --max-time $timeout_s --cacert $work/ca.pem "https://\$n/"
done
exit 0
SEQ
chmod +x "$work/sequential.sh"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() {  # prints the median wall time in ms of RUNS runs
  for _ in $(seq "$runs"); do
    local t0; t0=$(now_ms)
    ip netns exec "$LAB_WS" "$@" >/dev/null 2>&1 || true
    echo $(( $(now_ms) - t0 ))
  done | median
}

row() {
  local label=$1 verdict d s
  verdict=$(ip netns exec "$LAB_WS" "$bin" check --json --config "$work/bench.toml" 2>/dev/null |
            sed -n 's/.*"domain": "\([a-z_]*\)".*/\1/p' | head -1 || true)
  d=$(time_cmd "$bin" check --config "$work/bench.toml")
  s=$(time_cmd "$work/sequential.sh")
  printf '%-26s %-14s %10s %14s %8s\n' "$label" "$verdict" "$d" "$s" \
    "$(awk -v a="$d" -v b="$s" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }')"
}

export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"
echo "Time to verdict, median of $runs runs, ms (per-target timeout ${timeout_s} s, $(nproc) cores)"
printf '%-26s %-14s %10s %14s %8s\n' situation verdict driftkoll "shell+curl" speedup
row "all healthy"
ip -n "$LAB_NET" link set gw0 down
row "link down"
ip -n "$LAB_NET" link set gw0 up
sleep 0.3
lab_blackhole "${LAB_ADDRS[0]}" "${LAB_ADDRS[2]}"
row "half black-holed (2 of 4)"
