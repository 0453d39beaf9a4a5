// The runner: turns the configuration into checks, runs them concurrently under
// one deadline, and returns every check with every attempt.
//
// Order and dependencies (the routine's step 1 before steps 2-3):
//   1. One snapshot of the network stack; link and address are judged from it at
//      once. Without link or address nothing remote is attempted: the verdict
//      comes in milliseconds, not after remote timeouts.
//   2. Otherwise the gateway, one DNS check per host and one HTTP/TCP check per
//      system all start together. They share one per-run resolver, so a host is
//      looked up once per run, and nothing is cached between runs.
//   3. A failed remote check is confirmed by one quick re-probe (with a fresh
//      lookup) when the deadline allows; both attempts stay in the report.
//   4. The clock check reads the reference system's Date header.
// No check can hold the run past its deadline: a check still running then is
// reported as `deadline_exceeded` and left to finish on its own thread, which
// owns everything it touches.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "probes/net_state.h"
#include "probes/resolver.h"
#include "probes/result.h"

namespace dk {

// One line of the report: a check, its final judgement, and all its attempts.
struct Check {
    std::string id;      // "link", "gateway", "dns:tes.example.se", "http:tes", "clock"
    std::string kind;    // link | address | gateway | dns_servers | dns | http | tcp | clock
    int step = 1;        // the routine step it belongs to (1-3)
    std::string system;  // system id for system checks, empty otherwise
    std::string target;  // what was probed: host, URL or host:port
    Status status = Status::not_run;
    std::vector<Problem> problems;
    std::string error;
    std::vector<ProbeResult> attempts;

    bool has(Problem p) const;
    // The attempt that decided the outcome (the last one), or nullptr.
    const ProbeResult* last() const { return attempts.empty() ? nullptr : &attempts.back(); }
};

struct RunReport {
    std::string started_at;  // ISO 8601 UTC
    double duration_ms = 0;
    long long deadline_ms = 0;
    bool deadline_hit = false;  // some check was cut off by the deadline
    std::vector<Check> checks;

    const Check* find(const std::string& id) const;
};

// Everything the runner needs from the outside world, so tests can replace it.
struct RunnerDeps {
    std::shared_ptr<NetInspector> net;
    std::shared_ptr<Pinger> pinger;
    std::shared_ptr<Resolver> resolver;  // the system resolver (deadline-bounded)
    // The system's name servers; used when the config does not name any.
    std::function<std::vector<std::string>(std::string* error)> name_servers;
};

// The real thing: netlink, ICMP, getaddrinfo, resolv.conf.
RunnerDeps systemRunnerDeps();

// Runs every check of `cfg` once. Never throws; returns by cfg.deadlines.run
// (plus a few milliseconds to assemble the report).
RunReport runChecks(const config::Config& cfg, const RunnerDeps& deps);

// The host a system's URL or host:port names ("" when not configured).
std::string systemHost(const config::System& s);

}  // namespace dk
