#!/usr/bin/env bash
# Installs every Debian 12 package that driftkoll's build and tests need.
# Idempotent: safe to run again; apt-get only installs what is missing.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -E "$0" "$@"
  fi
  echo "setup.sh: run as root (or install sudo)" >&2
  exit 1
fi

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config lld
  # the Debian package: manual pages from --help, and its check (scripts/deb-check.sh)
  help2man lintian
  # libraries
  libcurl4-openssl-dev libssl-dev libc-ares-dev libnl-3-dev libnl-route-3-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libhowardhinnant-date-dev libical-dev
  libspdlog-dev libsystemd-dev
  libsqlite3-dev libpoco-dev
  # time-zone database (Europe/Stockholm)
  tzdata
  # tests: Catch2 v2, network namespaces, sysctl, packet filter
  catch2 iproute2 procps nftables
  # tests: the wall clock moved for one process (the agent under a clock jump)
  libfaketime
  # tests: promtool for the metrics and alert rules (Debian ships it with the server)
  prometheus
  # tests: the simulated municipal network's DNS server
  dnsmasq
  # fuzzing (libFuzzer) and the sanitizer builds
  clang
  # the tray (Qt6 Widgets, translations)
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  # tray screenshots: a virtual X server with a real tray host
  xvfb xauth tint2 x11-apps imagemagick
  # benchmarks: the same targets probed by blackbox_exporter; GNU time; tray shots: jq
  prometheus-blackbox-exporter time jq
)

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup.sh: all ${#packages[@]} packages present"
