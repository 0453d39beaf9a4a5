#include "probes/link_probe.h"

#include <catch2/catch.hpp>

using namespace dk;

namespace {

enum Trait : unsigned { up = 1, carrier = 2, physical = 4, wireless = 8, loopback = 16 };

NetInterface iface(const std::string& name, unsigned traits, const std::string& kind = "") {
    NetInterface i;
    i.name = name;
    i.admin_up = (traits & up) != 0;
    i.carrier = (traits & carrier) != 0;
    i.operstate = i.carrier ? "up" : "down";
    i.physical = (traits & physical) != 0;
    i.wireless = (traits & wireless) != 0;
    i.loopback = (traits & loopback) != 0;
    i.kind = kind;
    return i;
}

ProbeResult runLink(std::vector<NetInterface> interfaces) {
    NetSnapshot snap;
    snap.ok = true;
    snap.interfaces = std::move(interfaces);
    return LinkProbe(snap).run(Deadline::in(Millis(1000)));
}

const NetInterface lo = iface("lo", up | carrier | loopback);

}  // namespace

TEST_CASE("the link probe passes when a physical NIC is up with carrier", "[link]") {
    // A desk computer with its cable in.
    auto r = runLink({lo, iface("eth0", up | carrier | physical)});
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["with_link"] == Json::array({"eth0"}));
}

TEST_CASE("the link probe fails with no_carrier when the cable is out", "[link]") {
    // The NIC is switched on, but nothing is plugged into it.
    auto r = runLink({lo, iface("eth0", up | physical)});
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::no_carrier});
}

TEST_CASE("the link probe fails with no_carrier when the NIC is switched off", "[link]") {
    // Admin down (ip link set eth0 down, or Wi-Fi turned off): no link either.
    auto r = runLink({lo, iface("eth0", physical)});
    CHECK(r.problems == std::vector{Problem::no_carrier});
}

TEST_CASE("the link probe fails with no_interfaces when only loopback exists", "[link]") {
    // No network adapter at all (driver missing, adapter disabled in the BIOS).
    auto r = runLink({lo});
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::no_interfaces});
}

TEST_CASE("the link probe ignores an up virtual interface when the physical NIC has no link",
          "[link]") {
    // A VPN tunnel or container bridge that is up must not hide an unplugged cable.
    auto r = runLink({lo, iface("eth0", up | physical), iface("docker0", up | carrier, "bridge")});
    CHECK(r.problems == std::vector{Problem::no_carrier});
    CHECK(r.evidence["considered"] == Json::array({"eth0"}));
}

TEST_CASE("the link probe uses virtual interfaces when there is no physical one", "[link]") {
    // In a container or network namespace, a veth is all there is.
    auto r = runLink({lo, iface("veth0", up | carrier, "veth")});
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["considered"] == Json::array({"veth0"}));
}

TEST_CASE("the link probe passes when Wi-Fi has link while the wired NIC has none", "[link]") {
    // A laptop on Wi-Fi with no cable plugged in.
    auto r = runLink(
        {lo, iface("eth0", up | physical), iface("wlan0", up | carrier | physical | wireless)});
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["with_link"] == Json::array({"wlan0"}));
}

TEST_CASE("the link probe does not run when the network state cannot be read", "[link]") {
    // Netlink refused us: nothing is known about the link, which is not a failed link.
    NetSnapshot unreadable;
    unreadable.error = "netlink connect: Permission denied";
    auto r = LinkProbe(unreadable).run(Deadline::in(Millis(1000)));
    CHECK(r.status == Status::not_run);
    CHECK_THAT(r.error, Catch::Contains("netlink connect: Permission denied"));
}

TEST_CASE("the link probe's evidence describes every interface", "[link]") {
    // An IT technician reads kind, physical, wireless, admin state, carrier and operstate.
    auto r = runLink({lo, iface("wlan0", up | physical | wireless)});
    CHECK(r.evidence["interfaces"][1] == Json{{"name", "wlan0"},
                                              {"kind", ""},
                                              {"physical", true},
                                              {"wireless", true},
                                              {"admin_up", true},
                                              {"carrier", false},
                                              {"operstate", "down"}});
}
