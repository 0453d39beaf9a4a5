#!/usr/bin/env bash
# From a fresh Debian 12 machine: set up, build, and run `driftkoll check` on
# the built-in default profile (or on the arguments given, e.g. --json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/agent/driftkoll check "$@"
