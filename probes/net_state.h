// What the local network stack looks like right now: interfaces, addresses,
// routes and neighbours. Read once per run through a NetInspector so that the
// link, address and gateway probes are pure functions of a snapshot, and tests
// can hand them canned snapshots. The Linux reader lives in linux/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "deadline.h"

namespace dk {

struct NetInterface {
    int index = 0;
    std::string name;
    bool admin_up = false;  // IFF_UP: switched on
    bool carrier = false;   // IFF_LOWER_UP / carrier: the cable or radio link is there
    std::string operstate;  // "up", "down", "dormant", "unknown", ...
    bool loopback = false;
    bool physical = false;  // backed by a device (a real NIC), not veth/bridge/tun
    bool wireless = false;
    std::string kind;  // link kind as the kernel names it: "veth", "bridge", "" for NICs
    std::string mac;
    unsigned mtu = 0;
};

struct NetAddress {
    int ifindex = 0;
    std::string ifname;
    int family = 0;       // AF_INET or AF_INET6
    std::string address;  // textual, without prefix
    int prefix_len = 0;
    std::string scope;       // "global", "link", "host", "site"
    bool tentative = false;  // IPv6 DAD not finished
};

struct NetRoute {
    int family = 0;
    std::string destination;  // "default" or "10.0.0.0/8"
    std::string gateway;      // empty for on-link routes
    int ifindex = 0;
    std::string ifname;
    unsigned metric = 0;
    unsigned table = 0;  // routing table id (254 = main)
};

struct NetNeighbour {
    int family = 0;
    std::string address;
    int ifindex = 0;
    std::string ifname;
    std::string state;  // "reachable", "stale", "delay", "probe", "failed",
                        // "incomplete", "permanent", "noarp", "none"
    std::string lladdr;
};

struct NetSnapshot {
    bool ok = false;  // false: the snapshot could not be read (see error)
    std::string error;
    std::vector<NetInterface> interfaces;
    std::vector<NetAddress> addresses;
    std::vector<NetRoute> routes;
    std::vector<NetNeighbour> neighbours;
};

// Reads the current state of the network stack.
class NetInspector {
public:
    virtual ~NetInspector() = default;
    // MUST NOT throw; a failure is a snapshot with ok = false and an error.
    virtual NetSnapshot snapshot() = 0;
};

// The inspector for this platform (linux/netlink_inspector.cpp on Linux).
std::unique_ptr<NetInspector> makeSystemNetInspector();

// One ICMP echo, for a gateway the neighbour table says nothing about.
struct EchoResult {
    enum class Outcome {
        reply,          // an echo reply came back
        no_reply,       // nothing came back before the deadline
        unreachable,    // an ICMP error came back (host/net unreachable)
        not_permitted,  // this system does not allow unprivileged ICMP echo
        error,          // any other error (see error)
    };
    Outcome outcome = Outcome::error;
    double rtt_ms = 0;
    std::string error;
};

class Pinger {
public:
    virtual ~Pinger() = default;
    // Sends one echo request to `address` (IPv4 or IPv6 literal) and waits for the
    // reply until the deadline. MUST NOT throw; MUST NOT need root.
    virtual EchoResult echo(const std::string& address, const Deadline& deadline) = 0;
};

// The pinger for this platform (linux/icmp_pinger.cpp: unprivileged ICMP datagram socket).
std::unique_ptr<Pinger> makeSystemPinger();

}  // namespace dk
