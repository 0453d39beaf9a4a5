// Network change events from the kernel (rtnetlink, through libnl): a link goes
// up or down (cable, Wi-Fi, carrier), an address or a route comes or goes. The
// agent polls fd() together with its other descriptors and calls drain() when it
// is readable; nothing here wakes up on its own.
//
// Notifications are only a hint that something changed: the agent does not track
// state from them, it runs a whole check (which reads a fresh snapshot). So when
// the kernel had to drop notifications because the socket's buffer was full
// (ENOBUFS), nothing is lost by treating that as "changed": the run resyncs.
#pragma once

#include <memory>
#include <string>

struct nl_sock;

namespace dk {

class NetlinkWatch {
public:
    // What drain() found.
    enum class Change {
        none,     // nothing that concerns the agent
        changed,  // at least one link, address or route notification
        lost,     // notifications were dropped (ENOBUFS): the state must be read afresh
    };

    // Kernel buffer for notifications not yet read. A burst larger than this (a
    // docking station with many addresses and routes) is reported as `lost`.
    static constexpr int kDefaultReceiveBuffer = 128 * 1024;

    // Subscribes to link, IPv4/IPv6 address and IPv4/IPv6 route notifications in
    // the network namespace of the calling thread. nullptr, with the reason in
    // `*err`, when the socket cannot be set up.
    static std::unique_ptr<NetlinkWatch> open(std::string* err,
                                              int receive_buffer = kDefaultReceiveBuffer);

    ~NetlinkWatch();
    NetlinkWatch(const NetlinkWatch&) = delete;
    NetlinkWatch& operator=(const NetlinkWatch&) = delete;

    // Non-blocking; readable when notifications are waiting.
    int fd() const;

    // Reads every notification waiting, without blocking.
    Change drain();

private:
    explicit NetlinkWatch(nl_sock* sock);

    nl_sock* sock_;
    int messages_ = 0;  // counted by the libnl callback during drain()
};

}  // namespace dk
