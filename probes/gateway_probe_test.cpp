#include "probes/gateway_probe.h"

#include <sys/socket.h>

#include <deque>

#include <catch2/catch.hpp>

using namespace dk;
using Outcome = EchoResult::Outcome;

namespace {

// Serves the snapshots it was given, one per call (the re-read after an echo).
class FakeInspector : public NetInspector {
public:
    std::deque<NetSnapshot> snapshots;
    int calls = 0;
    NetSnapshot snapshot() override {
        ++calls;
        NetSnapshot s = snapshots.front();
        if (snapshots.size() > 1)
            snapshots.pop_front();
        return s;
    }
};

// Answers every echo with `answer` and remembers what it was asked and how long it
// was given.
class FakePinger : public Pinger {
public:
    EchoResult answer;
    std::vector<std::string> asked;
    long long given_ms = -1;
    EchoResult echo(const std::string& address, const Deadline& deadline) override {
        asked.push_back(address);
        given_ms = deadline.remainingMs();
        return answer;
    }
};

NetRoute defaultVia(const std::string& gateway, int family = AF_INET, unsigned metric = 100) {
    NetRoute r;
    r.family = family;
    r.destination = "default";
    r.gateway = gateway;
    r.ifindex = 2;
    r.ifname = "eth0";
    r.metric = metric;
    r.table = 254;
    return r;
}

NetNeighbour neighbour(const std::string& address, const std::string& state) {
    NetNeighbour n;
    n.family = address.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    n.address = address;
    n.ifindex = 2;
    n.ifname = "eth0";
    n.state = state;
    return n;
}

NetSnapshot snapshot(std::vector<NetRoute> routes, std::vector<NetNeighbour> neighbours = {}) {
    NetSnapshot s;
    s.ok = true;
    s.routes = std::move(routes);
    s.neighbours = std::move(neighbours);
    return s;
}

EchoResult echoing(Outcome outcome, double rtt_ms = 0) {
    EchoResult e;
    e.outcome = outcome;
    e.rtt_ms = rtt_ms;
    return e;
}

// One gateway probe over a first snapshot, with a fake pinger and a fake inspector
// that serves `after_echo` when asked again.
struct GatewayCheck {
    FakeInspector inspector;
    FakePinger pinger;
    Millis echo_timeout = kGatewayEchoTimeout;

    ProbeResult run(const NetSnapshot& first, Millis deadline = Millis(3000)) {
        if (inspector.snapshots.empty())
            inspector.snapshots.push_back(first);
        return GatewayProbe(first, inspector, pinger, echo_timeout).run(Deadline::in(deadline));
    }
    void echoAnswers(Outcome outcome, double rtt_ms = 0) {
        pinger.answer = echoing(outcome, rtt_ms);
    }
    void afterEcho(const NetSnapshot& s) { inspector.snapshots = {s}; }
};

const std::string gw = "192.168.1.1";

}  // namespace

TEST_CASE("the gateway probe fails with no_default_route when there is none", "[gateway]") {
    // Only the local subnet is routed: nothing beyond it can be reached.
    NetRoute subnet = defaultVia("");
    subnet.destination = "192.168.1.0/24";
    GatewayCheck g;
    auto r = g.run(snapshot({subnet}));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::no_default_route});
}

TEST_CASE("the gateway probe passes on a reachable neighbour entry without sending anything",
          "[gateway]") {
    // The kernel talked to the gateway moments ago: no traffic needed.
    GatewayCheck g;
    auto r = g.run(snapshot({defaultVia(gw)}, {neighbour(gw, "reachable")}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "neighbour_table");
    CHECK(g.pinger.asked.empty());
}

TEST_CASE("the gateway probe trusts the neighbour states that confirm the gateway",
          "[gateway]") {
    // reachable: confirmed lately; permanent/noarp: configured by hand.
    auto state = GENERATE("reachable", "permanent", "noarp");
    GatewayCheck g;
    auto r = g.run(snapshot({defaultVia(gw)}, {neighbour(gw, state)}));
    CHECK(r.status == Status::pass);
    CHECK(g.pinger.asked.empty());
}

TEST_CASE("the gateway probe echoes when the neighbour entry only holds an old address",
          "[gateway]") {
    // stale/delay/probe: the gateway answered once; it may have been silent since.
    auto state = GENERATE("stale", "delay", "probe");
    GatewayCheck g;
    g.echoAnswers(Outcome::reply, 0.8);
    auto r = g.run(snapshot({defaultVia(gw)}, {neighbour(gw, state)}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "icmp_echo");
    CHECK(g.pinger.asked == std::vector<std::string>{gw});
}

TEST_CASE("the gateway probe warns gateway_silent when neither ICMP nor ARP confirms it",
          "[gateway]") {
    // No echo reply, and the kernel still only holds the address it learnt before.
    auto state = GENERATE("stale", "delay", "probe");
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    g.afterEcho(snapshot({defaultVia(gw)}, {neighbour(gw, state)}));
    auto r = g.run(snapshot({defaultVia(gw)}, {neighbour(gw, "stale")}));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector{Problem::gateway_silent});
    CHECK(r.evidence["method"] == "neighbour_after_echo");
    CHECK(r.evidence["gateways"][0]["verdict"] == "silent");
}

TEST_CASE("the gateway probe fails with gateway_unreachable on a failed neighbour entry",
          "[gateway]") {
    // The kernel already asked for the gateway's link address and got no answer.
    GatewayCheck g;
    auto r = g.run(snapshot({defaultVia(gw)}, {neighbour(gw, "failed")}));
    CHECK(r.problems == std::vector{Problem::gateway_unreachable});
    CHECK(r.evidence["method"] == "neighbour_table");
    CHECK(g.pinger.asked.empty());
}

TEST_CASE("the gateway probe passes on an echo reply when the neighbour table knows nothing",
          "[gateway]") {
    // Nothing talked to the gateway lately; it answers our one echo.
    GatewayCheck g;
    g.echoAnswers(Outcome::reply, 1.5);
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "icmp_echo");
    CHECK(r.evidence["gateways"][0]["steps"][1]["rtt_ms"] == 1.5);
}

TEST_CASE("the gateway probe echoes when the neighbour entry is incomplete", "[gateway]") {
    // The kernel is asking for the gateway's link address right now: not decided yet.
    GatewayCheck g;
    g.echoAnswers(Outcome::reply, 0.4);
    auto r = g.run(snapshot({defaultVia(gw)}, {neighbour(gw, "incomplete")}));
    CHECK(r.status == Status::pass);
    CHECK(g.pinger.asked == std::vector<std::string>{gw});
}

TEST_CASE("the gateway probe passes by the neighbour table when the gateway filters ICMP",
          "[gateway]") {
    // No echo reply, but the echo made the kernel resolve the gateway, and it answered.
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    g.afterEcho(snapshot({defaultVia(gw)}, {neighbour(gw, "reachable")}));
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "neighbour_after_echo");
}

TEST_CASE("the gateway probe fails when the neighbour entry is failed after the echo",
          "[gateway]") {
    // Nobody answered ARP for the gateway's address.
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    g.afterEcho(snapshot({defaultVia(gw)}, {neighbour(gw, "failed")}));
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.problems == std::vector{Problem::gateway_unreachable});
    CHECK(r.evidence["method"] == "neighbour_after_echo");
}

TEST_CASE("the gateway probe fails when the neighbour entry is still incomplete after the echo",
          "[gateway]") {
    // A whole echo timeout later, the gateway still has not answered ARP.
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    g.afterEcho(snapshot({defaultVia(gw)}, {neighbour(gw, "incomplete")}));
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.problems == std::vector{Problem::gateway_unreachable});
}

TEST_CASE("the gateway probe warns gateway_unverified when nothing tells either way", "[gateway]") {
    // No reply, and the neighbour table still has no entry (a link without ARP, say).
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector{Problem::gateway_unverified});
    CHECK(g.inspector.calls == 1);
}

TEST_CASE("the gateway probe warns gateway_unverified when ICMP echo is not permitted",
          "[gateway]") {
    // ping_group_range excludes the user: no echo left, so there is nothing to re-read.
    GatewayCheck g;
    g.echoAnswers(Outcome::not_permitted);
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.problems == std::vector{Problem::gateway_unverified});
    CHECK(r.evidence["method"] == "icmp_echo");
    CHECK(g.inspector.calls == 0);
}

TEST_CASE("the gateway probe fails when the echo comes back unreachable", "[gateway]") {
    // The kernel reported the gateway unreachable, and the neighbour table has no entry.
    GatewayCheck g;
    g.echoAnswers(Outcome::unreachable);
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.problems == std::vector{Problem::gateway_unreachable});
    CHECK(r.evidence["method"] == "icmp_echo");
}

TEST_CASE("the gateway probe warns when the neighbour table cannot be read again", "[gateway]") {
    // No reply, and the re-read failed: the evidence keeps the error.
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    NetSnapshot broken;
    broken.error = "reading neighbours: Out of memory";
    g.afterEcho(broken);
    auto r = g.run(snapshot({defaultVia(gw)}));
    CHECK(r.problems == std::vector{Problem::gateway_unverified});
    CHECK(r.evidence["gateways"][0]["steps"][2]["error"] == "reading neighbours: Out of memory");
}

TEST_CASE("the gateway probe passes an on-link default route without a gateway", "[gateway]") {
    // A point-to-point link (a mobile modem): there is no gateway to check.
    GatewayCheck g;
    auto r = g.run(snapshot({defaultVia("")}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["method"] == "on_link_route");
}

TEST_CASE("the gateway probe checks an IPv6 default gateway", "[gateway]") {
    // An IPv6-only network whose router is known to the neighbour table.
    GatewayCheck g;
    auto r = g.run(
        snapshot({defaultVia("2001:db8::1", AF_INET6)}, {neighbour("2001:db8::1", "reachable")}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["gateways"][0]["family"] == "ipv6");
}

TEST_CASE("the gateway probe echoes a link-local IPv6 gateway through its interface", "[gateway]") {
    // Routers advertise fe80:: gateways, which mean nothing without the interface.
    GatewayCheck g;
    g.echoAnswers(Outcome::reply, 0.3);
    g.run(snapshot({defaultVia("fe80::1", AF_INET6)}));
    CHECK(g.pinger.asked == std::vector<std::string>{"fe80::1%eth0"});
}

TEST_CASE("the gateway probe checks IPv4 first and stops at the first gateway that answers",
          "[gateway]") {
    // Dual stack: the IPv4 router answers, so the IPv6 one costs nothing.
    GatewayCheck g;
    g.echoAnswers(Outcome::reply, 0.3);
    auto r = g.run(snapshot({defaultVia("fe80::1", AF_INET6, 50), defaultVia(gw)}));
    CHECK(g.pinger.asked == std::vector<std::string>{gw});
    CHECK(r.evidence["gateways"][1]["verdict"] == "not_checked");
}

TEST_CASE("the gateway probe passes when a second gateway answers after the first failed",
          "[gateway]") {
    // The IPv4 router is gone, but the IPv6 router is there: a way out exists.
    GatewayCheck g;
    auto r = g.run(snapshot({defaultVia(gw), defaultVia("fe80::1", AF_INET6)},
                            {neighbour(gw, "failed"), neighbour("fe80::1", "reachable")}));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["decided_by"] == "fe80::1");
    CHECK(r.evidence["gateways"][0]["verdict"] == "unreachable");
}

TEST_CASE("the gateway probe gives the echo no more than the echo timeout", "[gateway]") {
    // A long run deadline must not let one echo wait for seconds.
    GatewayCheck g;
    g.echo_timeout = Millis(200);
    g.echoAnswers(Outcome::no_reply);
    g.run(snapshot({defaultVia(gw)}), Millis(5000));
    CHECK(g.pinger.given_ms <= 200);
}

TEST_CASE("the gateway probe keeps part of a short deadline for the re-read", "[gateway]") {
    // The run's deadline is nearer than the echo timeout: the echo stops early.
    GatewayCheck g;
    g.echoAnswers(Outcome::no_reply);
    g.run(snapshot({defaultVia(gw)}), Millis(300));
    CHECK(g.pinger.given_ms <= 300 - kGatewayRereadReserve.count());
}

TEST_CASE("the gateway probe reports deadline_exceeded when no time is left to echo", "[gateway]") {
    // The run's deadline has passed before the probe could send anything.
    GatewayCheck g;
    auto r = g.run(snapshot({defaultVia(gw)}), Millis(0));
    CHECK(r.problems == std::vector{Problem::deadline_exceeded});
    CHECK(g.pinger.asked.empty());
}

TEST_CASE("the gateway probe does not run when the network state cannot be read", "[gateway]") {
    // Netlink failed: not knowing the routes is not having none.
    NetSnapshot unreadable;
    unreadable.error = "reading routes: Permission denied";
    GatewayCheck g;
    auto r = g.run(unreadable);
    CHECK(r.status == Status::not_run);
    CHECK_THAT(r.error, Catch::Contains("reading routes: Permission denied"));
}
