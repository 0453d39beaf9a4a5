#include "agent/resident/history.h"

#include "agent/os/files.h"
#include "agent/check/json_path.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <initializer_list>
#include <system_error>

#include "agent/check/incident_store.h"

namespace dk {

namespace fs = std::filesystem;

namespace {

// The version of the schema below, kept in the database's user_version.
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,  -- generated_at, ISO 8601 UTC
    at_epoch    INTEGER NOT NULL,  -- the same in seconds since 1970, for the retention
    domain      TEXT    NOT NULL,  -- diagnosis.domain
    action      TEXT    NOT NULL,  -- advice.action
    case_code   TEXT    NOT NULL,  -- advice.case_code, '' when none
    duration_ms REAL    NOT NULL,  -- run.duration_ms
    report      TEXT    NOT NULL   -- the whole report as JSON
);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (at_epoch);
)sql";

// How long a write waits for another process's write to finish.
constexpr int kBusyTimeoutMs = 5000;

// Seconds since 1970 of an ISO 8601 UTC time ("2026-11-28T13:02:11.123Z").
std::optional<std::int64_t> parseUtc(const std::string& iso) {
    std::tm tm{};
    char t = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &t, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 7 ||
        (t != 'T' && t != ' '))
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<std::int64_t>(timegm(&tm));
}

// Creates an empty file (an empty database to SQLite) with mode 0600 when there is
// none, so that SQLite, which gives its -wal and -shm files the database file's
// mode, never makes the history readable to others.
bool createHistoryFile(const std::string& path, std::string* err) {
    std::string why;
    if (createPrivateFile(path, &why))
        return true;
    if (err)
        *err = "kan inte skapa historiken / cannot create the history " + path + ": " + why;
    return false;
}

// A prepared statement, finalized when it goes out of scope.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) {
        rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // SQLITE_OK when the statement was prepared.
    int prepared() const { return rc_; }
    sqlite3_stmt* get() const { return stmt_; }

    // Texts are bound without a copy (no destructor): they must outlive the statement.
    void bind(int i, const std::string& s) {
        sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), nullptr);
    }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }

    std::string text(int col) const {
        const auto* p = sqlite3_column_text(stmt_, col);
        const int n = sqlite3_column_bytes(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
                 : std::string();
    }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_ERROR;
};

// What a step of opening found.
enum class Health {
    ok,
    corrupt,      // not a database, or a damaged one: set it aside
    unavailable,  // cannot be used now (locked, no permission, I/O error, newer schema)
};

Health classify(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT ? Health::corrupt
                                                                 : Health::unavailable;
}

// Runs statements without values; the database's own error in `why` on failure.
Health exec(sqlite3* db, const char* sql, std::string& why) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        return Health::ok;
    why = sqlite3_errmsg(db);
    return classify(sqlite3_extended_errcode(db));
}

// Runs a statement that yields one integer (PRAGMA user_version).
Health queryInt(sqlite3* db, const char* sql, std::int64_t& out, std::string& why) {
    Statement st(db, sql);
    int rc = st.prepared();
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st.get());
    if (rc == SQLITE_ROW) {
        out = sqlite3_column_int64(st.get(), 0);
        return Health::ok;
    }
    why = sqlite3_errmsg(db);
    return classify(rc);
}

// SQLite's quick check: the structure of every page, without the slower index
// cross-checks of integrity_check.
Health quickCheck(sqlite3* db, std::string& why) {
    Statement st(db, "PRAGMA quick_check");
    int rc = st.prepared();
    std::string problems;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(st.get());
        if (rc != SQLITE_ROW)
            break;
        const std::string line = st.text(0);
        if (line != "ok")
            problems += (problems.empty() ? "" : "; ") + line;
    }
    if (rc != SQLITE_DONE) {
        why = std::string("quick_check: ") + sqlite3_errmsg(db);
        return classify(sqlite3_extended_errcode(db));
    }
    if (problems.empty())
        return Health::ok;
    why = "quick_check: " + problems.substr(0, 400);
    return Health::corrupt;
}

// Refuses a history written by a newer driftkoll: its data is not ours to change.
Health checkVersion(sqlite3* db, std::int64_t& version, std::string& why) {
    if (Health h = queryInt(db, "PRAGMA user_version", version, why); h != Health::ok)
        return h;
    if (version <= kSchemaVersion)
        return Health::ok;
    why = "schemaversion / schema version " + std::to_string(version) +
          " är från en nyare driftkoll / is from a newer driftkoll";
    return Health::unavailable;
}

// Checks the database and readies it for writing: WAL, synchronous=NORMAL, the schema.
Health prepareForWriting(sqlite3* db, std::string& why) {
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    if (Health h = quickCheck(db, why); h != Health::ok)
        return h;
    // WAL: a write is appended and committed by one frame, so a process killed
    // half-way leaves the last committed state. NORMAL syncs at checkpoints only:
    // safe against crashes, and a power cut loses at most the latest runs.
    if (Health h = exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", why);
        h != Health::ok)
        return h;
    std::int64_t version = 0;
    if (Health h = checkVersion(db, version, why); h != Health::ok)
        return h;
    if (version == kSchemaVersion)
        return Health::ok;
    const std::string create = std::string("BEGIN IMMEDIATE;") + kSchema +
                               "PRAGMA user_version = " + std::to_string(kSchemaVersion) +
                               ";COMMIT;";
    if (Health h = exec(db, create.c_str(), why); h != Health::ok) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return h;
    }
    return Health::ok;
}

// Moves a corrupt history (and the write-ahead log that belongs to it) to
// <path>.corrupt-<UTC time>, never over an earlier one.
bool setAside(const std::string& path, std::string& aside, std::string& why) {
    auto moved = setAsideCorrupt(path, &why);
    if (!moved)
        return false;
    aside = *moved;
    std::error_code ignored;  // a file not there had nothing to set aside
    for (const char* suffix : {"-wal", "-journal"})
        std::filesystem::rename(path + suffix, aside + suffix, ignored);
    std::string unused;
    removeFileIfPresent(path + "-shm", &unused);  // an index of the -wal file, rebuilt on open
    return true;
}

sqlite3* openHandle(const std::string& path, int flags, std::string& why) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOFOLLOW, nullptr);
    if (rc == SQLITE_OK)
        return db;
    why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return nullptr;
}

std::int64_t secondsSinceEpoch(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string History::defaultPath() {
    return (fs::path(IncidentStore::defaultPath()).parent_path() / "history.sqlite").string();
}

History::History(sqlite3* db, std::string path, Retention retention, bool read_only)
    : db_(db), path_(std::move(path)), retention_(retention), read_only_(read_only) {
    retention_.max_runs = std::max(retention_.max_runs, 1);
}

History::~History() {
    sqlite3_close(db_);
}

HistoryOpen History::open(const std::string& path, Retention retention) {
    HistoryOpen result;
    const fs::path file(path);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    if (!makePrivateDirectories(dir.string(), &result.error) || !createHistoryFile(path, &result.error))
        return result;

    std::string why;
    sqlite3* db = openHandle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, why);
    Health health = db ? prepareForWriting(db, why) : Health::unavailable;
    if (health == Health::corrupt) {
        sqlite3_close(db);
        db = nullptr;
        std::string aside, move_error;
        if (!setAside(path, aside, move_error)) {
            result.error = "historiken är trasig och kan inte flyttas undan / the history is " +
                           std::string("corrupt and cannot be moved aside: ") + path + " (" + why +
                           "): " + move_error;
            return result;
        }
        result.warning = "historiken var trasig och har flyttats till / the history was corrupt " +
                         std::string("and has been moved to ") + aside + " (" + why +
                         "); en ny historik har påbörjats / a new history has been started";
        why.clear();
        if (createHistoryFile(path, &why))
            db = openHandle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, why);
        health = db ? prepareForWriting(db, why) : Health::unavailable;
    }
    if (health != Health::ok) {
        sqlite3_close(db);
        result.error = "kan inte öppna historiken / cannot open the history " + path + ": " + why;
        return result;
    }
    result.history.reset(new History(db, path, retention, false));
    return result;
}

HistoryOpen History::openForReading(const std::string& path) {
    HistoryOpen result;
    std::error_code missing;
    if ([[maybe_unused]] const auto st = std::filesystem::status(path, missing); missing) {
        result.error = "ingen historik / no history: " + path + ": " + missing.message();
        return result;
    }
    std::string why;
    sqlite3* db = openHandle(path, SQLITE_OPEN_READONLY, why);
    std::int64_t version = 0;
    if (db) {
        sqlite3_busy_timeout(db, kBusyTimeoutMs);
        if (checkVersion(db, version, why) == Health::ok && version != kSchemaVersion)
            why = "ingen driftkoll-historik / not a driftkoll history";
    }
    if (!db || !why.empty()) {
        sqlite3_close(db);
        result.error = "kan inte läsa historiken / cannot read the history " + path + ": " + why;
        return result;
    }
    result.history.reset(new History(db, path, Retention{}, true));
    return result;
}

bool History::add(const Json& report, std::string* err) {
    auto fail = [&](const std::string& why) {
        if (err)
            *err = "kan inte spara körningen i historiken / cannot store the run in the history " +
                   path_ + ": " + why;
        return false;
    };
    if (read_only_)
        return fail("öppnad bara för läsning / opened for reading only");
    if (!report.is_object())
        return fail("rapporten är inget JSON-objekt / the report is not a JSON object");

    const std::string at = stringAt(report, {"generated_at"});
    const std::string domain = stringAt(report, {"diagnosis", "domain"});
    const std::string action = stringAt(report, {"advice", "action"});
    const std::string case_code = stringAt(report, {"advice", "case_code"});
    const double duration_ms = numberAt(report, {"run", "duration_ms"});
    const std::string text = jsonText(report);
    const auto now = std::chrono::system_clock::now();
    const std::int64_t at_epoch = parseUtc(at).value_or(secondsSinceEpoch(now));
    const std::int64_t oldest_kept = secondsSinceEpoch(now - retention_.max_age);
    const std::int64_t max_runs = retention_.max_runs;

    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(sqlite3_errmsg(db_));

    Statement insert(db_,
                     "INSERT INTO runs (at, at_epoch, domain, action, case_code, duration_ms, "
                     "report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    Statement by_age(db_, "DELETE FROM runs WHERE at_epoch < ?1");
    // Keeps the newest max_runs: deletes every run up to the (max_runs + 1)-th newest.
    Statement by_count(db_,
                       "DELETE FROM runs WHERE id <= "
                       "(SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?1)");
    bool ok = insert.prepared() == SQLITE_OK && by_age.prepared() == SQLITE_OK &&
              by_count.prepared() == SQLITE_OK;
    if (ok) {
        insert.bind(1, at);
        insert.bind(2, at_epoch);
        insert.bind(3, domain);
        insert.bind(4, action);
        insert.bind(5, case_code);
        insert.bind(6, duration_ms);
        insert.bind(7, text);
        by_age.bind(1, oldest_kept);
        by_count.bind(1, max_runs);
        ok = sqlite3_step(insert.get()) == SQLITE_DONE &&
             sqlite3_step(by_age.get()) == SQLITE_DONE &&
             sqlite3_step(by_count.get()) == SQLITE_DONE;
    }
    if (ok && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK)
        return true;
    const std::string why = sqlite3_errmsg(db_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(why);
}

std::vector<RunSummary> History::recent(int limit, std::string* err) const {
    std::vector<RunSummary> out;
    Statement st(db_,
                 "SELECT id, at, domain, action, case_code, duration_ms FROM runs "
                 "ORDER BY id DESC LIMIT ?1");
    int rc = st.prepared();
    if (rc == SQLITE_OK) {
        st.bind(1, static_cast<std::int64_t>(std::max(limit, 0)));
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
            RunSummary r;
            r.id = sqlite3_column_int64(st.get(), 0);
            r.at = st.text(1);
            r.domain = st.text(2);
            r.action = st.text(3);
            r.case_code = st.text(4);
            r.duration_ms = sqlite3_column_double(st.get(), 5);
            out.push_back(std::move(r));
        }
    }
    if (rc != SQLITE_DONE && err)
        *err = "kan inte läsa historiken / cannot read the history " + path_ + ": " +
               sqlite3_errmsg(db_);
    return out;
}

std::vector<Json> History::recentReports(int limit, std::string* err) const {
    std::vector<Json> out;
    Statement st(db_, "SELECT report FROM runs ORDER BY id DESC LIMIT ?1");
    int rc = st.prepared();
    int unreadable = 0;
    if (rc == SQLITE_OK) {
        st.bind(1, static_cast<std::int64_t>(std::max(limit, 0)));
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
            Json j = Json::parse(st.text(0), nullptr, /*allow_exceptions=*/false);
            if (j.is_discarded())
                ++unreadable;
            else
                out.push_back(std::move(j));
        }
    }
    if (err && rc != SQLITE_DONE)
        *err = "kan inte läsa historiken / cannot read the history " + path_ + ": " +
               sqlite3_errmsg(db_);
    else if (err && unreadable > 0)
        *err =
            std::to_string(unreadable) +
            " rapporter i historiken är ingen JSON / reports in the history are not JSON: " + path_;
    return out;
}

std::optional<Json> History::last(std::string* err) const {
    auto reports = recentReports(1, err);
    if (reports.empty())
        return std::nullopt;
    return std::move(reports.front());
}

std::int64_t History::count(std::string* err) const {
    std::int64_t n = 0;
    std::string why;
    if (queryInt(db_, "SELECT count(*) FROM runs", n, why) == Health::ok)
        return n;
    if (err)
        *err = "kan inte läsa historiken / cannot read the history " + path_ + ": " + why;
    return 0;
}

Json summariesJson(const std::vector<RunSummary>& runs) {
    Json a = Json::array();
    for (const auto& r : runs)
        a.push_back({{"id", r.id},
                     {"at", r.at},
                     {"domain", r.domain},
                     {"action", r.action},
                     {"case_code", r.case_code.empty() ? Json() : Json(r.case_code)},
                     {"duration_ms", r.duration_ms}});
    return a;
}

std::optional<std::string> HistoryWriteNotes::after(bool stored, const std::string& error) {
    if (!stored)
        return not_stored_++ == 0 ? std::optional<std::string>(error) : std::nullopt;
    if (not_stored_ == 0)
        return std::nullopt;
    const std::string n = std::to_string(not_stored_);
    not_stored_ = 0;
    return "historiken sparas igen; " + n + " körning(ar) kunde inte sparas / the history is " +
           "stored again; " + n + " run(s) could not be stored";
}

}  // namespace dk
