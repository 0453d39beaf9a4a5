// The run history: every run's report, kept in a SQLite database of the user's
// ($XDG_STATE_HOME/driftkoll/history.sqlite) with bounded retention, for
// `driftkoll history` and for the diagnostic bundle (export.h).
//
// The database is written in WAL mode with synchronous=NORMAL: a process killed
// in the middle of a write leaves the history as it was before that write. A
// file that is not a database, or fails SQLite's quick check, is set aside as
// <path>.corrupt-<UTC time> and a new history is started, so the agent keeps
// working and IT can still look at the old file. Nothing here throws: every
// error comes back as a value (Swedish / English texts).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/result.h"

struct sqlite3;

namespace dk {

// How much history is kept. Both limits apply; the older runs go first.
struct Retention {
    int max_runs = 2000;  // at least 1
    std::chrono::seconds max_age = std::chrono::hours(24 * 30);
};

// One run, without its report.
struct RunSummary {
    std::int64_t id = 0;    // increases with every run added
    std::string at;         // generated_at: ISO 8601 UTC
    std::string domain;     // diagnosis.domain
    std::string action;     // advice.action
    std::string case_code;  // advice.case_code; "" when the run had none
    double duration_ms = 0;
};

struct HistoryOpen;

// One open history. Use it from one thread at a time; several processes may
// have the same file open (the agent writing, `driftkoll export` reading).
class History {
public:
    // The history next to the incident file: $XDG_STATE_HOME/driftkoll/history.sqlite
    // (default ~/.local/state/driftkoll/history.sqlite).
    static std::string defaultPath();

    // Opens the history at `path` for writing, creating it (and its directories,
    // 0700; the file 0600) when missing. A corrupt file is set aside and a new
    // history started; `warning` then says so and names both files.
    static HistoryOpen open(const std::string& path, Retention retention = {});
    // Opens an existing history only to read it (export): nothing is created,
    // checked or moved. A missing file is an error.
    static HistoryOpen openForReading(const std::string& path);

    ~History();
    History(const History&) = delete;
    History& operator=(const History&) = delete;

    const std::string& path() const { return path_; }

    // Stores one run's report (the JSON of report.h) and, in the same transaction,
    // drops the runs beyond the retention. False, with the reason in `err`, when it
    // could not be stored; the history is then unchanged.
    bool add(const Json& report, std::string* err);

    // The newest runs first, at most `limit`. On a read error: what was read, and
    // the reason in `err`.
    std::vector<RunSummary> recent(int limit, std::string* err = nullptr) const;
    std::vector<Json> recentReports(int limit, std::string* err = nullptr) const;
    // The newest run's report; nullopt when the history is empty or cannot be read.
    std::optional<Json> last(std::string* err = nullptr) const;
    // How many runs are kept; 0 (and `err`) when it cannot be read.
    std::int64_t count(std::string* err = nullptr) const;

private:
    History(sqlite3* db, std::string path, Retention retention, bool read_only);

    sqlite3* db_;
    std::string path_;
    Retention retention_;
    bool read_only_;
};

// Runs as the API and `driftkoll history --json` give them: [{"id", "at", "domain",
// "action", "case_code" (null when none), "duration_ms"}], in the given order.
Json summariesJson(const std::vector<RunSummary>& runs);

struct HistoryOpen {
    std::unique_ptr<History> history;  // null when it could not be opened
    std::string warning;               // opened, but something had to be repaired
    std::string error;                 // why it could not be opened
};

// What the agent says about storing its runs: the first failure, and the first
// success after failures with how many runs were not stored — not one line per
// run while a disk stays full.
class HistoryWriteNotes {
public:
    // The line to log after a write (`stored`, else `error`), if there is one.
    std::optional<std::string> after(bool stored, const std::string& error);

private:
    std::size_t not_stored_ = 0;
};

}  // namespace dk
