#include "agent/os/local_socket.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace dk {

OwnSocket ownSocketAt(const std::string& path, std::string* why) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (why)
            *why = std::error_code(errno, std::generic_category()).message();
        return OwnSocket::missing;
    }
    if (!S_ISSOCK(st.st_mode) || st.st_uid != ::geteuid())
        return OwnSocket::no;
    return OwnSocket::yes;
}

}  // namespace dk
