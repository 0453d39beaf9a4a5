// The diagnosis: from the checks of one run to where the fault is
// (`diagnosis.domain` in the report contract, BRIEF.md).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/decide/incident.h"
#include "agent/decide/maintenance.h"
#include "agent/gather/runner.h"
#include "config/model.h"

namespace dk {

// Where the fault is. The names are the stable identifiers of the contract.
enum class Domain {
    all_ok,               // every configured check passed
    no_link,              // no network link (cable out, Wi-Fi off)
    no_address,           // link up but no usable IP address (DHCP failed, 169.254.x.x)
    no_gateway,           // no default route, or the gateway does not answer
    dns,                  // name resolution fails while IP connectivity works
    network_down,         // link and gateway fine, but every internal and outside target fails
    internal_network,     // internal systems all fail, outside sites work
    internet,             // outside sites fail, internal systems work
    service_down,         // one or more systems do not work while others and the network do
    service_degraded,     // a system works, but slowly or only sometimes
    planned_maintenance,  // the failing system is inside an announced maintenance window
    clock_skew,           // the clock is off enough to break TLS and logins
    this_computer,        // this computer fails where others succeed
    account,              // the system is up, but the login is refused
};

std::string_view to_string(Domain d);

// How one configured system fared in this run.
enum class SystemState {
    ok,              // its check passed
    degraded,        // it works, slowly or only sometimes
    down,            // it does not work (no answer, refused, TLS failure, 5xx, ...)
    name_failed,     // it does not work because its name does not resolve
    not_configured,  // no endpoint set: not checked
    not_checked,     // not attempted (a prerequisite failed)
};

std::string_view to_string(SystemState s);

struct SystemVerdict {
    std::string id;
    config::Role role = config::Role::business;
    SystemState state = SystemState::not_checked;
    std::vector<Problem> problems;
};

struct Diagnosis {
    Domain domain = Domain::all_ok;
    std::vector<std::string> systems;  // the systems the domain is about
    // For planned_maintenance: the windows the failing systems are in, and when the
    // last of them ends.
    std::vector<MaintenanceWindow> windows;
    std::optional<std::chrono::sys_seconds> maintenance_until;
    std::vector<SystemVerdict> per_system;  // every configured system, in config order
    std::vector<std::string> unconfigured;  // systems without an endpoint
    std::vector<std::string> notes;         // short machine-readable facts behind the verdict
};

// Pure: the same checks and configuration always give the same diagnosis.
Diagnosis diagnose(const RunReport& report, const config::Config& cfg);

// A failing system inside an announced maintenance window is planned, not an
// outage: when every failing system is in a window at `now`, the domain becomes
// planned_maintenance (until the last window ends). Outside sites never are.
void applyMaintenance(Diagnosis& d, const MaintenanceSchedule& schedule,
                      std::chrono::sys_seconds now);

// The user's answers to the manual steps (2 and 4) where the checks cannot see:
// - login refused while the primary system answers: account;
// - it works for a colleague on this computer: account (the computer and the
//   system are fine, the login is not);
// - it works on another computer, or the page does not load here while the
//   checks reach it: this_computer.
// Faults of this computer's own network (no_link, no_address, no_gateway) stay.
void applyAnswers(Diagnosis& d, const Answers& answers);

}  // namespace dk
