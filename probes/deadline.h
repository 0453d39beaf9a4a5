// A point in time that a piece of work must finish by. Every blocking wait in
// a probe is bounded by the deadline it was given.
#pragma once

#include <algorithm>
#include <chrono>

namespace dk {

using SteadyClock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

class Deadline {
public:
    explicit Deadline(SteadyClock::time_point at) : at_(at) {}
    static Deadline in(Millis d) { return Deadline(SteadyClock::now() + d); }

    SteadyClock::time_point at() const { return at_; }
    bool expired() const { return SteadyClock::now() >= at_; }

    // Milliseconds left, never negative.
    long long remainingMs() const {
        auto left = std::chrono::duration_cast<Millis>(at_ - SteadyClock::now()).count();
        return std::max<long long>(0, left);
    }

    // The earlier of this deadline and now + d: a per-probe timeout inside the run's deadline.
    Deadline capped(Millis d) const { return Deadline(std::min(at_, SteadyClock::now() + d)); }

private:
    SteadyClock::time_point at_;
};

// Milliseconds elapsed since `start`, as a double with sub-millisecond precision.
inline double msSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

}  // namespace dk
