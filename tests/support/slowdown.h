// How much slower than an idle machine with an ordinary build a test run may be.
//
// Tests that set a time against the product's own timing — a server's delay
// between a system's `slow` threshold and its `timeout`, a threshold that a
// healthy answer must stay under, a margin for a process to start — multiply it
// by `slowdown()`. The sanitizer builds set DK_TEST_SLOWDOWN (scripts/sanitize.sh),
// and anyone running the tests on a slow or busy machine can raise it. Times
// that stand for the network itself (a retransmission after a lost packet, an
// ICMP answer) are not scaled: they do not depend on the machine's speed.
#pragma once

#include <chrono>
#include <cstdlib>
#include <string>

namespace dk::test {

// DK_TEST_SLOWDOWN as a factor of at least 1 (1 when unset or not a number).
inline double slowdown() {
    static const double factor = [] {
        const char* v = std::getenv("DK_TEST_SLOWDOWN");
        if (v == nullptr)
            return 1.0;
        char* end = nullptr;
        const double f = std::strtod(v, &end);
        return end != v && f >= 1.0 ? f : 1.0;
    }();
    return factor;
}

// `d` stretched by slowdown(), to whole milliseconds.
inline std::chrono::milliseconds scaled(std::chrono::milliseconds d) {
    return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(d.count()) *
                                                            slowdown()));
}

// A duration as the configuration writes it ("1400ms").
inline std::string tomlMs(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + "ms";
}

}  // namespace dk::test
