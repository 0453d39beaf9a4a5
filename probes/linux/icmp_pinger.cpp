// The Linux Pinger: one ICMP/ICMPv6 echo over an unprivileged "ping socket"
// (SOCK_DGRAM + IPPROTO_ICMP[V6]). The kernel fills in the identifier and the
// checksum and hands this socket only the replies to its own identifier.
// Whether a user may open one is net.ipv4.ping_group_range (for both families).
// IP_RECVERR/IPV6_RECVERR queue ICMP errors (host unreachable, also the one the
// kernel raises itself when ARP/ND for the address fails) for us to read.
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "probes/net_state.h"

namespace dk {

namespace {

using Outcome = EchoResult::Outcome;

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0)
            close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

EchoResult result(Outcome outcome, std::string error = {}) {
    EchoResult r;
    r.outcome = outcome;
    r.error = std::move(error);
    return r;
}

std::string errnoText(const char* what, int err) {
    return std::string(what) + ": " + std::strerror(err);
}

bool isUnreachableErrno(int err) {
    return err == EHOSTUNREACH || err == ENETUNREACH || err == EHOSTDOWN || err == ENETDOWN;
}

// Reads one queued error (IP_RECVERR) and says what it was.
EchoResult readQueuedError(int fd) {
    char data[256];
    char control[512];
    iovec iov{data, sizeof data};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
        return result(Outcome::error, errnoText("reading the socket error queue", errno));
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
        bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
        if (!v4 && !v6)
            continue;
        sock_extended_err ee;
        std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
        std::string text = std::strerror(static_cast<int>(ee.ee_errno));
        if (ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
            std::string error = "ICMP" + std::string(v4 ? "" : "v6") + " type " +
                                std::to_string(ee.ee_type) + " code " + std::to_string(ee.ee_code);
            // The offender (who sent the ICMP error) follows the structure.
            size_t from_len = v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
            if (c->cmsg_len >= CMSG_LEN(sizeof ee + from_len)) {
                sockaddr_storage from{};
                std::memcpy(&from, CMSG_DATA(c) + sizeof ee, from_len);
                char who[INET6_ADDRSTRLEN] = {};
                const void* bin =
                    v4 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&from)->sin_addr)
                       : &reinterpret_cast<sockaddr_in6*>(&from)->sin6_addr;
                inet_ntop(v4 ? AF_INET : AF_INET6, bin, who, sizeof who);
                error += std::string(" from ") + who;
            }
            return result(Outcome::unreachable, error + ": " + text);
        }
        if (isUnreachableErrno(static_cast<int>(ee.ee_errno)))
            return result(Outcome::unreachable, text);
        return result(Outcome::error, text);
    }
    return result(Outcome::error, "an error was queued on the socket, but without details");
}

class IcmpPinger final : public Pinger {
public:
    EchoResult echo(const std::string& address, const Deadline& deadline) override {
        try {
            return echoOnce(address, deadline);
        } catch (const std::exception& e) {
            return result(Outcome::error, e.what());
        }
    }

private:
    static EchoResult echoOnce(const std::string& address, const Deadline& deadline) {
        // Numeric only (no DNS); accepts a scope for link-local IPv6: fe80::1%eth0.
        addrinfo hints{};
        hints.ai_flags = AI_NUMERICHOST;
        hints.ai_socktype = SOCK_DGRAM;
        addrinfo* found = nullptr;
        if (getaddrinfo(address.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
            return result(Outcome::error, "not an IP address: " + address);
        }
        sockaddr_storage to{};
        std::memcpy(&to, found->ai_addr, found->ai_addrlen);
        socklen_t to_len = found->ai_addrlen;
        int family = found->ai_family;
        freeaddrinfo(found);
        bool v4 = family == AF_INET;

        int protocol = v4 ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
        Fd fd(socket(family, SOCK_DGRAM | SOCK_CLOEXEC, protocol));
        if (fd.get() < 0) {
            int err = errno;
            if (err == EACCES || err == EPERM || err == EPROTONOSUPPORT) {
                return result(
                    Outcome::not_permitted,
                    errnoText("unprivileged ICMP socket (net.ipv4.ping_group_range)", err));
            }
            return result(Outcome::error, errnoText("ICMP socket", err));
        }
        int on = 1;
        if (setsockopt(fd.get(), v4 ? SOL_IP : SOL_IPV6, v4 ? IP_RECVERR : IPV6_RECVERR, &on,
                       sizeof on) != 0) {
            return result(Outcome::error, errnoText("enabling ICMP error reports", errno));
        }
        // Connected: only this address's replies and errors reach the socket.
        if (connect(fd.get(), reinterpret_cast<sockaddr*>(&to), to_len) != 0) {
            int err = errno;
            return result(isUnreachableErrno(err) ? Outcome::unreachable : Outcome::error,
                          errnoText("connect", err));
        }

        static std::atomic<uint16_t> next_sequence{1};
        const uint16_t sequence = next_sequence++;
        unsigned char packet[kHeaderLen + kPayload.size()] = {};
        if (v4) {
            icmphdr h{};
            h.type = ICMP_ECHO;
            h.un.echo.sequence = htons(sequence);
            std::memcpy(packet, &h, kHeaderLen);
        } else {
            icmp6_hdr h{};
            h.icmp6_type = ICMP6_ECHO_REQUEST;
            h.icmp6_seq = htons(sequence);
            std::memcpy(packet, &h, kHeaderLen);
        }
        std::memcpy(packet + kHeaderLen, kPayload.data(), kPayload.size());

        auto sent = SteadyClock::now();
        if (send(fd.get(), packet, sizeof packet, 0) < 0) {
            int err = errno;
            return result(isUnreachableErrno(err) ? Outcome::unreachable : Outcome::error,
                          errnoText("sending the echo request", err));
        }

        while (!deadline.expired()) {
            pollfd p{fd.get(), POLLIN, 0};
            int wait_ms = static_cast<int>(std::clamp<long long>(deadline.remainingMs(), 1, 60000));
            int n = poll(&p, 1, wait_ms);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return result(Outcome::error, errnoText("poll", errno));
            }
            if (n == 0)
                continue;
            if ((p.revents & POLLERR) != 0)
                return readQueuedError(fd.get());
            unsigned char reply[1500];
            ssize_t got = recv(fd.get(), reply, sizeof reply, MSG_DONTWAIT);
            if (got < 0) {
                int err = errno;
                if (err == EAGAIN || err == EINTR)
                    continue;
                return result(isUnreachableErrno(err) ? Outcome::unreachable : Outcome::error,
                              errnoText("receiving the echo reply", err));
            }
            if (isOurReply(reply, static_cast<size_t>(got), v4, sequence)) {
                EchoResult r = result(Outcome::reply);
                r.rtt_ms = msSince(sent);
                return r;
            }
        }
        return result(Outcome::no_reply);
    }

    // ICMP and ICMPv6 echo headers have the same layout: type, code, checksum,
    // identifier, sequence. The kernel has already matched the identifier.
    static bool isOurReply(const unsigned char* data, size_t len, bool v4, uint16_t sequence) {
        if (len < kHeaderLen)
            return false;
        icmphdr h;
        std::memcpy(&h, data, kHeaderLen);
        uint8_t want = v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
        return h.type == want && ntohs(h.un.echo.sequence) == sequence;
    }

    static constexpr size_t kHeaderLen = 8;
    static_assert(sizeof(icmphdr) == kHeaderLen && sizeof(icmp6_hdr) == kHeaderLen);
    static constexpr std::string_view kPayload = "driftkoll gateway check";
};

}  // namespace

std::unique_ptr<Pinger> makeSystemPinger() {
    return std::make_unique<IcmpPinger>();
}

}  // namespace dk
