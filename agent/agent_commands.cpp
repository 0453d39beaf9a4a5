#include "agent_commands.h"

#include <cstdio>
#include <memory>
#include <mutex>
#include <sstream>

#include "agent/api_client.h"
#include "agent/api_server.h"
#include "agent/check.h"
#include "agent/daemon.h"
#include "agent/export.h"
#include "agent/history.h"
#include "agent/logging.h"
#include "agent/memory.h"
#include "agent/metrics.h"
#include "agent/report.h"
#include "agent/system_facts.h"
#include "config/loader.h"

namespace dk {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitProblem = 1;
constexpr int kExitUsage = 2;

Retention retentionOf(const config::Config& cfg) {
    return Retention{cfg.agent.history_max_runs,
                     std::chrono::duration_cast<std::chrono::seconds>(cfg.agent.history_max_age)};
}

Json summariesJson(const std::vector<RunSummary>& runs) {
    Json a = Json::array();
    for (const auto& r : runs)
        a.push_back({{"id", r.id},
                     {"at", r.at},
                     {"domain", r.domain},
                     {"action", r.action},
                     {"case_code", r.case_code.empty() ? Json() : Json(r.case_code)},
                     {"duration_ms", r.duration_ms}});
    return a;
}

// What the history, the metrics and the bundle need while the agent runs. The
// history is written on the agent's worker thread and read on the API's threads.
struct AgentWiring {
    std::mutex mu;
    std::unique_ptr<History> history;
    std::unique_ptr<ApiServer> api;
    std::string metrics_path;
    MetricsLabels labels;
};

}  // namespace

std::optional<config::Config> loadConfigOrReport(const std::string& path, std::ostream& err) {
    config::LoadResult r;
    if (!path.empty())
        r = config::loadFile(path);
    else if (auto found = config::findUserConfig())
        r = config::loadFile(*found);
    else
        r = config::loadBuiltin();
    for (const auto& w : r.warnings) err << w.format() << "\n";
    if (!r.ok()) {
        for (const auto& e : r.errors) err << e.format() << "\n";
        err << "driftkoll: konfigurationen har fel / the configuration has errors\n";
        return std::nullopt;
    }
    return r.config;
}

int agentCommand(const AgentCommandOptions& opt, std::ostream& out, std::ostream& err) {
    auto wiring = std::make_shared<AgentWiring>();
    AgentOptions o;
    o.config_path = opt.config;
    o.lang = opt.lang;
    o.allow_root = opt.allow_root;
    o.on_started = [wiring, &err](Agent& agent) {
        auto cfg = agent.config();
        {
            std::lock_guard lock(wiring->mu);
            HistoryOpen h = History::open(History::defaultPath(), retentionOf(*cfg));
            if (!h.warning.empty())
                err << "driftkoll: " << h.warning << "\n";
            if (!h.error.empty())
                err << "driftkoll: " << h.error << "\n";
            wiring->history = std::move(h.history);
            wiring->metrics_path = cfg->agent.metrics_textfile;
            wiring->labels = {cfg->agent.site, hostName()};
        }
        std::string api_err;
        wiring->api = ApiServer::start(ApiServer::defaultSocketPath(), agent, &api_err);
        if (!wiring->api)
            err << "driftkoll: API: " << api_err << "\n";
    };
    o.on_report = [wiring](const Outcome& outcome, const Json& report) {
        std::lock_guard lock(wiring->mu);
        std::string e;
        if (wiring->history)
            wiring->history->add(report, &e);
        if (!wiring->metrics_path.empty())
            writeTextfile(wiring->metrics_path, metricsText(outcome, wiring->labels), &e);
        releaseFreeMemory();
    };
    o.history = [wiring](int limit, bool full) {
        std::lock_guard lock(wiring->mu);
        if (!wiring->history)
            return Json::array();
        if (!full)
            return summariesJson(wiring->history->recent(limit));
        Json a = Json::array();
        for (auto& r : wiring->history->recentReports(limit)) a.push_back(std::move(r));
        return a;
    };
    o.export_bundle = [wiring, cfg_path = opt.config]() {
        std::ostringstream ignore;
        auto cfg = loadConfigOrReport(cfg_path, ignore);
        ExportOptions e;
        e.out_path = defaultCacheDir();
        e.log_dir = defaultLogDir();
        e.config = cfg ? &*cfg : nullptr;
        ExportResult r = exportBundle(e);
        return AgentCore::Bundle{r.path, r.error};
    };
    o.on_stopping = [wiring](Agent&) {
        wiring->api.reset();
        std::lock_guard lock(wiring->mu);
        if (!wiring->metrics_path.empty()) {
            std::string e;
            writeTextfile(wiring->metrics_path, stoppedMetricsText(wiring->labels), &e);
        }
    };
    out.flush();
    limitMemoryArenas();
    return runAgent(o);
}

int statusCommand(const AgentCommandOptions& opt, std::ostream& out, std::ostream& err) {
    auto cfg = loadConfigOrReport(opt.config, err);
    if (!cfg)
        return kExitUsage;
    ApiClient client;
    ApiResult r = client.report();
    if (r.connected && r.ok) {
        const Json& report = r.body;
        if (opt.json) {
            out << report.dump(2) << "\n";
        } else {
            out << tr(opt.lang, "Från agenten: ", "From the agent: ")
                << report["diagnosis"]["summary"].get<std::string>() << "\n"
                << report["advice"]["text"].get<std::string>() << "\n";
        }
        return report["diagnosis"]["domain"] == "all_ok" ? kExitOk : kExitProblem;
    }
    // No agent (or none with a report yet): run the check here, and say so.
    err << tr(opt.lang, "driftkoll: ingen agent svarar – kontrollen görs nu, här.",
              "driftkoll: no agent answers – the check is run now, here.")
        << (r.connected ? " (" + r.error + ")" : std::string()) << "\n";
    CheckRequest req;
    req.lang = opt.lang;
    Outcome o = performCheck(*cfg, systemRunnerDeps(), req);
    if (opt.json) {
        Json j = reportJson(o, *cfg, opt.lang);
        j["source"] = "local";
        out << j.dump(2) << "\n";
    } else {
        out << reportText(o, *cfg, opt.lang);
    }
    return exitCodeFor(o.diagnosis) == 0 ? kExitOk : kExitProblem;
}

int historyCommand(const AgentCommandOptions& opt, std::ostream& out, std::ostream& err) {
    HistoryOpen h = History::openForReading(History::defaultPath());
    if (!h.history) {
        if (!h.error.empty()) {
            err << "driftkoll: " << h.error << "\n";
            return kExitUsage;
        }
        out << (opt.json ? "[]\n" : tr(opt.lang, "Ingen historik ännu.\n", "No history yet.\n"));
        return kExitOk;
    }
    std::string e;
    auto runs = h.history->recent(opt.limit, &e);
    if (!e.empty()) {
        err << "driftkoll: " << e << "\n";
        return kExitUsage;
    }
    if (opt.json) {
        out << summariesJson(runs).dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& r : runs) {
        char ms[32];
        std::snprintf(ms, sizeof ms, "%6.0f ms", r.duration_ms);
        out << r.at << "  " << r.domain << "  " << r.action << "  "
            << (r.case_code.empty() ? "-" : r.case_code) << "  " << ms << "\n";
    }
    if (runs.empty())
        out << tr(opt.lang, "Ingen historik ännu.\n", "No history yet.\n");
    return kExitOk;
}

int exportCommand(const AgentCommandOptions& opt, std::ostream& out, std::ostream& err) {
    auto cfg = loadConfigOrReport(opt.config, err);
    ExportOptions e;
    e.out_path = opt.out;
    e.log_dir = defaultLogDir();
    e.config = cfg ? &*cfg : nullptr;
    ExportResult r = exportBundle(e);
    if (!r.error.empty()) {
        err << "driftkoll: " << r.error << "\n";
        return kExitUsage;
    }
    out << tr(opt.lang, "Diagnostikpaketet för IT: ", "The diagnostic bundle for IT: ") << r.path
        << "\n";
    return kExitOk;
}

}  // namespace dk
