// Who is at the other end of a local socket, as the kernel says (SO_PEERCRED):
// the credentials the peer had when it connected, which it cannot forge.
#pragma once

#include <cstdint>
#include <optional>

namespace dk {

struct PeerCred {
    std::int64_t pid = 0;
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
};

// The peer of the connected Unix socket `fd`; nullopt when the kernel cannot say
// (not a Unix socket, or not connected).
std::optional<PeerCred> peerCredentials(int fd);

}  // namespace dk
