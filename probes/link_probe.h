// Step 1 of the routine, "check cables and connections": is there a link?
#pragma once

#include "probes/net_state.h"
#include "probes/probe.h"

namespace dk {

// Passes when a network interface is switched on (admin up) and has carrier.
// Loopback is ignored. Physical NICs are preferred: when the computer has one,
// only physical interfaces count, so an up virtual bridge or VPN tunnel does
// not hide an unplugged cable. Without any physical interface (a container, a
// network namespace) every non-loopback interface counts.
//
// fail no_interfaces: no interface other than loopback exists.
// fail no_carrier:    none of the interfaces that count is up with carrier.
// not_run:            the snapshot could not be read (its error is in `error`):
//                     nothing is known about the link, which is not a failed link.
//
// Evidence: every interface (name, kind, physical, wireless, admin_up, carrier,
// operstate), which ones were considered and why, and which of those have link.
class LinkProbe : public Probe {
public:
    explicit LinkProbe(const NetSnapshot& snapshot);

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    NetSnapshot snapshot_;
};

}  // namespace dk
