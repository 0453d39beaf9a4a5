// The agent's log: size-bounded rotating files for IT, and the systemd journal
// where there is one. Logging must never stop the agent: every sink is wrapped so
// that a failure (a full disk, a journal that went away) is counted and reported
// on stderr at most once a minute, and never thrown at the caller. A sink that
// could not be set up is tried again on a later message, so logging resumes by
// itself once there is room again.
//
// Nothing here starts a thread or a timer: every message is flushed as it is
// written (the agent logs a few lines per run).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace dk {

struct LogOptions {
    std::string dir;                       // <dir>/driftkoll.log and its rotations; "" = no files
    std::size_t max_file_bytes = 1 << 20;  // a file is rotated at this size
    std::size_t max_rotated = 2;           // rotated files kept: 3 files, 3 MiB at most
    bool journal = true;                   // also the systemd journal, when its socket exists
    bool console = false;                  // also stderr (running in a terminal)
};

// Counts failed writes of the log sinks and reports them on stderr, at most once
// per `interval`, with the number of failures since the last report.
class SinkFailures {
public:
    explicit SinkFailures(std::chrono::seconds interval = std::chrono::seconds(60))
        : interval_(interval) {}

    void report(std::string_view sink, std::string_view what) noexcept;
    std::uint64_t count() const noexcept { return count_.load(); }

private:
    std::chrono::seconds interval_;
    std::atomic<std::uint64_t> count_{0};
    std::mutex mu_;
    std::chrono::steady_clock::time_point next_report_{};
    std::uint64_t reported_ = 0;  // count_ at the last report
};

struct AgentLog {
    std::shared_ptr<spdlog::logger> logger;  // not registered with spdlog's global registry
    std::shared_ptr<SinkFailures> failures;
};

// Never throws. Sinks that cannot be set up now are counted as failures and
// tried again later (at most once a minute).
AgentLog makeAgentLog(const LogOptions& options);

// $XDG_STATE_HOME/driftkoll/log (default ~/.local/state/driftkoll/log).
std::string defaultLogDir();

// Whether the systemd journal accepts messages here (its socket exists).
bool journalAvailable();

}  // namespace dk
