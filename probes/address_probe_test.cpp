#include "probes/address_probe.h"

#include <sys/socket.h>

#include <catch2/catch.hpp>

using namespace dk;

namespace {

constexpr int kLo = 1;
constexpr int kEth = 2;

NetAddress v4(const std::string& address, int ifindex = kEth) {
    NetAddress a;
    a.ifindex = ifindex;
    a.ifname = ifindex == kLo ? "lo" : "eth0";
    a.family = AF_INET;
    a.address = address;
    a.prefix_len = ifindex == kLo ? 8 : 24;
    a.scope = ifindex == kLo ? "host" : "global";
    return a;
}

NetAddress v6(const std::string& address, const std::string& scope, bool tentative = false) {
    NetAddress a;
    a.ifindex = kEth;
    a.ifname = "eth0";
    a.family = AF_INET6;
    a.address = address;
    a.prefix_len = 64;
    a.scope = scope;
    a.tentative = tentative;
    return a;
}

// A computer with loopback and one NIC, eth0, that has link unless said otherwise.
ProbeResult runAddress(std::vector<NetAddress> addresses, bool eth0_carrier = true) {
    NetSnapshot snap;
    snap.ok = true;
    NetInterface lo;
    lo.index = kLo;
    lo.name = "lo";
    lo.loopback = lo.admin_up = lo.carrier = true;
    NetInterface eth0;
    eth0.index = kEth;
    eth0.name = "eth0";
    eth0.physical = eth0.admin_up = true;
    eth0.carrier = eth0_carrier;
    snap.interfaces = {lo, eth0};
    snap.addresses = std::move(addresses);
    return AddressProbe(snap).run(Deadline::in(Millis(1000)));
}

}  // namespace

TEST_CASE("the address probe passes with an IPv4 address from DHCP", "[address]") {
    // The usual office network: DHCP handed out 10.20.30.40/24.
    auto r = runAddress({v4("127.0.0.1", kLo), v4("10.20.30.40")});
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["usable"] == Json::array({"10.20.30.40/24 on eth0"}));
}

TEST_CASE("the address probe passes with only a global IPv6 address", "[address]") {
    // An IPv6-only network: SLAAC or DHCPv6 gave a global address.
    auto r = runAddress({v6("2001:db8::5", "global"), v6("fe80::5", "link")});
    CHECK(r.status == Status::pass);
}

TEST_CASE("the address probe fails with no_address when the NIC has no address", "[address]") {
    // Link is up, but DHCP has not given anything, not even a fallback yet.
    auto r = runAddress({v4("127.0.0.1", kLo)});
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::no_address});
}

TEST_CASE("the address probe fails with link_local_only on a 169.254.x.x address", "[address]") {
    // DHCP did not answer and the computer gave itself an APIPA address.
    auto r = runAddress({v4("169.254.12.34"), v6("fe80::5", "link")});
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::link_local_only});
}

TEST_CASE("the address probe fails with no_address when only fe80:: exists", "[address]") {
    // Every interface that is up has an fe80:: address; alone it says nothing about DHCP.
    auto r = runAddress({v6("fe80::5", "link")});
    CHECK(r.problems == std::vector{Problem::no_address});
}

TEST_CASE("the address probe does not count a tentative IPv6 address", "[address]") {
    // Duplicate address detection has not finished: the address cannot be used yet.
    auto r = runAddress({v6("2001:db8::5", "global", true)});
    CHECK(r.problems == std::vector{Problem::no_address});
    CHECK_THAT(r.evidence["addresses"][0]["reason"].get<std::string>(),
               Catch::Contains("tentative"));
}

TEST_CASE("the address probe does not count an address on a NIC without link", "[address]") {
    // The cable is out; the address DHCP gave earlier is still configured.
    auto r = runAddress({v4("10.20.30.40")}, false);
    CHECK(r.problems == std::vector{Problem::no_address});
}

TEST_CASE("the address probe does not count loopback addresses", "[address]") {
    // 127.0.0.1 and ::1 are always there and reach nothing outside.
    auto r = runAddress({v4("127.0.0.1", kLo), v6("::1", "host")});
    CHECK(r.problems == std::vector{Problem::no_address});
}

TEST_CASE("the address probe does not run when the network state cannot be read", "[address]") {
    // Netlink failed: not knowing the addresses is not having none.
    NetSnapshot unreadable;
    unreadable.error = "reading addresses: Permission denied";
    auto r = AddressProbe(unreadable).run(Deadline::in(Millis(1000)));
    CHECK(r.status == Status::not_run);
    CHECK_THAT(r.error, Catch::Contains("reading addresses: Permission denied"));
}

TEST_CASE("the address probe's evidence says which addresses are usable and why not", "[address]") {
    // An IT technician sees every address, and the reason each one does not count.
    auto r = runAddress({v4("169.254.12.34"), v4("10.20.30.40")});
    CHECK(r.evidence["addresses"][0]["usable"] == false);
    CHECK_THAT(r.evidence["addresses"][0]["reason"].get<std::string>(), Catch::Contains("DHCP"));
    CHECK(r.evidence["addresses"][1] == Json{{"interface", "eth0"},
                                             {"family", "ipv4"},
                                             {"address", "10.20.30.40/24"},
                                             {"scope", "global"},
                                             {"usable", true}});
}
