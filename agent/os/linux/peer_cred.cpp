#include "agent/os/peer_cred.h"

#include <sys/socket.h>

namespace dk {

std::optional<PeerCred> peerCredentials(int fd) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred)
        return std::nullopt;
    // A socket that is not connected reports pid 0 and the overflow ids (uid -1).
    if (cred.pid == 0 && cred.uid == static_cast<uid_t>(-1))
        return std::nullopt;
    return PeerCred{cred.pid, cred.uid, cred.gid};
}

}  // namespace dk
