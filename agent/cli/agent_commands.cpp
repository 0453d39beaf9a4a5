#include "agent/cli/agent_commands.h"

#include <cstdio>
#include <filesystem>
#include <vector>

#include "agent/cli/api_client.h"
#include "agent/check/check.h"
#include "agent/resident/export.h"
#include "agent/os/files.h"
#include "agent/resident/history.h"
#include "agent/resident/logging.h"
#include "agent/check/report.h"
#include "agent/os/run_program.h"
#include "config/loader.h"

namespace dk {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitProblem = 1;
constexpr int kExitUsage = 2;

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
    // The resident agent is its own, smaller program (resident.h); this process
    // becomes it, keeping its pid for systemd and the session.
    namespace fs = std::filesystem;
    const fs::path self = selfExecutable();
    std::vector<fs::path> candidates;
    if (!self.empty())
        candidates = {self.parent_path() / "driftkoll-agent",
                      self.parent_path() / "../libexec/driftkoll/driftkoll-agent"};
    std::error_code ec;
    for (const fs::path& resident : candidates) {
        if (!fs::is_regular_file(resident, ec))
            continue;
        std::vector<std::string> argv = {resident.lexically_normal().string(), "--check-program",
                                         self.string(), "--lang",
                                         opt.lang == Lang::en ? "en" : "sv"};
        if (!opt.config.empty()) {
            argv.emplace_back("--config");
            argv.push_back(opt.config);
        }
        if (opt.allow_root)
            argv.emplace_back("--allow-root");
        out.flush();
        const std::string failed = replaceProcess(argv);  // returns only when it failed
        err << "driftkoll: " << failed << "\n";
        return kExitProblem;
    }
    err << "driftkoll: agentprogrammet driftkoll-agent saknas bredvid " << self.string()
        << " / the agent program driftkoll-agent is missing beside it\n";
    return kExitProblem;
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
            out << jsonText(report, 2) << "\n";
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
        out << jsonText(j, 2) << "\n";
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
        out << jsonText(summariesJson(runs), 2) << "\n";
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
    if (opt.json)
        out << jsonText(Json{{"path", r.path}, {"entries", r.entries}}, 2) << "\n";
    else
        out << tr(opt.lang, "Diagnostikpaketet för IT: ", "The diagnostic bundle for IT: ")
            << r.path << "\n";
    return kExitOk;
}

}  // namespace dk
