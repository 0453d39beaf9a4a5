#!/usr/bin/env bash
# Screenshots of driftkoll-tray in a real X session: Xvfb, the tint2 panel with
# its system tray (a real tray host from Debian), the real agent in the lab's
# workstation namespace (scripts/lib/lab.sh) and the tray beside it. For each
# scenario it saves the tray area and the whole screen (the status window open),
# and checks that the window's texts match the report:
#
#   all-fine         everything answers; from the agent
#   cable-out        the workstation's link goes down; the agent notices (netlink)
#                    and the tray follows through the long-poll
#   tes-down-saturday TES black-holed, next Saturday 19:00; the agent cannot
#                    pretend another time, so the tray runs with --at and checks
#                    in-process (the same performCheck), compared with
#                    `driftkoll check --at` in the same namespace; also at 200%
#   no-agent         the agent stopped: the unknown icon and the offer to start it
#
#   scripts/tray-screenshots.sh [OUTDIR]     (root; default OUTDIR build/tray-shots)
#   DK_BUILD_DIR=build-tray scripts/tray-screenshots.sh   another build folder
#
# No packet leaves this machine: the agent, the checks and the tray run in the
# namespaces the script made; X goes over a Unix socket.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-build/tray-shots}
build=${DK_BUILD_DIR:-build}
[ "$(id -u)" -eq 0 ] || { echo "tray-screenshots.sh: needs root (network namespaces)" >&2; exit 1; }
bin=$root/$build/agent/driftkoll
tray=$root/$build/tray/driftkoll-tray
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target driftkoll driftkoll-tray >/dev/null
for tool in Xvfb tint2 xwininfo import convert jq; do
  command -v "$tool" >/dev/null || { echo "tray-screenshots.sh: $tool is missing (scripts/setup.sh)" >&2; exit 1; }
done
source scripts/lib/lab.sh
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d)
xvfb_pid= tint2_pid= agent_pid= tray_pid=
stop_pid() { [ -n "$1" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() {
  set +e
  stop_pid "$tray_pid"; stop_pid "$agent_pid"; stop_pid "$tint2_pid"; stop_pid "$xvfb_pid"
  # The lab's servers: this shell's background jobs, by pid; dnsmasq by its pid file.
  local p
  for p in $(jobs -p); do kill "$p" 2>/dev/null; done
  [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null
  ip netns del "$LAB_WS" 2>/dev/null
  ip netns del "$LAB_NET" 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] && cp "$work"/*.log "$KEEP_WORK"/ 2>/dev/null
  rm -rf "/etc/netns/$LAB_WS" "$work"
}
trap cleanup EXIT

# The X session: a screen, and tint2 with only its system tray, at the bottom.
disp=:$(( 90 + $$ % 9 ))
Xvfb "$disp" -screen 0 2560x1600x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.1; done
cat > "$work/tint2rc" <<'RC'
# Background 1: the panel.
rounded = 0
border_width = 1
background_color = #2e3440 100
border_color = #4c566a 100
panel_items = S
panel_size = 100% 40
panel_margin = 0 0
panel_padding = 8 4 8
panel_position = bottom center horizontal
panel_background_id = 1
systray_padding = 4 2 6
systray_background_id = 0
systray_icon_size = 28
systray_sort = ascending
RC
DISPLAY=$disp tint2 -c "$work/tint2rc" >"$work/tint2.log" 2>&1 &
tint2_pid=$!
# Without a window manager tint2 waits about 15 s before it shows its panel and
# takes the tray selection (_NET_SYSTEM_TRAY_S0).
for _ in $(seq 60); do
  DISPLAY=$disp xwininfo -root -tree 2>/dev/null | grep -q tint2 && break
  sleep 0.5
done
sleep 1

# The lab, and the default profile pointed at it (contacts, hours and Carelock
# as the routine has them).
lab_up "$work"
awk -v ca="$work/ca.pem" '
  /^\[\[systems\]\]/ { sys = "" }
  /^id = "/ && sys == "" { sys = $3; gsub(/"/, "", sys) }
  /^url = / && sys != "" {
    if (sys == "tes") $0 = "url = \"https://tes.kommun.test/\""
    else if (sys == "tes_app" || sys == "intranet") $0 = "url = \"https://intranet.kommun.test/\""
    else if (sys == "orebro") $0 = "url = \"https://www.orebro.test/\""
    else if (sys == "na") $0 = "url = \"https://www.na.test/\""
  }
  /^ca_file = / { $0 = "ca_file = \"" ca "\"" }
  /^nameservers = / { $0 = "nameservers = [\"10.199.0.53\"]" }
  /^reference = / { $0 = "reference = \"\"" }
  /^\[\[contacts\]\]/ { sys = "" }
  { print }
' config/default_profile.toml > "$work/driftkoll.toml"
"$bin" config check "$work/driftkoll.toml" >/dev/null

mkdir -m 700 "$work/run"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run" \
  XDG_CONFIG_HOME="$work/config"
sock=$work/run/driftkoll/api.sock
texts=$work/texts.json

ip netns exec "$LAB_WS" "$bin" agent --allow-root --config "$work/driftkoll.toml" \
  >"$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done

start_tray() {
  rm -f "$texts"
  ip netns exec "$LAB_WS" env DISPLAY="$disp" QT_SCALE_FACTOR="${QT_SCALE_FACTOR:-1}" "$tray" --config "$work/driftkoll.toml" --show \
    --dump-texts "$texts" "$@" >"$work/tray.log" 2>&1 &
  tray_pid=$!
}

# Waits until the tray's texts satisfy a jq condition.
wait_texts() {
  local cond=$1 i
  for i in $(seq 150); do
    if [ -s "$texts" ] && jq -e "$cond" "$texts" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "tray-screenshots.sh: the tray never showed: $cond" >&2
  [ -s "$texts" ] && cat "$texts" >&2
  cat "$work/tray.log" >&2
  return 1
}

failures=0
# The window's texts against a report: verdict, advice, number, condition, case
# code and the mark of every step.
compare() {
  local name=$1 report=$2 problems
  problems=$(jq -n --slurpfile r "$report" --slurpfile t "$texts" -r '
    ($r[0]) as $r | ($t[0]) as $t |
    [ (if $t.verdict != $r.diagnosis.summary then "verdict: \($t.verdict) != \($r.diagnosis.summary)" else empty end),
      (if $t.advice != $r.advice.text then "advice: \($t.advice) != \($r.advice.text)" else empty end),
      (if $t.phone != ($r.advice.contact.phone // "") then "phone: \($t.phone) != \($r.advice.contact.phone)" else empty end),
      (if (($r.advice.condition // "") != "") and
          (($t.condition | ascii_downcase | contains($r.advice.condition | ascii_downcase)) | not)
         then "condition: \($t.condition) lacks \($r.advice.condition)" else empty end),
      (if $t.case_code != ($r.advice.case_code // "") then "case code: \($t.case_code) != \($r.advice.case_code)" else empty end),
      (range(0; $r.steps | length) as $i |
         if $t.steps[$i].mark != $r.steps[$i].status then "step \($i + 1): \($t.steps[$i].mark) != \($r.steps[$i].status)" else empty end)
    ] | .[]')
  if [ -n "$problems" ]; then
    echo "MISMATCH $name:"; echo "$problems" | sed 's/^/  /'
    failures=$((failures + 1))
  else
    echo "ok   $name: the window shows the report ($(jq -r '.diagnosis.domain + " / " + .advice.action' "$report"))"
  fi
}

shoot() {
  local name=$1 win
  sleep 1.5  # let the window and the panel repaint
  DISPLAY=$disp import -window root "$work/screen.png"
  # The status window: the largest window of driftkoll-tray.
  win=$(DISPLAY=$disp xwininfo -root -tree | awk '/"driftkoll-tray"/ {
      split($0, g, /[ +]/); for (i in g) if (g[i] ~ /^[0-9]+x[0-9]+$/) { split(g[i], d, "x");
        if (d[1] * d[2] > best) { best = d[1] * d[2]; id = $1 } } } END { print id }')
  DISPLAY=$disp import -window "$win" "$out/$name-window.png"
  # The panel's start, where tint2 puts the tray icon, and the same enlarged.
  convert "$work/screen.png" -gravity SouthWest -crop 320x40+0+0 +repage "$out/$name-tray.png"
  convert "$out/$name-tray.png" -filter point -resize 400% "$out/$name-tray-x4.png"
  # The notification balloon, if one is up, sits just above the panel.
  convert "$work/screen.png" -gravity SouthWest -crop 900x200+0+0 +repage "$out/$name-panel.png"
  cp "$texts" "$out/$name-texts.json"
}

agent_report() {
  curl -s --unix-socket "$sock" http://localhost/v1/report > "$1"
}

# 1. All fine, from the agent.
start_tray
wait_texts '.valid and .state == "ok" and .busy == false'
agent_report "$work/r1.json"
shoot all-fine
compare all-fine "$work/r1.json"

# 2. The cable is pulled: the agent sees the link go down and runs; the tray follows.
ip -n "$LAB_WS" link set eth0 down
wait_texts '.valid and .state == "fault" and (.steps[0].mark == "fail")'
sleep 1
agent_report "$work/r2.json"
shoot cable-out
compare cable-out "$work/r2.json"
ip -n "$LAB_WS" link set eth0 up
ip -n "$LAB_WS" route add default via 10.199.0.1 2>/dev/null || true

# 3. TES black-holed on a Saturday evening: the tray checks in-process at that time.
stop_pid "$tray_pid"; tray_pid=
lab_blackhole 10.199.1.10
# The agent sees it first (at the real time), so the incident and its case code exist.
curl -s -X POST --unix-socket "$sock" 'http://localhost/v1/run?wait_ms=10000' >/dev/null
saturday=$(date -d 'next saturday' +%Y-%m-%dT19:00)
start_tray --at "$saturday"
wait_texts '.valid and .state == "fault" and .busy == false'
ip netns exec "$LAB_WS" "$bin" check --json --config "$work/driftkoll.toml" --at "$saturday" \
  > "$work/r3.json" || true
shoot tes-down-saturday
compare "tes-down-saturday ($saturday)" "$work/r3.json"

# 4. The same at 200% scaling, for reading.
stop_pid "$tray_pid"; tray_pid=
QT_SCALE_FACTOR=2 start_tray --at "$saturday"
wait_texts '.valid and .state == "fault" and .busy == false'
shoot tes-down-saturday-200pct
compare "tes-down-saturday at 200%" "$work/r3.json"

# 4b. In English (LANG=en_*): the tray's words by translation, the check's by --lang.
stop_pid "$tray_pid"; tray_pid=
LANG=en_GB.UTF-8 start_tray --at "$saturday"
wait_texts '.valid and .state == "fault" and .busy == false'
ip netns exec "$LAB_WS" "$bin" check --json --lang en --config "$work/driftkoll.toml" \
  --at "$saturday" > "$work/r3en.json" || true
shoot tes-down-saturday-en
compare "tes-down-saturday in English" "$work/r3en.json"

# 5. No agent: the icon says "unknown", the window offers to start it.
stop_pid "$tray_pid"; tray_pid=
stop_pid "$agent_pid"; agent_pid=
start_tray
wait_texts '.icon_state == "unknown" and .agent_banner == true and .start_agent_enabled == true'
shoot no-agent
echo "ok   no-agent: unknown icon, the offer to start the agent ($(jq -r .tray_tooltip "$texts"))"

echo "screenshots in $out:"
ls -1 "$out"
[ "$failures" -eq 0 ]
