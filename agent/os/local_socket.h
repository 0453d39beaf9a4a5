// The local API's socket as the file system shows it: whether the path holds a
// socket of this user's. Platform code: linux/local_socket.cpp.
#pragma once

#include <string>

namespace dk {

enum class OwnSocket {
    missing,  // nothing there, or it cannot be seen (`*why` says why)
    yes,      // a socket owned by this user
    no,       // something else: not a socket, or another user's
};

OwnSocket ownSocketAt(const std::string& path, std::string* why);

}  // namespace dk
