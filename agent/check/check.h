// One whole check, as `driftkoll check` (and later the agent) performs it: the
// probes, the maintenance schedule, the diagnosis, the incident that ties runs
// together, and the advice for this moment.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/decide/advice.h"
#include "agent/decide/diagnosis.h"
#include "agent/os/files.h"  // defaultCacheDir()
#include "agent/check/incident_store.h"
#include "agent/decide/local_time.h"
#include "agent/check/maintenance_feed.h"
#include "agent/gather/runner.h"
#include "agent/decide/texts.h"
#include "config/model.h"

namespace dk {

// Facts about the run that are not checks.
struct RunContext {
    LocalTime now;         // the moment the advice is for (real, or --at)
    bool pretend = false;  // `now` came from --at
    std::string hostname;
    std::string boot_id;
};

struct CheckRequest {
    std::optional<LocalTime> at;  // pretend it is then (--at); the probes still run now
    Answers answers;              // the user's answers to the manual steps (--answer)
    Lang lang = Lang::sv;
    std::string state_path;  // the incident file; "" = IncidentStore::defaultPath()
    bool record = true;      // write the incident back (a --at run only reads it)
    std::string cache_dir;   // the maintenance feed's last good copy; "" = default
    std::string boot_id;     // "" = this computer's boot id
};

// Everything one check produced.
struct Outcome {
    RunReport run;
    Diagnosis diagnosis;
    Advice advice;
    RunContext context;
    MaintenanceSchedule maintenance;
    std::optional<Incident> incident;   // the open incident after this run, if any
    Answers answers;                    // the answers in force for this run
    std::vector<std::string> warnings;  // state or feed problems, for the report
};

// Fetches an http(s) maintenance feed through the HTTP probe (so the same rules
// hold: no curl name lookups, the deadline, the CA file, the proxy).
FeedFetcher makeFeedFetcher(const config::Config& cfg, Resolver& resolver, std::size_t max_bytes);

// Never throws. The incident store is read and written; nothing else is.
Outcome performCheck(const config::Config& cfg, const RunnerDeps& deps, const CheckRequest& req);

}  // namespace dk
