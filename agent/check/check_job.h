// One check as the agent asks for it, and what came of it; and the configuration
// as the agent holds it. The agent's worker hands each run to a CheckFn and each
// (re)load of the configuration to a ConfigFn. In the installed agent both are
// child processes of the full `driftkoll` program (`agent-run`, `agent-config`;
// child_check.h), so that the resident process never loads the libraries of the
// network stack; the tests do both in-process (agent_run.h). Either way the same
// code loads the configuration, performs the check and builds the report.
//
// A job carries the configuration's text: the check uses the configuration in
// force in the agent, even when the file has since been changed into one that
// does not load.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/decide/incident.h"
#include "agent/decide/texts.h"
#include "config/model.h"
#include "probes/result.h"

namespace dk {

// What the agent itself needs of a configuration that loaded.
struct AgentConfig {
    std::string file;     // the file it came from; "" = the built-in profile
    std::string source;   // config::Config::source: the file, or the built-in profile's name
    std::string profile;  // its profile name
    std::string text;     // its TOML text, handed to every run
    config::AgentSettings agent;
    std::chrono::milliseconds run_deadline{0};  // [deadlines] run: how long a check may take

    bool operator==(const AgentConfig&) const = default;
};

struct ConfigLoad {
    std::optional<AgentConfig> config;  // set when it loaded without errors
    std::vector<std::string> errors;    // "file:line:col: ..." as config::ConfigError::format
    std::vector<std::string> warnings;
};

// Loads the configuration named by `path`: a file, or "" for the user's or the
// system's file and else the built-in profile (config::findUserConfig).
using ConfigFn = std::function<ConfigLoad(const std::string& path)>;

struct CheckJob {
    AgentConfig config;  // the configuration in force
    Answers answers;     // the user's answers for the current incident
    Lang lang = Lang::sv;
    std::string state_path;  // the incident file
    std::string cache_dir;   // the maintenance feed's last good copy; "" = default
    // The fleet metrics textfile (metrics.h), written after the check; "" = none.
    std::string metrics_path;
    std::string metrics_site, metrics_host;
};

struct CheckDone {
    std::optional<Json> report;  // the report (report.h); nullopt when the check failed
    std::string error;           // why it failed
    std::string log;             // what the check said on its way (stderr), if anything
};

using CheckFn = std::function<CheckDone(const CheckJob&)>;

// f()'s CheckDone; what f throws becomes a failed run that says so.
template <class F>
CheckDone guardedRun(F&& f) {
    try {
        return f();
    } catch (const std::exception& e) {
        CheckDone failed;
        failed.error = e.what();
        return failed;
    } catch (...) {
        CheckDone failed;
        failed.error = "unknown error";
        return failed;
    }
}

// The job as the child reads it, and back; nullopt and `*err` when the JSON is
// not a job. The configuration's text is loaded by whoever performs the job.
Json jobToJson(const CheckJob& job);
std::optional<CheckJob> jobFromJson(const Json& j, std::string* err);

// A configuration load as `driftkoll agent-config` writes it, and back.
Json configLoadToJson(const ConfigLoad& load);
std::optional<ConfigLoad> configLoadFromJson(const Json& j, std::string* err);

}  // namespace dk
