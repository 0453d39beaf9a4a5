// The resident agent and its child processes: runProgram() with real programs,
// the check and the configuration done by the real `driftkoll` in a child, and
// the real `driftkoll agent` process — which must never map the network stack.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "agent/cli/api_client.h"
#include "agent/check/check_job.h"
#include "agent/resident/child_check.h"
#include "agent/os/run_program.h"
#include "tests/support/netns.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using Catch::Contains;
using dk::test::TempDir;

namespace {

std::string readAll(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

void writeFile(const std::string& path, const std::string& text, bool executable = false) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    if (executable)
        ::chmod(path.c_str(), 0755);
}

dk::ProgramResult sh(const std::string& script, const std::string& input = "",
                     std::chrono::milliseconds timeout = 10s) {
    dk::ProgramRun run;
    run.argv = {"/bin/sh", "-c", script};
    run.input = input;
    run.timeout = timeout;
    return dk::runProgram(run);
}

// A job for the check children: the built-in profile's text, files in `dir`.
dk::CheckJob jobIn(const TempDir& dir, std::chrono::milliseconds deadline = 4s) {
    dk::CheckJob job;
    job.config.source = "test";
    job.config.profile = "test";
    job.config.text = readAll(DK_DEFAULT_PROFILE_FILE);
    job.config.run_deadline = deadline;
    job.state_path = dir.str() + "/incident.json";
    job.cache_dir = dir.str() + "/cache";
    return job;
}

}  // namespace

TEST_CASE("a program's input, output, errors and exit code come back whole") {
    // More than a pipe holds, both ways at once: neither side may block the other.
    std::string input(3 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < input.size(); i += 1000) input[i] = '\n';
    auto r = sh("cat; echo 'to stderr' >&2; exit 3", input);
    REQUIRE(r.started);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 3);
    CHECK(r.signal == 0);
    CHECK(r.out == input);
    CHECK(r.err == "to stderr\n");
    CHECK_FALSE(r.ok());
    CHECK(r.describe() == "exit code 3");
}

TEST_CASE("a program that runs past its time is killed and said to be") {
    const auto start = std::chrono::steady_clock::now();
    auto r = sh("echo started; exec sleep 30", "", 300ms);
    CHECK(std::chrono::steady_clock::now() - start < 10s);
    CHECK(r.timed_out);
    CHECK(r.signal == SIGKILL);
    CHECK(r.out == "started\n");
    CHECK_FALSE(r.ok());
}

TEST_CASE("a child gets default signals even when the caller blocks them") {
    // The agent blocks SIGTERM for its signalfd; a check child must still stop on it.
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &term, &old);
    auto r = sh("kill -TERM $$; sleep 5; echo survived");
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    CHECK(r.signal == SIGTERM);
    CHECK(r.out.empty());
    CHECK_THAT(r.describe(), Contains("signal 15"));
}

TEST_CASE("a child gets no descriptors of ours beyond its standard three") {
    // A descriptor without O_CLOEXEC, as libraries leave them.
    const int fd = ::dup2(STDERR_FILENO, 57);
    REQUIRE(fd == 57);
    auto r = sh("ls /proc/self/fd");
    ::close(fd);
    REQUIRE(r.ok());
    std::istringstream lines(r.out);
    std::string line;
    int others = 0;
    while (std::getline(lines, line)) {
        CHECK(line != "57");
        if (line != "0" && line != "1" && line != "2")
            ++others;
    }
    CHECK(others <= 1);  // ls's own descriptor for the listing
}

TEST_CASE("output beyond the cap is cut off and said so") {
    dk::ProgramRun run;
    run.argv = {"/bin/sh", "-c", "head -c 100000 /dev/zero"};
    run.max_output = 1000;
    auto r = dk::runProgram(run);
    CHECK(r.ok());
    CHECK(r.out.size() == 1000);
    CHECK(r.truncated);
}

TEST_CASE("a process left behind holding the output is not waited for") {
    const auto start = std::chrono::steady_clock::now();
    auto r = sh("sleep 20 & echo done");
    CHECK(std::chrono::steady_clock::now() - start < 10s);
    CHECK(r.ok());
    CHECK(r.out == "done\n");
    CHECK_FALSE(r.timed_out);
}

TEST_CASE("a program that is not there is an error, not a crash") {
    dk::ProgramRun run;
    run.argv = {"/nonexistent/driftkoll"};
    auto r = dk::runProgram(run);
    CHECK_FALSE(r.started);
    CHECK_THAT(r.error, Contains("/nonexistent/driftkoll"));
    CHECK_THAT(r.describe(), Contains("could not be started"));
}

TEST_CASE("a check child that fails, hangs or writes no report is a failed run, never a report") {
    TempDir dir("child");
    const std::string hang = dir.str() + "/hang", garbage = dir.str() + "/garbage",
                      crash = dir.str() + "/crash";
    writeFile(hang, "#!/bin/sh\nexec sleep 30\n", true);
    writeFile(garbage, "#!/bin/sh\ncat >/dev/null; echo 'not a report'\n", true);
    writeFile(crash, "#!/bin/sh\necho 'it broke' >&2; kill -SEGV $$\n", true);
    const dk::CheckJob job = jobIn(dir, 0ms);

    auto hung = dk::childProcessCheck(hang, 300ms)(job);
    CHECK_FALSE(hung.report);
    CHECK_THAT(hung.error, Contains("killed"));

    auto bad = dk::childProcessCheck(garbage)(job);
    CHECK_FALSE(bad.report);
    CHECK_THAT(bad.error, Contains("no report"));

    auto crashed = dk::childProcessCheck(crash)(job);
    CHECK_FALSE(crashed.report);
    CHECK_THAT(crashed.error, Contains("signal 11"));
    CHECK(crashed.log == "it broke");

    auto missing = dk::childProcessCheck(dir.str() + "/none")(job);
    CHECK_FALSE(missing.report);
    CHECK_THAT(missing.error, Contains("could not be started"));
}

TEST_CASE("the check child reads the job it is given and refuses one that is not a job") {
    dk::ProgramRun run;
    run.argv = {DK_DRIFTKOLL_BIN, "agent-run"};
    run.input = R"({"config": {"text": "x"}})";
    auto r = dk::runProgram(run);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("the check job has no whole config"));
    CHECK(r.out.empty());

    run.input = "not json";
    r = dk::runProgram(run);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("is not JSON"));
}

TEST_CASE("the check child checks with the configuration text it is given, not the file") {
    DK_NEEDS_NETNS();
    TempDir dir("child");
    dk::CheckJob job = jobIn(dir);
    // A profile name only this text has: the report must carry it.
    job.config.text += "\n";
    const auto at = job.config.text.find("profile = \"");
    REQUIRE(at != std::string::npos);
    job.config.text.insert(at + 11, "given-");
    dk::test::NetNs ns;  // no link at all: the run ends at once, nothing leaves
    auto done = ns.inside([&] { return dk::childProcessCheck(DK_DRIFTKOLL_BIN)(job); });
    INFO(done.error << "\n" << done.log);
    REQUIRE(done.report);
    CHECK((*done.report)["diagnosis"]["domain"] == "no_link");
    CHECK_THAT((*done.report)["profile"]["name"].get<std::string>(), Contains("given-"));
    CHECK(std::filesystem::exists(job.state_path));  // the incident was written
}

TEST_CASE("the configuration is loaded by the full program, errors with their place") {
    TempDir dir("child");
    const std::string good = dir.str() + "/good.toml", bad = dir.str() + "/bad.toml";
    const std::string text = readAll(DK_DEFAULT_PROFILE_FILE) + "\n";
    writeFile(good, text);
    writeFile(bad, text + "[agent\n");
    dk::ConfigFn load = dk::childProcessConfig(DK_DRIFTKOLL_BIN);

    dk::ConfigLoad ok = load(good);
    INFO((ok.errors.empty() ? std::string() : ok.errors.front()));
    REQUIRE(ok.config);
    CHECK(ok.config->file == good);
    CHECK(ok.config->source == good);
    CHECK(ok.config->text == text);
    CHECK(ok.config->profile == "orebro");
    CHECK(ok.config->agent.interval == 5min);
    CHECK(ok.config->run_deadline > 0ms);

    dk::ConfigLoad broken = load(bad);
    CHECK_FALSE(broken.config);
    REQUIRE_FALSE(broken.errors.empty());
    CHECK_THAT(broken.errors.front(), Contains(bad + ":"));

    dk::ConfigLoad none = dk::childProcessConfig(dir.str() + "/none")(good);
    CHECK_FALSE(none.config);
    REQUIRE(none.errors.size() == 1);
    CHECK_THAT(none.errors.front(), Contains("could not be loaded"));
}

TEST_CASE("the running agent keeps its pid, answers, and never maps the network stack") {
    DK_NEEDS_NETNS();
    TempDir dir("resident");
    dk::test::NetNs ns;  // loopback only: each run ends at once with no_link
    const std::string config = dir.str() + "/driftkoll.toml";
    writeFile(config, readAll(DK_DEFAULT_PROFILE_FILE));
    const std::string runtime = dir.str() + "/run";
    std::filesystem::create_directories(runtime);
    ::chmod(runtime.c_str(), 0700);
    dk::test::Spawned agent({"/usr/bin/env", "XDG_RUNTIME_DIR=" + runtime,
                             "XDG_STATE_HOME=" + dir.str() + "/state",
                             "XDG_CACHE_HOME=" + dir.str() + "/cache", "ip", "netns", "exec",
                             ns.name(), DK_DRIFTKOLL_BIN, "agent", "--allow-root", "--config",
                             config},
                            dir.str() + "/agent.log");
    dk::ApiClient client(runtime + "/driftkoll/api.sock");
    dk::ApiResult report;
    for (int i = 0; i < 100 && !report.ok; ++i) {
        std::this_thread::sleep_for(100ms);
        report = client.report();
    }
    INFO(readAll(dir.str() + "/agent.log"));
    REQUIRE(report.ok);
    CHECK(report.body["diagnosis"]["domain"] == "no_link");

    // env, ip and driftkoll each became the next program: the pid is the agent's.
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(agent.pid()) + "/exe", ec);
    CHECK(exe.filename() == "driftkoll-agent");

    // A run on request, done by a child; the agent itself still maps none of it.
    auto run = client.run(10s);
    REQUIRE(run.ok);
    CHECK(run.body["diagnosis"]["domain"] == "no_link");
    const std::string maps = readAll("/proc/" + std::to_string(agent.pid()) + "/maps");
    REQUIRE_FALSE(maps.empty());
    for (const char* lib : {"libcurl", "libssl", "libcrypto", "libcares", "libical", "libPocoZip",
                            "libtomlplusplus", "libgnutls", "libnghttp2"}) {
        INFO(lib);
        CHECK(maps.find(lib) == std::string::npos);
    }

    auto history = client.history(10, false);
    REQUIRE(history.ok);
    CHECK(history.body.size() >= 2);

    // The bundle for IT, made by a child on request.
    auto bundle = client.exportBundle();
    INFO(bundle.body.dump());
    REQUIRE(bundle.ok);
    CHECK(std::filesystem::exists(bundle.body["path"].get<std::string>()));

    CHECK(agent.stop(SIGTERM, 10s) == 0);
    CHECK(readAll(dir.str() + "/agent.log").empty());  // nothing went wrong on the way
}
