#include "agent/resident/daemon.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <spdlog/logger.h>

#include "agent/check/incident_store.h"
#include "agent/check/json_path.h"
#include "agent/os/event_loop.h"
#include "agent/os/file_watch.h"
#include "agent/os/netlink_watch.h"
#include "config/config_paths.h"
#include "agent/resident/logging.h"
#include "agent/os/system_facts.h"

namespace dk {

namespace {

// Runs kept in memory for history() when no history hook is set.
constexpr std::size_t kKeptRuns = 20;

Json summaryOf(const Json& report) {
    const std::string case_code = stringAt(report, {"advice", "case_code"});
    return {{"at", stringAt(report, {"generated_at"})},
            {"domain", stringAt(report, {"diagnosis", "domain"})},
            {"action", stringAt(report, {"advice", "action"})},
            {"case_code", case_code.empty() ? Json() : Json(case_code)},
            {"duration_ms", numberAt(report, {"run", "duration_ms"})}};
}

// The answers of the incident a report ends with; none when no incident is open.
Answers incidentAnswers(const Json& report) {
    if (!report.contains("incident") || !report["incident"].is_object())
        return {};
    std::string err;
    std::optional<Incident> inc = incidentFromJson(report["incident"], &err);
    return inc ? inc->answers : Answers{};
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty())
            out += sep;
        out += p;
    }
    return out;
}

// The same checks as `--answer KEY=VALUE`, so the API cannot store what the CLI refuses.
std::optional<std::string> validate(const Answers& a) {
    Answers scratch;
    const std::pair<const char*, const std::optional<std::string>*> fields[] = {
        {"login", &a.login},
        {"same_computer_colleague", &a.same_computer_colleague},
        {"other_computer", &a.other_computer}};
    for (const auto& [key, value] : fields) {
        if (!*value)
            continue;
        if (auto problem = applyAnswer(scratch, std::string(key) + "=" + **value))
            return problem;
    }
    return std::nullopt;
}

// Newer wins per key.
void merge(Answers& into, const Answers& from) {
    if (from.login)
        into.login = from.login;
    if (from.same_computer_colleague)
        into.same_computer_colleague = from.same_computer_colleague;
    if (from.other_computer)
        into.other_computer = from.other_computer;
}

// Calls a hook; what it throws is logged, never passed on.
template <class F>
void callHook(spdlog::logger& log, const char* name, F f) {
    try {
        f();
    } catch (const std::exception& e) {
        log.error("hook {} failed: {}", name, e.what());
    } catch (...) {
        log.error("hook {} failed", name);
    }
}

}  // namespace

// ---------------------------------------------------------------------------
// Agent

Agent::Agent(AgentOptions options, std::shared_ptr<spdlog::logger> log)
    : options_(std::move(options)),
      log_(std::move(log)),
      wake_(Wakeup::open(&wake_error_)),
      host_name_(options_.host_name.empty() ? hostName() : options_.host_name) {}

Agent::~Agent() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    work_cv_.notify_all();
    done_cv_.notify_all();
    if (worker_.joinable())
        worker_.join();
}

std::string Agent::statePath() const {
    return options_.state_dir.empty() ? IncidentStore::defaultPath()
                                      : options_.state_dir + "/incident.json";
}

bool Agent::start() {
    if (worker_.joinable())
        return true;
    if (!options_.check || !options_.load_config) {
        log_->critical("no way to load the configuration or run a check is set up");
        return false;
    }
    if (!load(true))
        return false;
    // Answers given before a restart of the agent still belong to the open incident.
    std::string warning;
    std::optional<Incident> open = IncidentStore(statePath()).load(&warning);
    if (!warning.empty())
        log_->warn("{}", warning);
    std::lock_guard lock(mu_);
    if (open)
        answers_ = open->answers;
    worker_ = std::thread([this] { work(); });
    requestRunLocked("start");
    return true;
}

void Agent::requestRun(std::string_view reason) {
    std::lock_guard lock(mu_);
    requestRunLocked(reason);
}

void Agent::requestRunLocked(std::string_view reason) {
    pending_ = true;
    if (std::find(pending_reasons_.begin(), pending_reasons_.end(), reason) ==
        pending_reasons_.end())
        pending_reasons_.emplace_back(reason);
    work_cv_.notify_one();
}

void Agent::wakeLoop() {
    if (wake_)
        wake_->ring();
}

void Agent::clearWake() {
    if (wake_)
        wake_->clear();
}

std::string Agent::resolveConfigFile() const {
    if (options_.config_path.empty())
        return "";  // the ConfigFn looks for the user's or system's file
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(options_.config_path, ec);
    return ec ? options_.config_path : abs.lexically_normal().string();
}

bool Agent::reload() {
    return load(false);
}

bool Agent::load(bool initial) {
    const std::string asked = resolveConfigFile();
    ConfigLoad r = options_.load_config(asked);
    for (const auto& w : r.warnings) log_->warn("config: {}", w);
    const std::string shown =
        r.config ? r.config->source : (asked.empty() ? "the configuration" : asked);

    std::unique_lock lock(mu_);
    ++config_status_.loads;
    if (!r.config) {
        config_status_.errors = r.errors;
        if (config_status_.errors.empty())
            config_status_.errors.push_back(shown + ": cannot be loaded");
        const ConfigStatus status = config_status_;
        lock.unlock();
        for (const auto& e : status.errors) log_->error("config: {}", e);
        if (initial)
            log_->error("{}: {} error(s); the agent cannot start without a usable configuration",
                        shown, status.errors.size());
        else
            log_->error("{}: {} error(s); keeping the configuration from {} (profile {})", shown,
                        status.errors.size(), status.source, status.profile);
        return false;
    }
    config_status_.errors.clear();
    const bool changed = !config_ || !(*config_ == *r.config);
    if (!changed) {
        lock.unlock();
        log_->info("configuration {} unchanged", shown);
        return true;
    }
    config_ = std::make_shared<const AgentConfig>(std::move(*r.config));
    config_status_.source = config_->source;
    config_status_.profile = config_->profile;
    config_status_.file = config_->file;
    if (!initial)
        requestRunLocked("config");
    const ConfigStatus status = config_status_;
    lock.unlock();
    log_->info("configuration loaded from {} (profile {})", status.source, status.profile);
    return true;
}

ConfigStatus Agent::configStatus() const {
    std::lock_guard lock(mu_);
    return config_status_;
}

std::shared_ptr<const AgentConfig> Agent::config() const {
    std::lock_guard lock(mu_);
    return config_;
}

std::string Agent::configFile() const {
    std::lock_guard lock(mu_);
    return config_status_.file;
}

std::vector<std::string> Agent::configWatchPaths() const {
    if (!options_.config_path.empty())
        return {resolveConfigFile()};
    std::vector<std::string> paths = config::configFileCandidates();
    const std::string in_use = configFile();
    if (!in_use.empty() && std::find(paths.begin(), paths.end(), in_use) == paths.end())
        paths.push_back(in_use);
    return paths;
}

std::chrono::milliseconds Agent::interval() const {
    if (options_.interval)
        return *options_.interval;
    auto cfg = config();
    return cfg ? cfg->agent.interval : config::AgentSettings{}.interval;
}

std::chrono::milliseconds Agent::debounce() const {
    if (options_.debounce)
        return *options_.debounce;
    auto cfg = config();
    return cfg ? cfg->agent.debounce : config::AgentSettings{}.debounce;
}

std::string Agent::statusLine() const {
    std::lock_guard lock(mu_);
    return status_line_;
}

void Agent::requestStop() {
    // Woken under the lock: the loop sees the request only after the write, so
    // the descriptor cannot be closed under it.
    std::lock_guard lock(mu_);
    stop_requested_ = true;
    wakeLoop();
}

bool Agent::stopRequested() const {
    std::lock_guard lock(mu_);
    return stop_requested_;
}

void Agent::work() {
    std::unique_lock lock(mu_);
    for (;;) {
        work_cv_.wait(lock, [this] { return stopping_ || pending_; });
        if (stopping_)
            return;
        pending_ = false;
        const std::uint64_t seq = ++started_;
        const std::string reasons = join(pending_reasons_, "+");
        pending_reasons_.clear();
        CheckJob job;
        job.config = *config_;
        job.answers = answers_;
        job.lang = options_.lang;
        job.state_path = statePath();
        job.cache_dir = options_.cache_dir;
        job.metrics_path = config_->agent.metrics_textfile;
        job.metrics_site = config_->agent.site;
        job.metrics_host = host_name_;
        const std::uint64_t answers_seen = answers_version_;
        lock.unlock();

        CheckDone done = guardedRun([&] { return options_.check(job); });
        noteRun(seq, reasons, done);
        if (done.report && options_.on_report)
            callHook(*log_, "on_report", [&] { options_.on_report(*done.report); });

        lock.lock();
        if (done.report) {
            const Json& report = *done.report;
            status_line_ = "last check " + stringAt(report, {"generated_at"}) + ": " +
                           stringAt(report, {"diagnosis", "domain"}) + ", " +
                           stringAt(report, {"advice", "action"});
            // The answers belong to the incident: they end with it. Answers given
            // during this run are newer than what it saw and stay.
            if (answers_version_ == answers_seen)
                answers_ = incidentAnswers(report);
            if (!options_.history) {
                kept_.push_front({summaryOf(report), report});
                if (kept_.size() > kKeptRuns)
                    kept_.pop_back();
            }
            last_report_ = std::move(done.report);
            report_seq_ = seq;
        } else {
            status_line_ = "last check failed: " + done.error;
        }
        finished_ = seq;
        done_cv_.notify_all();
        wakeLoop();
    }
}

// The log's account of one run: the verdict, and every check that did not pass.
void Agent::noteRun(std::uint64_t seq, const std::string& reasons, const CheckDone& done) {
    if (!done.log.empty())
        log_->warn("check {}: {}", seq, done.log);
    if (!done.report) {
        log_->error("check {} ({}) failed: {}", seq, reasons, done.error);
        return;
    }
    const Json& report = *done.report;
    const std::string case_code = stringAt(report, {"advice", "case_code"});
    log_->info("check {} ({}): {} -> {} in {:.0f} ms{}", seq, reasons,
               stringAt(report, {"diagnosis", "domain"}), stringAt(report, {"advice", "action"}),
               numberAt(report, {"run", "duration_ms"}),
               case_code.empty() ? "" : ", case " + case_code);
    if (!report.contains("checks") || !report["checks"].is_array())
        return;
    for (const Json& c : report["checks"]) {
        const std::string status = stringAt(c, {"status"});
        if (status != "fail" && status != "warn")
            continue;
        std::vector<std::string> problems;
        if (c.contains("problems") && c["problems"].is_array())
            for (const Json& p : c["problems"])
                if (p.is_string())
                    problems.push_back(p.get<std::string>());
        log_->warn("check {}: {} {} [{}] {}", seq, stringAt(c, {"id"}), status,
                   join(problems, ","), stringAt(c, {"error"}));
    }
    if (report.contains("warnings") && report["warnings"].is_array())
        for (const Json& w : report["warnings"])
            if (w.is_string())
                log_->warn("check {}: {}", seq, w.get<std::string>());
}

std::optional<Json> Agent::lastReport() {
    std::lock_guard lock(mu_);
    return last_report_;
}

std::optional<Json> Agent::runNow(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    // The run this request joins is the next one to start: none has started since.
    const std::uint64_t target = started_ + 1;
    requestRunLocked("request");
    done_cv_.wait_for(lock, wait,
                      [&] { return finished_ >= target || stopping_ || waits_cancelled_; });
    if (report_seq_ >= target)
        return last_report_;
    return std::nullopt;
}

Json Agent::history(int limit, bool full) {
    if (options_.history)
        return options_.history(limit, full);
    std::lock_guard lock(mu_);
    Json out = Json::array();
    for (const Kept& k : kept_) {
        if (static_cast<int>(out.size()) >= limit)
            break;
        out.push_back(full ? k.report : k.summary);
    }
    return out;
}

std::optional<std::string> Agent::setAnswers(const Answers& answers) {
    if (auto problem = validate(answers))
        return problem;
    std::lock_guard lock(mu_);
    merge(answers_, answers);
    ++answers_version_;
    requestRunLocked("answers");
    return std::nullopt;
}

std::uint64_t Agent::generation() {
    std::lock_guard lock(mu_);
    return finished_;
}

std::uint64_t Agent::waitForChange(std::uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    done_cv_.wait_for(lock, timeout,
                      [&] { return finished_ > seen || stopping_ || waits_cancelled_; });
    return finished_;
}

void Agent::cancelWaits() {
    {
        std::lock_guard lock(mu_);
        waits_cancelled_ = true;
    }
    done_cv_.notify_all();
}

AgentCore::Bundle Agent::exportBundle() {
    if (options_.export_bundle)
        return options_.export_bundle();
    return {"", "diagnostikpaket är inte tillgängligt / the diagnostic bundle is not available"};
}

// ---------------------------------------------------------------------------
// The loop

int runAgent(const AgentOptions& options) {
    if (runningAsRoot() && !options.allow_root) {
        std::fputs(
            "driftkoll agent: agenten körs som användaren, aldrig som root / "
            "the agent runs as the user, never as root\n",
            stderr);
        return 2;
    }

    // Before any thread starts, so that the signals reach the loop only.
    std::string err;
    std::unique_ptr<EventLoop> loop = EventLoop::open(&err);

    LogOptions log_options;
    log_options.dir = options.log_dir.empty() ? defaultLogDir() : options.log_dir;
    log_options.console = stderrIsTerminal();
    const AgentLog log = makeAgentLog(log_options);

    const int periodic = loop ? loop->addTimer(EventLoop::Clock::boot, &err) : -1;
    const int settle = periodic >= 0 ? loop->addTimer(EventLoop::Clock::monotonic, &err) : -1;
    const int reload_timer = settle >= 0 ? loop->addTimer(EventLoop::Clock::monotonic, &err) : -1;
    if (reload_timer < 0) {
        log.logger->critical("the event loop cannot be set up: {}", err);
        return 1;
    }

    Agent agent(options, log.logger);
    if (agent.wakeFd() < 0) {
        log.logger->critical("the event loop cannot be set up: {}", agent.wakeError());
        return 1;
    }
    // Subscribed before the start run, so that no change after its snapshot goes unseen.
    std::unique_ptr<NetlinkWatch> net = NetlinkWatch::open(&err);
    if (!net)
        log.logger->warn("network changes are not watched ({}); periodic runs only", err);
    if (!agent.start())
        return 2;
    log.logger->info("driftkoll agent started (pid {}, profile {}, every {:g} s)", processId(),
                     agent.configStatus().profile,
                     std::chrono::duration<double>(agent.interval()).count());

    std::unique_ptr<FileWatch> files;
    auto watchConfig = [&] {
        std::vector<std::string> paths = agent.configWatchPaths();
        if (files && files->paths() == paths)
            return;
        files = FileWatch::open(std::move(paths), &err);
        if (!files)
            log.logger->warn("config changes are not watched ({}); reload with SIGHUP", err);
    };
    watchConfig();

    const ServiceNotifier systemd;
    auto reload = [&](const char* why) {
        systemd.reloading();
        log.logger->info("reloading the configuration ({})", why);
        agent.reload();
        watchConfig();
        systemd.ready();
    };

    if (options.on_started)
        callHook(*log.logger, "on_started", [&] { options.on_started(agent); });
    systemd.readyWithStatus("first check running");

    enum Watched { kWake, kNet, kFiles };
    std::uint64_t seen = 0;
    bool settling = false;   // the network debounce timer is armed
    bool reloading = false;  // the config reload timer is armed
    bool stop = false;
    int rc = 0;
    while (!stop) {
        const EventLoop::Events ev =
            loop->wait({agent.wakeFd(), net ? net->fd() : -1, files ? files->fd() : -1});
        if (ev.failed) {
            log.logger->critical("the event loop failed: {}", ev.error);
            rc = 1;
            break;
        }
        const auto fired = [&](int timer) {
            return std::find(ev.timers.begin(), ev.timers.end(), timer) != ev.timers.end();
        };

        if (ev.reload)
            reload("SIGHUP");
        if (ev.stop) {
            log.logger->info("signal {}: stopping", ev.stop_signal);
            stop = true;
        }
        if (ev.ready[kWake]) {
            agent.clearWake();
            if (agent.stopRequested())
                stop = true;
            if (const std::uint64_t g = agent.generation(); g != seen) {
                // A run finished, whatever asked for it: the next periodic one is due
                // one interval from now.
                seen = g;
                loop->arm(periodic, agent.interval());
                systemd.status(agent.statusLine());
            }
        }
        if (fired(periodic))
            agent.requestRun("periodic");
        if (net && ev.ready[kNet]) {
            const NetlinkWatch::Change change = net->drain();
            if (change == NetlinkWatch::Change::lost)
                log.logger->warn("network notifications were lost; checking afresh");
            // The first change arms the timer and later ones do not move it, so a
            // flapping link still gets a run per debounce period.
            if (change != NetlinkWatch::Change::none && !settling) {
                settling = true;
                loop->arm(settle, agent.debounce());
            }
        }
        if (fired(settle)) {
            settling = false;
            agent.requestRun("network");
        }
        if (files && ev.ready[kFiles] && files->drain() && !reloading) {
            // Like the network: the first change arms the timer, later ones wait for it.
            reloading = true;
            loop->arm(reload_timer, options.reload_delay);
        }
        if (fired(reload_timer)) {
            reloading = false;
            reload("file changed");
        }
    }

    systemd.stopping();
    log.logger->info("driftkoll agent stopping");
    if (options.on_stopping)
        callHook(*log.logger, "on_stopping", [&] { options.on_stopping(agent); });
    return rc;
}

}  // namespace dk
