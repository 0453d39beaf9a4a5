// The probe for one configured system: HTTP(S) for a URL, TCP for host:port.
#pragma once

#include <memory>

#include "config/model.h"
#include "probes/probe.h"
#include "probes/resolver.h"

namespace dk {

// `system` must be configured (System::configured()). `resolver` must outlive the probe.
std::unique_ptr<Probe> makeSystemProbe(const config::System& system, const config::Config& cfg,
                                       Resolver& resolver);

}  // namespace dk
