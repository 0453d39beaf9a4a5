// The run history: storing and reading runs, the retention, and what happens to
// the file when a writer is killed or the file is damaged (real SQLite files in
// a temporary directory).
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "agent/resident/history.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

using namespace dk;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using dk::test::TempDir;

namespace {

std::string isoUtc(std::chrono::system_clock::time_point t) {
    const std::time_t s = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return buf;
}

// A report with the fields the history keeps, as report.h writes them.
Json sampleReport(const std::string& at, const std::string& domain = "service_down",
                  const std::string& action = "call_oncall",
                  const std::string& case_code = "K7M-4QX") {
    Json j;
    j["generated_at"] = at;
    j["run"] = {{"duration_ms", 812.5}};
    j["diagnosis"] = {{"domain", domain}, {"systems", {"tes"}}};
    j["advice"] = {{"action", action},
                   {"text", "Ring 20 00."},
                   {"case_code", case_code.empty() ? Json() : Json(case_code)}};
    j["answers"] = {{"login", "refused"}};
    return j;
}

Json reportNow(const std::string& domain = "service_down") {
    return sampleReport(isoUtc(std::chrono::system_clock::now()), domain);
}

unsigned mode(const std::string& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::vector<std::string> setAsideFiles(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.find(".corrupt-") != std::string::npos)
            names.push_back(name);
    }
    return names;
}

// SQLite's own verdict on a file, read without driftkoll: "ok" when it is sound.
std::string quickCheck(const std::string& path) {
    sqlite3* db = nullptr;
    std::string verdict;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW)
                verdict += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
    }
    if (verdict.empty())
        verdict = sqlite3_errmsg(db);
    sqlite3_close(db);
    return verdict;
}

void runSql(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

void writeRandomBytes(const std::string& path, std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string bytes(n, '\0');
    for (auto& b : bytes) b = static_cast<char>(gen() & 0xff);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Kills and reaps a child process that a failed REQUIRE would otherwise leave running.
class ChildGuard {
public:
    explicit ChildGuard(pid_t pid) : pid_(pid) {}
    ~ChildGuard() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    ChildGuard(const ChildGuard&) = delete;
    ChildGuard& operator=(const ChildGuard&) = delete;
    void release() { pid_ = -1; }

private:
    pid_t pid_;
};


}  // namespace

TEST_CASE("The default history lives in XDG_STATE_HOME/driftkoll") {
    test::ScopedEnv state("XDG_STATE_HOME", "/var/tmp/state");
    CHECK(History::defaultPath() == "/var/tmp/state/driftkoll/history.sqlite");
}

TEST_CASE("A new history is empty and only its owner can read it") {
    TempDir dir;
    const std::string path = dir / "state/driftkoll/history.sqlite";
    auto opened = History::open(path);
    REQUIRE(opened.error.empty());
    REQUIRE(opened.history);
    CHECK(opened.warning.empty());
    CHECK(opened.history->path() == path);
    CHECK(opened.history->count() == 0);
    CHECK(opened.history->recent(10).empty());
    CHECK_FALSE(opened.history->last().has_value());
    CHECK(mode(dir / "state") == 0700);
    CHECK(mode(dir / "state/driftkoll") == 0700);
    CHECK(mode(path) == 0600);
}

TEST_CASE("Stored runs come back newest first, with their summary and whole report") {
    TempDir dir;
    auto opened = History::open(dir / "history.sqlite");
    REQUIRE(opened.history);
    History& h = *opened.history;
    const auto now = std::chrono::system_clock::now();
    std::string err;
    REQUIRE(h.add(sampleReport(isoUtc(now - 2min), "no_link", "check_cables", ""), &err));
    REQUIRE(h.add(sampleReport(isoUtc(now - 1min), "dns", "call_oncall"), &err));
    REQUIRE(h.add(sampleReport(isoUtc(now), "all_ok", "none", ""), &err));
    CHECK(err.empty());
    CHECK(h.count() == 3);

    const auto recent = h.recent(2);
    REQUIRE(recent.size() == 2);
    CHECK(recent[0].domain == "all_ok");
    CHECK(recent[0].action == "none");
    CHECK(recent[0].case_code.empty());
    CHECK(recent[0].at == isoUtc(now));
    CHECK(recent[1].domain == "dns");
    CHECK(recent[1].case_code == "K7M-4QX");
    CHECK(recent[1].duration_ms == Approx(812.5));
    CHECK(recent[0].id > recent[1].id);

    const auto reports = h.recentReports(10);
    REQUIRE(reports.size() == 3);
    CHECK(reports[2]["diagnosis"]["domain"] == "no_link");
    CHECK(reports[1]["answers"]["login"] == "refused");
    const auto last = h.last();
    REQUIRE(last.has_value());
    CHECK(*last == sampleReport(isoUtc(now), "all_ok", "none", ""));
}

TEST_CASE("A history keeps its runs when it is opened again") {
    TempDir dir;
    {
        auto opened = History::open(dir / "history.sqlite");
        REQUIRE(opened.history);
        REQUIRE(opened.history->add(reportNow(), nullptr));
        REQUIRE(opened.history->add(reportNow("all_ok"), nullptr));
    }
    auto again = History::open(dir / "history.sqlite");
    REQUIRE(again.history);
    CHECK(again.warning.empty());
    CHECK(again.history->count() == 2);
    CHECK(again.history->recent(1).at(0).domain == "all_ok");
}

TEST_CASE("The history keeps at most max_runs runs, dropping the oldest") {
    TempDir dir;
    auto opened = History::open(dir / "history.sqlite", Retention{5, std::chrono::hours(24)});
    REQUIRE(opened.history);
    for (int i = 0; i < 8; ++i) {
        Json r = reportNow();
        r["seq"] = i;
        REQUIRE(opened.history->add(r, nullptr));
    }
    CHECK(opened.history->count() == 5);
    const auto reports = opened.history->recentReports(100);
    REQUIRE(reports.size() == 5);
    CHECK(reports.front()["seq"] == 7);
    CHECK(reports.back()["seq"] == 3);
}

TEST_CASE("Runs older than max_age are dropped when a run is stored") {
    TempDir dir;
    auto opened = History::open(dir / "history.sqlite");  // 30 days by default
    REQUIRE(opened.history);
    const auto now = std::chrono::system_clock::now();
    REQUIRE(opened.history->add(sampleReport(isoUtc(now - std::chrono::hours(24 * 45))), nullptr));
    REQUIRE(opened.history->add(sampleReport(isoUtc(now - std::chrono::hours(24 * 31))), nullptr));
    REQUIRE(opened.history->add(sampleReport(isoUtc(now - std::chrono::hours(24 * 29))), nullptr));
    REQUIRE(opened.history->add(sampleReport(isoUtc(now)), nullptr));
    CHECK(opened.history->count() == 2);
    const auto recent = opened.history->recent(10);
    REQUIRE(recent.size() == 2);
    CHECK(recent[1].at == isoUtc(now - std::chrono::hours(24 * 29)));
}

TEST_CASE("A report that is not a JSON object is refused with a reason") {
    TempDir dir;
    auto opened = History::open(dir / "history.sqlite");
    REQUIRE(opened.history);
    std::string err;
    CHECK_FALSE(opened.history->add(Json::array({1, 2}), &err));
    CHECK(err.find("not a JSON object") != std::string::npos);
    CHECK(opened.history->count() == 0);
}

TEST_CASE("A process killed with SIGKILL in the middle of writing leaves a readable history") {
    TempDir dir;
    const std::string path = dir / "history.sqlite";
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The writer: stores large reports as fast as it can until it is killed.
        ::close(ready[0]);
        auto opened = History::open(path);
        if (!opened.history)
            ::_exit(2);
        Json report = reportNow();
        report["padding"] = std::string(20000, 'x');
        for (long i = 0;; ++i) {
            report["seq"] = i;
            if (!opened.history->add(report, nullptr))
                ::_exit(3);
            const char one = 1;
            if (i == 0 && ::write(ready[1], &one, 1) != 1)
                ::_exit(4);
        }
    }
    ::close(ready[1]);
    ChildGuard guard(child);
    pollfd first_write{ready[0], POLLIN, 0};
    REQUIRE(::poll(&first_write, 1, 10000) == 1);
    char byte = 0;
    REQUIRE(::read(ready[0], &byte, 1) == 1);
    ::close(ready[0]);
    std::this_thread::sleep_for(200ms);
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    guard.release();
    REQUIRE(WIFSIGNALED(status));  // killed while writing, not stopped by an error
    CHECK(WTERMSIG(status) == SIGKILL);

    CHECK(quickCheck(path) == "ok");
    auto opened = History::open(path);
    REQUIRE(opened.error.empty());
    CHECK(opened.warning.empty());
    REQUIRE(opened.history);
    CHECK(opened.history->count() > 0);
    const auto last = opened.history->last();
    REQUIRE(last.has_value());
    CHECK((*last)["padding"].get<std::string>().size() == 20000);
    CHECK(setAsideFiles(dir.path()).empty());
    CHECK(opened.history->add(reportNow(), nullptr));
}

TEST_CASE("A file of random bytes is set aside and a new history started") {
    TempDir dir;
    const std::string path = dir / "history.sqlite";
    writeRandomBytes(path, 65536, 7);
    auto opened = History::open(path);
    REQUIRE(opened.error.empty());
    REQUIRE(opened.history);
    const auto aside = setAsideFiles(dir.path());
    REQUIRE(aside.size() == 1);
    CHECK(aside[0].rfind("history.sqlite.corrupt-", 0) == 0);
    CHECK(opened.warning.find(dir / aside[0]) != std::string::npos);
    CHECK(fs::file_size(dir / aside[0]) == 65536);
    CHECK(opened.history->count() == 0);
    CHECK(opened.history->add(reportNow(), nullptr));
    CHECK(opened.history->count() == 1);
    CHECK(mode(path) == 0600);
}

TEST_CASE("A history with an overwritten page is set aside and a new history started") {
    TempDir dir;
    const std::string path = dir / "history.sqlite";
    {
        auto opened = History::open(path);
        REQUIRE(opened.history);
        Json report = reportNow();
        report["padding"] = std::string(1500, 'x');
        for (int i = 0; i < 100; ++i) REQUIRE(opened.history->add(report, nullptr));
    }
    REQUIRE_FALSE(fs::exists(path + "-wal"));  // closing wrote everything into the file
    REQUIRE(quickCheck(path) == "ok");

    // Page 2 is the root of the runs table; the page size is in bytes 16-17 of the header.
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    unsigned char header[18] = {};
    file.read(reinterpret_cast<char*>(header), sizeof header);
    const unsigned page_size = header[16] << 8 | header[17];
    REQUIRE(page_size >= 512);
    file.seekp(page_size);
    file << std::string(page_size, '\xA5');
    file.close();
    REQUIRE(quickCheck(path) != "ok");

    auto opened = History::open(path);
    REQUIRE(opened.error.empty());
    REQUIRE(opened.history);
    const auto aside = setAsideFiles(dir.path());
    REQUIRE(aside.size() == 1);
    INFO(opened.warning);
    CHECK(opened.warning.find(dir / aside[0]) != std::string::npos);
    CHECK(opened.warning.find("quick_check") != std::string::npos);
    CHECK(opened.history->count() == 0);
    CHECK(opened.history->add(reportNow(), nullptr));
    CHECK(opened.history->count() == 1);
}

TEST_CASE("A second corrupt history is set aside without overwriting the first") {
    TempDir dir;
    const std::string path = dir / "history.sqlite";
    writeRandomBytes(path, 4096, 1);
    REQUIRE(History::open(path).history);
    writeRandomBytes(path, 8192, 2);
    auto opened = History::open(path);
    REQUIRE(opened.history);
    const auto aside = setAsideFiles(dir.path());
    REQUIRE(aside.size() == 2);
    std::vector<std::uintmax_t> sizes{fs::file_size(dir / aside[0]), fs::file_size(dir / aside[1])};
    std::sort(sizes.begin(), sizes.end());
    CHECK(sizes == std::vector<std::uintmax_t>{4096, 8192});
}

TEST_CASE("A history from a newer driftkoll is refused and left as it is") {
    TempDir dir;
    const std::string path = dir / "history.sqlite";
    REQUIRE(History::open(path).history);
    runSql(path, "PRAGMA user_version = 99");
    auto opened = History::open(path);
    CHECK_FALSE(opened.history);
    CHECK(opened.error.find("99") != std::string::npos);
    CHECK(fs::exists(path));
    CHECK(setAsideFiles(dir.path()).empty());
}

TEST_CASE("A directory that cannot be written gives an error value") {
    TempDir dir;
    SECTION("a file where a directory should be") {
        std::ofstream(dir / "plain-file") << "x";
        auto opened = History::open(dir / "plain-file/driftkoll/history.sqlite");
        CHECK_FALSE(opened.history);
        CHECK(opened.error.find("plain-file") != std::string::npos);
    }
    SECTION("a directory without write permission") {
        // Root may write anywhere it has permission bits for; /proc/self takes no new
        // files even from root.
        std::string ro = "/proc/self";
        if (::geteuid() != 0) {
            ro = dir / "read-only";
            REQUIRE(::mkdir(ro.c_str(), 0500) == 0);
        }
        auto opened = History::open(ro + "/history.sqlite");
        CHECK_FALSE(opened.history);
        CHECK(opened.error.find(ro + "/history.sqlite") != std::string::npos);
    }
}

TEST_CASE("Reading a history never creates one, and a history opened for reading takes no runs") {
    TempDir dir;
    const std::string path = dir / "history.sqlite";
    auto missing = History::openForReading(path);
    CHECK_FALSE(missing.history);
    CHECK(missing.error.find(path) != std::string::npos);
    CHECK_FALSE(fs::exists(path));

    {
        auto writer = History::open(path);
        REQUIRE(writer.history);
        REQUIRE(writer.history->add(reportNow(), nullptr));
    }
    auto reader = History::openForReading(path);
    REQUIRE(reader.history);
    CHECK(reader.history->count() == 1);
    std::string err;
    CHECK_FALSE(reader.history->add(reportNow(), &err));
    CHECK(err.find("reading only") != std::string::npos);
}

TEST_CASE("a full disk is said once, and so is the history being stored again") {
    dk::HistoryWriteNotes notes;
    CHECK_FALSE(notes.after(true, ""));
    CHECK(notes.after(false, "database or disk is full") == "database or disk is full");
    CHECK_FALSE(notes.after(false, "database or disk is full"));
    CHECK_FALSE(notes.after(false, "database or disk is full"));
    const auto again = notes.after(true, "");
    REQUIRE(again);
    CHECK_THAT(*again, Catch::Contains("3 run(s) could not be stored"));
    CHECK_THAT(*again, Catch::Contains("3 körning(ar) kunde inte sparas"));
    CHECK_FALSE(notes.after(true, ""));
    // A new failure after that is said again.
    CHECK(notes.after(false, "disk I/O error") == "disk I/O error");
}
