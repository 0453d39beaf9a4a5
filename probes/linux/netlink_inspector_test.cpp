// The Linux network-stack readers (the netlink inspector and the ICMP pinger),
// and the step-1 probes on top of them, against real network namespaces. Each
// test builds its own small network: no traffic leaves the namespaces it creates.
#include <sys/socket.h>

#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "probes/address_probe.h"
#include "probes/gateway_probe.h"
#include "probes/link_probe.h"
#include "probes/net_state.h"
#include "tests/support/netns.h"

using namespace dk;
using dk::test::NetNs;
using dk::test::sh;
using Outcome = EchoResult::Outcome;

namespace {

// Two namespaces joined by a veth pair, both ends down: `host` plays the
// workstation (interface dk0), `peer` the network behind its cable (dk1).
// Unprivileged ICMP echo is allowed in `host`, as on a desktop distribution.
struct Cable {
    NetNs host;
    NetNs peer;

    Cable() {
        sh("ip -n " + host.name() + " link add name dk0 type veth peer name dk1 netns " +
           peer.name());
        host.exec("sysctl -qw net.ipv4.ping_group_range='0 2147483647'");
    }
    void plugIn() const {
        host.exec("ip link set dk0 up");
        peer.exec("ip link set dk1 up");
    }
    // Plugged in, host 10.199.1.2/24; the peer owns 10.199.1.1 unless told otherwise.
    void subnet(bool peer_owns_gateway = true) const {
        plugIn();
        host.exec("ip addr add 10.199.1.2/24 dev dk0");
        if (peer_owns_gateway)
            peer.exec("ip addr add 10.199.1.1/24 dev dk1");
    }
    NetSnapshot look() const {
        return host.inside([] { return makeSystemNetInspector()->snapshot(); });
    }
    EchoResult echo(const std::string& address, Millis wait) const {
        return host.inside([&] { return makeSystemPinger()->echo(address, Deadline::in(wait)); });
    }
    ProbeResult checkGateway(Millis deadline) const {
        return host.inside([&] {
            auto inspector = makeSystemNetInspector();
            auto pinger = makeSystemPinger();
            return GatewayProbe(inspector->snapshot(), *inspector, *pinger)
                .run(Deadline::in(deadline));
        });
    }
};

const NetInterface* findInterface(const NetSnapshot& s, const std::string& name) {
    auto it = std::find_if(s.interfaces.begin(), s.interfaces.end(),
                           [&](const NetInterface& i) { return i.name == name; });
    return it != s.interfaces.end() ? &*it : nullptr;
}

std::vector<NetRoute> routesTo(const NetSnapshot& s, const std::string& destination, int family) {
    std::vector<NetRoute> found;
    for (const auto& r : s.routes) {
        if (r.destination == destination && r.family == family)
            found.push_back(r);
    }
    return found;
}

}  // namespace

// --- the netlink inspector ---

TEST_CASE("the netlink reader sees the loopback of a fresh namespace", "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // A namespace has only lo, which NetNs brings up.
    NetNs ns;
    auto snap = ns.inside([] { return makeSystemNetInspector()->snapshot(); });
    REQUIRE(snap.ok);
    REQUIRE(snap.interfaces.size() == 1);
    CHECK(snap.interfaces[0].name == "lo");
    CHECK(snap.interfaces[0].loopback);
    CHECK(snap.interfaces[0].admin_up);
}

TEST_CASE("the netlink reader reports a veth whose peer is down as up without carrier",
          "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // Our end is switched on, the far end is not: no carrier, as with a cable out.
    Cable c;
    c.host.exec("ip link set dk0 up");
    auto snap = c.look();
    const NetInterface* dk0 = findInterface(snap, "dk0");
    REQUIRE(dk0 != nullptr);
    CHECK(dk0->admin_up);
    CHECK_FALSE(dk0->carrier);
    CHECK(dk0->kind == "veth");
}

TEST_CASE("the netlink reader reports carrier once both ends of a veth are up",
          "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // The cable is plugged in.
    Cable c;
    c.plugIn();
    auto snap = c.look();
    const NetInterface* dk0 = findInterface(snap, "dk0");
    REQUIRE(dk0 != nullptr);
    CHECK(dk0->carrier);
}

TEST_CASE("the netlink reader reads an address and its prefix length apart", "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // 10.199.1.2/24 on dk0.
    Cable c;
    c.subnet();
    auto snap = c.look();
    auto it = std::find_if(snap.addresses.begin(), snap.addresses.end(), [](const NetAddress& a) {
        return a.ifname == "dk0" && a.family == AF_INET;
    });
    REQUIRE(it != snap.addresses.end());
    CHECK(it->address == "10.199.1.2");
    CHECK(it->prefix_len == 24);
}

TEST_CASE("the netlink reader marks an IPv6 address as tentative until DAD has run",
          "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // On a link that is down, duplicate address detection cannot finish.
    Cable c;
    c.host.exec("ip addr add fd00:199::2/64 dev dk0");
    auto snap = c.look();
    auto it = std::find_if(snap.addresses.begin(), snap.addresses.end(),
                           [](const NetAddress& a) { return a.address == "fd00:199::2"; });
    REQUIRE(it != snap.addresses.end());
    CHECK(it->tentative);
}

TEST_CASE("the netlink reader marks the default route and names its gateway and interface",
          "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // default via 10.199.1.1 dev dk0, next to the connected subnet route.
    Cable c;
    c.subnet();
    c.host.exec("ip route add default via 10.199.1.1");
    auto snap = c.look();
    auto defaults = routesTo(snap, "default", AF_INET);
    REQUIRE(defaults.size() == 1);
    CHECK(defaults[0].gateway == "10.199.1.1");
    CHECK(defaults[0].ifname == "dk0");
    CHECK(routesTo(snap, "10.199.1.0/24", AF_INET).size() == 1);
}

TEST_CASE("the netlink reader reads IPv6 default routes too", "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // default via fd00:199::1 on an IPv6 subnet.
    Cable c;
    c.plugIn();
    c.host.exec("ip addr add fd00:199::2/64 dev dk0 nodad");
    c.host.exec("ip -6 route add default via fd00:199::1");
    auto defaults = routesTo(c.look(), "default", AF_INET6);
    REQUIRE(defaults.size() == 1);
    CHECK(defaults[0].gateway == "fd00:199::1");
}

TEST_CASE("the netlink reader leaves out routes of other tables than main", "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // A policy-routing table is not where the workstation's traffic goes by default.
    Cable c;
    c.subnet();
    c.host.exec("ip route add 10.199.7.0/24 dev dk0 table 100");
    CHECK(routesTo(c.look(), "10.199.7.0/24", AF_INET).empty());
}

TEST_CASE("the netlink reader reads a neighbour entry with its state and link address",
          "[netlink][netns]") {
    DK_NEEDS_NETNS();
    // A permanent ARP entry, as for a gateway configured by hand.
    Cable c;
    c.subnet();
    c.host.exec("ip neigh add 10.199.1.9 lladdr 02:00:00:00:00:09 dev dk0 nud permanent");
    auto snap = c.look();
    auto it = std::find_if(snap.neighbours.begin(), snap.neighbours.end(),
                           [](const NetNeighbour& n) { return n.address == "10.199.1.9"; });
    REQUIRE(it != snap.neighbours.end());
    CHECK(it->state == "permanent");
    CHECK(it->lladdr == "02:00:00:00:00:09");
}

// --- the ICMP pinger ---

TEST_CASE("the pinger gets an echo reply from the peer namespace", "[pinger][netns]") {
    DK_NEEDS_NETNS();
    // The far end of the cable owns 10.199.1.1 and answers echo.
    Cable c;
    c.subnet();
    auto e = c.echo("10.199.1.1", Millis(2000));
    CHECK(e.outcome == Outcome::reply);
    CHECK(e.rtt_ms > 0);
}

TEST_CASE("the pinger gets an ICMPv6 echo reply from the peer namespace", "[pinger][netns]") {
    DK_NEEDS_NETNS();
    // The same over IPv6, with neighbour discovery instead of ARP.
    Cable c;
    c.plugIn();
    c.host.exec("ip addr add fd00:199::2/64 dev dk0 nodad");
    c.peer.exec("ip addr add fd00:199::1/64 dev dk1 nodad");
    CHECK(c.echo("fd00:199::1", Millis(2000)).outcome == Outcome::reply);
}

TEST_CASE("the pinger reports not_permitted when ping_group_range excludes the user",
          "[pinger][netns]") {
    DK_NEEDS_NETNS();
    // A fresh namespace keeps the kernel default "1 0": nobody may open a ping socket.
    NetNs ns;
    auto e =
        ns.inside([] { return makeSystemPinger()->echo("127.0.0.1", Deadline::in(Millis(500))); });
    CHECK(e.outcome == Outcome::not_permitted);
    CHECK_THAT(e.error, Catch::Contains("ping_group_range"));
}

TEST_CASE("the pinger reports unreachable when there is no route to the address",
          "[pinger][netns]") {
    DK_NEEDS_NETNS();
    // Only loopback: the kernel refuses at once instead of letting us wait.
    Cable c;
    auto e = c.echo("10.199.9.9", Millis(2000));
    CHECK(e.outcome == Outcome::unreachable);
}

TEST_CASE("the pinger reports unreachable when nobody answers ARP for the address",
          "[pinger][netns]") {
    DK_NEEDS_NETNS();
    // One ARP request, 100 ms apart: the kernel gives up quickly and says host unreachable.
    Cable c;
    c.subnet();
    c.host.exec(
        "sysctl -qw net.ipv4.neigh.dk0.mcast_solicit=1 net.ipv4.neigh.dk0.retrans_time_ms=100");
    auto e = c.echo("10.199.1.77", Millis(2000));
    CHECK(e.outcome == Outcome::unreachable);
    CHECK_THAT(e.error, Catch::Contains("No route to host"));
}

TEST_CASE("the pinger stops at the deadline when the address ignores echo", "[pinger][netns]") {
    DK_NEEDS_NETNS();
    // The peer is there but ignores ICMP echo: no_reply, on time.
    Cable c;
    c.subnet();
    c.peer.exec("sysctl -qw net.ipv4.icmp_echo_ignore_all=1");
    auto start = SteadyClock::now();
    auto e = c.echo("10.199.1.1", Millis(300));
    CHECK(e.outcome == Outcome::no_reply);
    CHECK(msSince(start) < 600);
}

// --- the step-1 probes on the real stack ---

TEST_CASE("a veth whose peer is down makes the link probe fail with no_carrier", "[link][netns]") {
    DK_NEEDS_NETNS();
    // Our NIC is on, the cable leads nowhere.
    Cable c;
    c.host.exec("ip link set dk0 up");
    auto r = LinkProbe(c.look()).run(Deadline::in(Millis(1000)));
    CHECK(r.problems == std::vector{Problem::no_carrier});
}

TEST_CASE("a plugged-in veth makes the link probe pass", "[link][netns]") {
    DK_NEEDS_NETNS();
    // Both ends up: link.
    Cable c;
    c.plugIn();
    auto r = LinkProbe(c.look()).run(Deadline::in(Millis(1000)));
    CHECK(r.status == Status::pass);
}

TEST_CASE("a veth that is up without an address makes the address probe fail with no_address",
          "[address][netns]") {
    DK_NEEDS_NETNS();
    // Link, but DHCP never answered (and the kernel's own fe80:: does not count).
    Cable c;
    c.plugIn();
    auto r = AddressProbe(c.look()).run(Deadline::in(Millis(1000)));
    CHECK(r.problems == std::vector{Problem::no_address});
}

TEST_CASE("a veth with only 169.254.x.x makes the address probe fail with link_local_only",
          "[address][netns]") {
    DK_NEEDS_NETNS();
    // The computer gave itself an APIPA address after DHCP failed.
    Cable c;
    c.plugIn();
    c.host.exec("ip addr add 169.254.10.20/16 dev dk0");
    auto r = AddressProbe(c.look()).run(Deadline::in(Millis(1000)));
    CHECK(r.problems == std::vector{Problem::link_local_only});
}

TEST_CASE(
    "an address without a default route makes the gateway probe fail with "
    "no_default_route",
    "[gateway][netns]") {
    DK_NEEDS_NETNS();
    // DHCP gave an address but no router option.
    Cable c;
    c.subnet();
    auto r = c.checkGateway(Millis(2000));
    CHECK(r.problems == std::vector{Problem::no_default_route});
}

TEST_CASE("a default route via an address nobody owns fails with gateway_unreachable in time",
          "[gateway][netns]") {
    DK_NEEDS_NETNS();
    // The router is off: ARP for 10.199.1.1 goes unanswered; the verdict comes by the deadline.
    Cable c;
    c.subnet(false);
    c.host.exec("ip route add default via 10.199.1.1");
    auto r = c.checkGateway(Millis(2500));
    CHECK(r.problems == std::vector{Problem::gateway_unreachable});
    CHECK(r.evidence["method"] == "neighbour_after_echo");
    CHECK(r.duration_ms < 2500);
}

TEST_CASE("a default route via the peer namespace passes the gateway probe by ICMP echo",
          "[gateway][netns]") {
    DK_NEEDS_NETNS();
    // The router is there and answers echo.
    Cable c;
    c.subnet();
    c.host.exec("ip route add default via 10.199.1.1");
    auto r = c.checkGateway(Millis(2500));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "icmp_echo");
}

TEST_CASE("a gateway that ignores ICMP echo passes by the neighbour table after the echo",
          "[gateway][netns]") {
    DK_NEEDS_NETNS();
    // The router drops echo requests but answers ARP, which the echo set off.
    Cable c;
    c.subnet();
    c.peer.exec("sysctl -qw net.ipv4.icmp_echo_ignore_all=1");
    c.host.exec("ip route add default via 10.199.1.1");
    auto r = c.checkGateway(Millis(2500));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "neighbour_after_echo");
}
