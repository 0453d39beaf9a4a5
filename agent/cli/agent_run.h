// Performing a check job (check_job.h): the probes, the diagnosis, the advice,
// the incident, the report and the fleet metrics — all of `performCheck`, for the
// agent. `driftkoll agent-run` does it in the child process the agent starts for
// each run; inProcessCheck() does it in the caller (the tests, with stand-ins for
// the network).
#pragma once

#include <istream>
#include <ostream>

#include "agent/check/check_job.h"
#include "agent/gather/runner.h"

namespace dk {

// Never throws: a failure comes back as CheckDone::error (a configuration text
// that does not load included).
CheckDone runCheckJob(const CheckJob& job, const RunnerDeps& deps);

// Loads the configuration at `path` ("" = the user's or system's file, else the
// built-in profile) as the agent holds it. A ConfigFn. Never throws.
ConfigLoad loadAgentConfig(const std::string& path);

// A CheckFn that runs each job here. Members of `deps` left empty come from
// systemRunnerDeps(), made now (so in this thread's network namespace).
CheckFn inProcessCheck(RunnerDeps deps = {});

// `driftkoll agent-run`: reads one job (JSON) from `in`, performs it with this
// computer's network, and writes the report (JSON, one line) to `out`. Exit code
// 0 when a report was written, 2 for a job that cannot be read (`err` says why),
// 1 when the check itself failed.
int agentRunCommand(std::istream& in, std::ostream& out, std::ostream& err);

// `driftkoll agent-config [--config FILE]`: loads the configuration and writes
// the result (configLoadToJson) to `out`, errors included. Exit code 0 when it
// loaded, 1 when it has errors.
int agentConfigCommand(const std::string& path, std::ostream& out);

}  // namespace dk
