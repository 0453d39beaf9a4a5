#!/usr/bin/env bash
# Smoke test of the Windows toolchain and dependency prefix: cross-compiles
# scripts/windows/smoke/ (a program using every dependency, and a Catch2 test), then runs
# both through ctest under wine64 in a fresh, temporary WINEPREFIX.
# Exit status 0 only if every check passed. Traffic goes to loopback only.
#
#   scripts/windows/smoke.sh           (after scripts/windows/setup.sh and deps.sh)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
prefix="${DK_WIN_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/driftkoll/mingw-w64-x86_64}"
[ -d "$prefix/lib" ] || { echo "smoke.sh: no dependency prefix at $prefix; run scripts/windows/deps.sh" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dk-win-smoke.XXXXXX")"
cleanup() {
  WINEPREFIX="$tmp/wine" wineserver -k >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

build="$tmp/build"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$here/smoke" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/mingw-w64-x86_64.cmake" \
  -DDK_WIN_PREFIX="$prefix" "${launcher[@]}" >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; exit 1; }
cmake --build "$build" -j "$(nproc)" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }

# The program needs no MinGW DLLs: only Windows' own.
for exe in "$build"/*.exe; do
  dlls="$(x86_64-w64-mingw32-objdump -p "$exe" | awk '/DLL Name:/ {print tolower($3)}' | sort -u | tr '\n' ' ')"
  echo "smoke.sh: $(basename "$exe") imports: $dlls"
  case "$dlls" in
    *libstdc++*|*libgcc*|*libwinpthread*) echo "smoke.sh: $exe needs MinGW runtime DLLs" >&2; exit 1 ;;
  esac
done
# The tz database goes beside the exe, as an installer would place it.
cp -r "$prefix/share/driftkoll/tzdata" "$build/tzdata"

export WINEPREFIX="$tmp/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
display=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then display=(xvfb-run -a); fi
echo "smoke.sh: creating a wine prefix"
start=$(date +%s)
"${display[@]}" wineboot -i >/dev/null 2>&1
echo "smoke.sh: wine prefix ready in $(( $(date +%s) - start ))s"
# pipefail: the pipeline fails when ctest does.
"${display[@]}" ctest --test-dir "$build" --output-on-failure -V 2>&1 |
  sed -n 's/^[0-9]*: //p; /tests passed/p; /tests failed/p; /^The following tests FAILED/,$p'
echo "smoke.sh: passed"
