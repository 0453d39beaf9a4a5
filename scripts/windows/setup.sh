#!/usr/bin/env bash
# Installs what the Windows (MinGW-w64) cross build needs, and enables Debian source
# packages (deb-src) for scripts/windows/deps.sh.
# Idempotent: safe to run again; apt-get only installs what is missing, and the deb-src
# entry is rewritten only when it changes.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -E "$0" "$@"
  fi
  echo "windows/setup.sh: run as root (or install sudo)" >&2
  exit 1
fi

packages=(
  # cross compilers, posix thread model (std::thread, std::mutex), windres
  gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
  mingw-w64-tools
  # build tools for the dependencies' source packages
  build-essential cmake ninja-build ccache pkg-config dpkg-dev
  autoconf automake libtool perl tcl make xz-utils
  # running the cross-built programs and tests (ctest through wine64), with a display
  wine wine64 xvfb xauth
  # the MSI (wixl)
  msitools
)

# --- deb-src, derived from this machine's own enabled apt sources -------------------
# Every enabled "Types: deb" stanza of a *.sources file (deb822), and every "deb " line of
# sources.list / *.list, gets a matching deb-src entry. Files apt does not read
# (other suffixes, e.g. renamed to disable them) and "Enabled: no" stanzas are skipped.
src_file=/etc/apt/sources.list.d/driftkoll-deb-src.sources

derive_deb_src() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    [ "$f" = "$src_file" ] && continue
    # Keep URIs/Suites/Components/Signed-By of each enabled stanza that has Types: deb.
    awk '
      function flush() {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && types !~ /deb-src/ && enabled !~ /^(no|false)$/ && uris != "") {
          printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n", uris, suites, comps
          if (signed != "") printf "Signed-By: %s\n", signed
          printf "\n"
        }
        types = ""; uris = ""; suites = ""; comps = ""; signed = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "components") comps = val
        else if (key == "signed-by") signed = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { flush() }
    ' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] uri suite component...
    awk '
      /^[ \t]*deb[ \t]/ {
        sub(/^[ \t]*deb[ \t]+/, "")
        opts = ""; signed = ""
        if ($0 ~ /^\[/) {
          opts = $0; sub(/\].*/, "", opts); sub(/^\[/, "", opts)
          sub(/^\[[^]]*\][ \t]*/, "")
          n = split(opts, o, /[ \t]+/)
          for (i = 1; i <= n; i++) if (o[i] ~ /^signed-by=/) { signed = o[i]; sub(/^signed-by=/, "", signed) }
        }
        uri = $1; suite = $2; comps = ""
        for (i = 3; i <= NF; i++) comps = comps (comps == "" ? "" : " ") $i
        printf "Types: deb-src\nURIs: %s\nSuites: %s\n", uri, suite
        if (comps != "") printf "Components: %s\n", comps
        if (signed != "") printf "Signed-By: %s\n", signed
        printf "\n"
      }
    ' "$f"
  done
}

export DEBIAN_FRONTEND=noninteractive
need_update=0
entry="$(derive_deb_src)"
if [ -z "$entry" ]; then
  echo "windows/setup.sh: no enabled 'deb' source found to derive deb-src from" >&2
  exit 1
fi
if [ ! -f "$src_file" ] || [ "$(cat "$src_file")" != "$entry" ]; then
  printf '%s\n' "$entry" > "$src_file"
  echo "windows/setup.sh: wrote $src_file"
  need_update=1
fi
# The source index may be missing even with an unchanged file (e.g. lists were cleaned).
if ! apt-cache showsrc --only-source sqlite3 2>/dev/null | grep -q '^Package:'; then
  need_update=1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$need_update" = 1 ] || [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
fi
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "windows/setup.sh: all ${#packages[@]} packages present; deb-src in $src_file"
