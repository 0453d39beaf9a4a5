// Is this computer's clock right? A clock that is minutes off breaks TLS (the
// certificate looks not yet valid or expired) and logins. The probe compares the
// Date header of one HTTP answer from this run (the reference system's) with the
// local wall-clock time when that answer's headers arrived. It sends nothing
// itself.
//
// Evidence: system, date_header, server_time, local_time (ISO 8601 UTC),
// skew_seconds (server − local: positive when the local clock is behind),
// warn_seconds, fail_seconds.
// Problems: clock_skew (warn above `warn`, fail above `fail`); clock_no_reference
// (not_run: no reference answer, or no usable Date header in it).
#pragma once

#include <chrono>
#include <string>

#include "probe.h"

namespace dk {

class ClockProbe final : public Probe {
public:
    // `reference_http_attempt` is an HttpProbe result; what the check needs is
    // copied from it.
    ClockProbe(const ProbeResult& reference_http_attempt, std::chrono::seconds warn,
               std::chrono::seconds fail);

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    std::string system_;
    std::string date_header_;
    long long received_unix_ms_ = 0;
    std::chrono::seconds warn_;
    std::chrono::seconds fail_;
};

}  // namespace dk
