#include "agent/resident/daemon.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <spdlog/logger.h>

#include "agent/check/incident_store.h"
#include "agent/check/json_path.h"
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
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
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
    if (wake_fd_ >= 0)
        ::close(wake_fd_);
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
    const std::uint64_t one = 1;
    // Non-blocking: a counter already at its maximum has woken the loop anyway.
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
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

namespace {

// A file descriptor closed on scope exit.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// Reads the 8-byte counter of a timerfd or eventfd, which clears it.
void clearCounter(int fd) {
    std::uint64_t n = 0;
    while (::read(fd, &n, sizeof n) < 0 && errno == EINTR) {
    }
}

// Arms a one-shot timer (timers never repeat: each firing is re-armed on purpose).
void arm(int timer, std::chrono::milliseconds after) {
    const long long ms = std::max<long long>(after.count(), 1);
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(ms / 1000);
    spec.it_value.tv_nsec = static_cast<long>((ms % 1000) * 1000000);
    ::timerfd_settime(timer, 0, &spec, nullptr);
}

// sd_notify, only when systemd asked for it.
class Systemd {
public:
    Systemd() : enabled_(std::getenv("NOTIFY_SOCKET") != nullptr) {}

    void notify(const std::string& state) const {
        if (enabled_)
            ::sd_notify(0, state.c_str());
    }

    void reloading() const {
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
        notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
    }

private:
    bool enabled_;
};

}  // namespace

int runAgent(const AgentOptions& options) {
    if (::geteuid() == 0 && !options.allow_root) {
        std::fputs(
            "driftkoll agent: agenten körs som användaren, aldrig som root / "
            "the agent runs as the user, never as root\n",
            stderr);
        return 2;
    }

    // Blocked before any thread starts, so that every thread inherits the mask and
    // the signals reach the signalfd only.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    LogOptions log_options;
    log_options.dir = options.log_dir.empty() ? defaultLogDir() : options.log_dir;
    log_options.console = ::isatty(STDERR_FILENO) == 1;
    const AgentLog log = makeAgentLog(log_options);

    Fd sigfd(::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));
    Fd periodic(::timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK | TFD_CLOEXEC));
    Fd settle(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    Fd reload_timer(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (sigfd.get() < 0 || periodic.get() < 0 || settle.get() < 0 || reload_timer.get() < 0) {
        log.logger->critical("the event loop cannot be set up: {}", std::strerror(errno));
        return 1;
    }

    Agent agent(options, log.logger);
    if (agent.wakeFd() < 0) {
        log.logger->critical("the event loop cannot be set up: no eventfd");
        return 1;
    }
    // Subscribed before the start run, so that no change after its snapshot goes unseen.
    std::string err;
    std::unique_ptr<NetlinkWatch> net = NetlinkWatch::open(&err);
    if (!net)
        log.logger->warn("network changes are not watched ({}); periodic runs only", err);
    if (!agent.start())
        return 2;
    log.logger->info("driftkoll agent started (pid {}, profile {}, every {:g} s)", ::getpid(),
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

    const Systemd systemd;
    auto reload = [&](const char* why) {
        systemd.reloading();
        log.logger->info("reloading the configuration ({})", why);
        agent.reload();
        watchConfig();
        systemd.notify("READY=1");
    };

    if (options.on_started)
        callHook(*log.logger, "on_started", [&] { options.on_started(agent); });
    systemd.notify("READY=1\nSTATUS=first check running");

    enum Slot { kSignals, kWake, kPeriodic, kSettle, kReload, kNet, kFiles, kSlots };
    std::uint64_t seen = 0;
    bool settling = false;   // the network debounce timer is armed
    bool reloading = false;  // the config reload timer is armed
    bool stop = false;
    int rc = 0;
    while (!stop) {
        pollfd fds[kSlots] = {};
        fds[kSignals].fd = sigfd.get();
        fds[kWake].fd = agent.wakeFd();
        fds[kPeriodic].fd = periodic.get();
        fds[kSettle].fd = settle.get();
        fds[kReload].fd = reload_timer.get();
        fds[kNet].fd = net ? net->fd() : -1;  // poll() skips negative descriptors
        fds[kFiles].fd = files ? files->fd() : -1;
        for (pollfd& p : fds) p.events = POLLIN;
        if (::poll(fds, kSlots, -1) < 0) {
            if (errno == EINTR)
                continue;
            log.logger->critical("poll failed: {}", std::strerror(errno));
            rc = 1;
            break;
        }

        if (fds[kSignals].revents & POLLIN) {
            signalfd_siginfo si{};
            while (::read(sigfd.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
                if (si.ssi_signo == SIGHUP) {
                    reload("SIGHUP");
                } else {
                    log.logger->info("signal {}: stopping",
                                     ::strsignal(static_cast<int>(si.ssi_signo)));
                    stop = true;
                }
            }
        }
        if (fds[kWake].revents & POLLIN) {
            clearCounter(agent.wakeFd());
            if (agent.stopRequested())
                stop = true;
            if (const std::uint64_t g = agent.generation(); g != seen) {
                // A run finished, whatever asked for it: the next periodic one is due
                // one interval from now.
                seen = g;
                arm(periodic.get(), agent.interval());
                systemd.notify("STATUS=" + agent.statusLine());
            }
        }
        if (fds[kPeriodic].revents & POLLIN) {
            clearCounter(periodic.get());
            agent.requestRun("periodic");
        }
        if (net && (fds[kNet].revents & (POLLIN | POLLERR))) {
            const NetlinkWatch::Change change = net->drain();
            if (change == NetlinkWatch::Change::lost)
                log.logger->warn("network notifications were lost; checking afresh");
            // The first change arms the timer and later ones do not move it, so a
            // flapping link still gets a run per debounce period.
            if (change != NetlinkWatch::Change::none && !settling) {
                settling = true;
                arm(settle.get(), agent.debounce());
            }
        }
        if (fds[kSettle].revents & POLLIN) {
            clearCounter(settle.get());
            settling = false;
            agent.requestRun("network");
        }
        if (files && (fds[kFiles].revents & POLLIN) && files->drain() && !reloading) {
            // Like the network: the first change arms the timer, later ones wait for it.
            reloading = true;
            arm(reload_timer.get(), options.reload_delay);
        }
        if (fds[kReload].revents & POLLIN) {
            clearCounter(reload_timer.get());
            reloading = false;
            reload("file changed");
        }
    }

    systemd.notify("STOPPING=1");
    log.logger->info("driftkoll agent stopping");
    if (options.on_stopping)
        callHook(*log.logger, "on_stopping", [&] { options.on_stopping(agent); });
    return rc;
}

}  // namespace dk
