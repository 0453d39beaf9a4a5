#include "probe.h"

#include <chrono>
#include <ctime>
#include <exception>

namespace dk {

std::string nowIsoUtc() {
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t t = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03lldZ", buf, static_cast<long long>(ms));
    return out;
}

ProbeResult Probe::run(const Deadline& deadline) noexcept {
    ProbeResult out;
    try {
        out.started_at = nowIsoUtc();
    } catch (...) {
    }
    auto start = SteadyClock::now();
    try {
        execute(deadline, out);
    } catch (const std::exception& e) {
        out.status = Status::fail;
        out.add(Problem::internal_error);
        out.error = std::string("unexpected exception: ") + e.what();
    } catch (...) {
        out.status = Status::fail;
        out.add(Problem::internal_error);
        out.error = "unexpected exception";
    }
    out.duration_ms = msSince(start);
    if (out.status == Status::not_run && out.problems.empty() && deadline.expired()) {
        out.status = Status::fail;
        out.add(Problem::deadline_exceeded);
    }
    return out;
}

}  // namespace dk
