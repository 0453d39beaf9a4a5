# The layout check: shared product code includes no OS header, and no room
# includes a header of a room after it.
#
#   cmake -DROOT=<source tree> -P tests/layout/layout_check.cmake
#
# Product code is agent/, config/, probes/ and tray/, without the tests
# (*_test.cpp) and the platform folders (linux/, windows/), which are where
# OS headers belong. Every problem is printed as file:line; any fails the check.
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P layout_check.cmake")
endif()

# Headers only an OS provides. Standard C and C++ headers are fine.
set(os_header_regex
  "^(linux|sys|netlink|systemd|arpa|netinet|net)/|^(unistd|pwd|grp|poll|fcntl|netdb|ifaddrs|signal|spawn|dirent|termios|dlfcn|syslog|windows|winsock2|ws2tcpip)\\.h$")

# The rooms of agent/, in order: each may include only itself and those before it.
set(rooms os gather decide check resident cli)
string(REPLACE ";" " → " rooms_text "${rooms}")
# The top-level folders, in order: tray → agent → probes, config.
set(tops config probes agent tray)
set(top_rank_config 0)
set(top_rank_probes 0)
set(top_rank_agent 1)
set(top_rank_tray 2)

# OS headers in shared code not yet behind a seam: "<file> <header>" per line.
# Each is reported, and fails nothing; a new one fails the check.
set(debt "")
if(EXISTS ${ROOT}/tests/layout/os_header_debt.txt)
  file(STRINGS ${ROOT}/tests/layout/os_header_debt.txt debt REGEX "^[^#]")
endif()
set(known 0)

set(problems 0)
file(GLOB_RECURSE files RELATIVE ${ROOT}
  ${ROOT}/agent/*.h ${ROOT}/agent/*.cpp ${ROOT}/config/*.h ${ROOT}/config/*.cpp
  ${ROOT}/probes/*.h ${ROOT}/probes/*.cpp ${ROOT}/tray/*.h ${ROOT}/tray/*.cpp)
list(SORT files)
foreach(f IN LISTS files)
  if(f MATCHES "_test\\.cpp$")
    continue()
  endif()
  set(platform FALSE)
  if(f MATCHES "/(linux|windows)/")
    set(platform TRUE)
  endif()
  string(REGEX MATCH "^[^/]+" top "${f}")
  set(room "")
  if(f MATCHES "^agent/([^/]+)/")
    set(room ${CMAKE_MATCH_1})
    list(FIND rooms ${room} room_rank)
    if(room_rank LESS 0)
      message("${f}:1: agent/${room}/ is no room (rooms: ${rooms_text})")
      math(EXPR problems "${problems} + 1")
      continue()
    endif()
  endif()

  file(STRINGS ${ROOT}/${f} lines)
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
      continue()
    endif()
    set(delim "${CMAKE_MATCH_1}")
    set(header "${CMAKE_MATCH_2}")
    set(is_os FALSE)
    if(delim STREQUAL "<" AND NOT platform AND header MATCHES "${os_header_regex}")
      set(is_os TRUE)
    endif()
    if(is_os AND "${f} ${header}" IN_LIST debt)
      message("${f}:${n}: <${header}> (known, tests/layout/os_header_debt.txt)")
      math(EXPR known "${known} + 1")
    elseif(is_os)
      message("${f}:${n}: includes the OS header <${header}>; put it behind a seam "
              "(a shared header, its implementation in linux/)")
      math(EXPR problems "${problems} + 1")
    endif()
    if(delim STREQUAL "\"")
      string(REGEX MATCH "^[^/]+" htop "${header}")
      list(FIND tops "${htop}" htop_found)
      if(htop_found GREATER_EQUAL 0 AND top_rank_${htop} GREATER top_rank_${top})
        message("${f}:${n}: ${top}/ includes \"${header}\" of ${htop}/, which is above it")
        math(EXPR problems "${problems} + 1")
      endif()
      if(room AND header MATCHES "^agent/([^/]+)/")
        set(hroom ${CMAKE_MATCH_1})
        list(FIND rooms ${hroom} hroom_rank)
        if(hroom_rank GREATER room_rank)
          message("${f}:${n}: room ${room} includes \"${header}\" of room ${hroom}, "
                  "which comes after it (${rooms_text})")
          math(EXPR problems "${problems} + 1")
        endif()
      endif()
      if(header MATCHES "^agent/[^/]+/linux/" AND NOT platform)
        message("${f}:${n}: includes the platform header \"${header}\"; include its "
                "shared seam instead")
        math(EXPR problems "${problems} + 1")
      endif()
    endif()
  endforeach()
endforeach()

list(LENGTH files count)
if(problems GREATER 0)
  message(FATAL_ERROR "layout: ${problems} problem(s) in ${count} files")
endif()
message("layout: ${count} files, no new OS header outside linux/ (${known} known), "
        "every room includes only rooms before it")
