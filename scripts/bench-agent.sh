#!/usr/bin/env bash
# The background agent's idle footprint and its API's time to answer, side by
# side in one run with prometheus-blackbox-exporter (Debian's package) idling in
# the same namespace, and with the targets. The agent runs against the lab
# network (scripts/lib/lab.sh) with periodic runs; nothing leaves this machine.
#
#   scripts/bench-agent.sh [SECONDS] [INTERVAL]   (default 180 s of watching, 30s between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
watch_s="${1:-180}"
interval="${2:-30s}"
[ "$(id -u)" -eq 0 ] || { echo "bench-agent.sh: needs root (network namespaces)" >&2; exit 1; }
bin=$(pwd)/${DK_BUILD_DIR:-build}/agent/driftkoll
[ -x "$bin" ] || scripts/build.sh
command -v prometheus-blackbox-exporter >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-blackbox-exporter >/dev/null
source scripts/lib/lab.sh
source scripts/lib/proc.sh

work=$(mktemp -d)
agent_pid= bbe_pid=
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null
  [ -n "$bbe_pid" ] && kill "$bbe_pid" 2>/dev/null
  lab_down; rm -rf "$work"
}
trap cleanup EXIT
lab_up "$work"
lab_config "$work/agent.toml" 3s
printf '[agent]\ninterval = "%s"\n' "$interval" >> "$work/agent.toml"
mkdir -m 700 "$work/run"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run"

ip netns exec "$LAB_WS" "$bin" agent --allow-root --config "$work/agent.toml" >"$work/agent.log" 2>&1 &
agent_pid=$!
cat > "$work/bbe.yml" <<BBE
modules:
  https:
    prober: http
    timeout: 3s
    http: { tls_config: { ca_file: $work/ca.pem } }
BBE
ip netns exec "$LAB_WS" prometheus-blackbox-exporter --config.file="$work/bbe.yml" \
  --web.listen-address=127.0.0.1:9115 >"$work/bbe.log" 2>&1 &
bbe_pid=$!
sock="$work/run/driftkoll/api.sock"
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
if ! kill -0 "$agent_pid" 2>/dev/null; then
  echo "bench-agent.sh: the agent did not start:" >&2
  cat "$work/agent.log" "$work/state/driftkoll/log/driftkoll.log" >&2 2>/dev/null || true
  exit 1
fi
sleep 5   # the start run, and the run that the lab's own settling link changes ask for

# Wake-ups between scheduled runs: a quiet 10 s window right after the start run.
q0=$(switches "$agent_pid"); bq0=$(switches "$bbe_pid")
sleep 10
q1=$(switches "$agent_pid"); bq1=$(switches "$bbe_pid")

a_cpu0=$(cpu_ticks "$agent_pid"); b_cpu0=$(cpu_ticks "$bbe_pid")
a_sw0=$(switches "$agent_pid"); b_sw0=$(switches "$bbe_pid")
runs0=$(curl -s --unix-socket "$sock" http://localhost/v1/health | sed 's/.*"generation":\([0-9]*\).*/\1/')
sleep "$watch_s"
a_cpu1=$(cpu_ticks "$agent_pid"); b_cpu1=$(cpu_ticks "$bbe_pid")
a_sw1=$(switches "$agent_pid"); b_sw1=$(switches "$bbe_pid")
runs1=$(curl -s --unix-socket "$sock" http://localhost/v1/health | sed 's/.*"generation":\([0-9]*\).*/\1/')
hz=$(getconf CLK_TCK)
runs=$(( runs1 - runs0 ))

# The API's time to answer: median of 50 requests of the last report.
api_ms=$(for _ in $(seq 50); do
  curl -s -o /dev/null -w '%{time_total}\n' --unix-socket "$sock" http://localhost/v1/report
done | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)] * 1000}')

# The agent's own path: from `POST /v1/run?wait_ms=` to the answer (the run done in
# a child process, `driftkoll agent-run`), beside the whole process of
# `driftkoll check` with the same configuration: median of 5 each.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
post_ms=$(for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{time_total}\n' --unix-socket "$sock" -X POST \
    'http://localhost/v1/run?wait_ms=10000'
done | median | awk '{printf "%.0f", $1 * 1000}')
check_ms=$(for _ in 1 2 3 4 5; do
  t0=$(date +%s%3N)
  ip netns exec "$LAB_WS" "$bin" check --config "$work/agent.toml" >/dev/null 2>&1 || true
  echo $(( $(date +%s%3N) - t0 ))
done | median)

pct() { awk -v t="$1" -v hz="$hz" -v s="$watch_s" 'BEGIN { printf "%.3f %%", 100 * t / hz / s }'; }
echo "### Idle agent footprint"
echo
echo "Watched for ${watch_s} s with a run every ${interval} ($runs periodic runs) on $(nproc) cores, against the"
echo "lab network. blackbox_exporter idles beside it in the same namespace, for scale: a small"
echo "resident monitoring service that every Prometheus site already runs."
echo
echo "| | driftkoll agent | blackbox_exporter idle | target |"
echo "|---|---:|---:|---:|"
echo "| resident memory now | $(mb "$(rss_kb "$agent_pid")") MB | $(mb "$(rss_kb "$bbe_pid")") MB | < 15 MB |"
echo "| of which its own (anonymous) | $(mb "$(anon_kb "$agent_pid")") MB | $(mb "$(anon_kb "$bbe_pid")") MB | |"
echo "| resident memory peak | $(mb "$(hwm_kb "$agent_pid")") MB | $(mb "$(hwm_kb "$bbe_pid")") MB | |"
echo "| CPU, its check processes included | $(pct $((a_cpu1 - a_cpu0))) | $(pct $((b_cpu1 - b_cpu0))) | ≈ 0 |"
echo "| context switches, all threads | $((a_sw1 - a_sw0)) | $((b_sw1 - b_sw0)) | |"
echo "| wake-ups in 10 s between runs | $((q1 - q0)) | $((bq1 - bq0)) | 0 |"
echo "| API time to answer (median of 50) | ${api_ms} ms | – | |"
echo "| \`POST /v1/run?wait_ms=10000\` to the answer, all healthy (median of 5) | ${post_ms} ms | – | |"
echo "| \`driftkoll check\`, whole process, same config (median of 5) | ${check_ms} ms | – | |"
