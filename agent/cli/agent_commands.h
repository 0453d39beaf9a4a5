// The commands around the background agent: `driftkoll agent` (the daemon with
// its history, metrics, local API and bundle wired in), and the commands for
// people and IT that read from it — `status`, `history`, `export`.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "agent/decide/texts.h"
#include "config/model.h"

namespace dk {

struct AgentCommandOptions {
    std::string config;  // --config FILE; "" = the user's or system file, else built-in
    Lang lang = Lang::sv;
    bool json = false;
    bool allow_root = false;  // hidden: only the tests run the agent as root
    int limit = 20;           // history
    std::string out;          // export: a file or a directory
};

// The configuration a command uses: --config FILE, else the user's or the system's
// file, else the built-in profile. Errors (file:line:col) and warnings go to `err`.
std::optional<config::Config> loadConfigOrReport(const std::string& path, std::ostream& err);

int agentCommand(const AgentCommandOptions& o, std::ostream& out, std::ostream& err);
int statusCommand(const AgentCommandOptions& o, std::ostream& out, std::ostream& err);
int historyCommand(const AgentCommandOptions& o, std::ostream& out, std::ostream& err);
int exportCommand(const AgentCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace dk
