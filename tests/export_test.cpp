// The diagnostic bundle: made from real history, incident and log files in a
// temporary directory, and read back with Poco's zip reader.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "agent/resident/export.h"
#include "agent/resident/history.h"
#include "agent/check/incident_store.h"
#include "config/loader.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

using namespace dk;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using dk::test::TempDir;

namespace {

constexpr const char* kProxyPassword = "Hemligt123";


std::string isoUtc(std::chrono::system_clock::time_point t) {
    const std::time_t s = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return buf;
}

Json report(const std::string& at, const std::string& domain, const std::string& action) {
    Json j;
    j["generated_at"] = at;
    j["run"] = {{"duration_ms", 640}};
    j["diagnosis"] = {{"domain", domain}, {"systems", {"tes"}}};
    j["advice"] = {{"action", action},
                   {"text", "Ring 20 00 och be om jourhavande datatekniker."},
                   {"case_code", domain == "all_ok" ? Json() : Json("K7M-4QX")}};
    j["answers"] = {{"login", "refused"}};
    return j;
}

// The zip's files by name.
std::map<std::string, std::string> readZip(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    Poco::Zip::ZipArchive archive(in);
    std::map<std::string, std::string> files;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        if (!it->second.isFile())
            continue;
        Poco::Zip::ZipInputStream zin(in, it->second);
        files[it->first] = {std::istreambuf_iterator<char>(zin), std::istreambuf_iterator<char>()};
    }
    return files;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A computer in trouble: three runs in the history (fine, then TES down twice),
// an open incident with the user's answer, two log files, a proxy with a password.
struct Scene {
    TempDir dir;
    config::Config config;
    ExportOptions options;

    Scene() {
        const auto now = std::chrono::system_clock::now();
        {
            auto opened = History::open(dir / "history.sqlite");
            REQUIRE(opened.history);
            REQUIRE(opened.history->add(report(isoUtc(now - 20min), "all_ok", "none"), nullptr));
            REQUIRE(opened.history->add(report(isoUtc(now - 10min), "service_down", "call_oncall"),
                                        nullptr));
            REQUIRE(
                opened.history->add(report(isoUtc(now), "service_down", "call_oncall"), nullptr));
        }
        Incident inc;
        inc.case_code = "K7M-4QX";
        inc.first_seen = isoUtc(now - 10min);
        inc.last_seen = isoUtc(now);
        inc.domain = "service_down";
        inc.systems = {"tes"};
        inc.first_boot_id = "boot-a";
        inc.boot_ids = {"boot-a", "boot-b"};
        inc.answers.login = "refused";
        inc.answers.other_computer = "fails";
        inc.answers_at = isoUtc(now - 5min);
        std::string err;
        REQUIRE(IncidentStore(dir / "incident.json").save(inc, &err));

        fs::create_directories(dir / "logs/old");
        std::ofstream(dir / "logs/driftkoll.log") << "run 1: service_down\n";
        std::ofstream(dir / "logs/driftkoll.log.1") << "run 0: all_ok\n";
        fs::create_symlink("/etc/hostname", dir / "logs/elsewhere.log");

        auto loaded = config::loadBuiltin();
        REQUIRE(loaded.ok());
        config = *loaded.config;
        config.network.proxy =
            std::string("http://anna:") + kProxyPassword + "@proxy.kommun.se:8080";

        options.out_path = dir / "bundle.zip";
        options.history_path = dir / "history.sqlite";
        options.incident_path = dir / "incident.json";
        options.log_dir = dir / "logs";
        options.config = &config;
    }
};

}  // namespace

TEST_CASE("The bundle holds the summary, the reports, the logs, the config and the system facts") {
    Scene scene;
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    CHECK(result.path == scene.options.out_path);
    REQUIRE(fs::exists(result.path));
    struct stat st {};
    REQUIRE(::stat(result.path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);

    const auto files = readZip(result.path);
    std::vector<std::string> names;
    for (const auto& [name, data] : files) names.push_back(name);
    REQUIRE(names.size() == 8);
    CHECK(names[0] == "config.toml");
    CHECK(names[1] == "logs/driftkoll.log");
    CHECK(names[2] == "logs/driftkoll.log.1");
    const std::regex report_name(R"(reports/00[123]-\d{8}T\d{6}Z\.json)");
    CHECK(std::regex_match(names[3], report_name));
    CHECK(std::regex_match(names[4], report_name));
    CHECK(std::regex_match(names[5], report_name));
    CHECK(names[6] == "summary.txt");
    CHECK(names[7] == "system.json");

    std::vector<std::string> entries = result.entries;
    std::sort(entries.begin(), entries.end());
    CHECK(entries == names);

    // Oldest first: the run that found everything fine is number 1.
    const Json first = Json::parse(files.at(names[3]));
    CHECK(first["diagnosis"]["domain"] == "all_ok");
    CHECK(files.at("logs/driftkoll.log") == "run 1: service_down\n");
    CHECK(std::none_of(files.begin(), files.end(),
                       [](const auto& f) { return contains(f.first, "elsewhere"); }));
    CHECK(std::none_of(fs::directory_iterator(scene.dir.path()), fs::directory_iterator(),
                       [](const auto& e) { return contains(e.path().string(), ".tmp-"); }));
}

TEST_CASE("The summary names the case code, since when, the restarts, the answers and the advice") {
    Scene scene;
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const std::string summary = readZip(result.path).at("summary.txt");
    CHECK(contains(summary, "Ärendekod: K7M-4QX"));
    CHECK(contains(summary, "Case code: K7M-4QX"));
    CHECK(contains(summary, "service_down (tes) since "));
    CHECK(contains(summary, "Restarts since the problem began: 1"));
    CHECK(contains(summary, "Omstarter sedan problemet började: 1"));
    CHECK(contains(summary, "login=refused"));
    CHECK(contains(summary, "other_computer=fails"));
    CHECK(contains(summary, "First failing run of the current spell: "));
    CHECK(contains(summary, "all_ok ×1, service_down ×2"));
    CHECK(contains(summary, "Advice given last: call_oncall"));
    CHECK(contains(summary, "Ring 20 00 och be om jourhavande datatekniker."));
    CHECK(contains(summary, "3 runs kept, the latest 3 in the bundle"));
    CHECK(contains(summary, "Where the evidence is"));
    // Swedish first, then English.
    CHECK(summary.find("Vad som är fel") < summary.find("What is wrong"));
}

TEST_CASE("No password of a proxy appears anywhere in the bundle") {
    Scene scene;
    test::ScopedEnv https_proxy("https_proxy", "http://bob:EnvSecret9@envproxy.kommun.se:3128");
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const auto files = readZip(result.path);

    const std::string& toml = files.at("config.toml");
    CHECK_FALSE(contains(toml, kProxyPassword));
    CHECK_FALSE(contains(toml, "anna"));
    CHECK(contains(toml, "proxy.kommun.se:8080"));
    CHECK(contains(toml, "secrets redacted: network.proxy (user name, password)"));
    CHECK(toml.rfind("# ", 0) == 0);

    const Json system = Json::parse(files.at("system.json"));
    const std::string env_proxy = system["proxy_environment"]["https_proxy"];
    CHECK(contains(env_proxy, "envproxy.kommun.se:3128"));
    CHECK_FALSE(contains(env_proxy, "bob"));
    for (const auto& [name, data] : files) {
        INFO(name);
        CHECK_FALSE(contains(data, kProxyPassword));
        CHECK_FALSE(contains(data, "EnvSecret9"));
    }
}

TEST_CASE("A config without secrets goes in unchanged, saying there was nothing to redact") {
    Scene scene;
    scene.config.network.proxy = "http://proxy.kommun.se:8080";
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const std::string toml = readZip(result.path).at("config.toml");
    INFO(toml);
    CHECK(contains(toml, "no secrets to redact"));
    CHECK(contains(toml, "proxy = 'http://proxy.kommun.se:8080'"));
    // The rest of the text is the config as `driftkoll config show` renders it.
    CHECK(contains(toml, config::renderToml(scene.config)));
}

TEST_CASE("system.json describes the computer: boot id, OS, interfaces and versions") {
    Scene scene;
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const Json system = Json::parse(readZip(result.path).at("system.json"), nullptr, false);
    REQUIRE_FALSE(system.is_discarded());
    CHECK(system["boot_id"].is_string());
    CHECK(system["host_name"].is_string());
    CHECK(system["kernel"].get<std::string>().rfind("Linux ", 0) == 0);
    CHECK(system["uptime_seconds"].get<double>() > 0);
    CHECK(system["os"].is_object());
    REQUIRE(system["interfaces"].is_array());
    CHECK_FALSE(system["interfaces"].empty());  // at least the loopback
    CHECK(system["addresses"].is_array());
    CHECK(system["routes"].is_array());
    CHECK(system["neighbours"].is_array());
    CHECK(system["name_servers"].is_array());
    CHECK(system["versions"]["driftkoll"].is_string());
    CHECK_FALSE(system["versions"]["libcurl"].get<std::string>().empty());
    CHECK(contains(system["versions"]["openssl"].get<std::string>(), "OpenSSL"));
    CHECK_FALSE(system["versions"]["c-ares"].get<std::string>().empty());
    CHECK(system["versions"]["sqlite"].get<std::string>().rfind("3.", 0) == 0);
}

TEST_CASE("A bundle is made without a history, and its summary says there is none") {
    Scene scene;
    scene.options.history_path = scene.dir / "no-such-history.sqlite";
    scene.options.incident_path = scene.dir / "no-such-incident.json";
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    CHECK_FALSE(fs::exists(scene.options.history_path));  // reading created nothing
    const auto files = readZip(result.path);
    CHECK(files.count("summary.txt") == 1);
    CHECK(files.count("system.json") == 1);
    CHECK(std::none_of(files.begin(), files.end(),
                       [](const auto& f) { return f.first.rfind("reports/", 0) == 0; }));
    const std::string& summary = files.at("summary.txt");
    CHECK(contains(summary, "no history exists (" + scene.options.history_path + ")"));
    CHECK(contains(summary, "ingen historik finns"));
    CHECK(contains(summary, "Case code: none"));
    CHECK(contains(summary, "No open incident."));
}

TEST_CASE("A bundle is made from an empty history, and its summary says it is empty") {
    Scene scene;
    scene.options.history_path = scene.dir / "empty.sqlite";
    REQUIRE(History::open(scene.options.history_path).history);
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const std::string summary = readZip(result.path).at("summary.txt");
    CHECK(contains(summary, "the history is empty"));
    CHECK(contains(summary, "historiken är tom"));
    CHECK(contains(summary, "Advice given last: none (no report in the history)"));
    // The incident file still tells the case code.
    CHECK(contains(summary, "Case code: K7M-4QX"));
}

TEST_CASE("Without an incident file the newest report's incident is used") {
    Scene scene;
    const auto now = std::chrono::system_clock::now();
    Json r = report(isoUtc(now), "service_down", "call_oncall");
    r["incident"] = {{"case_code", "B2C-3DF"},   {"first_seen", isoUtc(now - 1h)},
                     {"last_seen", isoUtc(now)}, {"domain", "service_down"},
                     {"systems", {"tes"}},       {"first_boot_id", "a"},
                     {"boot_ids", {"a"}},        {"answers", Json::object()},
                     {"answers_at", ""},         {"restarts", 0}};
    {
        auto opened = History::open(scene.options.history_path);
        REQUIRE(opened.history);
        REQUIRE(opened.history->add(r, nullptr));
    }
    scene.options.incident_path = scene.dir / "no-such-incident.json";
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const std::string summary = readZip(result.path).at("summary.txt");
    CHECK(contains(summary, "Case code: B2C-3DF"));
    CHECK(contains(summary, "from the latest report"));
}

TEST_CASE("A large log file goes in with its end only") {
    Scene scene;
    const std::string big = std::string(1536 * 1024, 'a') + "the last line\n";
    std::ofstream(scene.dir / "logs/big.log") << big;
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    const std::string log = readZip(result.path).at("logs/big.log");
    CHECK(log.size() < 1024 * 1024 + 200);
    CHECK(log.rfind("[driftkoll export: ", 0) == 0);
    CHECK(log.substr(log.size() - 14) == "the last line\n");
}

TEST_CASE("Given a directory, the bundle is named after the host and the UTC time") {
    Scene scene;
    fs::create_directory(scene.dir / "out");
    scene.options.out_path = scene.dir / "out";
    const ExportResult result = exportBundle(scene.options);
    REQUIRE(result.error.empty());
    CHECK(fs::path(result.path).parent_path() == fs::path(scene.dir / "out"));
    CHECK(std::regex_match(fs::path(result.path).filename().string(),
                           std::regex(R"(driftkoll-[A-Za-z0-9._-]+-\d{8}T\d{6}Z\.zip)")));
    CHECK(fs::exists(result.path));
}

TEST_CASE("A bundle that cannot be written gives an error and leaves nothing behind") {
    Scene scene;
    std::ofstream(scene.dir / "plain-file") << "x";
    scene.options.out_path = scene.dir / "plain-file/bundle.zip";
    const ExportResult result = exportBundle(scene.options);
    CHECK(result.path.empty());
    CHECK(contains(result.error, "cannot write the diagnostic bundle"));
    CHECK(result.entries.empty());
}
