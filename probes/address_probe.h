// Step 1 of the routine: does the computer have a usable IP address (from DHCP)?
#pragma once

#include "probes/net_state.h"
#include "probes/probe.h"

namespace dk {

// Passes when a usable address exists on a non-loopback interface with carrier:
// an IPv4 address outside 169.254.0.0/16 and 127.0.0.0/8, or an IPv6 address of
// global scope whose duplicate address detection has finished (not tentative).
//
// fail link_local_only: only link-local addresses, including an IPv4 169.254.x.x
//                       (the fallback a computer gives itself when DHCP does not
//                       answer).
// fail no_address:      nothing usable and no 169.254.x.x. IPv6 fe80:: addresses
//                       alone lead here too: every interface that is up has one,
//                       so they say nothing about DHCP.
// not_run:              the snapshot could not be read (its error is in `error`).
//
// Evidence: every address with its interface, family, prefix, scope, whether it is
// usable and, when not, why; and the list of usable ones.
class AddressProbe : public Probe {
public:
    explicit AddressProbe(const NetSnapshot& snapshot);

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    NetSnapshot snapshot_;
};

}  // namespace dk
