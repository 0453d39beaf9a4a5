#!/usr/bin/env bash
# Cross-builds driftkoll's dependencies for Windows x86_64 (MinGW-w64) from Debian 12's
# source packages, into a cached prefix of static libraries:
#
#   ${DK_WIN_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/driftkoll/mingw-w64-x86_64}
#
# Sources are fetched with apt-get source into a work directory next to it (DK_WIN_WORK).
# A stamp per package records the source version (and the build recipe); a package is
# rebuilt only when its version in the apt index, its recipe or a dependency changes.
#
#   scripts/windows/deps.sh                  the product's dependencies
#   scripts/windows/deps.sh --with-test-tls  also OpenSSL, for the test HTTPS servers only
#   scripts/windows/deps.sh --force PKG      rebuild PKG (a source package name) anyway
#
# Needs scripts/windows/setup.sh first (cross compilers, deb-src).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
toolchain="$repo/cmake/toolchains/mingw-w64-x86_64.cmake"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/driftkoll"
prefix="${DK_WIN_PREFIX:-$cache/mingw-w64-x86_64}"
work="${DK_WIN_WORK:-$cache/work-mingw-w64-x86_64}"
jobs="${DK_JOBS:-$(nproc)}"
host=x86_64-w64-mingw32
stampdir="$prefix/share/driftkoll/deps"

with_test_tls=0
force=()
while [ $# -gt 0 ]; do
  case "$1" in
    --with-test-tls) with_test_tls=1 ;;
    --force) force+=("$2"); shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "deps.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

for tool in $host-gcc-posix $host-g++-posix cmake ninja apt-get dpkg-source; do
  command -v "$tool" >/dev/null || { echo "deps.sh: $tool missing; run scripts/windows/setup.sh" >&2; exit 1; }
done
mkdir -p "$prefix" "$work/src" "$work/build" "$stampdir"
export CCACHE_DIR="${CCACHE_DIR:-$cache/ccache}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

log() { printf 'deps.sh: %s\n' "$*"; }

# --- versions -----------------------------------------------------------------------
# All versions of a source package in the apt index, newest first (dpkg ordering).
src_versions() {
  local v sorted=()
  while read -r v; do
    local i=0
    while [ $i -lt ${#sorted[@]} ] && dpkg --compare-versions "${sorted[$i]}" ge "$v"; do i=$((i + 1)); done
    sorted=("${sorted[@]:0:$i}" "$v" "${sorted[@]:$i}")
  done < <(apt-cache showsrc --only-source "$1" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -u)
  printf '%s\n' "${sorted[@]}"
}
upstream_of() { local v="${1#*:}"; echo "${v%-*}"; }

# --- fetching -----------------------------------------------------------------------
# Unpacks the newest version of source package $1 that the archive can deliver into
# $work/src/$1/tree and sets FETCHED (the version, with a note when not a full source).
# Older versions are tried when the newest cannot be downloaded; when no version has its
# Debian part, the upstream tarball alone is used; as the last resort, the binary
# package $2 (for header-only or data packages) of the same version.
fetch() {
  local pkg="$1" binfallback="${2:-}" dir="$work/src/$1" v
  rm -rf "$dir/tree" "$dir/unpack"
  mkdir -p "$dir/unpack"
  local versions
  mapfile -t versions < <(src_versions "$pkg")
  [ ${#versions[@]} -gt 0 ] || { echo "deps.sh: no source package $pkg in the apt index (deb-src missing? run setup.sh)" >&2; return 1; }
  for v in "${versions[@]}"; do
    if (cd "$dir" && apt-get source -qq --download-only "$pkg=$v" >/dev/null 2>&1); then
      dpkg-source --no-check -x "$dir/${pkg}_${v#*:}.dsc" "$dir/tree" >/dev/null
      FETCHED="$v"; return 0
    fi
    log "$pkg $v: not (fully) downloadable from the archive, trying the next"
  done
  v="${versions[0]}"
  local orig; orig="$(ls "$dir/${pkg}_$(upstream_of "$v").orig.tar."* 2>/dev/null | grep -v '\.asc$' | sed -n 1p || true)"
  if [ -n "$orig" ]; then
    tar -xf "$orig" -C "$dir/unpack"
    mv "$dir/unpack/"* "$dir/tree"
    FETCHED="$v (upstream tarball only: the Debian part was not downloadable)"
    log "$pkg: $FETCHED"; return 0
  fi
  if [ -n "$binfallback" ]; then
    if (cd "$dir" && apt-get download -qq "$binfallback=$v" >/dev/null 2>&1); then
      dpkg-deb -x "$dir/${binfallback}_${v#*:}_"*.deb "$dir/tree"
      FETCHED="$v (binary package $binfallback: the source was not downloadable)"
      log "$pkg: $FETCHED"; return 0
    fi
  fi
  echo "deps.sh: cannot download any version of $pkg" >&2
  return 1
}

# --- building -----------------------------------------------------------------------
cmake_args=(-G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DDK_WIN_PREFIX="$prefix"
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF -Wno-dev "${launcher[@]}")

# cmake_pkg SRC [options…]: configure, build, install into $stage.
cmake_pkg() {
  local src="$1"; shift
  cmake -S "$src" -B "$bld" "${cmake_args[@]}" "$@" >"$bld.log" 2>&1 || { tail -40 "$bld.log"; return 1; }
  cmake --build "$bld" -j "$jobs" >>"$bld.log" 2>&1 || { tail -60 "$bld.log"; return 1; }
  DESTDIR="$stage" cmake --install "$bld" >>"$bld.log" 2>&1 || { tail -20 "$bld.log"; return 1; }
}
# Where files for the prefix go during a build: $stage$prefix/…
sp() { echo "$stage$prefix"; }

build_c_ares() {
  # Debian's fix for CVE-2023-31130 uses INADDRSZ, which only <arpa/nameser.h> defines
  # (not on Windows); c-ares itself has NS_INADDRSZ (as upstream's fix in 1.19.1 uses).
  sed -i 's/\([^_]\)INADDRSZ/\1NS_INADDRSZ/g' "$1/src/lib/inet_net_pton.c"
  cmake_pkg "$1" -DCARES_STATIC=ON -DCARES_SHARED=OFF -DCARES_STATIC_PIC=OFF \
    -DCARES_BUILD_TOOLS=OFF -DCARES_BUILD_TESTS=OFF -DCARES_INSTALL=ON
  # A static c-ares must be compiled against with CARES_STATICLIB.
  sed -i '/^Cflags:/{/CARES_STATICLIB/!s/$/ -DCARES_STATICLIB/}' "$(sp)/lib/pkgconfig/libcares.pc"
}

build_curl() {
  # Schannel: Windows' own TLS and the machine's certificate store, no CA bundle.
  # Threaded resolver (not c-ares): the product resolves names itself with c-ares and
  # hands curl the addresses through CURLOPT_RESOLVE.
  cmake_pkg "$1" -DCURL_USE_SCHANNEL=ON -DCURL_USE_OPENSSL=OFF -DCURL_USE_MBEDTLS=OFF \
    -DCURL_USE_WOLFSSL=OFF -DCURL_USE_BEARSSL=OFF -DCURL_USE_NSS=OFF \
    -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF -DCURL_USE_GSSAPI=OFF -DCURL_USE_LIBPSL=OFF \
    -DUSE_NGHTTP2=OFF -DUSE_NGTCP2=OFF -DUSE_QUICHE=OFF -DUSE_MSH3=OFF -DUSE_LIBIDN2=OFF \
    -DUSE_WIN32_IDN=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DCURL_ZLIB=OFF \
    -DENABLE_ARES=OFF -DENABLE_THREADED_RESOLVER=ON -DENABLE_UNICODE=OFF \
    -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON \
    -DBUILD_CURL_EXE=OFF -DBUILD_SHARED_LIBS=OFF -DENABLE_MANUAL=OFF -DBUILD_LIBCURL_DOCS=OFF \
    -DCURL_ENABLE_EXPORT_TARGET=ON -DCMAKE_DISABLE_FIND_PACKAGE_Perl=ON
}

build_sqlite3() {
  local src="$1" c=(-O2 -fno-strict-aliasing)
  # The amalgamation (sqlite3.c) is generated on the host (lemon, tclsh), then compiled
  # for Windows with the options Debian's libsqlite3 is built with.
  mkdir -p "$bld"
  (cd "$bld" && "$src/configure" --disable-tcl --disable-readline >"$bld.log" 2>&1 &&
    make sqlite3.c sqlite3.h >>"$bld.log" 2>&1) || { tail -40 "$bld.log"; return 1; }
  local defs=(-DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3
    -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
    -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB
    -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1
    -DSQLITE_ENABLE_LOAD_EXTENSION -DSQLITE_ENABLE_JSON1 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS
    -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1
    -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION
    -DSQLITE_ENABLE_STMTVTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_OS_WIN=1)
  local cc=("$host-gcc-posix")
  command -v ccache >/dev/null && cc=(ccache "$host-gcc-posix")
  "${cc[@]}" "${c[@]}" "${defs[@]}" -c "$bld/sqlite3.c" -o "$bld/sqlite3.o"
  local d; d="$(sp)"
  mkdir -p "$d/lib/pkgconfig" "$d/include"
  "$host-ar" rcs "$d/lib/libsqlite3.a" "$bld/sqlite3.o"
  cp "$bld/sqlite3.h" "$src/src/sqlite3ext.h" "$d/include/"
  local ver; ver="$(cat "$src/VERSION")"
  cat >"$d/lib/pkgconfig/sqlite3.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: SQLite
Description: SQL database engine
Version: $ver
Libs: -L\${libdir} -lsqlite3
Cflags: -I\${includedir}
EOF
}

build_fmtlib() {
  cmake_pkg "$1" -DFMT_DOC=OFF -DFMT_TEST=OFF -DFMT_FUZZ=OFF -DFMT_INSTALL=ON
}

build_spdlog() {
  # Compiled library with the external fmt, as Debian builds it.
  cmake_pkg "$1" -DSPDLOG_FMT_EXTERNAL=ON -DSPDLOG_BUILD_SHARED=OFF -DSPDLOG_BUILD_EXAMPLE=OFF \
    -DSPDLOG_BUILD_EXAMPLE_HO=OFF -DSPDLOG_BUILD_TESTS=OFF -DSPDLOG_BUILD_TESTS_HO=OFF \
    -DSPDLOG_BUILD_BENCH=OFF -DSPDLOG_INSTALL=ON
}

build_poco() {
  # Foundation, Net and Zip only; the bundled PCRE and zlib are compiled into Foundation.
  # Poco 1.11's build declares Zip dependent on Util and XML (and Util on JSON), but no
  # Zip source uses either: drop that declaration, which saves about a third of the
  # build (XML with expat, Util, JSON).
  local src="$1"
  grep -q 'target_link_libraries(Zip PUBLIC Poco::Util Poco::XML)' "$src/Zip/CMakeLists.txt"
  if grep -rqE 'Poco/(Util|XML|SAX|DOM|JSON)/' "$src/Zip/src" "$src/Zip/include"; then
    echo "deps.sh: Poco Zip uses Util/XML in this version; build them (ENABLE_UTIL/XML=ON)" >&2
    return 1
  fi
  sed -i 's/target_link_libraries(Zip PUBLIC Poco::Util Poco::XML)/target_link_libraries(Zip PUBLIC Poco::Foundation)/' \
    "$src/Zip/CMakeLists.txt"
  sed -i '/find_dependency(PocoUtil)/d; /find_dependency(PocoXML)/d' "$src/Zip/cmake/PocoZipConfig.cmake"
  sed -i 's/^if(ENABLE_SEVENZIP OR ENABLE_ZIP)$/if(ENABLE_SEVENZIP)/' "$src/CMakeLists.txt"
  # Poco includes some Windows headers in MSVC's spelling (<Winsock2.h>); MinGW's are
  # lower case, and Linux file names are case-sensitive.
  local sysinc=/usr/$host/include h l
  grep -rhoE '#[[:space:]]*include[[:space:]]*<[A-Za-z0-9_]+\.h>' "$src"/{Foundation,Net,Zip}/{src,include} |
    sed -E 's/.*<(.*)>/\1/' | sort -u | while read -r h; do
      l="$(tr 'A-Z' 'a-z' <<<"$h")"
      if [ ! -e "$sysinc/$h" ] && [ -e "$sysinc/$l" ]; then
        grep -rlF "<$h>" "$src"/{Foundation,Net,Zip}/{src,include} | xargs sed -i "s|<$h>|<$l>|g"
      fi
    done
  cmake_pkg "$src" -DCMAKE_MC_COMPILER="$(command -v $host-windmc)" -DPOCO_UNBUNDLED=OFF -DENABLE_FOUNDATION=ON -DENABLE_NET=ON -DENABLE_ZIP=ON \
    -DENABLE_XML=OFF -DENABLE_JSON=OFF -DENABLE_UTIL=OFF \
    -DENABLE_ENCODINGS=OFF -DENABLE_ENCODINGS_COMPILER=OFF -DENABLE_MONGODB=OFF \
    -DENABLE_DATA=OFF -DENABLE_DATA_SQLITE=OFF -DENABLE_DATA_MYSQL=OFF -DENABLE_DATA_POSTGRESQL=OFF \
    -DENABLE_DATA_ODBC=OFF -DENABLE_REDIS=OFF -DENABLE_PDF=OFF -DENABLE_SEVENZIP=OFF \
    -DENABLE_CPPPARSER=OFF -DENABLE_POCODOC=OFF -DENABLE_PAGECOMPILER=OFF \
    -DENABLE_PAGECOMPILER_FILE2PAGE=OFF -DENABLE_ACTIVERECORD=OFF \
    -DENABLE_ACTIVERECORD_COMPILER=OFF -DENABLE_NETSSL=OFF -DENABLE_NETSSL_WIN=OFF \
    -DENABLE_CRYPTO=OFF -DENABLE_JWT=OFF -DENABLE_APACHECONNECTOR=OFF -DENABLE_TESTS=OFF \
    -DENABLE_SAMPLES=OFF -DENABLE_PROMETHEUS=OFF
}

build_libical3() {
  # The C library only: no ICU, glib, Berkeley DB, introspection, Vala, docs or tests.
  cmake_pkg "$1" -DSTATIC_ONLY=ON -DSHARED_ONLY=OFF -DICAL_GLIB=OFF -DICAL_GLIB_VAPI=OFF \
    -DGOBJECT_INTROSPECTION=OFF -DICAL_BUILD_DOCS=OFF -DENABLE_GTK_DOC=OFF \
    -DLIBICAL_BUILD_TESTING=OFF -DWITH_CXX_BINDINGS=OFF -DUSE_BUILTIN_TZDATA=ON \
    -DCMAKE_DISABLE_FIND_PACKAGE_ICU=ON -DCMAKE_DISABLE_FIND_PACKAGE_BDB=ON \
    -DCMAKE_DISABLE_FIND_PACKAGE_Doxygen=ON -DCMAKE_DISABLE_FIND_PACKAGE_GObjectIntrospection=ON
  local pc="$(sp)/lib/pkgconfig/libical.pc"
  # Static linking resolves left to right: icalss and icalvcal use ical, so ical last.
  sed -i 's/^Libs: .*/Libs: -L${libdir} -licalss -licalvcal -lical/' "$pc"
  sed -i '/^Cflags:/{/LIBICAL_ICAL_STATIC_DEFINE/!s/$/ -DLIBICAL_ICAL_STATIC_DEFINE -DLIBICAL_ICALSS_STATIC_DEFINE -DLIBICAL_VCAL_STATIC_DEFINE/}' "$pc"
}

build_tomlplusplus() {
  # Header-only on Windows (toml.h's default, TOML_HEADER_ONLY=1); the target carries no
  # library, so there is no DLL/ABI to match.
  local src="$1" inc d; d="$(sp)"
  inc="$(find "$src" -type f -path "*/toml++/toml.h" -print -quit)"
  [ -n "$inc" ] || { echo "deps.sh: toml++/toml.h not found in $src" >&2; return 1; }
  mkdir -p "$d/include" "$d/lib/cmake/tomlplusplus"
  cp -a "$(dirname "$inc")" "$d/include/"
  local ver; ver="$(upstream_of "$cur_version")"; ver="${ver%%+*}"
  cat >"$d/lib/cmake/tomlplusplus/tomlplusplusConfig.cmake" <<'EOF'
# toml++, header-only (TOML_HEADER_ONLY=1).
get_filename_component(_dk_toml_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET tomlplusplus::tomlplusplus)
  add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
  set_target_properties(tomlplusplus::tomlplusplus PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_dk_toml_prefix}/include"
    INTERFACE_COMPILE_DEFINITIONS "TOML_HEADER_ONLY=1")
endif()
unset(_dk_toml_prefix)
EOF
  cat >"$d/lib/cmake/tomlplusplus/tomlplusplusConfigVersion.cmake" <<EOF
set(PACKAGE_VERSION "$ver")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  string(REGEX MATCH "^[0-9]+" _dk_major "\${PACKAGE_VERSION}")
  if(PACKAGE_FIND_VERSION_MAJOR STREQUAL _dk_major OR NOT PACKAGE_FIND_VERSION)
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
  else()
    set(PACKAGE_VERSION_COMPATIBLE FALSE)
  endif()
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
EOF
  mkdir -p "$d/lib/pkgconfig"
  cat >"$d/lib/pkgconfig/tomlplusplus.pc" <<EOF
prefix=$prefix
includedir=\${prefix}/include

Name: tomlplusplus
Description: TOML config file parser and serializer for C++ (header-only)
Version: $ver
Cflags: -I\${includedir} -DTOML_HEADER_ONLY=1
EOF
}

build_nlohmann_json3() {
  cmake_pkg "$1" -DJSON_BuildTests=OFF -DJSON_Install=ON -DJSON_CI=OFF
}

build_cli11() {
  cmake_pkg "$1" -DCLI11_BUILD_TESTS=OFF -DCLI11_BUILD_EXAMPLES=OFF -DCLI11_BUILD_DOCS=OFF \
    -DCLI11_PRECOMPILED=OFF -DCLI11_INSTALL=ON
}

build_howardhinnant_date() {
  # date-tz with a manual database: the program calls date::set_install() with the
  # tzdata directory this script installs (share/driftkoll/tzdata). Like Debian, with
  # the C locale only (COMPILE_WITH_C_LOCALE).
  cmake_pkg "$1" -DBUILD_TZ_LIB=ON -DUSE_SYSTEM_TZ_DB=OFF -DMANUAL_TZ_DB=ON \
    -DUSE_TZ_DB_IN_DOT=OFF -DENABLE_DATE_TESTING=OFF -DCOMPILE_WITH_C_LOCALE=ON
}

build_tzdata() {
  # The IANA text files, as date-tz reads them (plus "version").
  local src="$1" d f; d="$(sp)/share/driftkoll/tzdata"
  mkdir -p "$d"
  for f in africa antarctica asia australasia backward etcetera europe northamerica \
    southamerica leapseconds version; do
    [ -f "$src/$f" ] && cp "$src/$f" "$d/"
  done
  [ -f "$d/version" ] || { echo "deps.sh: tzdata has no version file" >&2; return 1; }
  [ -f "$d/europe" ] || { echo "deps.sh: tzdata has no europe file" >&2; return 1; }
}

build_unicode_cldr_core() {
  # date-tz on Windows maps Windows zone names to IANA ones with CLDR's windowsZones.xml.
  local src="$1" f d; d="$(sp)/share/driftkoll/tzdata"
  f="$(find "$src" -type f -name windowsZones.xml -print -quit)"
  [ -n "$f" ] || { echo "deps.sh: windowsZones.xml not found" >&2; return 1; }
  mkdir -p "$d"
  cp "$f" "$d/windowsZones.xml"
}

build_catch2() {
  cmake_pkg "$1" -DCATCH_BUILD_TESTING=OFF -DCATCH_INSTALL_DOCS=OFF -DCATCH_INSTALL_HELPERS=ON \
    -DCATCH_BUILD_EXAMPLES=OFF -DCATCH_BUILD_EXTRA_TESTS=OFF -DCATCH_ENABLE_WERROR=OFF
}

build_openssl() {
  # Only for the test HTTPS servers (tests/support); the product does not link it.
  local src="$1"
  mkdir -p "$bld"
  (cd "$bld" && "$src/Configure" mingw64 no-shared no-tests no-docs no-apps no-module \
      no-legacy no-engine no-dso --cross-compile-prefix=$host- --prefix="$prefix" \
      --libdir=lib --openssldir="$prefix/ssl" -Wa,--noexecstack >"$bld.log" 2>&1 &&
    make -j "$jobs" CC="$host-gcc-posix" build_libs >>"$bld.log" 2>&1 &&
    make DESTDIR="$stage" install_dev >>"$bld.log" 2>&1) || { tail -40 "$bld.log"; return 1; }
  rm -rf "$(sp)/lib/libcrypto.dll.a" "$(sp)/lib/libssl.dll.a"
}

# --- the packages, in build order -----------------------------------------------------
# source package | function | binary package to fall back on | source packages it builds on
packages=(
  "tomlplusplus|build_tomlplusplus|libtomlplusplus-dev|"
  "nlohmann-json3|build_nlohmann_json3||"
  "cli11|build_cli11||"
  "catch2|build_catch2||"
  "tzdata|build_tzdata||"
  "unicode-cldr-core|build_unicode_cldr_core|unicode-cldr-core|"
  "howardhinnant-date|build_howardhinnant_date||"
  "fmtlib|build_fmtlib||"
  "spdlog|build_spdlog||fmtlib"
  "c-ares|build_c_ares||"
  "sqlite3|build_sqlite3||"
  "libical3|build_libical3||"
  "curl|build_curl||"
  "poco|build_poco||"
)
[ "$with_test_tls" = 1 ] && packages+=("openssl|build_openssl||")

# The compilers' package versions and the toolchain file belong to every package's key:
# a new compiler or changed flags rebuild everything.
compiler="$(dpkg-query -W -f='${Version}' g++-mingw-w64-x86-64-posix 2>/dev/null || $host-g++-posix -dumpfullversion)"
compiler="mingw=$compiler toolchain=$(sha1sum "$toolchain" | cut -c1-12)"

declare -A key_of
built=() skipped=() report=()
total_start=$(date +%s)
for entry in "${packages[@]}"; do
  IFS='|' read -r pkg fn binfb deps <<<"$entry"
  # (sed, not head: it reads all input, so no SIGPIPE under pipefail)
  index_version="$(src_versions "$pkg" | sed -n 1p)"
  [ -n "$index_version" ] || { echo "deps.sh: $pkg not in the apt index; run scripts/windows/setup.sh" >&2; exit 1; }
  recipe="$( { declare -f "$fn" cmake_pkg; printf '%s\n' "${cmake_args[@]}"; } | sed "s|$prefix|PREFIX|g" | sha1sum | cut -c1-12)"
  key="$pkg $index_version recipe=$recipe $compiler"
  for d in $deps; do key="$key dep[${key_of[$d]:-}]"; done
  key_of[$pkg]="$key"
  stamp="$stampdir/$pkg.stamp"
  if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$key" ] && [[ ! " ${force[*]} " =~ " $pkg " ]]; then
    skipped+=("$pkg")
    report+=("$(printf '%-20s %-28s skipped (up to date: %s)' "$pkg" "$index_version" "$(sed -n 2p "$stamp")")")
    continue
  fi
  start=$(date +%s)
  log "$pkg: fetching $index_version"
  FETCHED=""
  fetch "$pkg" "$binfb"
  cur_version="${FETCHED%% *}"
  log "$pkg: building $FETCHED"
  bld="$work/build/$pkg"; stage="$work/stage/$pkg"
  rm -rf "$bld" "$stage"; mkdir -p "$bld" "$stage"
  src="$work/src/$pkg/tree"
  "$fn" "$src"
  # Replace the files of the previous build of this package with the new ones.
  manifest="$stampdir/$pkg.files"
  if [ -f "$manifest" ]; then
    while read -r f; do rm -f "$prefix/$f"; done <"$manifest"
  fi
  (cd "$(sp)" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) >"$manifest"
  cp -a "$(sp)/." "$prefix/"
  rm -rf "$stage" "$work/src/$pkg/tree"
  secs=$(( $(date +%s) - start ))
  printf '%s\n%s\n' "$key" "$FETCHED" >"$stamp"
  built+=("$pkg")
  report+=("$(printf '%-20s %-28s built in %ds' "$pkg" "$cur_version" "$secs")")
  log "$pkg: built in ${secs}s"
done

total=$(( $(date +%s) - total_start ))
echo
echo "deps.sh: prefix $prefix"
printf '  %s\n' "${report[@]}"
echo "deps.sh: built ${#built[@]}, skipped ${#skipped[@]}, total ${total}s, prefix size $(du -sh "$prefix" | cut -f1)"
