#include "agent/check/maintenance_feed.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include <date/date.h>

#include "agent/decide/local_time.h"
#include "agent/os/files.h"

namespace dk {

namespace {

using std::chrono::sys_seconds;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Reading the feed and keeping the last good copy

bool isHttpUrl(const std::string& s) {
    std::string l = s.substr(0, 8);
    for (char& c : l)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0;
}

CappedRead readFeed(const std::string& source, std::size_t cap, const FeedFetcher& fetch,
              const Deadline& deadline) {
    if (!isHttpUrl(source))
        return readFileCapped(source, cap);
    if (!fetch)
        return {false, {}, "no way to fetch " + source};
    FeedResult r;
    try {
        r = fetch(source, deadline);
    } catch (const std::exception& e) {
        return {false, {}, std::string("fetch failed: ") + e.what()};
    } catch (...) {
        return {false, {}, "fetch failed"};
    }
    if (!r.ok)
        return {false, {}, r.error.empty() ? "fetch failed" : r.error};
    if (r.body.size() > cap)
        return {false, {}, "larger than the limit of " + std::to_string(cap) + " bytes"};
    return {true, std::move(r.body), {}};
}

// One copy per feed source, so a changed source never falls back to another feed's copy.
fs::path cachePath(const std::string& dir, const std::string& source) {
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a
    for (unsigned char c : source) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char name[40];
    std::snprintf(name, sizeof name, "maintenance-%016llx.ics", static_cast<unsigned long long>(h));
    return fs::path(dir) / name;
}

// Writes `body` to `path` so that a reader sees the old copy or the new one.
bool writeAtomically(const fs::path& path, const std::string& body, std::string* error) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
        *error = "cannot create " + path.parent_path().string() + ": " + ec.message();
        return false;
    }
    std::string why;
    if (writeFileAtomic(path.string(), body, 0600, &why))
        return true;
    *error = "cannot write " + path.string() + ": " + why;
    return false;
}

// " 2026-11-20 14:02" for the copy's modification time, or "" when unknown.
std::string copyAge(const fs::path& path, const std::string& zone) {
    std::error_code ec;
    const auto when = fs::last_write_time(path, ec);
    if (ec)
        return {};
    const auto at = date::floor<std::chrono::seconds>(std::chrono::file_clock::to_sys(when));
    auto local = toLocal(at, zone, nullptr);
    if (!local)
        return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, " %04d-%02d-%02d %02d:%02d", local->year, local->month,
                  local->day, local->hour, local->minute);
    return buf;
}

void appendWarning(FeedStatus& feed, const std::string& text) {
    if (!feed.warning.empty())
        feed.warning += ' ';
    feed.warning += text;
}

std::vector<MaintenanceWindow> configWindows(const config::Config& cfg, FeedStatus& feed) {
    std::vector<MaintenanceWindow> out;
    for (std::size_t i = 0; i < cfg.maintenance.windows.size(); ++i) {
        const config::MaintenanceWindow& w = cfg.maintenance.windows[i];
        const std::string uid = w.where.line > 0 ? w.where.file + ":" + std::to_string(w.where.line)
                                                 : "config#" + std::to_string(i + 1);
        TimeError err;
        auto start = parseLocal(w.start, cfg.timezone, &err);
        auto end = start ? parseLocal(w.end, cfg.timezone, &err) : std::nullopt;
        if (!start || !end || end->instant <= start->instant) {
            appendWarning(
                feed,
                "Ett underhållsfönster i konfigurationen är ogiltigt. / Invalid "
                "configured maintenance window (" +
                    uid + "): " + (err.message.empty() ? "end is not after start" : err.message));
            continue;
        }
        out.push_back({w.systems, start->instant, end->instant, w.title, "config", uid});
    }
    return out;
}

void loadFeed(const config::Config& cfg, const MaintenanceOptions& opts, const FeedFetcher& fetch,
              const Deadline& deadline, MaintenanceSchedule& out) {
    FeedStatus& feed = out.feed;
    feed.source = cfg.maintenance.ics;
    std::vector<std::string> known;
    for (const auto& s : cfg.systems) known.push_back(s.id);
    const sys_seconds to = opts.now + opts.horizon;

    auto use = [&](const std::string& body, CalendarParse& parsed) {
        feed.bytes = body.size();
        feed.events = parsed.events;
        for (auto& w : parsed.parse.windows) out.windows.push_back(std::move(w));
    };

    std::string reason;
    const CappedRead fresh = readFeed(cfg.maintenance.ics, opts.max_feed_bytes, fetch, deadline);
    if (fresh.ok) {
        CalendarParse parsed = parseCalendarSafely(fresh.body, known, cfg.timezone, opts.now, to);
        if (parsed.usable) {
            feed.state = FeedStatus::State::fresh;
            if (!parsed.parse.errors.empty())
                appendWarning(feed,
                              "Underhållskalendern har fel; berörda händelser hoppades "
                              "över. / Maintenance feed: " +
                                  std::to_string(parsed.error_count) +
                                  " problem(s), affected events skipped (" +
                                  parsed.parse.errors.front() + ").");
            use(fresh.body, parsed);
            if (!opts.cache_dir.empty()) {
                const fs::path copy = cachePath(opts.cache_dir, cfg.maintenance.ics);
                const CappedRead old = readFileCapped(copy, opts.max_feed_bytes);
                std::string error;
                if ((!old.ok || old.body != fresh.body) &&
                    !writeAtomically(copy, fresh.body, &error))
                    appendWarning(feed,
                                  "Kopian av underhållskalendern kunde inte sparas. / "
                                  "Could not save a copy of the maintenance feed: " +
                                      error + ".");
            }
            return;
        }
        reason = parsed.problem;
    } else {
        reason = fresh.error;
    }

    if (!opts.cache_dir.empty()) {
        const fs::path copy = cachePath(opts.cache_dir, cfg.maintenance.ics);
        const CappedRead saved = readFileCapped(copy, opts.max_feed_bytes);
        if (saved.ok) {
            CalendarParse parsed =
                parseCalendarSafely(saved.body, known, cfg.timezone, opts.now, to);
            if (parsed.usable) {
                feed.state = FeedStatus::State::last_good;
                const std::string age = copyAge(copy, cfg.timezone);
                appendWarning(feed,
                              "Underhållskalendern kunde inte användas; senaste "
                              "fungerande kopian" +
                                  (age.empty() ? "" : " från" + age) +
                                  " används. / Maintenance feed unusable (" + reason +
                                  "); using the last good copy" +
                                  (age.empty() ? "" : " from" + age) + ".");
                use(saved.body, parsed);
                return;
            }
            reason += "; the saved copy is unusable too: " + parsed.problem;
        }
    }
    feed.state = FeedStatus::State::failed;
    appendWarning(feed,
                  "Underhållskalendern kunde inte användas och ingen tidigare kopia finns; "
                  "bara konfigurerade fönster gäller. / Maintenance feed unusable (" +
                      reason + "); no earlier copy, only configured windows apply.");
}

}  // namespace

MaintenanceSchedule loadMaintenance(const config::Config& cfg, const MaintenanceOptions& opts,
                                    const FeedFetcher& fetch, const Deadline& deadline) {
    MaintenanceSchedule out;
    try {
        out.windows = configWindows(cfg, out.feed);
        if (!cfg.maintenance.ics.empty())
            loadFeed(cfg, opts, fetch, deadline, out);
        std::sort(out.windows.begin(), out.windows.end(), startsEarlier);
    } catch (const std::exception& e) {
        out.feed.state =
            out.feed.source.empty() ? FeedStatus::State::none : FeedStatus::State::failed;
        appendWarning(out.feed, std::string("Underhållsfönstren kunde inte läsas. / Maintenance "
                                            "windows could not be loaded: ") +
                                    e.what());
    } catch (...) {
        out.feed.state =
            out.feed.source.empty() ? FeedStatus::State::none : FeedStatus::State::failed;
        appendWarning(out.feed,
                      "Underhållsfönstren kunde inte läsas. / Maintenance windows "
                      "could not be loaded.");
    }
    return out;
}

}  // namespace dk