#include "agent/resident/resident.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include <CLI/CLI.hpp>

#include "agent/resident/api_server.h"
#include "agent/resident/child_check.h"
#include "agent/resident/daemon.h"
#include "agent/os/files.h"
#include "agent/resident/history.h"
#include "agent/resident/logging.h"
#include "agent/os/memory.h"
#include "agent/resident/metrics.h"
#include "agent/os/system_facts.h"
#include "agent/version.h"

namespace dk {

namespace {

Retention retentionOf(const AgentConfig& cfg) {
    return Retention{cfg.agent.history_max_runs,
                     std::chrono::duration_cast<std::chrono::seconds>(cfg.agent.history_max_age)};
}

// What the history, the metrics and the API need while the agent runs. The
// history is written on the agent's worker thread and read on the API's threads.
struct Wiring {
    std::mutex mu;
    std::unique_ptr<History> history;  // null while it cannot be opened: tried each run
    Retention retention;
    HistoryWriteNotes history_notes;
    std::unique_ptr<ApiServer> api;
    std::string metrics_path;
    MetricsLabels labels;

    // Opens the history (with `mu` held); the error when it cannot be opened.
    std::string openHistory() {
        HistoryOpen h = History::open(History::defaultPath(), retention);
        if (!h.warning.empty())
            std::cerr << "driftkoll: " << h.warning << "\n";
        history = std::move(h.history);
        return h.error;
    }
};

// The full program beside this one (a build tree), or where the package puts it.
std::string defaultCheckProgram() {
    namespace fs = std::filesystem;
    const fs::path self = selfExecutable();
    if (self.empty())
        return "";
    std::error_code ec;
    for (const fs::path& p : {self.parent_path() / "driftkoll",
                              self.parent_path() / "../../bin/driftkoll"})
        if (fs::is_regular_file(p, ec))
            return p.lexically_normal().string();
    return "";
}

}  // namespace

int residentMain(int argc, char** argv) {
    CLI::App app{"driftkoll-agent: den bakgrundsagent som `driftkoll agent` startar / "
                 "the background agent that `driftkoll agent` starts"};
    app.set_version_flag("--version", std::string("driftkoll ") + kVersion);
    std::string config_path, lang_name = "sv", program;
    bool allow_root = false;
    app.add_option("--config", config_path, "Konfigurationsfil / Configuration file (TOML)");
    app.add_option("--lang", lang_name, "Språk / Language: sv | en");
    app.add_option("--check-program", program,
                   "Programmet som gör kontrollerna / The program that performs the checks");
    app.add_flag("--allow-root", allow_root)->group("");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    const auto lang = parseLang(lang_name);
    if (!lang) {
        std::cerr << "driftkoll-agent: --lang måste vara sv eller en / --lang must be sv or en\n";
        return 2;
    }
    if (program.empty())
        program = defaultCheckProgram();
    if (program.empty()) {
        std::cerr << "driftkoll-agent: programmet driftkoll hittas inte; ange --check-program / "
                     "the driftkoll program is not found; give --check-program\n";
        return 2;
    }

    auto wiring = std::make_shared<Wiring>();
    AgentOptions o;
    o.config_path = config_path;
    o.lang = *lang;
    o.allow_root = allow_root;
    o.load_config = childProcessConfig(program);
    o.check = childProcessCheck(program);
    o.on_started = [wiring](Agent& agent) {
        auto cfg = agent.config();
        {
            std::lock_guard lock(wiring->mu);
            wiring->retention = retentionOf(*cfg);
            wiring->openHistory();
            wiring->metrics_path = cfg->agent.metrics_textfile;
            wiring->labels = {cfg->agent.site, hostName()};
        }
        std::string api_err;
        wiring->api = ApiServer::start(ApiServer::defaultSocketPath(), agent, &api_err);
        if (!wiring->api)
            std::cerr << "driftkoll: API: " << api_err << "\n";
    };
    o.on_report = [wiring](const Json& report) {
        std::lock_guard lock(wiring->mu);
        std::string e;
        if (!wiring->history)
            e = wiring->openHistory();
        const bool stored = wiring->history && wiring->history->add(report, &e);
        if (auto note = wiring->history_notes.after(stored, e))
            std::cerr << "driftkoll: " << *note << "\n";
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
    o.export_bundle = [program, config_path, lang = *lang]() {
        const std::string dir = defaultCacheDir();
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec)
            return AgentCore::Bundle{"", "diagnostikpaketet kan inte skrivas / the diagnostic "
                                         "bundle cannot be written: " +
                                             dir + ": " + ec.message()};
        return childProcessExport(program, config_path, dir, lang);
    };
    o.on_stopping = [wiring](Agent&) {
        wiring->api.reset();
        std::lock_guard lock(wiring->mu);
        if (!wiring->metrics_path.empty()) {
            std::string e;
            writeTextfile(wiring->metrics_path, stoppedMetricsText(wiring->labels), &e);
        }
    };
    limitMemoryArenas();
    return runAgent(o);
}

}  // namespace dk
