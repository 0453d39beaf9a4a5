#!/usr/bin/env bash
# Time to verdict per scenario class, side by side in one run, and the CPU and
# memory of one run: `driftkoll check` against (a) the same checks done one
# after another by a shell script with curl, with the same per-target timeout,
# and (b) prometheus-blackbox-exporter (Debian's package) probing the same
# targets, all at once, as Prometheus scrapes them. Inside network namespaces it
# builds itself (root): no packet leaves this machine. Prints Markdown.
#
#   scripts/bench-verdict.sh [RUNS]      (default 5 runs per cell; the median is shown)
#
# DK_BASELINE_BIN=/path/to/an/older/driftkoll adds its figures beside the current
# ones (same lab, same run); DK_BASELINE_NAME names it in the tables.
# DK_SCALE="50 200" (the default; empty: none) adds the rows for profiles with that
# many systems, all healthy and with half of them black-holed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
[ "$(id -u)" -eq 0 ] || { echo "bench-verdict.sh: needs root (network namespaces)" >&2; exit 1; }
bin=$(pwd)/${DK_BUILD_DIR:-build}/agent/driftkoll
base=${DK_BASELINE_BIN:-}
base_name=${DK_BASELINE_NAME:-before}
scale=${DK_SCALE-50 200}
[ -x "$bin" ] || scripts/build.sh
for tool in prometheus-blackbox-exporter /usr/bin/time; do
  command -v "$tool" >/dev/null || scripts/setup.sh >/dev/null
done
source scripts/lib/lab.sh

work=$(mktemp -d)
bbe_pid=
cleanup() { [ -n "$bbe_pid" ] && kill "$bbe_pid" 2>/dev/null; lab_down; rm -rf "$work"; }
trap cleanup EXIT
lab_up "$work"
timeout_s=3
lab_config "$work/bench.toml" "${timeout_s}s"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"

# (a) The same checks, one after another, as a careful shell script would do them.
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

# (b) blackbox_exporter in the workstation, one https module with the same
# timeout; a "verdict" is every target's /probe answered, asked for at once.
cat > "$work/bbe.yml" <<BBE
modules:
  https:
    prober: http
    timeout: ${timeout_s}s
    http: { tls_config: { ca_file: $work/ca.pem } }
BBE
ip netns exec "$LAB_WS" prometheus-blackbox-exporter --config.file="$work/bbe.yml" \
  --web.listen-address=127.0.0.1:9115 >"$work/bbe.log" 2>&1 &
bbe_pid=$!
for _ in $(seq 50); do
  ip netns exec "$LAB_WS" curl -s -o /dev/null http://127.0.0.1:9115/ && break
  sleep 0.1
done
cat > "$work/bbe-round.sh" <<ROUND
#!/usr/bin/env bash
for n in ${LAB_NAMES[*]}; do
  curl -s -o /dev/null --max-time 30 "http://127.0.0.1:9115/probe?module=https&target=https://\$n/" &
done
wait
ROUND
chmod +x "$work/bbe-round.sh"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The median wall time in ms of RUNS runs of a command in the workstation.
time_cmd() {
  for _ in $(seq "$runs"); do
    local t0; t0=$(now_ms)
    ip netns exec "$LAB_WS" "$@" >/dev/null 2>&1 || true
    echo $(( $(now_ms) - t0 ))
  done | median
}
# CPU (user+system, ms, children included) and peak resident memory (MB) of one
# run, by GNU time: "CPU MAXRSS".
usage() {
  ip netns exec "$LAB_WS" /usr/bin/time -f '%U %S %M' -o "$work/usage" "$@" >/dev/null 2>&1 || true
  # (GNU time writes "Command exited with non-zero status N" first when it did.)
  awk 'NF == 3 && $1 ~ /^[0-9.]+$/ {printf "%.0f %.1f\n", ($1 + $2) * 1000, $3 / 1024}' "$work/usage"
}
# blackbox_exporter's CPU for one round, from its own counters (ms).
bbe_ticks() { awk '{print $14 + $15}' "/proc/$bbe_pid/stat"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1f×", b / a; else print "-" }'; }

# After the cable is back: until the gateway answers again (neighbour discovery).
settle() {
  for _ in $(seq 50); do
    ip netns exec "$LAB_WS" ping -c 1 -W 1 10.199.0.1 >/dev/null 2>&1 && return 0
    sleep 0.1
  done
}

hz=$(getconf CLK_TCK)
verdict_rows=() cost_rows=()
verdict_of() {
  ip netns exec "$LAB_WS" "$1" check --json --config "$2" 2>/dev/null |
    sed -n 's/.*"domain": "\([a-z_]*\)".*/\1/p' | head -1 || true
}
row() {
  local label=$1 verdict d s b cpu rss scpu srss t0 t1 bv bd bcpu brss
  verdict=$(verdict_of "$bin" "$work/bench.toml")
  d=$(time_cmd "$bin" check --config "$work/bench.toml")
  s=$(time_cmd "$work/sequential.sh")
  t0=$(bbe_ticks)
  b=$(time_cmd "$work/bbe-round.sh")
  t1=$(bbe_ticks)
  read -r cpu rss < <(usage "$bin" check --config "$work/bench.toml")
  read -r scpu srss < <(usage "$work/sequential.sh")
  local before_t='' before_c=''
  if [ -n "$base" ]; then
    bv=$(verdict_of "$base" "$work/bench.toml")
    bd=$(time_cmd "$base" check --config "$work/bench.toml")
    read -r bcpu brss < <(usage "$base" check --config "$work/bench.toml")
    before_t=" $bd (\`$bv\`) |"
    before_c=" $bcpu | $brss |"
  fi
  verdict_rows+=("| $label | \`$verdict\` | $d |$before_t $s | $b | $(ratio "$d" "$s") | $(ratio "$d" "$b") |")
  cost_rows+=("| $label | $cpu | $rss |$before_c $scpu | $srss | $(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$runs" 'BEGIN{printf "%.0f", t * 1000 / hz / n}') |")
}

row "all healthy"
ip -n "$LAB_NET" link set gw0 down
row "cable out (link down)"
ip -n "$LAB_NET" link set gw0 up
settle
lab_dns_stop
row "DNS server dead"
lab_dns_start
sleep 0.3
lab_server_stop 0
row "TES refusing connections"
lab_server_start 0
sleep 0.3
lab_blackhole "${LAB_ADDRS[0]}" "${LAB_ADDRS[2]}"
row "TES and one outside site black-holed"
lab_unblock
lab_blackhole 10.199.0.53 "${LAB_ADDRS[@]}"
row "everything beyond the gateway black-holed"
lab_unblock

# How the cost grows with the work: profiles with many systems, spread over the
# lab's scale addresses (name i on address i mod 16).
# The most sockets a process (and its threads) held open at once, sampled every
# 10 ms while it runs; PID is a running process, or a command is started.
peak_sockets_of() {
  local pid=$1 max=0 n
  while kill -0 "$pid" 2>/dev/null; do
    n=$(find "/proc/$pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
    [ "$n" -gt "$max" ] && max=$n
    sleep 0.01
  done
  echo "$max"
}
peak_sockets() {
  ip netns exec "$LAB_WS" "$@" >/dev/null 2>&1 &
  local pid=$!
  peak_sockets_of "$pid"
  wait "$pid" 2>/dev/null || true
}
# blackbox_exporter's open sockets while a round runs (it is a server: its own
# listening socket included).
bbe_round_sockets() {
  local max=0 n
  ip netns exec "$LAB_WS" "$1" >/dev/null 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    n=$(find "/proc/$bbe_pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
    [ "$n" -gt "$max" ] && max=$n
    sleep 0.01
  done
  wait "$pid" 2>/dev/null || true
  echo "$max"
}
scale_runs=3
scale_rows=()
scale_row() {
  local n=$1 label=$2 healthy=$3 cfg="$work/scale-$1.toml" verdict d s b cpu rss socks bsocks t0 t1
  local saved=$runs
  runs=$scale_runs
  verdict=$(verdict_of "$bin" "$cfg")
  d=$(time_cmd "$bin" check --config "$cfg")
  t0=$(bbe_ticks)
  b=$(time_cmd "$work/bbe-scale-$n.sh")
  t1=$(bbe_ticks)
  bsocks=$(bbe_round_sockets "$work/bbe-scale-$n.sh")
  read -r cpu rss < <(usage "$bin" check --config "$cfg")
  socks=$(peak_sockets "$bin" check --config "$cfg")
  if [ "$healthy" = yes ]; then
    s=$(time_cmd "$work/seq-scale-$n.sh")
  else
    s="– (one after another: over $((n / 2 * timeout_s)) s)"
  fi
  runs=$saved
  scale_rows+=("| $n | $label | \`$verdict\` | $d | $s | $b | $cpu | $(awk -v c="$cpu" -v n="$n" 'BEGIN{printf "%.1f", c / n}') | $rss | $socks | $(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$scale_runs" 'BEGIN{printf "%.0f", t * 1000 / hz / n}') | $bsocks |")
}
for n in $scale; do
  lab_scale_up "$n"
  lab_scale_config "$work/scale-$n.toml" "${timeout_s}s" "$n"
  {
    echo '#!/usr/bin/env bash'
    for name in "${LAB_SCALE_NAMES[@]}"; do
      echo "curl -s -o /dev/null --max-time 30 'http://127.0.0.1:9115/probe?module=https&target=https://$name/' &"
    done
    echo wait
  } > "$work/bbe-scale-$n.sh"
  {
    echo '#!/usr/bin/env bash'
    echo 'ip -o link show >/dev/null'
    echo 'ip route show default | grep -q . || exit 1'
    echo "ping -c 1 -W $timeout_s 10.199.0.1 >/dev/null 2>&1"
    for name in "${LAB_SCALE_NAMES[@]}"; do
      echo "timeout $timeout_s getent hosts $name >/dev/null 2>&1"
      echo "curl -s -o /dev/null --max-time $timeout_s --cacert $work/ca.pem https://$name/"
    done
    echo 'exit 0'
  } > "$work/seq-scale-$n.sh"
  chmod +x "$work/bbe-scale-$n.sh" "$work/seq-scale-$n.sh"
  scale_row "$n" "all healthy" yes
  lab_blackhole "${LAB_SCALE_ADDRS[@]:0:8}"
  scale_row "$n" "half of them black-holed" no
  lab_unblock
done
bbe_rss=$(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$bbe_pid/status")

echo "### Time to verdict"
echo
echo "Median of $runs runs, wall time in ms, per-target timeout ${timeout_s} s. blackbox_exporter: all"
echo "${#LAB_NAMES[@]} targets' \`/probe\` asked for at once (as Prometheus scrapes); it gives probe results, not a verdict."
echo
if [ -n "$base" ]; then
  echo "| situation | driftkoll verdict | driftkoll | driftkoll $base_name (verdict) | shell + curl | blackbox_exporter | shell ÷ driftkoll | blackbox ÷ driftkoll |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
else
  echo "| situation | driftkoll verdict | driftkoll | shell + curl | blackbox_exporter | shell ÷ driftkoll | blackbox ÷ driftkoll |"
  echo "|---|---|---:|---:|---:|---:|---:|"
fi
printf '%s\n' "${verdict_rows[@]}"
echo
echo "### CPU and memory per run"
echo
echo "One run each: CPU is user + system time (children included), memory the peak resident set."
echo "blackbox_exporter is a long-running server: its CPU per round of probes, from its own"
echo "counters; its peak resident memory over the whole benchmark was ${bbe_rss} MB."
echo
if [ -n "$base" ]; then
  echo "| situation | driftkoll CPU ms | driftkoll peak MB | driftkoll $base_name CPU ms | driftkoll $base_name peak MB | shell + curl CPU ms | shell + curl peak MB (largest process) | blackbox_exporter CPU ms per round |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
else
  echo "| situation | driftkoll CPU ms | driftkoll peak MB | shell + curl CPU ms | shell + curl peak MB (largest process) | blackbox_exporter CPU ms per round |"
  echo "|---|---:|---:|---:|---:|---:|"
fi
printf '%s\n' "${cost_rows[@]}"
if [ -n "$scale" ]; then
  echo
  echo "### How the cost grows with the number of systems"
  echo
  echo "Profiles with that many systems (HTTPS, each its own name; 16 servers share them), per-target"
  echo "timeout ${timeout_s} s; median of $scale_runs runs for the times, one run for CPU, memory and sockets."
  echo "Half black-holed: the router drops every packet to 8 of the 16 server addresses. Sockets: the"
  echo "most open at once, sampled every 10 ms (blackbox_exporter's own, its listening socket included)."
  echo
  echo "| systems | situation | driftkoll verdict | driftkoll ms | shell + curl ms | blackbox_exporter ms | driftkoll CPU ms | CPU ms per system | driftkoll peak MB | driftkoll sockets | blackbox_exporter CPU ms per round | blackbox_exporter sockets |"
  echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${scale_rows[@]}"
fi
