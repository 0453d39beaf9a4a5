// The incident: the case code, the user's answers, the rule that ties runs together,
// and the file it lives in between runs (real files in a temporary directory).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "agent/decide/case_code.h"
#include "agent/check/incident_store.h"
#include "tests/support/temp_dir.h"

using namespace dk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using dk::test::TempDir;

namespace {

std::vector<std::string> filesIn(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

void writeFile(const fs::path& p, const std::string& text) {
    std::ofstream out(p);
    out << text;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned mode(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

Incident sampleIncident() {
    Incident inc;
    inc.case_code = "K7M-4QX";
    inc.first_seen = "2026-11-28T13:02:11Z";
    inc.last_seen = "2026-11-28T13:20:40Z";
    inc.domain = "service_down";
    inc.systems = {"tes"};
    inc.first_boot_id = "boot-a";
    inc.boot_ids = {"boot-a", "boot-b"};
    inc.answers.login = "no_page";
    inc.answers.other_computer = "fails";
    inc.answers_at = "2026-11-28T13:05:00Z";
    return inc;
}

// The run's inputs to updateIncident, with defaults for what a test does not care about.
struct Run {
    bool problem = true;
    std::string domain = "service_down";
    std::vector<std::string> systems = {"tes"};
    std::string boot_id = "boot-a";
    std::string now = "2026-11-28T13:00:00Z";
    Answers answers;
};

IncidentUpdate step(std::optional<Incident> previous, const Run& r) {
    return updateIncident(std::move(previous), r.problem, r.domain, r.systems, r.boot_id, r.now,
                          r.answers, [] { return std::string("K7M-4QX"); });
}

}  // namespace

// --- case code -----------------------------------------------------------------------------

TEST_CASE("a case code is six symbols shown as two groups of three") {
    for (std::uint64_t bits : {0ULL, 1ULL, 123456789ULL, ~0ULL}) {
        const auto code = newCaseCode(bits);
        REQUIRE(code.size() == 7);
        CHECK(code[3] == '-');
    }
}

TEST_CASE("a case code uses only digits and consonants that cannot be mistaken for others") {
    for (char c : std::string_view("01OILAEUY"))
        CHECK(kCaseCodeAlphabet.find(c) == std::string_view::npos);
    std::uint64_t bits = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 1000; ++i) {
        bits = bits * 6364136223846793005ULL + 1442695040888963407ULL;
        for (char c : newCaseCode(bits))
            CHECK((c == '-' || kCaseCodeAlphabet.find(c) != std::string_view::npos));
    }
}

TEST_CASE("the same random bits give the same case code and other bits another") {
    CHECK(newCaseCode(42) == newCaseCode(42));
    CHECK(newCaseCode(42) != newCaseCode(43));
    CHECK(newCaseCode(0) == "222-222");
}

TEST_CASE("case codes from the system's randomness are valid and differ") {
    std::set<std::string> codes;
    for (int i = 0; i < 100; ++i) {
        const auto code = newCaseCode();
        CHECK(isCaseCode(code));
        codes.insert(code);
    }
    CHECK(codes.size() > 95);
}

TEST_CASE("a case code read back in lower case, without the dash or with spaces is accepted") {
    CHECK(normaliseCaseCode("K7M-4QX") == "K7M-4QX");
    CHECK(normaliseCaseCode("k7m-4qx") == "K7M-4QX");
    CHECK(normaliseCaseCode("K7M4QX") == "K7M-4QX");
    CHECK(normaliseCaseCode("k7m4qx") == "K7M-4QX");
    CHECK(normaliseCaseCode("  K7M-4QX\n") == "K7M-4QX");
    CHECK(isCaseCode("k7m4qx"));
}

TEST_CASE("text that is not a case code is refused") {
    for (const char* s : {"", "K7M-4Q", "K7M-4QXZ", "K0M-4QX", "KOM-4QX", "K1M-4QX", "KLM-4QX",
                          "KAM-4QX", "K7-M4QX", "K7M--4QX", "K7M 4QX", "K7M-4Q!"}) {
        INFO(s);
        CHECK_FALSE(isCaseCode(s));
    }
}

TEST_CASE("every case code driftkoll makes is read back as itself") {
    for (std::uint64_t bits = 0; bits < 2000; bits += 7) {
        const auto code = newCaseCode(bits * 0x100000001B3ULL);
        CHECK(normaliseCaseCode(code) == code);
    }
}

// --- answers -------------------------------------------------------------------------------

TEST_CASE("each answer key takes each of its allowed values") {
    Answers a;
    CHECK_FALSE(applyAnswer(a, "login=refused"));
    CHECK(a.login == "refused");
    CHECK_FALSE(applyAnswer(a, "login=no_page"));
    CHECK(a.login == "no_page");
    CHECK_FALSE(applyAnswer(a, "same_computer_colleague=works"));
    CHECK(a.same_computer_colleague == "works");
    CHECK_FALSE(applyAnswer(a, "same_computer_colleague=fails"));
    CHECK(a.same_computer_colleague == "fails");
    CHECK_FALSE(applyAnswer(a, "other_computer=works"));
    CHECK(a.other_computer == "works");
    CHECK_FALSE(applyAnswer(a, "other_computer=fails"));
    CHECK(a.other_computer == "fails");
}

TEST_CASE("an unknown answer key is refused with the allowed keys named") {
    Answers a;
    const auto err = applyAnswer(a, "colleague=works");
    REQUIRE(err);
    CHECK_THAT(*err, Catch::Contains("colleague") && Catch::Contains("login") &&
                         Catch::Contains("same_computer_colleague") &&
                         Catch::Contains("other_computer"));
    CHECK(a == Answers{});
}

TEST_CASE("an answer value outside the allowed ones is refused with the allowed values named") {
    Answers a;
    a.login = "refused";
    const auto err = applyAnswer(a, "login=works");
    REQUIRE(err);
    CHECK_THAT(*err, Catch::Contains("refused") && Catch::Contains("no_page") &&
                         Catch::Contains("\"works\""));
    CHECK(a.login == "refused");
    CHECK(applyAnswer(a, "other_computer="));
    CHECK(applyAnswer(a, "other_computer=Works"));
}

TEST_CASE("an answer without '=' is refused with the expected form named") {
    Answers a;
    const auto err = applyAnswer(a, "login");
    REQUIRE(err);
    CHECK_THAT(*err, Catch::Contains("KEY=VALUE") && Catch::Contains("NYCKEL=VÄRDE"));
    CHECK(a == Answers{});
}

TEST_CASE("only the answers given appear in the answers' JSON") {
    Answers a;
    CHECK(to_json(a) == Json::object());
    CHECK_FALSE(hasAnswers(a));
    a.same_computer_colleague = "fails";
    CHECK(to_json(a) == Json{{"same_computer_colleague", "fails"}});
    CHECK(hasAnswers(a));
}

// --- incident lifecycle ----------------------------------------------------------------------

TEST_CASE("a problem with no incident starts one with a new case code at this boot") {
    Run r;
    r.boot_id = "boot-a";
    r.now = "2026-11-28T13:00:00Z";
    const auto u = step(std::nullopt, r);
    REQUIRE(u.incident);
    CHECK(u.started);
    CHECK_FALSE(u.ended);
    CHECK_FALSE(u.restarted);
    CHECK(u.incident->case_code == "K7M-4QX");
    CHECK(u.incident->first_seen == "2026-11-28T13:00:00Z");
    CHECK(u.incident->last_seen == "2026-11-28T13:00:00Z");
    CHECK(u.incident->domain == "service_down");
    CHECK(u.incident->systems == std::vector<std::string>{"tes"});
    CHECK(u.incident->first_boot_id == "boot-a");
    CHECK(u.incident->boot_ids == std::vector<std::string>{"boot-a"});
    CHECK(u.incident->restarts() == 0);
}

TEST_CASE("a problem during an incident continues it with its case code and start kept") {
    Run first;
    const auto started = step(std::nullopt, first);
    Run later;
    later.now = "2026-11-28T13:10:00Z";
    later.domain = "network_down";
    later.systems = {};
    const auto u =
        updateIncident(started.incident, true, later.domain, later.systems, later.boot_id,
                       later.now, {}, [] { return std::string("ZZZ-ZZZ"); });
    REQUIRE(u.incident);
    CHECK_FALSE(u.started);
    CHECK_FALSE(u.ended);
    CHECK_FALSE(u.restarted);
    CHECK(u.incident->case_code == "K7M-4QX");
    CHECK(u.incident->first_seen == "2026-11-28T13:00:00Z");
    CHECK(u.incident->last_seen == "2026-11-28T13:10:00Z");
    CHECK(u.incident->domain == "network_down");
    CHECK(u.incident->systems.empty());
    CHECK(u.incident->boot_ids == std::vector<std::string>{"boot-a"});
}

TEST_CASE("a new boot id during an incident is a restart since the problem began") {
    auto inc = step(std::nullopt, Run{}).incident;
    Run after;
    after.boot_id = "boot-b";
    const auto u = step(inc, after);
    REQUIRE(u.incident);
    CHECK(u.restarted);
    CHECK(u.incident->first_boot_id == "boot-a");
    CHECK(u.incident->boot_ids == std::vector<std::string>{"boot-a", "boot-b"});
    CHECK(u.incident->restarts() == 1);
    CHECK(u.incident->restartedSinceStart("boot-b"));
    CHECK_FALSE(u.incident->restartedSinceStart("boot-a"));
}

TEST_CASE("the same boot id again is not a restart") {
    auto inc = step(std::nullopt, Run{}).incident;
    const auto u = step(inc, Run{});
    REQUIRE(u.incident);
    CHECK_FALSE(u.restarted);
    CHECK(u.incident->restarts() == 0);
}

TEST_CASE("an unknown boot id is neither recorded nor taken for a restart") {
    Run unknown;
    unknown.boot_id = "";
    auto inc = step(std::nullopt, unknown).incident;
    REQUIRE(inc);
    CHECK(inc->boot_ids.empty());
    CHECK(inc->restarts() == 0);
    CHECK_FALSE(inc->restartedSinceStart("boot-a"));

    auto known = step(std::nullopt, Run{}).incident;
    const auto u = step(known, unknown);
    REQUIRE(u.incident);
    CHECK_FALSE(u.restarted);
    CHECK_FALSE(u.incident->restartedSinceStart(""));
}

TEST_CASE("an all_ok run ends the incident") {
    auto inc = step(std::nullopt, Run{}).incident;
    Run fine;
    fine.problem = false;
    fine.domain = "all_ok";
    fine.systems = {};
    const auto u = step(inc, fine);
    CHECK(u.ended);
    CHECK_FALSE(u.started);
    CHECK_FALSE(u.incident);
}

TEST_CASE("an all_ok run without an incident starts none, even with answers") {
    Run fine;
    fine.problem = false;
    fine.domain = "all_ok";
    fine.answers.login = "refused";
    const auto u = step(std::nullopt, fine);
    CHECK_FALSE(u.incident);
    CHECK_FALSE(u.started);
    CHECK_FALSE(u.ended);
}

TEST_CASE("answers given during an incident are merged, the newer winning, and stamped") {
    Run first;
    first.answers.login = "no_page";
    first.answers.other_computer = "works";
    auto inc = step(std::nullopt, first).incident;
    REQUIRE(inc);
    CHECK(inc->answers_at == "2026-11-28T13:00:00Z");

    Run later;
    later.now = "2026-11-28T13:15:00Z";
    later.answers.other_computer = "fails";
    later.answers.same_computer_colleague = "fails";
    const auto u = step(inc, later);
    REQUIRE(u.incident);
    CHECK(u.incident->answers.login == "no_page");
    CHECK(u.incident->answers.other_computer == "fails");
    CHECK(u.incident->answers.same_computer_colleague == "fails");
    CHECK(u.incident->answers_at == "2026-11-28T13:15:00Z");
}

TEST_CASE("a run without answers keeps the earlier answers and their time") {
    Run first;
    first.answers.login = "refused";
    auto inc = step(std::nullopt, first).incident;
    Run later;
    later.now = "2026-11-28T13:30:00Z";
    const auto u = step(inc, later);
    REQUIRE(u.incident);
    CHECK(u.incident->answers.login == "refused");
    CHECK(u.incident->answers_at == "2026-11-28T13:00:00Z");
}

// --- JSON ------------------------------------------------------------------------------------

TEST_CASE("an incident survives its JSON unchanged") {
    const auto inc = sampleIncident();
    const auto j = to_json(inc);
    CHECK(j["restarts"] == 1);
    CHECK(j["answers"] == Json{{"login", "no_page"}, {"other_computer", "fails"}});
    std::string err;
    const auto back = incidentFromJson(j, &err);
    INFO(err);
    REQUIRE(back);
    CHECK(*back == inc);
}

TEST_CASE("incident JSON with a missing or wrong field is refused with the field named") {
    std::string err;
    auto j = to_json(sampleIncident());
    j.erase("first_boot_id");
    CHECK_FALSE(incidentFromJson(j, &err));
    CHECK_THAT(err, Catch::Contains("first_boot_id"));

    j = to_json(sampleIncident());
    j["boot_ids"] = Json::array({"boot-a", 7});
    CHECK_FALSE(incidentFromJson(j, &err));
    CHECK_THAT(err, Catch::Contains("boot_ids"));

    j = to_json(sampleIncident());
    j["case_code"] = "HELLO1";
    CHECK_FALSE(incidentFromJson(j, &err));
    CHECK_THAT(err, Catch::Contains("case_code"));

    j = to_json(sampleIncident());
    j["answers"]["login"] = "maybe";
    CHECK_FALSE(incidentFromJson(j, &err));
    CHECK_THAT(err, Catch::Contains("answers"));

    CHECK_FALSE(incidentFromJson(Json::array(), &err));
}

TEST_CASE("incident JSON with fields from a newer version still loads") {
    auto j = to_json(sampleIncident());
    j["peers_failing"] = 3;
    j["answers"]["printer"] = "works";
    std::string err;
    const auto back = incidentFromJson(j, &err);
    INFO(err);
    REQUIRE(back);
    CHECK(*back == sampleIncident());
}

// --- the store -------------------------------------------------------------------------------

TEST_CASE("a saved incident loads back unchanged") {
    TempDir dir;
    IncidentStore store((dir / "incident.json").string());
    std::string err, warning;
    REQUIRE(store.save(sampleIncident(), &err));
    const auto back = store.load(&warning);
    CHECK(warning.empty());
    REQUIRE(back);
    CHECK(*back == sampleIncident());
}

TEST_CASE("a later save replaces the earlier incident") {
    TempDir dir;
    IncidentStore store((dir / "incident.json").string());
    std::string err, warning;
    REQUIRE(store.save(sampleIncident(), &err));
    auto next = sampleIncident();
    next.last_seen = "2026-11-28T14:00:00Z";
    REQUIRE(store.save(next, &err));
    CHECK(store.load(&warning) == next);
}

TEST_CASE("with no incident file there is no incident and no warning") {
    TempDir dir;
    IncidentStore store((dir / "driftkoll" / "incident.json").string());
    std::string warning;
    CHECK_FALSE(store.load(&warning));
    CHECK(warning.empty());
}

TEST_CASE("clearing removes the incident file, and clearing again is fine") {
    TempDir dir;
    const auto path = dir / "incident.json";
    IncidentStore store(path.string());
    std::string err, warning;
    REQUIRE(store.save(sampleIncident(), &err));
    CHECK(store.clear(&err));
    CHECK_FALSE(fs::exists(path));
    CHECK(store.clear(&err));
    CHECK_FALSE(store.load(&warning));
}

TEST_CASE("a save leaves no temporary file behind") {
    TempDir dir;
    IncidentStore store((dir / "incident.json").string());
    std::string err;
    REQUIRE(store.save(sampleIncident(), &err));
    REQUIRE(store.save(sampleIncident(), &err));
    CHECK(filesIn(dir.path()) == std::vector<std::string>{"incident.json"});
}

TEST_CASE("the incident file is readable and writable by its owner only") {
    TempDir dir;
    const auto path = dir / "incident.json";
    writeFile(path, "{}");
    fs::permissions(path, fs::perms::all);
    IncidentStore store(path.string());
    std::string err;
    REQUIRE(store.save(sampleIncident(), &err));
    CHECK(mode(path) == 0600);
}

TEST_CASE("directories the store creates are private to the user") {
    TempDir dir;
    IncidentStore store((dir / "state" / "driftkoll" / "incident.json").string());
    std::string err;
    REQUIRE(store.save(sampleIncident(), &err));
    CHECK(mode(dir / "state") == 0700);
    CHECK(mode(dir / "state" / "driftkoll") == 0700);
}

TEST_CASE("a file that is not JSON is set aside with a warning, and the next run starts clean") {
    TempDir dir;
    const auto path = dir / "incident.json";
    writeFile(path, "{\"case_code\": \"K7M-4Q");
    IncidentStore store(path.string());
    std::string warning;
    CHECK_FALSE(store.load(&warning));
    CHECK_THAT(warning, Catch::Contains("incident.json") && Catch::Contains("corrupt"));
    CHECK_FALSE(fs::exists(path));
    const auto files = filesIn(dir.path());
    REQUIRE(files.size() == 1);
    CHECK(files[0].rfind("incident.json.corrupt-", 0) == 0);
    CHECK(readFile(dir / files[0]) == "{\"case_code\": \"K7M-4Q");

    warning.clear();
    CHECK_FALSE(store.load(&warning));
    CHECK(warning.empty());
}

TEST_CASE("JSON that is not an incident is set aside with the reason in the warning") {
    TempDir dir;
    const auto path = dir / "incident.json";
    writeFile(path, "{\"case_code\": 17}");
    IncidentStore store(path.string());
    std::string warning;
    CHECK_FALSE(store.load(&warning));
    CHECK_THAT(warning, Catch::Contains("case_code"));
    CHECK_FALSE(fs::exists(path));
    CHECK(filesIn(dir.path()).size() == 1);
}

TEST_CASE("a second corrupt file does not overwrite the first one set aside") {
    TempDir dir;
    const auto path = dir / "incident.json";
    IncidentStore store(path.string());
    std::string warning;
    writeFile(path, "first");
    CHECK_FALSE(store.load(&warning));
    writeFile(path, "second");
    CHECK_FALSE(store.load(&warning));
    const auto files = filesIn(dir.path());
    REQUIRE(files.size() == 2);
    std::set<std::string> contents{readFile(dir / files[0]), readFile(dir / files[1])};
    CHECK(contents == std::set<std::string>{"first", "second"});
}

TEST_CASE("a store whose directory cannot exist returns errors instead of throwing") {
    TempDir dir;
    writeFile(dir / "state", "a file where a directory should be");
    IncidentStore store((dir / "state" / "driftkoll" / "incident.json").string());
    std::string err, warning;
    CHECK_NOTHROW(store.load(&warning));
    CHECK_THAT(warning, Catch::Contains("incident.json"));
    CHECK_FALSE(store.save(sampleIncident(), &err));
    CHECK_THAT(err, Catch::Contains("state"));
    err.clear();
    CHECK_FALSE(store.clear(&err));
    CHECK_FALSE(err.empty());
}

TEST_CASE("a directory the user may not read gives errors, not exceptions") {
    if (::geteuid() == 0) {
        WARN("skipped: root reads every directory");
        return;
    }
    TempDir dir;
    const auto state = dir / "state";
    IncidentStore store((state / "incident.json").string());
    std::string err, warning;
    REQUIRE(store.save(sampleIncident(), &err));
    fs::permissions(state, fs::perms::none);
    CHECK_FALSE(store.load(&warning));
    CHECK_THAT(warning, Catch::Contains("incident.json"));
    CHECK_FALSE(store.save(sampleIncident(), &err));
    CHECK_FALSE(err.empty());
    fs::permissions(state, fs::perms::owner_all);
}

TEST_CASE("a directory in the place of the incident file is reported and left alone") {
    TempDir dir;
    const auto path = dir / "incident.json";
    fs::create_directory(path);
    IncidentStore store(path.string());
    std::string warning;
    CHECK_FALSE(store.load(&warning));
    CHECK_THAT(warning, Catch::Contains("incident.json"));
    CHECK(fs::is_directory(path));
}

TEST_CASE("a temporary file from an interrupted save does not disturb the next load") {
    TempDir dir;
    const auto path = dir / "incident.json";
    IncidentStore store(path.string());
    std::string err, warning;
    REQUIRE(store.save(sampleIncident(), &err));
    writeFile(dir / "incident.json.tmp-Ab12Cd", "{\"case_code\": \"K7");
    const auto back = store.load(&warning);
    CHECK(warning.empty());
    REQUIRE(back);
    CHECK(*back == sampleIncident());
}

TEST_CASE("a save removes stale temporary files but not one another save is writing") {
    TempDir dir;
    IncidentStore store((dir / "incident.json").string());
    const auto stale = dir / "incident.json.tmp-Stale1";
    const auto fresh = dir / "incident.json.tmp-Fresh1";
    writeFile(stale, "{");
    writeFile(fresh, "{");
    fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::minutes(5));
    std::string err;
    REQUIRE(store.save(sampleIncident(), &err));
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(fresh));
}

TEST_CASE("the default path follows XDG_STATE_HOME, else ~/.local/state") {
    const char* old_xdg = std::getenv("XDG_STATE_HOME");
    const std::string saved = old_xdg ? old_xdg : "";
    const char* home = std::getenv("HOME");

    ::setenv("XDG_STATE_HOME", "/var/tmp/state", 1);
    CHECK(IncidentStore::defaultPath() == "/var/tmp/state/driftkoll/incident.json");
    ::setenv("XDG_STATE_HOME", "relative/state", 1);  // the spec says: ignore it
    if (home && *home)
        CHECK(IncidentStore::defaultPath() ==
              std::string(home) + "/.local/state/driftkoll/incident.json");
    ::unsetenv("XDG_STATE_HOME");
    if (home && *home)
        CHECK(IncidentStore::defaultPath() ==
              std::string(home) + "/.local/state/driftkoll/incident.json");

    if (old_xdg)
        ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
}

TEST_CASE("a second writer waits for the lock, and is told when it waited too long") {
    TempDir dir("incident");
    IncidentStore store((dir / "sub/incident.json").string());
    std::string err;
    auto first = store.lock(1s, &err);
    REQUIRE(first);
    CHECK(std::filesystem::exists(dir / "sub/incident.json.lock"));

    const auto start = std::chrono::steady_clock::now();
    auto second = store.lock(150ms, &err);
    CHECK_FALSE(second);
    CHECK(std::chrono::steady_clock::now() - start >= 150ms);
    CHECK_THAT(err, Catch::Contains("the incident file is busy"));

    first.reset();
    err.clear();
    CHECK(store.lock(0ms, &err));
    CHECK(err.empty());
}

TEST_CASE("writers that take the lock lose no update") {
    TempDir dir("incident");
    const std::string path = (dir / "incident.json").string();
    constexpr int kWriters = 6, kEach = 15;
    std::vector<std::thread> writers;
    std::atomic<int> failures{0};
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            IncidentStore store(path);  // each its own, as separate processes are
            for (int i = 0; i < kEach; ++i) {
                std::string err;
                auto held = store.lock(10s, &err);
                if (!held) {
                    ++failures;
                    continue;
                }
                std::optional<Incident> inc = store.load(&err);
                if (!inc) {
                    inc = Incident{};
                    inc->case_code = "K7M-4QX";
                }
                inc->boot_ids.push_back(std::to_string(w) + "-" + std::to_string(i));
                if (!store.save(*inc, &err))
                    ++failures;
            }
        });
    }
    for (auto& t : writers) t.join();
    CHECK(failures == 0);
    std::string warning;
    auto final = IncidentStore(path).load(&warning);
    REQUIRE(final);
    CHECK(final->boot_ids.size() == static_cast<std::size_t>(kWriters * kEach));
}
