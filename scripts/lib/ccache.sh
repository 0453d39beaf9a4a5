# Sourced by the build scripts. ccache hashes paths relative to the checkout
# (CCACHE_BASEDIR) and not the build folder's own path (CCACHE_NOHASHDIR), so that
# another clone of the same sources — CI's fresh one — is served from the cache
# that an earlier build on this machine filled. The cache holds the normal, the
# sanitizer and the fuzzing builds at once.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"
# Files compiled with a precompiled header (cmake/precompiled_headers.cmake) are
# cached too; the header's own hash stands for the macros and times inside it.
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros}"
