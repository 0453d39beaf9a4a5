// The agent's work in child processes: each check, each load of the
// configuration and each diagnostic bundle
// is done by the full `driftkoll` program started for it, so that the resident
// agent never loads the network stack's libraries (libcurl, OpenSSL, c-ares,
// libical) and stays small between runs. A child that hangs is killed when its
// time is up; one that crashes or says nothing usable is a failed run, logged
// with what it wrote to stderr — never a made-up report.
#pragma once

#include <chrono>
#include <string>

#include "agent/resident/agent_core.h"
#include "agent/check/check_job.h"
#include "agent/decide/texts.h"

namespace dk {

// Time a check child gets beyond its configuration's run deadline: process start,
// the maintenance feed, writing the incident and the metrics.
inline constexpr std::chrono::milliseconds kCheckChildMargin{30000};

// Runs each job as `<program> agent-run`, the job as JSON on its standard input
// and its report read from its standard output. A child still running `margin`
// past the configuration's run deadline is killed.
CheckFn childProcessCheck(std::string program,
                          std::chrono::milliseconds margin = kCheckChildMargin);

// Loads each configuration as `<program> agent-config [--config FILE]`. A child
// that fails is a load with one error saying so: the configuration in force stays.
ConfigFn childProcessConfig(std::string program);

// Writes the diagnostic bundle into `out_dir` as `<program> export --json`, with
// the configuration file `config_path` ("" = the user's or built-in one).
AgentCore::Bundle childProcessExport(const std::string& program, const std::string& config_path,
                                     const std::string& out_dir, Lang lang);

}  // namespace dk
