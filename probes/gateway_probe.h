// Step 1 of the routine: is there a default route, and does its gateway answer?
#pragma once

#include "probes/deadline.h"
#include "probes/net_state.h"
#include "probes/probe.h"

namespace dk {

// How long the ICMP echo to a gateway waits for its reply.
inline constexpr Millis kGatewayEchoTimeout{1000};
// The part of the deadline kept back, when echoing, for reading the neighbour
// table again afterwards.
inline constexpr Millis kGatewayRereadReserve{50};

// Looks at the default routes (IPv4 and IPv6) and checks their gateways, IPv4
// first, lowest metric first, until one answers. For each gateway:
//   1. the neighbour table, which costs no traffic: reachable (confirmed within the
//      last half minute or so), permanent or noarp means it answers (method
//      "neighbour_table"); failed means it did not. Stale, delay and probe only
//      keep an address learnt earlier, so they are checked like the rest;
//   2. otherwise one ICMP echo through the Pinger; a reply decides (method
//      "icmp_echo", with the round trip time);
//   3. no reply: the neighbour table once more, since the echo made the kernel
//      use or resolve the gateway's link address. Reachable now means the gateway
//      is there but filters ICMP (method "neighbour_after_echo"); failed or
//      incomplete means nobody answered for its address; stale, delay or probe
//      means the gateway has said nothing lately, to ARP or to ICMP.
//
// pass:                     a gateway answered; or there is no gateway to check
//                           because the default route is on-link (a point-to-point
//                           link; method "on_link_route", noted in the evidence).
// fail no_default_route:    no default route.
// fail gateway_unreachable: no gateway answered and one was shown not to (neighbour
//                           failed/incomplete, or an ICMP "unreachable").
// warn gateway_silent:      no echo reply, and the neighbour entry only holds an
//                           address from before (stale, delay, probe). A gateway
//                           that filters ICMP looks the same for a few seconds;
//                           the diagnosis counts it only when nothing beyond the
//                           gateway answers either.
// warn gateway_unverified:  neither the neighbour table nor the echo could tell (the
//                           echo was not permitted, or saw nothing while the table
//                           stayed silent).
// fail deadline_exceeded:   the deadline came before any gateway could be checked.
// not_run:                  the snapshot could not be read (its error is in `error`).
//
// Evidence: the default routes, each gateway with every step it went through and
// what that step saw, the method that decided, and the gateway that decided it.
class GatewayProbe : public Probe {
public:
    // `snapshot` is the state to start from; `inspector` is asked again after an
    // echo; `pinger` sends the echo. Both must outlive the probe.
    GatewayProbe(const NetSnapshot& snapshot, NetInspector& inspector, Pinger& pinger,
                 Millis echo_timeout = kGatewayEchoTimeout);

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    // Per gateway, best first: the best verdict among the gateways decides the result.
    enum class Verdict { answers, unverified, silent, unreachable, not_checked };
    static const char* verdictName(Verdict v);
    struct Check {
        Verdict verdict = Verdict::not_checked;
        std::string method;
        Json evidence;
    };
    Check checkGateway(const NetRoute& route, const Deadline& deadline);

    NetSnapshot snapshot_;
    NetInspector& inspector_;
    Pinger& pinger_;
    Millis echo_timeout_;
};

}  // namespace dk
