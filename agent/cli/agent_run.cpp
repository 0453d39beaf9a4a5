#include "agent/cli/agent_run.h"

#include <iterator>
#include <string>

#include "agent/check/check.h"
#include "agent/resident/metrics.h"
#include "agent/check/report.h"
#include "config/loader.h"

namespace dk {

namespace {

RunnerDeps completeDeps(RunnerDeps deps) {
    if (deps.net && deps.pinger && deps.resolver && deps.name_servers)
        return deps;
    RunnerDeps system = systemRunnerDeps();
    if (!deps.net)
        deps.net = system.net;
    if (!deps.pinger)
        deps.pinger = system.pinger;
    if (!deps.resolver)
        deps.resolver = system.resolver;
    if (!deps.name_servers)
        deps.name_servers = system.name_servers;
    return deps;
}

}  // namespace

CheckDone runCheckJob(const CheckJob& job, const RunnerDeps& deps) {
    return guardedRun([&] {
        CheckDone done;
        config::LoadResult loaded = config::loadString(job.config.text, job.config.source);
        if (!loaded.ok()) {
            done.error = "the configuration does not load:";
            for (const auto& e : loaded.errors) done.error += "\n" + e.format();
            return done;
        }
        const config::Config& cfg = *loaded.config;
        CheckRequest req;
        req.answers = job.answers;
        req.lang = job.lang;
        req.state_path = job.state_path;
        req.cache_dir = job.cache_dir;
        const Outcome o = performCheck(cfg, deps, req);
        done.report = reportJson(o, cfg, job.lang);
        if (!job.metrics_path.empty()) {
            std::string err;
            if (!writeTextfile(job.metrics_path,
                               metricsText(o, {job.metrics_site, job.metrics_host}), &err))
                done.log = "metrics: " + err;
        }
        return done;
    });
}

ConfigLoad loadAgentConfig(const std::string& path) {
    ConfigLoad load;
    try {
        std::string file = path;
        if (file.empty())
            file = config::findUserConfig().value_or("");
        config::LoadResult r = file.empty() ? config::loadBuiltin() : config::loadFile(file);
        for (const auto& w : r.warnings) load.warnings.push_back(w.format());
        for (const auto& e : r.errors) load.errors.push_back(e.format());
        if (!r.ok())
            return load;
        AgentConfig c;
        c.file = file;
        c.source = r.config->source;
        c.profile = r.config->profile;
        c.text = std::move(r.text);
        c.agent = r.config->agent;
        c.run_deadline = r.config->deadlines.run;
        load.config = std::move(c);
    } catch (const std::exception& e) {
        load.config.reset();
        load.errors.push_back(std::string("the configuration cannot be loaded: ") + e.what());
    }
    return load;
}

int agentConfigCommand(const std::string& path, std::ostream& out) {
    const ConfigLoad load = loadAgentConfig(path);
    out << jsonText(configLoadToJson(load)) << "\n";
    out.flush();
    return load.config ? 0 : 1;
}

CheckFn inProcessCheck(RunnerDeps deps) {
    return [deps = completeDeps(std::move(deps))](const CheckJob& job) {
        return runCheckJob(job, deps);
    };
}

int agentRunCommand(std::istream& in, std::ostream& out, std::ostream& err) {
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    std::string why = "is not JSON";
    std::optional<CheckJob> job = j.is_discarded() ? std::nullopt : jobFromJson(j, &why);
    if (!job) {
        err << "driftkoll agent-run: " << (j.is_discarded() ? "the check job " + why : why)
            << "\n";
        return 2;
    }
    CheckDone done = runCheckJob(*job, systemRunnerDeps());
    if (!done.log.empty())
        err << "driftkoll agent-run: " << done.log << "\n";
    if (!done.report) {
        err << "driftkoll agent-run: the check failed: " << done.error << "\n";
        return 1;
    }
    out << jsonText(*done.report) << "\n";
    out.flush();
    return out.good() ? 0 : 1;
}

}  // namespace dk
