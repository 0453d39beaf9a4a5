// The base of every probe: a non-virtual entry point that stamps, times and
// guards the run, and one protected hook that the concrete probe writes.
#pragma once

#include <string>
#include <string_view>

#include "deadline.h"
#include "result.h"

namespace dk {

class Probe {
public:
    virtual ~Probe() = default;

    // Runs the probe once. MUST NOT throw and MUST return by the deadline (give or
    // take a few milliseconds of cleanup). An exception from the hook becomes a
    // `fail` with `internal_error`; a hook that leaves the status unset while the
    // deadline has passed becomes `deadline_exceeded`.
    ProbeResult run(const Deadline& deadline) noexcept;

protected:
    // The probe's own work. Fill in `out` (status, problems, error, evidence, timings).
    virtual void execute(const Deadline& deadline, ProbeResult& out) = 0;
};

// Current wall-clock time as ISO 8601 UTC with milliseconds: 2026-11-25T12:00:00.123Z
std::string nowIsoUtc();

}  // namespace dk
