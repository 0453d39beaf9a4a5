#include "agent/check/check.h"

#include <cstdlib>
#include <future>
#include <utility>

#include "agent/decide/calendar.h"
#include "agent/decide/case_code.h"
#include "agent/os/system_facts.h"
#include "probes/http_probe.h"

namespace dk {

FeedFetcher makeFeedFetcher(const config::Config& cfg, Resolver& resolver, std::size_t max_bytes) {
    return [&cfg, &resolver, max_bytes](const std::string& url, const Deadline& deadline) {
        FeedResult out;
        bool truncated = false;
        HttpOptions o;
        o.system = "maintenance_feed";
        o.url = url;
        o.timeout = cfg.deadlines.run;
        o.slow = cfg.deadlines.run;
        o.proxy = {cfg.network.proxy, cfg.network.no_proxy};
        o.ca_file = cfg.network.ca_file;
        o.body_limit = max_bytes + 1;  // one byte more tells "too large" from "just fits"
        o.on_body = [&](const std::string& body, bool cut) {
            out.body = body;
            truncated = cut;
        };
        ProbeResult r = HttpProbe(std::move(o), resolver).run(deadline);
        if (r.status == Status::fail || r.status == Status::not_run) {
            out.body.clear();
            out.error = r.error.empty() ? "the feed could not be fetched" : r.error;
            return out;
        }
        if (truncated || out.body.size() > max_bytes) {
            out.body.clear();
            out.error = "the feed is larger than " + std::to_string(max_bytes) + " bytes";
            return out;
        }
        out.ok = true;
        return out;
    };
}

Outcome performCheck(const config::Config& cfg, const RunnerDeps& deps, const CheckRequest& req) {
    Outcome o;
    o.context.hostname = hostName();
    o.context.boot_id = req.boot_id.empty() ? bootId() : req.boot_id;
    if (req.at) {
        o.context.now = *req.at;
        o.context.pretend = true;
    } else {
        TimeError err;
        auto now = nowLocal(cfg.timezone, &err);
        // The loader accepted the zone; should the database still refuse it, UTC is honest.
        o.context.now =
            now ? *now
                : *toLocal(
                      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                      "UTC", &err);
        if (!now)
            o.warnings.push_back(err.message);
    }

    // The maintenance feed is read while the probes run, under the same deadline.
    const Deadline deadline = Deadline::in(cfg.deadlines.run);
    MaintenanceOptions mopts;
    mopts.cache_dir = req.cache_dir.empty() ? defaultCacheDir() : req.cache_dir;
    mopts.now = o.context.now.instant;
    FeedFetcher fetch = makeFeedFetcher(cfg, *deps.resolver, mopts.max_feed_bytes);
    auto maintenance = std::async(std::launch::async,
                                  [&] { return loadMaintenance(cfg, mopts, fetch, deadline); });
    o.run = runChecks(cfg, deps);
    o.maintenance = maintenance.get();
    if (!o.maintenance.feed.warning.empty())
        o.warnings.push_back(o.maintenance.feed.warning);

    o.diagnosis = diagnose(o.run, cfg);
    applyMaintenance(o.diagnosis, o.maintenance, o.context.now.instant);
    applyAnswers(o.diagnosis, req.answers);

    // The incident ties this run to the earlier ones: first seen, restarts, case code.
    IncidentStore store(req.state_path.empty() ? IncidentStore::defaultPath() : req.state_path);
    std::string warning;
    // Another run (the agent's, or a `driftkoll check`) may be between its load and
    // its save: wait for it, so that neither update is lost. A lock not had in time
    // is said, and the run goes on.
    const std::optional<FileLock> writing =
        req.record ? store.lock(std::chrono::seconds(2), &warning) : std::nullopt;
    if (!warning.empty())
        o.warnings.push_back(std::exchange(warning, {}));
    std::optional<Incident> previous = store.load(&warning);
    if (!warning.empty())
        o.warnings.push_back(warning);
    const bool problem = o.diagnosis.domain != Domain::all_ok;
    IncidentUpdate update = updateIncident(
        previous, problem, std::string(to_string(o.diagnosis.domain)), o.diagnosis.systems,
        o.context.boot_id, nowIsoUtc(), req.answers, [] { return newCaseCode(); });
    if (req.record) {
        std::string err;
        bool ok = update.incident ? store.save(*update.incident, &err) : store.clear(&err);
        if (!ok)
            o.warnings.push_back(err);
    }
    o.incident = update.incident;
    o.answers = req.answers;

    SwedishCalendar calendar(cfg.holidays);
    AdviceContext ctx{calendar, o.incident ? &*o.incident : nullptr, o.context.boot_id};
    o.advice = advise(o.diagnosis, cfg, o.context.now, req.lang, ctx);
    return o;
}

}  // namespace dk
