#!/usr/bin/env bash
# The tray's footprint, side by side in one run with the panel that hosts it:
# Xvfb, the tint2 panel (Debian's) with its system tray, the agent in the lab's
# workstation (scripts/lib/lab.sh) and driftkoll-tray, idle. Prints Markdown.
#
#   scripts/bench-tray.sh [SECONDS]     (default 60 s of idling)
set -euo pipefail
cd "$(dirname "$0")/.."
watch_s="${1:-60}"
[ "$(id -u)" -eq 0 ] || { echo "bench-tray.sh: needs root (network namespaces)" >&2; exit 1; }
build=${DK_BUILD_DIR:-build}
bin=$(pwd)/$build/agent/driftkoll
tray=$(pwd)/$build/tray/driftkoll-tray
[ -x "$bin" ] && [ -x "$tray" ] || scripts/build.sh
for tool in Xvfb tint2 xwininfo; do command -v "$tool" >/dev/null || scripts/setup.sh >/dev/null; done
source scripts/lib/lab.sh
source scripts/lib/proc.sh

work=$(mktemp -d)
xvfb_pid= tint2_pid= agent_pid= tray_pid=
cleanup() {
  for p in $tray_pid $agent_pid $tint2_pid $xvfb_pid; do kill "$p" 2>/dev/null || true; done
  lab_down; rm -rf "$work"
}
trap cleanup EXIT
lab_up "$work"
lab_config "$work/driftkoll.toml" 3s
mkdir -m 700 "$work/run"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run" \
  XDG_CONFIG_HOME="$work/config"

disp=:$(( 90 + RANDOM % 9 ))
Xvfb "$disp" -screen 0 1920x1080x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.1; done
cat > "$work/tint2rc" <<'RC'
panel_items = S
panel_position = bottom left horizontal
panel_size = 100% 32
systray_padding = 4 2 4
systray_icon_size = 24
RC
DISPLAY=$disp tint2 -c "$work/tint2rc" >"$work/tint2.log" 2>&1 &
tint2_pid=$!
# Without a window manager tint2 shows its panel after a while.
for _ in $(seq 60); do
  DISPLAY=$disp xwininfo -root -tree 2>/dev/null | grep -q tint2 && break
  sleep 0.5
done

ip netns exec "$LAB_WS" "$bin" agent --allow-root --config "$work/driftkoll.toml" \
  >"$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [ -S "$work/run/driftkoll/api.sock" ] && break; sleep 0.1; done
ip netns exec "$LAB_WS" env DISPLAY="$disp" "$tray" --config "$work/driftkoll.toml" \
  >"$work/tray.log" 2>&1 &
tray_pid=$!
sleep 10   # started, connected, the first report shown

t0=$(cpu_ticks "$tray_pid"); p0=$(cpu_ticks "$tint2_pid")
s0=$(switches "$tray_pid"); q0=$(switches "$tint2_pid")
sleep "$watch_s"
t1=$(cpu_ticks "$tray_pid"); p1=$(cpu_ticks "$tint2_pid")
s1=$(switches "$tray_pid"); q1=$(switches "$tint2_pid")
hz=$(getconf CLK_TCK)
pct() { awk -v t="$1" -v hz="$hz" -v s="$watch_s" 'BEGIN { printf "%.3f %%", 100 * t / hz / s }'; }

echo "### Tray footprint"
echo
echo "driftkoll-tray idle for ${watch_s} s in its panel (Xvfb, tint2's system tray), connected to the"
echo "agent and long-polling it; tint2, the panel itself, beside it for scale."
echo
echo "| | driftkoll-tray | tint2 panel |"
echo "|---|---:|---:|"
echo "| resident memory | $(mb "$(rss_kb "$tray_pid")") MB | $(mb "$(rss_kb "$tint2_pid")") MB |"
echo "| of which its own (anonymous) | $(mb "$(anon_kb "$tray_pid")") MB | $(mb "$(anon_kb "$tint2_pid")") MB |"
echo "| resident memory peak | $(mb "$(hwm_kb "$tray_pid")") MB | $(mb "$(hwm_kb "$tint2_pid")") MB |"
echo "| CPU | $(pct $((t1 - t0))) | $(pct $((p1 - p0))) |"
echo "| context switches, all threads | $((s1 - s0)) | $((q1 - q0)) |"
