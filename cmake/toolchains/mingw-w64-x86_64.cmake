# Cross toolchain for Windows x86_64 with Debian's MinGW-w64 (posix thread model, so
# std::thread and std::mutex work), against the dependency prefix built by
# scripts/windows/deps.sh.
#
#   cmake -S . -B build-win \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-x86_64.cmake \
#     -DDK_WIN_PREFIX=$HOME/.cache/driftkoll/mingw-w64-x86_64
#
# DK_WIN_PREFIX may also come from the environment. Programs and tests run under wine64
# (CMAKE_CROSSCOMPILING_EMULATOR), so ctest works from Linux.
# Linking is static (libgcc, libstdc++, winpthread): an .exe needs no MinGW DLLs.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_SYSTEM_VERSION 10.0)

set(DK_WIN_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${DK_WIN_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${DK_WIN_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${DK_WIN_TRIPLET}-windres)
set(CMAKE_AR ${DK_WIN_TRIPLET}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${DK_WIN_TRIPLET}-ranlib CACHE FILEPATH "")
set(CMAKE_NM ${DK_WIN_TRIPLET}-nm CACHE FILEPATH "")
set(CMAKE_STRIP ${DK_WIN_TRIPLET}-strip CACHE FILEPATH "")
set(CMAKE_OBJDUMP ${DK_WIN_TRIPLET}-objdump CACHE FILEPATH "")

# The dependency prefix: a cache variable, else the environment, else deps.sh's default.
if(NOT DK_WIN_PREFIX)
  if(DEFINED ENV{DK_WIN_PREFIX} AND NOT "$ENV{DK_WIN_PREFIX}" STREQUAL "")
    set(DK_WIN_PREFIX "$ENV{DK_WIN_PREFIX}")
  elseif(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
    set(DK_WIN_PREFIX "$ENV{XDG_CACHE_HOME}/driftkoll/mingw-w64-x86_64")
  else()
    set(DK_WIN_PREFIX "$ENV{HOME}/.cache/driftkoll/mingw-w64-x86_64")
  endif()
endif()
set(DK_WIN_PREFIX "${DK_WIN_PREFIX}" CACHE PATH "Prefix with the cross-built dependencies")
# try_compile projects get the toolchain file again; hand them the same prefix.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES DK_WIN_PREFIX)

# Look for libraries, headers and packages only in the prefix (and the MinGW sysroot),
# never in the host's /usr/include or /usr/lib; programs (perl, wine64…) on the host.
set(CMAKE_FIND_ROOT_PATH "${DK_WIN_PREFIX}" /usr/${DK_WIN_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_PREFIX_PATH "${DK_WIN_PREFIX}")

# pkg-config: the prefix's .pc files only, with static flags (Libs.private).
set(ENV{PKG_CONFIG_LIBDIR} "${DK_WIN_PREFIX}/lib/pkgconfig:${DK_WIN_PREFIX}/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
set(PKG_CONFIG_ARGN --static CACHE STRING "Arguments for pkg-config")

# The dependencies are static: say so to their headers.
add_compile_definitions(CURL_STATICLIB CARES_STATICLIB POCO_STATIC LIBICAL_ICAL_STATIC_DEFINE)

# Static runtime: libgcc, libstdc++ and winpthread linked into every .exe/.dll.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++ -Wl,-Bstatic,--whole-archive -lwinpthread -Wl,--no-whole-archive,-Bdynamic")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "${CMAKE_SHARED_LINKER_FLAGS_INIT}")

# Run cross-built programs (tests, ctest) under wine64.
find_program(DK_WINE64 NAMES wine64 wine PATHS /usr/lib/wine /usr/bin NO_CMAKE_FIND_ROOT_PATH)
if(DK_WINE64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${DK_WINE64}")
endif()
