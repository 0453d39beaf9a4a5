# A small municipal network in network namespaces, for the benchmark scripts
# (sourced, not run). Root only; no packet leaves this machine.
#
#   workstation ($LAB_WS)  eth0 10.199.0.2 ── veth ── gw0 10.199.0.1  router ($LAB_NET)
#                                                     lo: 10.199.0.53 dnsmasq
#                                                         10.199.1.10 tes.kommun.test      (openssl s_server)
#                                                         10.199.1.11 intranet.kommun.test
#                                                         10.199.2.10 www.na.test
#                                                         10.199.2.11 www.orebro.test
#
# lab_up WORKDIR       builds it, with a CA and certificates in WORKDIR
# lab_config FILE RUN  writes a driftkoll config for the lab (deadline RUN, e.g. 3s)
# lab_scale_up N       N more systems (s000.scale.kommun.test …) spread over the
#                      ${#LAB_SCALE_ADDRS[@]} addresses 10.199.3.1–16, each an HTTPS server
# lab_scale_config FILE RUN N   a config for those N systems
# lab_down             removes everything (also called on EXIT by the scripts)
# lab_dns_stop / lab_dns_start, lab_server_stop I / lab_server_start I, lab_unblock
#                      the faults the benchmarks inject, and their undoing

LAB_NAMES=(tes.kommun.test intranet.kommun.test www.na.test www.orebro.test)
LAB_ADDRS=(10.199.1.10 10.199.1.11 10.199.2.10 10.199.2.11)
LAB_ROLES=(primary internal outside outside)
LAB_SCALE_ADDRS=(10.199.3.{1..16})
LAB_SCALE_NAMES=()
LAB_WS=dkb-ws-$$
LAB_NET=dkb-net-$$
LAB_DIR=

lab_tools() {
  local missing=
  for tool in curl openssl dnsmasq nft; do command -v "$tool" >/dev/null || missing=1; done
  if [ -n "$missing" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl openssl dnsmasq-base nftables >/dev/null
  fi
}

lab_up() {
  LAB_DIR=$1
  lab_tools
  ip netns add "$LAB_WS"; ip netns add "$LAB_NET"
  ip -n "$LAB_WS" link set lo up; ip -n "$LAB_NET" link set lo up
  ip -n "$LAB_WS" link add name eth0 type veth peer name gw0 netns "$LAB_NET"
  ip -n "$LAB_WS" addr add 10.199.0.2/24 dev eth0; ip -n "$LAB_WS" link set eth0 up
  ip -n "$LAB_WS" route add default via 10.199.0.1
  ip netns exec "$LAB_WS" sysctl -qw net.ipv4.ping_group_range='0 2147483647'
  ip -n "$LAB_NET" addr add 10.199.0.1/24 dev gw0; ip -n "$LAB_NET" link set gw0 up
  # The router is also the name server here. Its kernel's ICMP rate limits would let
  # a dead name server's "port unreachable" answers run out after the first few and
  # then drop the gateway's echo replies too: the lab would test Linux's limits, not
  # a dead name server. (A name server on a host of its own has its own budget.)
  ip netns exec "$LAB_NET" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 \
    net.ipv4.icmp_msgs_burst=100000
  ip -n "$LAB_NET" addr add 10.199.0.53/32 dev lo
  for a in "${LAB_ADDRS[@]}"; do ip -n "$LAB_NET" addr add "$a/32" dev lo; done
  mkdir -p "/etc/netns/$LAB_WS"
  echo "nameserver 10.199.0.53" > "/etc/netns/$LAB_WS/resolv.conf"

  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=driftkoll lab CA" -keyout "$LAB_DIR/ca.key" -out "$LAB_DIR/ca.pem" 2>/dev/null
  local san; san=$(printf 'DNS:%s,' "${LAB_NAMES[@]}")DNS:*.scale.kommun.test
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=lab" \
    -keyout "$LAB_DIR/leaf.key" -out "$LAB_DIR/leaf.csr" 2>/dev/null
  openssl x509 -req -in "$LAB_DIR/leaf.csr" -CA "$LAB_DIR/ca.pem" -CAkey "$LAB_DIR/ca.key" \
    -CAcreateserial -days 2 -extfile <(echo "subjectAltName=$san") -out "$LAB_DIR/leaf.pem" 2>/dev/null

  lab_dns_start
  local i
  for i in "${!LAB_ADDRS[@]}"; do lab_server_start "$i"; done
  sleep 0.5
}

lab_dns_start() {
  local dns_args=() i
  for i in "${!LAB_NAMES[@]}"; do dns_args+=(--address="/${LAB_NAMES[$i]}/${LAB_ADDRS[$i]}"); done
  for i in "${!LAB_SCALE_NAMES[@]}"; do
    dns_args+=(--address="/${LAB_SCALE_NAMES[$i]}/${LAB_SCALE_ADDRS[$((i % ${#LAB_SCALE_ADDRS[@]}))]}")
  done
  ip netns exec "$LAB_NET" dnsmasq --no-resolv --no-hosts --listen-address=10.199.0.53 \
    --bind-interfaces --pid-file="$LAB_DIR/dnsmasq.pid" "${dns_args[@]}"
}

lab_dns_stop() {
  [ -f "$LAB_DIR/dnsmasq.pid" ] && kill "$(cat "$LAB_DIR/dnsmasq.pid")" 2>/dev/null
  rm -f "$LAB_DIR/dnsmasq.pid"
  sleep 0.2
}

# The HTTPS server of target I (0-based, in LAB_NAMES order).
lab_server_start() {
  local a=${LAB_ADDRS[$1]}
  ip netns exec "$LAB_NET" openssl s_server -quiet -accept "$a:443" -cert "$LAB_DIR/leaf.pem" \
    -key "$LAB_DIR/leaf.key" -www >/dev/null 2>&1 &
  echo $! > "$LAB_DIR/server-$1.pid"
}

lab_server_stop() {
  [ -f "$LAB_DIR/server-$1.pid" ] && kill "$(cat "$LAB_DIR/server-$1.pid")" 2>/dev/null
  rm -f "$LAB_DIR/server-$1.pid"
  sleep 0.2
}

# N systems on the scale addresses: name i on address i mod 16, so that blocking
# the first 8 addresses black-holes half of the systems.
lab_scale_up() {
  local n=$1 i
  LAB_SCALE_NAMES=()
  for ((i = 0; i < n; i++)); do LAB_SCALE_NAMES+=("$(printf 's%03d.scale.kommun.test' "$i")"); done
  for i in "${!LAB_SCALE_ADDRS[@]}"; do
    if [ ! -f "$LAB_DIR/scale-$i.pid" ]; then
      ip -n "$LAB_NET" addr add "${LAB_SCALE_ADDRS[$i]}/32" dev lo
      ip netns exec "$LAB_NET" openssl s_server -quiet -accept "${LAB_SCALE_ADDRS[$i]}:443" \
        -cert "$LAB_DIR/leaf.pem" -key "$LAB_DIR/leaf.key" -www >/dev/null 2>&1 &
      echo $! > "$LAB_DIR/scale-$i.pid"
    fi
  done
  lab_dns_stop
  lab_dns_start
  sleep 0.5
}

lab_scale_config() {
  local file=$1 run=$2 n=$3 i role
  {
    echo 'profile = "lab-scale"'
    echo '[deadlines]'; echo "run = \"$run\""
    echo '[network]'; echo "ca_file = \"$LAB_DIR/ca.pem\""; echo 'nameservers = ["10.199.0.53"]'
    echo '[clock]'; echo 'reference = ""'
    for ((i = 0; i < n; i++)); do
      role=internal; [ "$i" -eq 0 ] && role=primary; [ $((i % 2)) -eq 1 ] && role=outside
      printf '[[systems]]\nid = "s%03d"\nname = "%s"\nrole = "%s"\nurl = "https://%s/"\ntimeout = "%s"\n' \
        "$i" "${LAB_SCALE_NAMES[$i]}" "$role" "${LAB_SCALE_NAMES[$i]}" "$run"
    done
  } > "$file"
}

lab_config() {
  local file=$1 run=$2 i
  {
    echo 'profile = "lab"'
    echo '[deadlines]'; echo "run = \"$run\""
    echo '[network]'; echo "ca_file = \"$LAB_DIR/ca.pem\""; echo 'nameservers = ["10.199.0.53"]'
    echo '[clock]'; echo 'reference = ""'
    for i in "${!LAB_NAMES[@]}"; do
      printf '[[systems]]\nid = "s%d"\nname = "%s"\nrole = "%s"\nurl = "https://%s/"\ntimeout = "%s"\n' \
        "$i" "${LAB_NAMES[$i]}" "${LAB_ROLES[$i]}" "${LAB_NAMES[$i]}" "$run"
    done
  } > "$file"
}

# Drops every packet the router receives for the given addresses.
lab_blackhole() {
  ip netns exec "$LAB_NET" nft add table inet dkb 2>/dev/null || true
  ip netns exec "$LAB_NET" nft 'add chain inet dkb in { type filter hook input priority 0 ; }' 2>/dev/null || true
  ip netns exec "$LAB_NET" nft add rule inet dkb in ip daddr "{ $(IFS=,; echo "$*") }" drop
}

lab_unblock() {
  ip netns exec "$LAB_NET" nft delete table inet dkb 2>/dev/null || true
}

lab_down() {
  [ -n "$LAB_DIR" ] && [ -f "$LAB_DIR/dnsmasq.pid" ] && kill "$(cat "$LAB_DIR/dnsmasq.pid")" 2>/dev/null
  local f
  for f in "$LAB_DIR"/server-*.pid "$LAB_DIR"/scale-*.pid; do
    [ -n "$LAB_DIR" ] && [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  ip netns del "$LAB_WS" 2>/dev/null
  ip netns del "$LAB_NET" 2>/dev/null
  rm -rf "/etc/netns/$LAB_WS"
  return 0
}
