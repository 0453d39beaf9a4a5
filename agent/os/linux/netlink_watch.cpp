#include "agent/os/netlink_watch.h"

#include <linux/rtnetlink.h>

#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

namespace dk {

namespace {

// Link, address and route notifications; everything else on the socket
// (NLMSG_DONE, NLMSG_ERROR, ...) is not a change.
bool isChange(int type) {
    switch (type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
        case RTM_NEWADDR:
        case RTM_DELADDR:
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
            return true;
        default:
            return false;
    }
}

int countChange(nl_msg* msg, void* arg) {
    if (isChange(nlmsg_hdr(msg)->nlmsg_type))
        ++*static_cast<int*>(arg);
    return NL_OK;
}

// A socket that keeps failing must not keep drain() busy: after this many errors
// in one drain the rest waits for the next poll().
constexpr int kMaxErrorsPerDrain = 8;

}  // namespace

std::unique_ptr<NetlinkWatch> NetlinkWatch::open(std::string* err, int receive_buffer) {
    nl_sock* sock = nl_socket_alloc();
    if (sock == nullptr) {
        *err = "netlink: out of memory";
        return nullptr;
    }
    std::unique_ptr<NetlinkWatch> watch(new NetlinkWatch(sock));
    auto fail = [&](const char* step, int code) {
        *err = std::string("netlink: ") + step + ": " + nl_geterror(code);
        return nullptr;
    };
    // Notifications carry no sequence numbers of ours.
    nl_socket_disable_seq_check(sock);
    if (int e =
            nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, countChange, &watch->messages_);
        e < 0)
        return fail("callback", e);
    if (int e = nl_connect(sock, NETLINK_ROUTE); e < 0)
        return fail("connect", e);
    if (int e =
            nl_socket_add_memberships(sock, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                                      RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, 0);
        e < 0)
        return fail("subscribe", e);
    if (int e = nl_socket_set_buffer_size(sock, receive_buffer, 0); e < 0)
        return fail("buffer size", e);
    if (int e = nl_socket_set_nonblocking(sock); e < 0)
        return fail("non-blocking", e);
    return watch;
}

NetlinkWatch::NetlinkWatch(nl_sock* sock) : sock_(sock) {}

NetlinkWatch::~NetlinkWatch() {
    nl_socket_free(sock_);
}

int NetlinkWatch::fd() const {
    return nl_socket_get_fd(sock_);
}

NetlinkWatch::Change NetlinkWatch::drain() {
    messages_ = 0;
    bool lost = false;
    int errors = 0;
    for (;;) {
        const int r = nl_recvmsgs_default(sock_);
        if (r == -NLE_AGAIN)
            break;
        if (r < 0) {
            // ENOBUFS (libnl: NLE_NOMEM) means the kernel dropped notifications; any
            // other receive error may have cost some too. Either way: read afresh.
            lost = true;
            if (++errors >= kMaxErrorsPerDrain)
                break;
        }
    }
    if (lost)
        return Change::lost;
    return messages_ > 0 ? Change::changed : Change::none;
}

}  // namespace dk
