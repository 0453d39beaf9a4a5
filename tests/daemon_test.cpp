// The background agent: the runs it makes (at start, periodic, on request, on
// network changes), coalescing, answers, config reload, logging into a full
// disk, signals, systemd notifications, and that it sleeps between runs. The
// network stack is a stand-in (fakes.h) except in the namespace tests, which
// pull a real veth cable.
#include <catch2/catch.hpp>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "agent/cli/agent_run.h"
#include "agent/resident/child_check.h"
#include "agent/resident/daemon.h"
#include "agent/os/file_watch.h"
#include "agent/os/netlink_watch.h"
#include "agent/resident/logging.h"
#include "probes/probe.h"
#include "tests/support/fakes.h"
#include "tests/support/netns.h"
#include "tests/support/slowdown.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

using namespace dk;
using namespace std::chrono_literals;
using Catch::Contains;

using dk::test::TempDir;

namespace {

// Replaces a file the way editors and configuration management do: a new file
// renamed over the old one.
void replaceFile(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".new";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
    }
    std::filesystem::rename(tmp, path);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A configuration without systems: a run is the local checks only, and fast.
std::string configText(const std::string& profile) {
    return "profile = \"" + profile +
           "\"\n"
           "[network]\n"
           "nameservers = [\"127.0.0.1\"]\n"
           "[clock]\n"
           "reference = \"\"\n";
}

// Polls `done` every 10 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

// A network stack that takes its time to answer, and counts the snapshots begun.
class SlowNet final : public NetInspector {
public:
    explicit SlowNet(std::chrono::milliseconds delay) : delay_(delay) {}
    NetSnapshot snapshot() override {
        ++begun;
        std::this_thread::sleep_for(delay_);
        return test::FakeNet(true).snapshot();
    }
    std::atomic<int> begun{0};

private:
    std::chrono::milliseconds delay_;
};

// A temporary directory with a config file, state, cache and log directories,
// stand-ins for the network, and a hook that counts the reports.
struct Bench {
    TempDir dir;
    std::string config_dir = dir.str() + "/config";
    std::string config_path = config_dir + "/driftkoll.toml";
    std::string log_dir = dir.str() + "/log";
    std::shared_ptr<std::atomic<int>> reports = std::make_shared<std::atomic<int>>(0);
    AgentOptions options;

    explicit Bench(std::shared_ptr<NetInspector> net = std::make_shared<test::FakeNet>(true)) {
        std::filesystem::create_directories(config_dir);
        replaceFile(config_path, configText("first"));
        options.config_path = config_path;
        options.state_dir = dir.str() + "/state";
        options.cache_dir = dir.str() + "/cache";
        options.log_dir = log_dir;
        options.allow_root = true;
        options.interval = 10min;
        options.debounce = 200ms;
        options.reload_delay = 100ms;
        RunnerDeps deps;
        deps.net = std::move(net);
        deps.pinger = std::make_shared<test::SilentPinger>();
        deps.resolver = std::make_shared<test::MapResolver>();
        deps.name_servers = [](std::string*) { return std::vector<std::string>{}; };
        options.load_config = loadAgentConfig;
        options.check = inProcessCheck(std::move(deps));
        auto counter = reports;
        options.on_report = [counter](const Json&) { ++*counter; };
    }

    AgentLog log() const {
        LogOptions lo;
        lo.dir = log_dir;
        lo.journal = false;
        return makeAgentLog(lo);
    }
};

// runAgent() on its own thread (inside a network namespace when one is given),
// with a handle on the Agent it makes and on the loop's thread for signals.
class RunningAgent {
public:
    explicit RunningAgent(AgentOptions options, const test::NetNs* ns = nullptr) {
        options.on_started = [this](Agent& a) {
            std::lock_guard lock(mu_);
            agent_ = &a;
            loop_ = pthread_self();
            cv_.notify_all();
        };
        thread_ = std::thread([this, options, ns] {
            int rc = ns ? ns->inside([&] { return runAgent(options); }) : runAgent(options);
            std::lock_guard lock(mu_);
            rc_ = rc;
            agent_ = nullptr;
            cv_.notify_all();
        });
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return agent_ != nullptr || rc_.has_value(); });
    }

    ~RunningAgent() { stop(); }

    // The running agent; valid until stop().
    Agent& agent() {
        REQUIRE(agent_ != nullptr);
        return *agent_;
    }

    // Sends a signal to the loop's thread, as `kill` would to the process.
    void signal(int sig) {
        std::lock_guard lock(mu_);
        REQUIRE(agent_ != nullptr);
        pthread_kill(loop_, sig);
    }

    // Waits for runAgent to return and gives its exit code.
    int join() {
        if (thread_.joinable())
            thread_.join();
        return rc_.value_or(-1);
    }

    int stop() {
        {
            std::lock_guard lock(mu_);
            if (agent_)
                agent_->requestStop();
        }
        return join();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    Agent* agent_ = nullptr;
    pthread_t loop_{};
    std::optional<int> rc_;
    std::thread thread_;
};

// The threads of this process now, by id.
std::set<std::string> threadIds() {
    std::set<std::string> ids;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
        ids.insert(task.path().filename().string());
    return ids;
}

// Context switches of the threads of this process that are not in `old`: each
// time a sleeping thread wakes up, one more.
long long wakeupsOfNewThreads(const std::set<std::string>& old) {
    long long total = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        if (old.count(task.path().filename().string()))
            continue;
        std::ifstream status(task.path() / "status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
                line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
                total += std::stoll(line.substr(line.find(':') + 1));
        }
    }
    return total;
}

}  // namespace

TEST_CASE("the agent runs the checklist once at start") {
    Bench b;
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    CHECK(agent.waitForChange(0, 10s) == 1);
    auto report = agent.lastReport();
    REQUIRE(report);
    CHECK((*report)["profile"]["name"] == "first");
    CHECK((*report)["diagnosis"].contains("domain"));
    CHECK(*b.reports == 1);
    CHECK(agent.statusLine().find("last check") == 0);
}

TEST_CASE("a burst of twenty clicks is one run, or two, never twenty") {
    auto net = std::make_shared<SlowNet>(300ms);
    Bench b(net);
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);
    const int before = *b.reports;

    std::vector<std::thread> clicks;
    std::atomic<int> answered{0};
    for (int i = 0; i < 20; ++i)
        clicks.emplace_back([&] {
            if (agent.runNow(10s))
                ++answered;
        });
    for (auto& t : clicks) t.join();

    const int runs = *b.reports - before;
    CHECK(answered == 20);
    CHECK(runs >= 1);
    CHECK(runs <= 2);
}

TEST_CASE("runNow returns the report of a run that started after the call") {
    auto net = std::make_shared<SlowNet>(300ms);
    Bench b(net);
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);

    // A first click starts a run; a second click while it is going must not get
    // that run's report, which began before the click.
    std::optional<Json> first;
    std::thread click([&] { first = agent.runNow(10s); });
    REQUIRE(eventually([&] { return net->begun == 2; }, 5s));
    std::this_thread::sleep_for(2ms);
    const std::string clicked_at = nowIsoUtc();
    std::optional<Json> second = agent.runNow(10s);
    click.join();

    REQUIRE(first);
    REQUIRE(second);
    const std::string first_at = (*first)["generated_at"];
    const std::string second_at = (*second)["generated_at"];
    CHECK(first_at < clicked_at);
    CHECK(second_at > clicked_at);
    CHECK(agent.generation() == 3);
}

TEST_CASE("runNow gives up after its wait and the run goes on") {
    auto net = std::make_shared<SlowNet>(500ms);
    Bench b(net);
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);
    CHECK_FALSE(agent.runNow(50ms));
    CHECK(agent.waitForChange(1, 10s) == 2);
}

TEST_CASE("answers set through the agent are in the report of the run they ask for") {
    Bench b;
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);

    Answers answers;
    answers.login = "refused";
    answers.other_computer = "works";
    CHECK_FALSE(agent.setAnswers(answers));
    REQUIRE(agent.waitForChange(1, 10s) == 2);
    auto report = agent.lastReport();
    REQUIRE(report);
    CHECK((*report)["answers"]["login"] == "refused");
    CHECK((*report)["answers"]["other_computer"] == "works");
}

TEST_CASE("answers still count for the open incident after the agent restarts") {
    Bench b(std::make_shared<test::FakeNet>(false));  // cable out: an incident opens
    {
        AgentLog log = b.log();
        Agent agent(b.options, log.logger);
        REQUIRE(agent.start());
        REQUIRE(agent.waitForChange(0, 10s) == 1);
        Answers answers;
        answers.same_computer_colleague = "fails";
        REQUIRE_FALSE(agent.setAnswers(answers));
        REQUIRE(agent.waitForChange(1, 10s) == 2);
        auto report = agent.runNow(10s);  // the answers stay while the incident lasts
        REQUIRE(report);
        CHECK((*report)["answers"]["same_computer_colleague"] == "fails");
    }
    AgentLog log = b.log();
    Agent again(b.options, log.logger);
    REQUIRE(again.start());
    REQUIRE(again.waitForChange(0, 10s) == 1);
    CHECK((*again.lastReport())["answers"]["same_computer_colleague"] == "fails");
}

TEST_CASE("an answer outside the allowed values is refused and asks for no run") {
    Bench b;
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);

    Answers answers;
    answers.login = "maybe";
    auto problem = agent.setAnswers(answers);
    REQUIRE(problem);
    CHECK_THAT(*problem, Contains("login"));
    CHECK(agent.waitForChange(1, 300ms) == 1);
}

TEST_CASE("without hooks the history is the last runs in memory and there is no bundle") {
    Bench b;
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);
    REQUIRE(agent.runNow(10s));
    REQUIRE(agent.runNow(10s));

    Json summaries = agent.history(2, false);
    REQUIRE(summaries.size() == 2);
    for (const char* key : {"at", "domain", "action", "case_code", "duration_ms"})
        CHECK(summaries[0].contains(key));
    // Newest first (two fast runs may share a millisecond; the full list below
    // pins the order by content).
    CHECK(summaries[0]["at"] >= summaries[1]["at"]);
    Json full = agent.history(10, true);
    REQUIRE(full.size() == 3);
    CHECK(full[0] == *agent.lastReport());

    AgentCore::Bundle bundle = agent.exportBundle();
    CHECK(bundle.path.empty());
    CHECK_FALSE(bundle.error.empty());
}

TEST_CASE("the history and bundle hooks answer for the agent") {
    Bench b;
    b.options.history = [](int limit, bool full) { return Json{{"limit", limit}, {"full", full}}; };
    b.options.export_bundle = [] { return AgentCore::Bundle{"/tmp/bundle.zip", ""}; };
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    CHECK(agent.history(7, true) == Json{{"limit", 7}, {"full", true}});
    CHECK(agent.exportBundle().path == "/tmp/bundle.zip");
}

TEST_CASE("a hook that throws is logged and the agent goes on") {
    Bench b;
    b.options.on_report = [](const Json&) { throw std::runtime_error("boom"); };
    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);
    CHECK(agent.runNow(10s));
    CHECK_THAT(readFile(b.log_dir + "/driftkoll.log"), Contains("boom"));
}

TEST_CASE("periodic runs come at the configured interval") {
    Bench b;
    b.options.interval = 200ms;
    RunningAgent running(b.options);
    Agent& agent = running.agent();
    CHECK(eventually([&] { return agent.generation() >= 4; }, 10s));
    CHECK(running.stop() == 0);
}

TEST_CASE("a broken config is reported and the one in force stays, then a fixed one is taken") {
    Bench b;
    RunningAgent running(b.options);
    Agent& agent = running.agent();
    REQUIRE(agent.waitForChange(0, 10s) >= 1);
    REQUIRE(agent.configStatus().profile == "first");

    replaceFile(b.config_path, "profile = \"second\"\n[network]\nnameservers = 5\n");
    REQUIRE(eventually([&] { return agent.configStatus().loads == 2; }, 5s));
    ConfigStatus status = agent.configStatus();
    CHECK(status.profile == "first");
    CHECK(agent.config()->profile == "first");
    REQUIRE_FALSE(status.errors.empty());
    CHECK_THAT(status.errors[0], Contains(b.config_path + ":3:"));
    CHECK_THAT(readFile(b.log_dir + "/driftkoll.log"), Contains(status.errors[0]));
    auto report = agent.runNow(10s);
    REQUIRE(report);
    CHECK((*report)["profile"]["name"] == "first");

    const std::uint64_t seen = agent.generation();
    replaceFile(b.config_path, configText("third"));
    REQUIRE(eventually([&] { return agent.configStatus().loads == 3; }, 5s));
    status = agent.configStatus();
    CHECK(status.profile == "third");
    CHECK(status.errors.empty());
    // A new configuration brings a run of its own.
    REQUIRE(agent.waitForChange(seen, 10s) > seen);
    CHECK((*agent.lastReport())["profile"]["name"] == "third");
    CHECK(running.stop() == 0);
}

TEST_CASE("a configuration that appears, changes and goes after start is taken each time") {
    // Without --config the agent takes the user's file, else the system's; neither
    // folder of the user's exists at start, as on a newly set up computer.
    Bench b;
    const std::string user_dir = b.dir.str() + "/home/.config/driftkoll";
    const std::string user_file = user_dir + "/driftkoll.toml";
    const std::string system_dir = b.dir.str() + "/etc";
    std::filesystem::create_directories(system_dir + "/driftkoll");
    replaceFile(system_dir + "/driftkoll/driftkoll.toml", configText("system"));
    const test::ScopedEnv config_home("XDG_CONFIG_HOME", b.dir.str() + "/home/.config");
    const test::ScopedEnv config_dirs("XDG_CONFIG_DIRS", system_dir);
    b.options.config_path.clear();
    b.options.load_config = loadAgentConfig;

    RunningAgent running(b.options);
    Agent& agent = running.agent();
    REQUIRE(agent.configStatus().profile == "system");
    const auto profileBecomes = [&](const std::string& profile) {
        return eventually([&] { return agent.configStatus().profile == profile; }, 5s);
    };

    // Deployed: the folders and the file, as `install -D` makes them.
    std::filesystem::create_directories(user_dir);
    replaceFile(user_file, configText("deployed"));
    CHECK(profileBecomes("deployed"));
    CHECK(agent.configFile() == user_file);
    // Replaced by rename, as deployment tools write files.
    replaceFile(user_file, configText("renamed"));
    CHECK(profileBecomes("renamed"));
    // Edited in place.
    {
        std::ofstream in_place(user_file, std::ios::trunc);
        in_place << configText("edited");
    }
    CHECK(profileBecomes("edited"));
    // Broken: reported with its place, and the last good one stays.
    replaceFile(user_file, "profile = \"broken\"\n[network]\nnameservers = 5\n");
    REQUIRE(eventually([&] { return !agent.configStatus().errors.empty(); }, 5s));
    CHECK_THAT(agent.configStatus().errors[0], Contains(user_file + ":3:"));
    CHECK(agent.configStatus().profile == "edited");
    // Removed: the system's file is in force again.
    std::filesystem::remove(user_file);
    CHECK(profileBecomes("system"));
    CHECK(agent.configStatus().errors.empty());
    CHECK(running.stop() == 0);
}

TEST_CASE("after a check child that crashes, hangs or writes garbage the agent goes on") {
    Bench b;
    // A one-second run deadline: the hanging child is killed 300 ms after it.
    replaceFile(b.config_path, configText("first") + "[deadlines]\nrun = \"1s\"\n");
    const std::string crash = b.dir.str() + "/crash", hang = b.dir.str() + "/hang",
                      garbage = b.dir.str() + "/garbage";
    replaceFile(crash, "#!/bin/sh\necho 'it broke' >&2; kill -SEGV $$\n");
    replaceFile(hang, "#!/bin/sh\nexec sleep 30\n");
    replaceFile(garbage, "#!/bin/sh\ncat >/dev/null; echo 'not a report'\n");
    for (const auto& f : {crash, hang, garbage})
        std::filesystem::permissions(f, std::filesystem::perms::owner_all);
    // The start run's child crashes, the next hangs, the third writes garbage; the
    // fourth is a real check.
    const std::vector<CheckFn> children = {childProcessCheck(crash, 300ms),
                                           childProcessCheck(hang, 300ms),
                                           childProcessCheck(garbage, 300ms)};
    const CheckFn normal = b.options.check;
    auto runs = std::make_shared<std::atomic<std::size_t>>(0);
    b.options.check = [children, normal, runs](const CheckJob& job) {
        const std::size_t n = (*runs)++;
        return n < children.size() ? children[n](job) : normal(job);
    };

    RunningAgent running(b.options);
    Agent& agent = running.agent();
    REQUIRE(agent.waitForChange(0, 10s) >= 1);
    CHECK_FALSE(agent.lastReport());

    const auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(agent.runNow(dk::test::scaled(10s)));
    // Killed at its deadline, not after the half minute it would sleep.
    CHECK(std::chrono::steady_clock::now() - started < dk::test::scaled(10s));
    CHECK_FALSE(agent.runNow(dk::test::scaled(10s)));
    const auto report = agent.runNow(dk::test::scaled(10s));
    REQUIRE(report);
    CHECK((*report)["profile"]["name"] == "first");
    CHECK(running.stop() == 0);

    // Each failed run is in the log with its reason.
    const std::string log = readFile(b.log_dir + "/driftkoll.log");
    CHECK_THAT(log, Contains("check 1 (start) failed: the check process (" + crash +
                             ") killed by signal 11"));
    CHECK_THAT(log, Contains("it broke"));
    CHECK_THAT(log, Contains("check 2 (request) failed: the check process (" + hang + ")"));
    CHECK_THAT(log, Contains("was killed"));
    CHECK_THAT(log, Contains("check 3 (request) failed: the check process (" + garbage +
                             ") wrote no report that can be read"));
    CHECK_THAT(log, Contains("check 4 (request): all_ok"));
}

TEST_CASE("SIGHUP reloads the configuration") {
    Bench b;
    b.options.reload_delay = 1h;  // the file watch alone would not reload during the test
    RunningAgent running(b.options);
    Agent& agent = running.agent();
    REQUIRE(agent.waitForChange(0, 10s) >= 1);

    replaceFile(b.config_path, configText("after-hup"));
    running.signal(SIGHUP);
    REQUIRE(eventually([&] { return agent.configStatus().loads == 2; }, 5s));
    CHECK(agent.configStatus().profile == "after-hup");
    CHECK(running.stop() == 0);
}

TEST_CASE("SIGTERM stops the agent promptly and cleanly") {
    Bench b;
    RunningAgent running(b.options);
    REQUIRE(running.agent().waitForChange(0, 10s) >= 1);
    const auto t0 = std::chrono::steady_clock::now();
    running.signal(SIGTERM);
    CHECK(running.join() == 0);
    // A wall-clock window on purpose: "promptly" means it does not wait for a run or
    // a timer; stopping itself takes milliseconds, the window allows a slow machine.
    CHECK(std::chrono::steady_clock::now() - t0 < dk::test::scaled(2s));
    CHECK_THAT(readFile(b.log_dir + "/driftkoll.log"), Contains("stopping"));
}

TEST_CASE("an agent without a usable configuration does not start") {
    Bench b;
    replaceFile(b.config_path, "profile = 5\n");
    RunningAgent running(b.options);
    CHECK(running.join() == 2);
    CHECK_THAT(readFile(b.log_dir + "/driftkoll.log"), Contains(b.config_path + ":1:"));
}

TEST_CASE("the agent refuses to run as root") {
    if (geteuid() != 0) {
        WARN("skipped: not root");
        return;
    }
    Bench b;
    b.options.allow_root = false;
    CHECK(runAgent(b.options) == 2);
    CHECK(*b.reports == 0);
}

TEST_CASE("systemd is told when the agent is ready, what it found, and when it stops") {
    Bench b;
    const std::string socket_path = b.dir.str() + "/notify";
    int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    REQUIRE(sock >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
    REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);

    setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
    {
        RunningAgent running(b.options);
        REQUIRE(running.agent().waitForChange(0, 10s) >= 1);
        // The loop tells STATUS= after it has seen the run finish.
        REQUIRE(running.agent().runNow(10s));
        CHECK(running.stop() == 0);
    }
    unsetenv("NOTIFY_SOCKET");

    std::string said;
    char buf[4096];
    for (ssize_t n; (n = recv(sock, buf, sizeof buf, 0)) > 0;)
        said.append(buf, static_cast<size_t>(n)).append("\n");
    close(sock);
    CHECK_THAT(said, Contains("READY=1"));
    CHECK_THAT(said, Contains("STATUS=last check"));
    CHECK_THAT(said, Contains("STOPPING=1"));
}

TEST_CASE("with the log disk full, checks go on and reports keep coming") {
    if (geteuid() != 0) {
        WARN("skipped: mounting a small tmpfs needs root");
        return;
    }
    Bench b;
    std::filesystem::create_directories(b.log_dir);
    if (mount("tmpfs", b.log_dir.c_str(), "tmpfs", 0, "size=64k") != 0) {
        WARN("skipped: cannot mount a tmpfs: " << std::strerror(errno));
        return;
    }
    struct Unmount {
        std::string dir;
        ~Unmount() { umount2(dir.c_str(), MNT_DETACH); }
    } unmount{b.log_dir};
    {
        std::ofstream filler(b.log_dir + "/filler", std::ios::binary);
        const std::string block(4096, 'x');
        while (filler.write(block.data(), static_cast<std::streamsize>(block.size())).flush()) {
        }
    }

    AgentLog log = b.log();
    Agent agent(b.options, log.logger);
    REQUIRE(agent.start());
    REQUIRE(agent.waitForChange(0, 10s) == 1);
    for (int i = 0; i < 5; ++i) CHECK(agent.runNow(10s));
    CHECK(agent.generation() == 6);
    CHECK(*b.reports == 6);
    CHECK(log.failures->count() > 0);
}

TEST_CASE("between scheduled runs the agent does not wake up") {
    // In a namespace of its own when there is one, so that no network change of
    // this machine wakes it legitimately.
    std::optional<test::NetNs> ns;
    if (test::netnsAvailable())
        ns.emplace();
    Bench b;
    b.options.interval = 10s;
    // Only the agent's threads count (not this one, nor a sanitizer's). TSan starts
    // its background thread (awake every 100 ms) at the process's first thread:
    // start one first, so that it is there to be left out.
    std::thread([] {}).join();
    const std::set<std::string> others = threadIds();
    RunningAgent running(b.options, ns ? &*ns : nullptr);
    REQUIRE(running.agent().waitForChange(0, 10s) >= 1);
    std::this_thread::sleep_for(200ms);  // the start run's threads finish

    const long long before = wakeupsOfNewThreads(others);
    std::this_thread::sleep_for(1s);
    const long long wakeups = wakeupsOfNewThreads(others) - before;
    INFO("wake-ups in one idle second: " << wakeups);
    CHECK(wakeups <= 3);
    CHECK(running.agent().generation() == 1);
    CHECK(running.stop() == 0);
}

TEST_CASE("a veth cable pulled out brings a run within the debounce") {
    DK_NEEDS_NETNS();
    test::NetNs host, peer;
    // No IPv6: its address and router events would bring runs of their own.
    for (const auto* ns : {&host, &peer}) {
        ns->exec("sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
        ns->exec("sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
    }
    test::sh("ip -n " + host.name() + " link add name dk0 type veth peer name dk1 netns " +
             peer.name());
    host.exec("ip addr add 10.199.7.2/24 dev dk0");
    host.exec("ip link set dk0 up");
    peer.exec("ip link set dk1 up");

    Bench b;
    // The real program in a child process, as the installed agent runs it: it
    // checks with the real network stack of the namespace.
    b.options.check = childProcessCheck(DK_DRIFTKOLL_BIN);
    b.options.debounce = 300ms;
    RunningAgent running(b.options, &host);
    Agent& agent = running.agent();
    REQUIRE(agent.waitForChange(0, 10s) == 1);
    CHECK((*agent.lastReport())["diagnosis"]["domain"] != "no_link");

    peer.exec("ip link set dk1 down");
    // The debounce, the run (no remote checks without a link) and a margin.
    REQUIRE(agent.waitForChange(1, 5s) == 2);
    CHECK((*agent.lastReport())["diagnosis"]["domain"] == "no_link");
    CHECK_THAT(readFile(b.log_dir + "/driftkoll.log"), Contains("(network)"));
    CHECK(running.stop() == 0);
}

TEST_CASE("a netlink watch reports a new address as a change and silence as none") {
    DK_NEEDS_NETNS();
    test::NetNs ns;
    std::string err;
    auto watch = ns.inside([&] { return NetlinkWatch::open(&err); });
    REQUIRE(watch);
    CHECK(watch->drain() == NetlinkWatch::Change::none);

    ns.exec("ip addr add 10.199.8.1/32 dev lo");
    pollfd p{watch->fd(), POLLIN, 0};
    REQUIRE(poll(&p, 1, 2000) == 1);
    CHECK(watch->drain() == NetlinkWatch::Change::changed);
    CHECK(watch->drain() == NetlinkWatch::Change::none);
}

TEST_CASE("a burst that overflows the netlink buffer is reported as lost, to resync") {
    DK_NEEDS_NETNS();
    test::NetNs ns;
    std::string err;
    auto watch = ns.inside([&] { return NetlinkWatch::open(&err, 4096); });
    REQUIRE(watch);

    TempDir dir;
    {
        std::ofstream batch(dir.str() + "/batch");
        for (int i = 1; i <= 200; ++i) batch << "addr add 10.199.9." << i << "/32 dev lo\n";
    }
    test::sh("ip -n " + ns.name() + " -batch " + dir.str() + "/batch");
    CHECK(watch->drain() == NetlinkWatch::Change::lost);
    // The socket goes on working after the loss.
    ns.exec("ip addr add 10.199.10.1/32 dev lo");
    pollfd p{watch->fd(), POLLIN, 0};
    REQUIRE(poll(&p, 1, 2000) == 1);
    CHECK(watch->drain() == NetlinkWatch::Change::changed);
}

TEST_CASE("a file watch sees its file replaced and ignores the other files beside it") {
    TempDir dir;
    const std::string path = dir.str() + "/driftkoll.toml";
    std::string err;
    auto watch = FileWatch::open({path}, &err);
    REQUIRE(watch);
    CHECK_FALSE(watch->drain());

    replaceFile(dir.str() + "/other.toml", "x");
    CHECK_FALSE(watch->drain());
    replaceFile(path, "profile = \"x\"\n");
    CHECK(watch->drain());
    std::filesystem::remove(path);
    CHECK(watch->drain());
}

TEST_CASE("a file watch follows folders made after it started, down to the file") {
    TempDir dir;
    const std::string deep = dir.str() + "/xdg/driftkoll";
    const std::string path = deep + "/driftkoll.toml";
    std::string err;
    auto watch = FileWatch::open({path, dir.str() + "/etc/driftkoll/driftkoll.toml"}, &err);
    REQUIRE(watch);
    CHECK_FALSE(watch->drain());

    replaceFile(dir.str() + "/unrelated.toml", "x");
    CHECK_FALSE(watch->drain());
    std::filesystem::create_directory(dir.str() + "/xdg");
    CHECK(watch->drain());
    std::filesystem::create_directory(deep);
    CHECK(watch->drain());
    replaceFile(deep + "/other.toml", "x");
    CHECK_FALSE(watch->drain());
    replaceFile(path, "profile = \"x\"\n");
    CHECK(watch->drain());
    {
        std::ofstream in_place(path, std::ios::app);
        in_place << "# edited\n";
    }
    CHECK(watch->drain());

    // The folder goes, and comes back: the watch follows it down again.
    std::filesystem::remove_all(dir.str() + "/xdg");
    CHECK(watch->drain());
    std::filesystem::create_directories(deep);
    CHECK(watch->drain());
    replaceFile(path, "profile = \"y\"\n");
    CHECK(watch->drain());
}

TEST_CASE("a file watch on a path that names no file says why") {
    std::string err;
    CHECK_FALSE(FileWatch::open({"/tmp/driftkoll-dir/"}, &err));
    CHECK_THAT(err, Contains("/tmp/driftkoll-dir/"));
}
