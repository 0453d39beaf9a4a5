// The background agent (`driftkoll agent`): the checklist run once at start,
// periodically, when the network changes and on request, by one worker thread;
// and the event loop that drives it.
//
// Threads: the loop (runAgent's caller), the worker (hands each run to the
// CheckFn: in the installed agent a child process, see check_job.h), and
// whatever threads the hooks start (the API server calls the AgentCore methods
// from its own). The loop sleeps in poll() on descriptors only — signals
// (signalfd), one-shot timers for the periodic run, the network debounce and the
// config reload delay (timerfd), network changes (netlink), the config file
// (inotify) and the worker (eventfd) — so between runs nothing wakes up.
//
// Coalescing: requests while a run is asked for join it; requests while a run
// is going ask for exactly one more run after it (the running one may not see
// what changed). A burst of clicks is one run, or two.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "agent/os/event_loop.h"
#include "agent/resident/agent_core.h"
#include "agent/check/check_job.h"
#include "agent/decide/texts.h"

namespace spdlog {
class logger;
}

namespace dk {

class Agent;

struct AgentOptions {
    // The configuration file; "" = config::findUserConfig(), else the built-in profile.
    std::string config_path;
    // Periodic runs, and how long network changes settle before a run. Unset: the
    // config's [agent] interval and debounce (re-read on reload).
    std::optional<std::chrono::milliseconds> interval;
    std::optional<std::chrono::milliseconds> debounce;
    // A changed config file is read this long after the first change event, so
    // that a file being written is read once, whole.
    std::chrono::milliseconds reload_delay{500};
    std::string state_dir;  // holds incident.json; "" = IncidentStore::defaultPath()'s directory
    std::string cache_dir;  // the maintenance feed's last good copy; "" = defaultCacheDir()
    std::string log_dir;    // rotating log files; "" = defaultLogDir()
    Lang lang = Lang::sv;   // of the reports the agent keeps and serves
    // Loads the configuration and performs each run: childProcessConfig() and
    // childProcessCheck() (child_check.h) in the agent, loadAgentConfig and
    // inProcessCheck() (agent_run.h) in tests. Both required.
    ConfigFn load_config;
    CheckFn check;
    // The workstation's name in the fleet metrics; "" = hostName().
    std::string host_name;
    // The agent refuses to run as root (uid 0) unless this is set (the tests).
    bool allow_root = false;

    // Hooks. What on_report, on_started and on_stopping throw is logged and
    // otherwise ignored.
    // After every run that gave a report, on the worker thread: the history.
    std::function<void(const Json& report)> on_report;
    // AgentCore::history() and exportBundle(), called as they are (on the API's
    // threads). Unset: the last 20 runs kept in memory; an error saying that no
    // bundle is available.
    std::function<Json(int limit, bool full)> history;
    std::function<AgentCore::Bundle()> export_bundle;
    // runAgent only, on the loop thread: once the agent has started (the start run
    // is asked for), before READY=1 — start the API server here; and when the loop
    // has stopped, before the agent is torn down — stop it here.
    std::function<void(Agent&)> on_started;
    std::function<void(Agent&)> on_stopping;
};

// The configuration in force and the fate of the latest load.
struct ConfigStatus {
    std::string source;               // Config::source of the configuration in force
    std::string profile;              // its profile name
    std::string file;                 // the file it came from; "" = the built-in profile
    std::uint64_t loads = 0;          // loads tried, the first included
    std::vector<std::string> errors;  // of the latest load when it failed ("file:line:col: ...")
};

class Agent final : public AgentCore {
public:
    // `log` must not be null (makeAgentLog() makes one).
    Agent(AgentOptions options, std::shared_ptr<spdlog::logger> log);
    // Stops the worker; a run in progress is finished first (bounded by its deadline).
    ~Agent() override;
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    // Loads the configuration, starts the worker and asks for the start run.
    // False (errors logged) when there is no usable configuration, or no ConfigFn
    // or CheckFn.
    bool start();

    // Asks for a run, joining one already asked for; never waits. `reason` is for
    // the log ("periodic", "network", ...).
    void requestRun(std::string_view reason);

    // Reads the configuration again. A configuration that fails to load is logged
    // with every error and the one in force stays; false then. A changed one is
    // taken and a run asked for.
    bool reload();

    ConfigStatus configStatus() const;
    std::shared_ptr<const AgentConfig> config() const;
    // The file a reload reads; "" = the built-in profile.
    std::string configFile() const;
    // The files whose change a reload must see: the one named by --config, else
    // every place a configuration may be (config/config_paths.h) and the file in use.
    std::vector<std::string> configWatchPaths() const;
    // The effective periodic interval and network debounce.
    std::chrono::milliseconds interval() const;
    std::chrono::milliseconds debounce() const;
    // One line on the latest run for systemd's STATUS=; "" before the first.
    std::string statusLine() const;

    // Asks runAgent's loop to stop (as SIGTERM does).
    void requestStop();
    bool stopRequested() const;
    // Readable (eventfd) when the loop has something to look at: a run finished,
    // or a stop was asked for. The loop reads it to clear it.
    int wakeFd() const { return wake_ ? wake_->fd() : -1; }
    const std::string& wakeError() const { return wake_error_; }
    void clearWake();

    // AgentCore
    std::optional<Json> lastReport() override;
    std::optional<Json> runNow(std::chrono::milliseconds wait) override;
    Json history(int limit, bool full) override;
    std::optional<std::string> setAnswers(const Answers& answers) override;
    std::uint64_t generation() override;
    std::uint64_t waitForChange(std::uint64_t seen, std::chrono::milliseconds timeout) override;
    void cancelWaits() override;
    Bundle exportBundle() override;

private:
    struct Kept {
        Json summary;
        Json report;
    };

    void work();
    void requestRunLocked(std::string_view reason);
    void wakeLoop();
    std::string resolveConfigFile() const;
    std::string statePath() const;
    bool load(bool initial);
    void noteRun(std::uint64_t seq, const std::string& reasons, const CheckDone& done);

    const AgentOptions options_;
    const std::shared_ptr<spdlog::logger> log_;
    std::string wake_error_;  // why there is no wake-up, when there is none
    const std::unique_ptr<Wakeup> wake_;
    const std::string host_name_;

    mutable std::mutex mu_;
    std::condition_variable work_cv_;  // the worker waits for requests
    std::condition_variable done_cv_;  // runNow/waitForChange wait for finished runs
    std::shared_ptr<const AgentConfig> config_;
    ConfigStatus config_status_;
    Answers answers_;                    // the user's answers for the current incident
    std::uint64_t answers_version_ = 0;  // bumped by setAnswers
    bool pending_ = false;               // a run is asked for and has not started
    std::vector<std::string> pending_reasons_;
    std::uint64_t started_ = 0;     // runs started
    std::uint64_t finished_ = 0;    // runs finished: the generation
    std::uint64_t report_seq_ = 0;  // the run last_report_ came from
    std::optional<Json> last_report_;
    std::deque<Kept> kept_;  // newest first
    std::string status_line_;
    bool stopping_ = false;         // the worker is to leave
    bool waits_cancelled_ = false;  // runNow/waitForChange return at once
    bool stop_requested_ = false;   // the loop is to leave
    std::thread worker_;
};

// The `driftkoll agent` main loop, in the calling thread; returns when SIGTERM or
// SIGINT arrives or requestStop() is called. SIGTERM, SIGINT and SIGHUP are blocked
// in the calling thread (and so in every thread it starts; they stay blocked there
// after the return) and read through a signalfd: call this before starting other
// threads. SIGHUP reloads the config.
// Tells systemd READY=1, RELOADING=1, STOPPING=1 and STATUS= when NOTIFY_SOCKET
// is set. Returns 0 after a clean stop, 1 when the loop could not be set up, 2
// when run as root without allow_root or without a usable configuration.
int runAgent(const AgentOptions& options);

}  // namespace dk
