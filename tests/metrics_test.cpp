// Fleet metrics: the Prometheus text of a hand-built outcome, label escaping,
// the atomic textfile, and promtool's verdict on the text and on the example
// alert rules in packaging/prometheus/.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "agent/resident/metrics.h"
#include "tests/support/temp_dir.h"

using namespace dk;
namespace fs = std::filesystem;

using dk::test::TempDir;

namespace {

const MetricsLabels kVivalla{"Vivalla", "viv-01"};

// One attempt with the given status, timings and evidence.
ProbeResult attempt(Status status, std::map<std::string, double> timings_ms,
                    Json evidence = Json::object()) {
    ProbeResult r;
    r.status = status;
    r.timings_ms = std::move(timings_ms);
    r.evidence = std::move(evidence);
    r.duration_ms = r.timings_ms.count("total") ? r.timings_ms.at("total") : 0;
    return r;
}

Check systemCheck(const std::string& kind, const std::string& system, Status status,
                  std::vector<ProbeResult> attempts, std::vector<Problem> problems = {}) {
    Check c;
    c.id = kind + ":" + system;
    c.kind = kind;
    c.system = system;
    c.status = status;
    c.problems = std::move(problems);
    c.attempts = std::move(attempts);
    return c;
}

// TES answers over IPv4 with a certificate; "vard" answers 503 twice (the
// confirmation re-probe); "na" is an outside site checked over TCP; the
// intranet has no endpoint. Link and clock checks carry no system metrics.
Outcome sampleOutcome() {
    Outcome o;
    o.run.started_at = "2026-11-28T13:00:00.250Z";
    o.run.duration_ms = 1234.5;

    Check link;
    link.id = link.kind = "link";
    link.status = Status::pass;
    o.run.checks.push_back(link);

    const Json tes_evidence = {{"system", "tes"},
                               {"status_code", 200},
                               {"family", "ipv4"},
                               {"tls", {{"not_after", "2027-01-15T12:00:00Z"}}}};
    o.run.checks.push_back(systemCheck(
        "http", "tes", Status::pass,
        {attempt(Status::pass,
                 {{"dns", 12}, {"connect", 8.5}, {"tls", 40}, {"first_byte", 95}, {"total", 160}},
                 tes_evidence)}));
    o.run.checks.push_back(systemCheck(
        "http", "vard", Status::fail,
        {attempt(Status::fail, {{"dns", 30}, {"connect", 9}, {"first_byte", 300}, {"total", 350}},
                 {{"status_code", 503}, {"family", "ipv6"}}),
         attempt(Status::fail, {{"dns", 4}, {"connect", 2}, {"first_byte", 250}, {"total", 260}},
                 {{"status_code", 503}, {"family", "ipv6"}})},
        {Problem::http_server_error}));
    o.run.checks.push_back(
        systemCheck("tcp", "na", Status::pass,
                    {attempt(Status::pass, {{"dns", 5}, {"connect", 20}}, {{"family", "ipv4"}})}));
    o.run.checks.push_back(
        systemCheck("http", "intranat", Status::not_run, {}, {Problem::not_configured}));

    Check clock = systemCheck("clock", "tes", Status::pass, {attempt(Status::pass, {})});
    clock.id = "clock";
    o.run.checks.push_back(clock);

    using config::Role;
    o.diagnosis.domain = Domain::service_down;
    o.diagnosis.systems = {"vard"};
    o.diagnosis.per_system = {{"tes", Role::primary, SystemState::ok, {}},
                              {"vard", Role::business, SystemState::down, {}},
                              {"na", Role::outside, SystemState::ok, {}},
                              {"intranat", Role::internal, SystemState::not_configured, {}}};
    o.advice.action = Action::call_oncall;

    Incident incident;
    incident.case_code = "K7M-4QX";
    incident.boot_ids = {"boot-a", "boot-b", "boot-c"};
    o.incident = incident;
    return o;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool hasLine(const std::string& text, const std::string& line) {
    for (const auto& l : lines(text))
        if (l == line)
            return true;
    return false;
}

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> filesIn(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
}

// promtool from PATH, or nullopt.
std::optional<std::string> findPromtool() {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/promtool";
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

CommandResult runShell(const std::string& command) {
    CommandResult r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.output.append(buf, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// Runs promtool with `args` (already quoted), or says why not and returns nullopt.
std::optional<CommandResult> promtool(const std::string& args) {
    const auto bin = findPromtool();
    if (!bin) {
        WARN("skipped: promtool not installed (apt-get install prometheus)");
        return std::nullopt;
    }
    return runShell(shellQuote(*bin) + " " + args);
}

}  // namespace

TEST_CASE("every configured system gets its success, with its role and the kind of check") {
    const std::string text = metricsText(sampleOutcome(), kVivalla);
    CHECK(hasLine(text, "# TYPE probe_success gauge"));
    CHECK(hasLine(
        text,
        R"(probe_success{site="Vivalla",host="viv-01",system="tes",role="primary",kind="http"} 1)"));
    CHECK(hasLine(
        text,
        R"(probe_success{site="Vivalla",host="viv-01",system="vard",role="business",kind="http"} 0)"));
    CHECK(hasLine(
        text,
        R"(probe_success{site="Vivalla",host="viv-01",system="na",role="outside",kind="tcp"} 1)"));
}

TEST_CASE("a system without an endpoint is reported as not configured and has no probe series") {
    const std::string text = metricsText(sampleOutcome(), kVivalla);
    CHECK(hasLine(
        text,
        R"(driftkoll_system_configured{site="Vivalla",host="viv-01",system="intranat",role="internal"} 0)"));
    CHECK(hasLine(
        text,
        R"(driftkoll_system_configured{site="Vivalla",host="viv-01",system="tes",role="primary"} 1)"));
    for (const auto& line : lines(text))
        if (line.rfind("probe_", 0) == 0)
            CHECK_FALSE(mentions(line, "intranat"));
}

TEST_CASE("the clock and the local checks add no system series") {
    const std::string text = metricsText(sampleOutcome(), kVivalla);
    CHECK_FALSE(mentions(text, "kind=\"clock\""));
    CHECK_FALSE(mentions(text, "system=\"link\""));
}

TEST_CASE("the durations are the last attempt's, the whole attempt and each phase it reached") {
    const std::string text = metricsText(sampleOutcome(), kVivalla);
    CHECK(
        hasLine(text, R"(probe_duration_seconds{site="Vivalla",host="viv-01",system="tes"} 0.16)"));
    CHECK(hasLine(
        text,
        R"(probe_phase_duration_seconds{site="Vivalla",host="viv-01",system="tes",phase="dns"} 0.012)"));
    CHECK(hasLine(
        text,
        R"(probe_phase_duration_seconds{site="Vivalla",host="viv-01",system="tes",phase="connect"} 0.0085)"));
    CHECK(hasLine(
        text,
        R"(probe_phase_duration_seconds{site="Vivalla",host="viv-01",system="tes",phase="tls"} 0.04)"));
    CHECK(hasLine(
        text,
        R"(probe_phase_duration_seconds{site="Vivalla",host="viv-01",system="tes",phase="first_byte"} 0.095)"));
    // The confirmation re-probe of "vard" decides: its timings, not the first attempt's.
    CHECK(hasLine(text,
                  R"(probe_duration_seconds{site="Vivalla",host="viv-01",system="vard"} 0.26)"));
    CHECK(hasLine(
        text,
        R"(probe_phase_duration_seconds{site="Vivalla",host="viv-01",system="vard",phase="dns"} 0.004)"));
    // A plain http answer has no TLS phase.
    CHECK_FALSE(mentions(text, R"(system="vard",phase="tls")"));
}

TEST_CASE("a TCP check without a total timing reports the attempt's own duration") {
    Outcome o = sampleOutcome();
    o.run.checks[3].attempts[0].duration_ms = 27;
    const std::string text = metricsText(o, kVivalla);
    CHECK(
        hasLine(text, R"(probe_duration_seconds{site="Vivalla",host="viv-01",system="na"} 0.027)"));
    CHECK(hasLine(
        text,
        R"(probe_phase_duration_seconds{site="Vivalla",host="viv-01",system="na",phase="connect"} 0.02)"));
}

TEST_CASE("the HTTP status, the address family and the certificate expiry are reported") {
    const std::string text = metricsText(sampleOutcome(), kVivalla);
    CHECK(
        hasLine(text, R"(probe_http_status_code{site="Vivalla",host="viv-01",system="tes"} 200)"));
    CHECK(
        hasLine(text, R"(probe_http_status_code{site="Vivalla",host="viv-01",system="vard"} 503)"));
    CHECK_FALSE(
        mentions(text, R"(probe_http_status_code{site="Vivalla",host="viv-01",system="na"})"));
    CHECK(hasLine(text, R"(probe_ip_protocol{site="Vivalla",host="viv-01",system="tes"} 4)"));
    CHECK(hasLine(text, R"(probe_ip_protocol{site="Vivalla",host="viv-01",system="vard"} 6)"));
    // tls.not_after 2027-01-15T12:00:00Z
    CHECK(hasLine(
        text,
        R"(probe_ssl_earliest_cert_expiry{site="Vivalla",host="viv-01",system="tes"} 1800014400)"));
    CHECK_FALSE(mentions(
        text, R"(probe_ssl_earliest_cert_expiry{site="Vivalla",host="viv-01",system="vard"})"));
}

TEST_CASE("an HTTP check that got no answer reports status code 0") {
    Outcome o = sampleOutcome();
    o.run.checks[2].attempts.back().evidence = {{"family", "ipv6"}};
    const std::string text = metricsText(o, kVivalla);
    CHECK(hasLine(text, R"(probe_http_status_code{site="Vivalla",host="viv-01",system="vard"} 0)"));
}

TEST_CASE("a certificate seen by an earlier attempt is still reported when the last one saw none") {
    Outcome o = sampleOutcome();
    auto& tes = o.run.checks[1];
    tes.attempts.push_back(attempt(Status::fail, {{"dns", 3}, {"total", 3000}}));
    const std::string text = metricsText(o, kVivalla);
    CHECK(hasLine(
        text,
        R"(probe_ssl_earliest_cert_expiry{site="Vivalla",host="viv-01",system="tes"} 1800014400)"));
}

TEST_CASE("a system not attempted because this computer's network is down counts as failing") {
    Outcome o = sampleOutcome();
    o.run.checks[1] =
        systemCheck("http", "tes", Status::not_run, {}, {Problem::skipped_prerequisite});
    const std::string text = metricsText(o, kVivalla);
    CHECK(hasLine(
        text,
        R"(probe_success{site="Vivalla",host="viv-01",system="tes",role="primary",kind="http"} 0)"));
    CHECK_FALSE(
        mentions(text, R"(probe_duration_seconds{site="Vivalla",host="viv-01",system="tes"})"));
}

TEST_CASE("a slow system that works counts as working") {
    Outcome o = sampleOutcome();
    o.run.checks[1].status = Status::warn;
    o.run.checks[1].problems = {Problem::slow};
    CHECK(hasLine(
        metricsText(o, kVivalla),
        R"(probe_success{site="Vivalla",host="viv-01",system="tes",role="primary",kind="http"} 1)"));
}

TEST_CASE("the run's verdict, duration, time and incident are reported") {
    const std::string text = metricsText(sampleOutcome(), kVivalla);
    CHECK(hasLine(text,
                  R"(driftkoll_diagnosis{site="Vivalla",host="viv-01",domain="service_down"} 1)"));
    CHECK(
        hasLine(text, R"(driftkoll_advice{site="Vivalla",host="viv-01",action="call_oncall"} 1)"));
    CHECK(
        hasLine(text, R"(driftkoll_check_duration_seconds{site="Vivalla",host="viv-01"} 1.2345)"));
    // 2026-11-28T13:00:00.250Z
    CHECK(hasLine(
        text,
        R"(driftkoll_last_run_timestamp_seconds{site="Vivalla",host="viv-01"} 1795870800.25)"));
    CHECK(hasLine(text, R"(driftkoll_incident_open{site="Vivalla",host="viv-01"} 1)"));
    CHECK(hasLine(text, R"(driftkoll_incident_restarts{site="Vivalla",host="viv-01"} 2)"));
    CHECK(mentions(text, R"(driftkoll_build_info{site="Vivalla",host="viv-01",version=")"));
    CHECK(hasLine(text, R"(driftkoll_up{site="Vivalla",host="viv-01"} 1)"));
}

TEST_CASE("without an incident the incident gauges are 0") {
    Outcome o = sampleOutcome();
    o.incident.reset();
    const std::string text = metricsText(o, kVivalla);
    CHECK(hasLine(text, R"(driftkoll_incident_open{site="Vivalla",host="viv-01"} 0)"));
    CHECK(hasLine(text, R"(driftkoll_incident_restarts{site="Vivalla",host="viv-01"} 0)"));
}

TEST_CASE("every metric family has one HELP and one TYPE line, right before its samples") {
    const auto all = lines(metricsText(sampleOutcome(), kVivalla));
    std::vector<std::string> families;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].rfind("# HELP ", 0) != 0)
            continue;
        const std::string name = all[i].substr(7, all[i].find(' ', 7) - 7);
        for (const auto& seen : families) CHECK(seen != name);
        families.push_back(name);
        REQUIRE(i + 2 < all.size());
        CHECK(all[i + 1] == "# TYPE " + name + " gauge");
        CHECK(all[i + 2].rfind(name + "{", 0) == 0);
    }
    CHECK(families.size() == 15);
}

TEST_CASE("a family without samples is left out entirely") {
    Outcome o;
    const std::string text = metricsText(o, kVivalla);
    CHECK_FALSE(mentions(text, "probe_"));
    CHECK_FALSE(mentions(text, "driftkoll_system_configured"));
    // An outcome without a start time has no last-run timestamp to report.
    CHECK_FALSE(mentions(text, "driftkoll_last_run_timestamp_seconds"));
    CHECK(hasLine(text, R"(driftkoll_diagnosis{site="Vivalla",host="viv-01",domain="all_ok"} 1)"));
}

TEST_CASE("label values escape quotes, backslashes and line feeds, and keep å, ä and ö") {
    const MetricsLabels odd{"Hemtjänst \"Väst\"\\Örebro", "ws\n01"};
    const std::string text = metricsText(sampleOutcome(), odd);
    CHECK(hasLine(text, R"(driftkoll_up{site="Hemtjänst \"Väst\"\\Örebro",host="ws\n01"} 1)"));
    Outcome o = sampleOutcome();
    o.run.checks[1].system = "tes \"nya\"";
    o.diagnosis.per_system[0].id = "tes \"nya\"";
    CHECK(hasLine(
        metricsText(o, kVivalla),
        R"(probe_success{site="Vivalla",host="viv-01",system="tes \"nya\"",role="primary",kind="http"} 1)"));
}

TEST_CASE("a stopped agent leaves only driftkoll_up 0") {
    const auto all = lines(stoppedMetricsText(kVivalla));
    REQUIRE(all.size() == 3);
    CHECK(all[1] == "# TYPE driftkoll_up gauge");
    CHECK(all[2] == R"(driftkoll_up{site="Vivalla",host="viv-01"} 0)");
}

TEST_CASE(
    "writeTextfile replaces the file whole, 0644 whatever the umask, and leaves no temporary") {
    TempDir dir;
    const std::string path = dir / "driftkoll.prom";
    const mode_t old_umask = ::umask(077);
    std::string err;
    const bool first = writeTextfile(path, "first\n", &err);
    const bool second = writeTextfile(path, "second\n", &err);
    ::umask(old_umask);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(err.empty());
    CHECK(readFile(path) == "second\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);
    CHECK(filesIn(dir.path()) == std::vector<std::string>{"driftkoll.prom"});
}

TEST_CASE("writeTextfile into a missing directory fails, names the file and leaves nothing") {
    TempDir dir;
    const std::string path = dir / "missing/driftkoll.prom";
    std::string err;
    CHECK_FALSE(writeTextfile(path, "x\n", &err));
    CHECK(mentions(err, path));
    CHECK(mentions(err, "No such file or directory"));
    CHECK(filesIn(dir.path()).empty());
}

TEST_CASE("writeTextfile that cannot put the file in place removes its temporary") {
    TempDir dir;
    // A directory with something in it where the file should go: the rename fails.
    const std::string path = dir / "driftkoll.prom";
    fs::create_directory(path);
    std::ofstream(path + "/keep") << "x";
    std::string err;
    CHECK_FALSE(writeTextfile(path, "new\n", &err));
    CHECK(mentions(err, path));
    CHECK(filesIn(dir.path()) == std::vector<std::string>{"driftkoll.prom"});
}

TEST_CASE("promtool check metrics accepts the metrics of a run and of a stopped agent") {
    TempDir dir;
    const std::string running = dir / "running.prom", stopped = dir / "stopped.prom";
    const MetricsLabels odd{"Hemtjänst \"Väst\"\\Örebro", "ws\n01"};
    REQUIRE(writeTextfile(running, metricsText(sampleOutcome(), odd), nullptr));
    REQUIRE(writeTextfile(stopped, stoppedMetricsText(kVivalla), nullptr));
    for (const auto& file : {running, stopped}) {
        const auto r = promtool("check metrics < " + shellQuote(file));
        if (!r)
            return;
        INFO(file << ":\n" << r->output);
        CHECK(r->exit_code == 0);
        CHECK(r->output.empty());
    }
}

TEST_CASE("promtool check rules accepts the example alert rules") {
    const auto r = promtool("check rules " + shellQuote(DK_PROMETHEUS_DIR "/driftkoll-alerts.yml"));
    if (!r)
        return;
    INFO(r->output);
    CHECK(r->exit_code == 0);
    CHECK(mentions(r->output, "SUCCESS"));
}

TEST_CASE("promtool test rules passes the example alert rules' unit tests") {
    const auto r =
        promtool("test rules " + shellQuote(DK_PROMETHEUS_DIR "/driftkoll-alerts.test.yml"));
    if (!r)
        return;
    INFO(r->output);
    CHECK(r->exit_code == 0);
    CHECK(mentions(r->output, "SUCCESS"));
}
