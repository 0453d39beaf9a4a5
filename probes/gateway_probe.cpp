#include "probes/gateway_probe.h"

#include "platform/socket_api.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace dk {

namespace {

const char* familyName(int family) {
    return family == AF_INET6 ? "ipv6" : "ipv4";
}

// The kernel's state for the route's gateway, or "no entry".
std::string neighbourState(const NetSnapshot& snap, const NetRoute& route) {
    for (const auto& n : snap.neighbours) {
        if (n.family == route.family && n.address == route.gateway &&
            (route.ifindex == 0 || n.ifindex == route.ifindex)) {
            return n.state;
        }
    }
    return "no entry";
}

// States in which the kernel has confirmed the gateway lately (or needs no answer:
// permanent, noarp). Not stale, delay or probe: those keep the link address of a
// gateway that answered once, however long it has been silent since.
bool confirmed(const std::string& state) {
    return state == "reachable" || state == "permanent" || state == "noarp";
}

// States in which the kernel still holds a link address it has not confirmed lately:
// after an unanswered echo, the gateway said nothing to it either.
bool unconfirmed(const std::string& state) {
    return state == "stale" || state == "delay" || state == "probe";
}

// States in which the kernel asked for the gateway's link address and got no answer
// (incomplete: still asking, after the echo gave it every chance to answer).
bool didNotAnswer(const std::string& state) {
    return state == "failed" || state == "incomplete";
}

bool isIpv6LinkLocal(const std::string& address) {
    unsigned first = 0;
    auto [end, ec] = std::from_chars(address.data(), address.data() + address.size(), first, 16);
    return ec == std::errc() && end - address.data() == 4 && *end == ':' &&
           (first & 0xffc0) == 0xfe80;
}

// What to echo: a link-local IPv6 gateway only means something with its interface.
std::string echoTarget(const NetRoute& route) {
    if (route.family == AF_INET6 && !route.ifname.empty() && isIpv6LinkLocal(route.gateway)) {
        return route.gateway + "%" + route.ifname;
    }
    return route.gateway;
}

// What the evidence says about every gateway, checked or not.
Json gatewayEvidence(const NetRoute& route) {
    return {{"address", route.gateway},
            {"interface", route.ifname},
            {"family", familyName(route.family)},
            {"metric", route.metric}};
}

const char* outcomeName(EchoResult::Outcome o) {
    switch (o) {
        case EchoResult::Outcome::reply:
            return "reply";
        case EchoResult::Outcome::no_reply:
            return "no_reply";
        case EchoResult::Outcome::unreachable:
            return "unreachable";
        case EchoResult::Outcome::not_permitted:
            return "not_permitted";
        case EchoResult::Outcome::error:
            return "error";
    }
    return "error";
}

}  // namespace

const char* GatewayProbe::verdictName(Verdict v) {
    switch (v) {
        case Verdict::answers:
            return "answers";
        case Verdict::unverified:
            return "unverified";
        case Verdict::silent:
            return "silent";
        case Verdict::unreachable:
            return "unreachable";
        case Verdict::not_checked:
            return "not_checked";
    }
    return "not_checked";
}

GatewayProbe::GatewayProbe(const NetSnapshot& snapshot, NetInspector& inspector, Pinger& pinger,
                           Millis echo_timeout)
    : snapshot_(snapshot), inspector_(inspector), pinger_(pinger), echo_timeout_(echo_timeout) {}

GatewayProbe::Check GatewayProbe::checkGateway(const NetRoute& route, const Deadline& deadline) {
    Check c;
    c.evidence = gatewayEvidence(route);
    Json steps = Json::array();
    auto decide = [&](Verdict v, const char* method) {
        c.verdict = v;
        c.method = method;
        c.evidence["steps"] = steps;
        c.evidence["verdict"] = verdictName(v);
        c.evidence["method"] = method;
        return c;
    };

    std::string before = neighbourState(snapshot_, route);
    steps.push_back({{"step", "neighbour_table"}, {"state", before}});
    if (confirmed(before))
        return decide(Verdict::answers, "neighbour_table");
    if (before == "failed")
        return decide(Verdict::unreachable, "neighbour_table");

    Deadline echo_deadline(
        std::min(deadline.at() - kGatewayRereadReserve, SteadyClock::now() + echo_timeout_));
    if (echo_deadline.expired()) {
        steps.push_back({{"step", "icmp_echo"}, {"skipped", "the deadline came first"}});
        return decide(Verdict::not_checked, "none");
    }
    std::string target = echoTarget(route);
    auto start = SteadyClock::now();
    EchoResult echo = pinger_.echo(target, echo_deadline);
    Json step = {{"step", "icmp_echo"},
                 {"target", target},
                 {"outcome", outcomeName(echo.outcome)},
                 {"waited_ms", msSince(start)}};
    if (echo.outcome == EchoResult::Outcome::reply)
        step["rtt_ms"] = echo.rtt_ms;
    if (!echo.error.empty())
        step["error"] = echo.error;
    steps.push_back(step);
    if (echo.outcome == EchoResult::Outcome::reply)
        return decide(Verdict::answers, "icmp_echo");
    // No echo left the computer, so the neighbour table cannot have learnt anything.
    if (echo.outcome == EchoResult::Outcome::not_permitted)
        return decide(Verdict::unverified, "icmp_echo");

    NetSnapshot again = inspector_.snapshot();
    std::string after = again.ok ? neighbourState(again, route) : "unknown";
    Json reread = {{"step", "neighbour_after_echo"}, {"state", after}};
    if (!again.ok)
        reread["error"] = again.error;
    steps.push_back(reread);
    if (confirmed(after))
        return decide(Verdict::answers, "neighbour_after_echo");
    if (didNotAnswer(after))
        return decide(Verdict::unreachable, "neighbour_after_echo");
    // The kernel said outright that the gateway cannot be reached.
    if (echo.outcome == EchoResult::Outcome::unreachable)
        return decide(Verdict::unreachable, "icmp_echo");
    // An address learnt earlier, and since then neither ARP nor ICMP from it.
    if (echo.outcome == EchoResult::Outcome::no_reply && unconfirmed(after))
        return decide(Verdict::silent, "neighbour_after_echo");
    return decide(Verdict::unverified, "neighbour_after_echo");
}

void GatewayProbe::execute(const Deadline& deadline, ProbeResult& out) {
    if (!snapshot_.ok) {
        out.status = Status::not_run;
        out.error = "cannot read the routing table: " + snapshot_.error;
        return;
    }
    std::vector<NetRoute> defaults;
    Json routes = Json::array();
    for (const auto& r : snapshot_.routes) {
        if (r.destination != "default")
            continue;
        defaults.push_back(r);
        routes.push_back({{"family", familyName(r.family)},
                          {"gateway", r.gateway.empty() ? "none (on-link)" : r.gateway},
                          {"interface", r.ifname},
                          {"metric", r.metric}});
    }
    out.evidence["default_routes"] = routes;
    if (defaults.empty()) {
        out.failWith(Problem::no_default_route, "");
        return;
    }

    // The gateways to check, IPv4 first, then by metric; each one once.
    std::vector<NetRoute> via;
    for (const auto& r : defaults) {
        bool seen = std::any_of(via.begin(), via.end(), [&](const NetRoute& v) {
            return v.family == r.family && v.gateway == r.gateway && v.ifindex == r.ifindex;
        });
        if (!r.gateway.empty() && !seen)
            via.push_back(r);
    }
    if (via.empty()) {
        out.status = Status::pass;
        out.evidence["method"] = "on_link_route";
        out.evidence["note"] =
            "the default route has no gateway (a point-to-point link): there is no gateway to "
            "check";
        return;
    }
    std::stable_sort(via.begin(), via.end(), [](const NetRoute& a, const NetRoute& b) {
        bool a6 = a.family == AF_INET6;
        bool b6 = b.family == AF_INET6;
        return a6 != b6 ? b6 : a.metric < b.metric;
    });

    std::vector<Check> checks;
    bool answered_already = false;
    for (const auto& route : via) {
        if (answered_already) {
            Check skipped;
            skipped.evidence = gatewayEvidence(route);
            skipped.evidence["verdict"] = verdictName(Verdict::not_checked);
            skipped.evidence["reason"] = "another gateway already answered";
            checks.push_back(skipped);
            continue;
        }
        checks.push_back(checkGateway(route, deadline));
        answered_already = checks.back().verdict == Verdict::answers;
    }
    Json gateways = Json::array();
    for (const auto& c : checks) gateways.push_back(c.evidence);
    out.evidence["gateways"] = gateways;

    // The best verdict decides; among equals, the first gateway checked.
    const Check& decider =
        *std::min_element(checks.begin(), checks.end(),
                          [](const Check& a, const Check& b) { return a.verdict < b.verdict; });
    switch (decider.verdict) {
        case Verdict::answers:
            out.status = Status::pass;
            break;
        case Verdict::unverified:
            out.status = Status::warn;
            out.add(Problem::gateway_unverified);
            break;
        case Verdict::silent:
            out.status = Status::warn;
            out.add(Problem::gateway_silent);
            break;
        case Verdict::unreachable:
            out.failWith(Problem::gateway_unreachable, "");
            break;
        case Verdict::not_checked:
            out.failWith(Problem::deadline_exceeded,
                         "the deadline came before any gateway could be checked");
            return;
    }
    out.evidence["method"] = decider.method;
    out.evidence["decided_by"] = decider.evidence["address"];
}

}  // namespace dk
