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
for tool in curl openssl dnsmasq nft ping; do
  command -v "$tool" >/dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl openssl dnsmasq-base nftables iputils-ping >/dev/null
    break
  }
done

ws=dkb-ws-$$ net=dkb-net-$$
work=$(mktemp -d)
cleanup() {
  [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null || true
  pkill -f "openssl s_server.*$work" 2>/dev/null || true
  ip netns del "$ws" 2>/dev/null || true
  ip netns del "$net" 2>/dev/null || true
  rm -rf "/etc/netns/$ws" "$work"
}
trap cleanup EXIT

# Targets: name, address. Half of them (tes, na) are black-holed in the third situation.
names=(tes.kommun.test intranet.kommun.test www.na.test www.orebro.test)
addrs=(10.199.1.10 10.199.1.11 10.199.2.10 10.199.2.11)
roles=(primary internal outside outside)
timeout_s=3

# --- the network: workstation ── veth ── router with DNS and HTTPS servers --------
ip netns add "$ws"; ip netns add "$net"
ip -n "$ws" link set lo up; ip -n "$net" link set lo up
ip -n "$ws" link add name eth0 type veth peer name gw0 netns "$net"
ip -n "$ws" addr add 10.199.0.2/24 dev eth0; ip -n "$ws" link set eth0 up
ip -n "$ws" route add default via 10.199.0.1
ip netns exec "$ws" sysctl -qw net.ipv4.ping_group_range='0 2147483647'
ip -n "$net" addr add 10.199.0.1/24 dev gw0; ip -n "$net" link set gw0 up
ip -n "$net" addr add 10.199.0.53/32 dev lo
for a in "${addrs[@]}"; do ip -n "$net" addr add "$a/32" dev lo; done
mkdir -p "/etc/netns/$ws"
echo "nameserver 10.199.0.53" > "/etc/netns/$ws/resolv.conf"

# Certificates: a CA and one leaf for every name.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=driftkoll bench CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
san=$(printf 'DNS:%s,' "${names[@]}"); san=${san%,}
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=bench" \
  -keyout "$work/leaf.key" -out "$work/leaf.csr" 2>/dev/null
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile <(echo "subjectAltName=$san") -out "$work/leaf.pem" 2>/dev/null

dns_args=()
for i in "${!names[@]}"; do dns_args+=(--address="/${names[$i]}/${addrs[$i]}"); done
ip netns exec "$net" dnsmasq --no-resolv --no-hosts --listen-address=10.199.0.53 \
  --bind-interfaces --pid-file="$work/dnsmasq.pid" "${dns_args[@]}"
for a in "${addrs[@]}"; do
  ip netns exec "$net" openssl s_server -quiet -accept "$a:443" -cert "$work/leaf.pem" \
    -key "$work/leaf.key" -www >/dev/null 2>&1 &
done
sleep 0.5

# --- driftkoll's config: the same targets and timeouts --------------------------
{
  echo 'profile = "bench"'
  echo '[deadlines]'; echo "run = \"${timeout_s}s\""
  echo '[network]'; echo "ca_file = \"$work/ca.pem\""; echo 'nameservers = ["10.199.0.53"]'
  echo '[clock]'; echo 'reference = ""'
  for i in "${!names[@]}"; do
    printf '[[systems]]\nid = "s%d"\nname = "%s"\nrole = "%s"\nurl = "https://%s/"\ntimeout = "%ds"\n' \
      "$i" "${names[$i]}" "${roles[$i]}" "${names[$i]}" "$timeout_s"
  done
} > "$work/bench.toml"

# The same checks, one after another, as a careful shell script would do them.
cat > "$work/sequential.sh" <<EOF
#!/usr/bin/env bash
ip -o link show >/dev/null
ip route show default | grep -q . || exit 1
ping -c 1 -W $timeout_s 10.199.0.1 >/dev/null 2>&1
for n in ${names[*]}; do
  timeout $timeout_s getent hosts "\$n" >/dev/null 2>&1
  curl -s -o /dev/null --max-time $timeout_s --cacert $work/ca.pem "https://\$n/"
done
exit 0
EOF
chmod +x "$work/sequential.sh"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() {  # prints the median wall time in ms of RUNS runs
  for _ in $(seq "$runs"); do
    local t0; t0=$(now_ms)
    ip netns exec "$ws" "$@" >/dev/null 2>&1 || true
    echo $(( $(now_ms) - t0 ))
  done | median
}

row() {
  local label=$1 verdict d s
  verdict=$(ip netns exec "$ws" "$bin" check --json --config "$work/bench.toml" 2>/dev/null |
            sed -n 's/.*"domain": "\([a-z_]*\)".*/\1/p' | head -1 || true)
  d=$(time_cmd "$bin" check --config "$work/bench.toml")
  s=$(time_cmd "$work/sequential.sh")
  printf '%-26s %-14s %10s %14s %8s\n' "$label" "$verdict" "$d" "$s" \
    "$(awk -v a="$d" -v b="$s" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }')"
}

echo "Time to verdict, median of $runs runs, ms (per-target timeout ${timeout_s} s, $(nproc) cores)"
printf '%-26s %-14s %10s %14s %8s\n' situation verdict driftkoll "shell+curl" speedup
row "all healthy"
ip -n "$net" link set gw0 down
row "link down"
ip -n "$net" link set gw0 up
sleep 0.3
ip netns exec "$net" nft add table inet dkb
ip netns exec "$net" nft 'add chain inet dkb in { type filter hook input priority 0 ; }'
ip netns exec "$net" nft add rule inet dkb in ip daddr "{ ${addrs[0]}, ${addrs[2]} }" drop
row "half black-holed (2 of 4)"
