#!/usr/bin/env bash
# Builds the Debian package from a build folder and checks it with lintian:
# every tag is printed, and any error or warning fails the check.
#
#   scripts/deb-check.sh [BUILD_DIR]        (default: build)
#
# The build folder must be configured already (cmake -S . -B BUILD_DIR); the
# programs and the manual pages are built here if they are not yet. Needs lintian,
# help2man and dpkg-dev (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/CMakeCache.txt" ] || { echo "deb-check.sh: $build is not a configured build folder" >&2; exit 2; }
for tool in lintian help2man dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "deb-check.sh: $tool is missing (apt-get install lintian help2man dpkg-dev)" >&2; exit 2; }
done
# package_docs: the changelog and the manual pages, and so the programs they are made from.
cmake --build "$build" -j2 --target package_docs driftkoll-agent
rm -f "$build"/driftkoll_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/driftkoll_*.deb)
echo "deb-check.sh: $deb"
# --fail-on error,warning: lintian's exit status is the verdict; info tags are shown too.
status=0
lintian --info --display-info --fail-on error,warning "$deb" || status=$?
if [ "$status" -eq 0 ]; then
  echo "deb-check.sh: no lintian errors or warnings"
else
  echo "deb-check.sh: lintian found errors or warnings (status $status)" >&2
fi
exit "$status"
