// What the local API asks of the running agent. The daemon implements it; the
// API server (api_server.h) only translates HTTP to these calls, so it can be
// tested against a small stand-in and can never make the agent probe anything
// but its configured checks.
//
// Every method is called from the API server's worker threads: implementations
// MUST be thread-safe, and MUST NOT block longer than the waits they are given.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "agent/decide/incident.h"
#include "probes/result.h"

namespace dk {

class AgentCore {
public:
    virtual ~AgentCore() = default;

    // The JSON report of the last finished run (reportJson), or nullopt before the first.
    virtual std::optional<Json> lastReport() = 0;

    // Asks for a run (joining one already asked for or running: a burst of requests is
    // one run) and waits up to `wait` for a run that started after this call to finish.
    // Returns its report, or nullopt when the wait ran out (the run goes on).
    virtual std::optional<Json> runNow(std::chrono::milliseconds wait) = 0;

    // The newest `limit` runs from the history, newest first: a JSON array of
    // {"at", "domain", "action", "case_code", "duration_ms"} summaries, or with
    // `full` the whole reports.
    virtual Json history(int limit, bool full) = 0;

    // Records the user's answers to the manual steps for the current incident and
    // asks for a run so that the verdict follows at once. Returns an error text
    // (Swedish / English) when the answers cannot be taken.
    virtual std::optional<std::string> setAnswers(const Answers& answers) = 0;

    // Increases by one each time a run finishes. waitForChange() blocks until the
    // generation is above `seen` or `timeout` passes, and returns the generation then.
    virtual std::uint64_t generation() = 0;
    virtual std::uint64_t waitForChange(std::uint64_t seen, std::chrono::milliseconds timeout) = 0;

    // Makes every runNow() and waitForChange() in progress, and any later one, return
    // at once: the API server is stopping. Waits then cost nothing while they last —
    // no polling in slices.
    virtual void cancelWaits() = 0;

    // Writes the diagnostic bundle for IT and returns its path, or an error text.
    struct Bundle {
        std::string path;
        std::string error;
    };
    virtual Bundle exportBundle() = 0;
};

}  // namespace dk
