// Who is at the other end of a local socket, as the kernel says (SO_PEERCRED):
// the credentials the peer had when it connected, which it cannot forge.
#pragma once

#include <sys/types.h>

#include <optional>

namespace dk {

struct PeerCred {
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};

// The peer of the connected Unix socket `fd`; nullopt when the kernel cannot say
// (not a Unix socket, or not connected).
std::optional<PeerCred> peerCredentials(int fd);

}  // namespace dk
