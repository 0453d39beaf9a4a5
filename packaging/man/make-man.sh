#!/bin/sh
# Writes a program's manual page from its own --help and --version (help2man),
# with the sections --help does not hold from an include file, gzip'd as Debian
# wants it (-n: no name or time stamp in the header, so the page is reproducible).
#
#   make-man.sh PROGRAM SUMMARY INCLUDE OUT.1.gz
#
# PROGRAM is run by its bare name from its own folder, so that the page's
# "Usage:" line says `driftkoll`, not the build folder's path. The tray needs a
# display for --help: the offscreen platform is enough.
set -eu
program=$1 summary=$2 include=$3 out=$4
dir=$(cd "$(dirname "$program")" && pwd)
name=$(basename "$program")
page=${out%.gz}
PATH="$dir:$PATH" QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8 LANG=C.UTF-8 \
  help2man --no-info --no-discard-stderr --section=1 --name="$summary" \
           --include="$include" --output="$page" "$name"
gzip -n -9 -f "$page"
