#include "agent/gather/runner.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "agent/gather/system_probe.h"
#include "probes/address_probe.h"
#include "probes/clock_probe.h"
#include "probes/dns_probe.h"
#include "probes/gateway_probe.h"
#include "probes/link_probe.h"

namespace dk {

namespace {

using config::Config;
using config::Role;
using config::System;

// How long past the deadline the runner waits for checks to hand in their results
// before it reports them as cut off. Probes honour the deadline themselves; this
// only covers the time they need to return.
constexpr Millis kHandInGrace{150};
// A confirmation re-probe is only worth starting with at least this much time left.
constexpr Millis kMinConfirmTime{250};

int stepFor(Role r) {
    return r == Role::primary ? 2 : 3;
}

// A check not yet run: what it is about, before any attempt.
Check newCheck(std::string id, std::string kind, int step, std::string system = {},
               std::string target = {}) {
    Check c;
    c.id = std::move(id);
    c.kind = std::move(kind);
    c.step = step;
    c.system = std::move(system);
    c.target = std::move(target);
    return c;
}

// "http" for a URL, "tcp" for host:port.
std::string kindOf(const System& s) {
    return s.url.empty() && !s.host.empty() ? "tcp" : "http";
}

// Folds the attempts of one check into its final judgement.
void judge(Check& c) {
    if (c.attempts.empty())
        return;
    const auto& first = c.attempts.front();
    const auto& last = c.attempts.back();
    c.problems.clear();
    if (c.attempts.size() > 1 && first.status == Status::fail && last.status != Status::fail) {
        // Failed once, then worked: believe neither fully — it works only sometimes.
        c.status = Status::warn;
        c.problems.push_back(Problem::intermittent);
        for (auto p : first.problems)
            if (std::find(c.problems.begin(), c.problems.end(), p) == c.problems.end())
                c.problems.push_back(p);
        c.error = first.error;
        return;
    }
    c.status = last.status;
    for (const auto& a : c.attempts) {
        if (a.status != last.status)
            continue;
        for (auto p : a.problems)
            if (std::find(c.problems.begin(), c.problems.end(), p) == c.problems.end())
                c.problems.push_back(p);
    }
    c.error = last.error;
}

// Runs a probe, and once more if it failed and the deadline leaves room.
// `make(first)` builds the probe for the first attempt (first = true) or the
// confirmation attempt (first = false). A failure that came as an answer (a
// refusal, an error reply: ProbeResult::definite) is confirmed at once; only one
// that came as silence waits `confirm_delay` first.
void runConfirmed(Check& c, const std::function<std::unique_ptr<Probe>(bool first)>& make,
                  const Deadline& deadline, const config::Deadlines& d, Millis per_probe) {
    c.attempts.push_back(make(true)->run(deadline.capped(per_probe)));
    const ProbeResult& first = c.attempts.back();
    const Millis pause = first.definite ? Millis(0) : d.confirm_delay;
    if (d.confirm_failures && first.status == Status::fail &&
        deadline.remainingMs() > (pause + kMinConfirmTime).count()) {
        std::this_thread::sleep_for(pause);
        c.attempts.push_back(make(false)->run(deadline.capped(per_probe)));
    }
    judge(c);
}

ProbeResult notRun(Problem why, std::string text) {
    ProbeResult r;
    r.status = Status::not_run;
    r.problems.push_back(why);
    r.error = std::move(text);
    r.started_at = nowIsoUtc();
    return r;
}

Check skipped(Check c, Problem why, const std::string& text) {
    c.attempts.push_back(notRun(why, text));
    judge(c);
    return c;
}

// State shared by the runner and the checks' threads. Everything a check's thread
// touches lives here, so a check abandoned at the deadline can finish safely.
struct Shared {
    Config cfg;
    RunnerDeps deps;
    std::shared_ptr<CachingResolver> cache;
    std::vector<std::string> servers;
    NetSnapshot snapshot;

    std::mutex mu;
    std::condition_variable cv;
    std::vector<Check> results;  // indexed like the tasks
    std::vector<bool> done;
};

// Starts `work` on its own thread; it fills slot `i` and signals when done.
void launch(const std::shared_ptr<Shared>& sh, size_t i, Check check,
            std::function<void(Shared&, Check&)> work) {
    std::thread([sh, i, check = std::move(check), work = std::move(work)]() mutable {
        try {
            work(*sh, check);
        } catch (const std::exception& e) {
            check.attempts.push_back(notRun(Problem::internal_error, e.what()));
            check.status = Status::fail;
            check.problems = {Problem::internal_error};
        } catch (...) {
            check.status = Status::fail;
            check.problems = {Problem::internal_error};
        }
        // This thread's OpenSSL state goes now, not at the thread's very end: once
        // the result is handed in, the process may be on its way out.
        OPENSSL_thread_stop();
        std::lock_guard lock(sh->mu);
        sh->results[i] = std::move(check);
        sh->done[i] = true;
        sh->cv.notify_all();
    }).detach();
}

}  // namespace

bool Check::has(Problem p) const {
    return std::find(problems.begin(), problems.end(), p) != problems.end();
}

const Check* RunReport::find(const std::string& id) const {
    for (const auto& c : checks)
        if (c.id == id)
            return &c;
    return nullptr;
}

std::string systemHost(const System& s) {
    if (!s.host.empty())
        return s.host;
    if (s.url.empty())
        return {};
    std::string host;
    CURLU* u = curl_url();
    if (!u)
        return {};
    char* h = nullptr;
    if (curl_url_set(u, CURLUPART_URL, s.url.c_str(), 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && h) {
        host = h;
        // IPv6 literals come back in brackets; the resolver wants them bare.
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
    }
    curl_free(h);
    curl_url_cleanup(u);
    return host;
}

RunnerDeps systemRunnerDeps() {
    RunnerDeps d;
    d.net = makeSystemNetInspector();
    d.pinger = makeSystemPinger();
    d.resolver = std::make_shared<SystemResolver>();
    d.name_servers = [](std::string* err) { return systemNameServers(err); };
    return d;
}

RunReport runChecks(const Config& cfg, const RunnerDeps& deps) {
    RunReport rep;
    rep.started_at = nowIsoUtc();
    rep.deadline_ms = cfg.deadlines.run.count();
    const auto t0 = SteadyClock::now();
    const Deadline deadline = Deadline::in(cfg.deadlines.run);

    auto sh = std::make_shared<Shared>();
    sh->cfg = cfg;
    sh->deps = deps;
    sh->cache = std::make_shared<CachingResolver>(*deps.resolver);
    sh->snapshot = deps.net->snapshot();

    // Step 1, local and immediate: link and address from one snapshot.
    Check link = newCheck("link", "link", 1);
    link.attempts.push_back(LinkProbe(sh->snapshot).run(deadline.capped(cfg.deadlines.local)));
    judge(link);
    Check addr = newCheck("address", "address", 1);
    if (link.status == Status::fail) {
        addr = skipped(addr, Problem::skipped_prerequisite, "no link");
    } else {
        addr.attempts.push_back(
            AddressProbe(sh->snapshot).run(deadline.capped(cfg.deadlines.local)));
        judge(addr);
    }

    std::string ns_error;
    sh->servers =
        cfg.network.nameservers.empty() ? deps.name_servers(&ns_error) : cfg.network.nameservers;
    Check servers = newCheck("dns_servers", "dns_servers", 1);
    servers.attempts.push_back(DnsServersProbe(sh->servers).run(deadline));
    if (!ns_error.empty())
        servers.attempts.back().error = ns_error;
    judge(servers);

    const bool local_ok = link.status != Status::fail && addr.status != Status::fail;
    const char* why_not = link.status == Status::fail ? "no link" : "no usable address";

    // Plan the remote checks: the gateway, one DNS check per host, one per system.
    std::vector<std::pair<Check, std::function<void(Shared&, Check&)>>> tasks;
    std::vector<Check> fixed;  // checks decided without running anything

    Check gw = newCheck("gateway", "gateway", 1);
    if (!local_ok) {
        fixed.push_back(skipped(gw, Problem::skipped_prerequisite, why_not));
    } else {
        tasks.emplace_back(gw, [deadline](Shared& s, Check& c) {
            c.attempts.push_back(GatewayProbe(s.snapshot, *s.deps.net, *s.deps.pinger)
                                     .run(deadline.capped(s.cfg.deadlines.local)));
            judge(c);
        });
    }

    std::map<std::string, int> host_step;  // host -> earliest step that needs it
    for (const auto& sys : cfg.systems) {
        if (!sys.configured())
            continue;
        auto host = systemHost(sys);
        if (host.empty())
            continue;
        auto it = host_step.find(host);
        int st = stepFor(sys.role);
        if (it == host_step.end() || st < it->second)
            host_step[host] = st;
    }
    for (const auto& [host, st] : host_step) {
        Check c = newCheck("dns:" + host, "dns", st, {}, host);
        if (!local_ok) {
            fixed.push_back(skipped(c, Problem::skipped_prerequisite, why_not));
            continue;
        }
        tasks.emplace_back(c, [deadline, host = host](Shared& s, Check& ch) {
            runConfirmed(
                ch,
                [&s, &host](bool first) -> std::unique_ptr<Probe> {
                    // The confirmation asks the system resolver afresh, not the cache.
                    Resolver& r = first ? static_cast<Resolver&>(*s.cache) : *s.deps.resolver;
                    return std::make_unique<DnsProbe>(host, r, s.servers, s.cfg.network.dns_slow);
                },
                deadline, s.cfg.deadlines, s.cfg.deadlines.run);
        });
    }

    for (const auto& sys : cfg.systems) {
        const std::string endpoint =
            sys.url.empty() ? (sys.host.empty() ? "" : sys.host + ":" + std::to_string(sys.port))
                            : sys.url;
        Check c =
            newCheck(kindOf(sys) + ":" + sys.id, kindOf(sys), stepFor(sys.role), sys.id, endpoint);
        if (!sys.configured()) {
            fixed.push_back(skipped(c, Problem::not_configured, "endpoint not configured"));
            continue;
        }
        if (!local_ok) {
            fixed.push_back(skipped(c, Problem::skipped_prerequisite, why_not));
            continue;
        }
        tasks.emplace_back(c, [deadline, id = sys.id](Shared& s, Check& ch) {
            const System& target = *s.cfg.findSystem(id);
            runConfirmed(
                ch,
                [&s, &target](bool first) -> std::unique_ptr<Probe> {
                    Resolver& r = first ? static_cast<Resolver&>(*s.cache) : *s.deps.resolver;
                    return makeSystemProbe(target, s.cfg, r);
                },
                deadline, s.cfg.deadlines, target.timeout);
        });
    }

    // Run them all, then collect what has handed in by the deadline.
    sh->results.resize(tasks.size());
    sh->done.assign(tasks.size(), false);
    for (size_t i = 0; i < tasks.size(); ++i) launch(sh, i, tasks[i].first, tasks[i].second);

    {
        std::unique_lock lock(sh->mu);
        sh->cv.wait_until(lock, deadline.at() + kHandInGrace, [&] {
            return std::all_of(sh->done.begin(), sh->done.end(), [](bool b) { return b; });
        });
        for (size_t i = 0; i < tasks.size(); ++i) {
            if (sh->done[i]) {
                fixed.push_back(sh->results[i]);
            } else {
                rep.deadline_hit = true;
                Check c = tasks[i].first;
                ProbeResult r;
                r.status = Status::fail;
                r.problems.push_back(Problem::deadline_exceeded);
                r.error = "did not finish before the run's deadline (" +
                          std::to_string(cfg.deadlines.run.count()) + " ms)";
                r.started_at = rep.started_at;
                r.duration_ms = msSince(t0);
                c.attempts.push_back(r);
                judge(c);
                fixed.push_back(c);
            }
        }
    }

    // The clock, from the reference system's Date header.
    Check clock = newCheck("clock", "clock", 2, cfg.clock.reference);
    const ProbeResult* ref = nullptr;
    for (const auto& c : fixed)
        if (!cfg.clock.reference.empty() && c.system == cfg.clock.reference && (c.kind == "http") &&
            c.last())
            ref = c.last();
    if (!local_ok) {
        clock = skipped(clock, Problem::skipped_prerequisite, why_not);
    } else if (ref) {
        clock.attempts.push_back(ClockProbe(*ref, cfg.clock.warn, cfg.clock.fail).run(deadline));
        judge(clock);
    } else {
        clock = skipped(clock, Problem::clock_no_reference,
                        cfg.clock.reference.empty() ? "no reference system configured"
                                                    : "reference system was not probed");
    }

    // Report order: step 1, then each system in configuration order with the name
    // lookup of its host just before it, then the clock.
    auto take = [&](const std::string& id) {
        for (auto& c : fixed)
            if (c.id == id) {
                rep.checks.push_back(std::move(c));
                c.id.clear();
                return;
            }
    };
    rep.checks.push_back(std::move(link));
    rep.checks.push_back(std::move(addr));
    take("gateway");
    rep.checks.push_back(std::move(servers));
    for (const auto& sys : cfg.systems) {
        auto host = systemHost(sys);
        if (!host.empty())
            take("dns:" + host);
        take(kindOf(sys) + ":" + sys.id);
    }
    rep.checks.push_back(std::move(clock));
    rep.duration_ms = msSince(t0);
    return rep;
}

}  // namespace dk
