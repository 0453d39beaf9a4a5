// Planned maintenance windows: the config's and those of an iCalendar feed,
// parsed with libical from the real .ics files in tests/data/ics.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "agent/decide/local_time.h"
#include "agent/check/maintenance_feed.h"

using namespace dk;
using namespace std::chrono_literals;
using namespace std::string_literals;
using std::chrono::sys_seconds;
namespace fs = std::filesystem;

namespace {

const std::string kZone = "Europe/Stockholm";
const std::vector<std::string> kSystems = {"tes", "tes_app", "na"};

// A local time in Stockholm: "2026-01-06T09:00".
sys_seconds local(const std::string& text) {
    TimeError err;
    auto t = parseLocal(text, kZone, &err);
    REQUIRE(t);
    return t->instant;
}

// A UTC time: "2026-01-06T08:00".
sys_seconds utc(const std::string& text) {
    TimeError err;
    auto t = parseLocal(text, "UTC", &err);
    REQUIRE(t);
    return t->instant;
}

// The Stockholm wall clock of an instant: "2026-03-31 09:00 CEST".
std::string wall(sys_seconds at) {
    TimeError err;
    auto t = toLocal(at, kZone, &err);
    REQUIRE(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d %s", t->year, t->month, t->day,
                  t->hour, t->minute, t->abbrev.c_str());
    return buf;
}

std::string icsPath(const std::string& name) {
    return std::string(DK_ICS_DIR) + "/" + name;
}

std::string readIcs(const std::string& name) {
    std::ifstream in(icsPath(name), std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

IcsParse parseFile(const std::string& name, const std::string& from, const std::string& to) {
    return parseIcs(readIcs(name), kSystems, kZone, local(from), local(to));
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

// A fresh directory, removed with everything in it at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "dk-maintenance-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(path))
            out.push_back(e.path().filename().string());
        return out;
    }
};

config::Config configWithFeed(const std::string& ics) {
    config::Config c;
    c.timezone = kZone;
    for (const auto& id : kSystems) {
        config::System s;
        s.id = id;
        c.systems.push_back(s);
    }
    c.maintenance.ics = ics;
    return c;
}

MaintenanceOptions optionsAt(const std::string& now, const fs::path& cache) {
    MaintenanceOptions o;
    o.now = local(now);
    o.cache_dir = cache.string();
    return o;
}

const Deadline kDeadline = Deadline::in(std::chrono::seconds(30));

// A fetcher that serves `body` (or fails when `ok` is false) and counts its calls.
struct FakeFetcher {
    bool ok = true;
    std::string body;
    std::string error = "HTTP 503 from intranet";
    int calls = 0;
    std::string last_url;

    FeedFetcher fetcher() {
        return [this](const std::string& url, const Deadline&) {
            ++calls;
            last_url = url;
            return ok ? FeedResult{true, body, ""} : FeedResult{false, "", error};
        };
    }
};

bool anyContains(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& l : lines)
        if (l.find(part) != std::string::npos)
            return true;
    return false;
}

}  // namespace

// ---------------------------------------------------------------------------
// The parser

TEST_CASE(
    "a weekly Tuesday and Wednesday 09:00-14:00 window repeats in Stockholm time and "
    "skips its EXDATE") {
    auto p = parseFile("weekly-tue-wed.ics", "2026-01-05T00:00", "2026-01-19T00:00");
    CHECK(p.errors.empty());
    REQUIRE(p.windows.size() == 3);  // Tue 6, Wed 7, (Tue 13 excepted), Wed 14
    CHECK(wall(p.windows[0].start) == "2026-01-06 09:00 CET");
    CHECK(p.windows[0].start == utc("2026-01-06T08:00"));
    CHECK(p.windows[0].end == utc("2026-01-06T13:00"));
    CHECK(wall(p.windows[1].start) == "2026-01-07 09:00 CET");
    CHECK(wall(p.windows[2].start) == "2026-01-14 09:00 CET");
    CHECK(wall(p.windows[2].end) == "2026-01-14 14:00 CET");
    for (const auto& w : p.windows) {
        CHECK(w.systems == std::vector<std::string>{"tes", "tes_app"});
        CHECK(w.title == "Mindre uppgradering av verksamhetssystemen");
        CHECK(w.source == "ics");
        CHECK(w.uid == "minor-upgrade@driftinfo.example");
    }
}

TEST_CASE("an event in New York or London time lands on the right UTC instant") {
    auto p = parseFile("other-zones.ics", "2026-03-01T00:00", "2026-08-01T00:00");
    REQUIRE(p.windows.size() == 2);
    // 20:00 EDT (US summer time began on 8 March) = 00:00 UTC the next day.
    CHECK(p.windows[0].start == utc("2026-03-11T00:00"));
    CHECK(p.windows[0].end == utc("2026-03-11T02:00"));
    // 06:00 BST = 05:00 UTC.
    CHECK(p.windows[1].start == utc("2026-07-01T05:00"));
    CHECK(p.windows[1].end == utc("2026-07-01T06:00"));
}

TEST_CASE("an unknown TZID, or one shaped like a path, skips that event with an error") {
    auto p = parseFile("other-zones.ics", "2026-03-01T00:00", "2026-08-01T00:00");
    CHECK(anyContains(p.errors, "unknown TZID 'Mars/Olympus_Mons'"));
    CHECK(anyContains(p.errors, "unknown TZID '../../../../etc/passwd'"));
    for (const auto& w : p.windows) CHECK(w.uid.find("zone@") == std::string::npos);
}

TEST_CASE(
    "a weekly recurrence keeps 09:00 local time across the spring DST change, with the "
    "feed's own VTIMEZONE") {
    auto p = parseFile("dst-crossing.ics", "2026-03-01T00:00", "2026-04-30T00:00");
    CHECK(p.errors.empty());
    REQUIRE(p.windows.size() == 4);  // COUNT=4
    CHECK(wall(p.windows[0].start) == "2026-03-17 09:00 CET");
    CHECK(wall(p.windows[1].start) == "2026-03-24 09:00 CET");
    CHECK(wall(p.windows[2].start) == "2026-03-31 09:00 CEST");
    CHECK(wall(p.windows[3].start) == "2026-04-07 09:00 CEST");
    CHECK(p.windows[1].start == utc("2026-03-24T08:00"));
    CHECK(p.windows[2].start == utc("2026-03-31T07:00"));
    CHECK(wall(p.windows[2].end) == "2026-03-31 14:00 CEST");
    CHECK(p.windows[0].systems == std::vector<std::string>{"tes"});
}

TEST_CASE(
    "a recurrence with a DURATION keeps 09:00-14:00 local time across the autumn DST "
    "change") {
    auto p = parseFile("dst-crossing.ics", "2026-10-01T00:00", "2026-12-01T00:00");
    REQUIRE(p.windows.size() == 3);  // UNTIL 4 November
    CHECK(wall(p.windows[0].start) == "2026-10-21 09:00 CEST");
    CHECK(wall(p.windows[1].start) == "2026-10-28 09:00 CET");
    CHECK(wall(p.windows[1].end) == "2026-10-28 14:00 CET");
    CHECK(wall(p.windows[2].start) == "2026-11-04 09:00 CET");
    CHECK(p.windows[0].systems == std::vector<std::string>{"tes_app"});
}

TEST_CASE(
    "UTC times are taken as given, and floating times and dates are local time in "
    "the profile's zone") {
    auto p = parseFile("utc-floating.ics", "2026-01-01T00:00", "2026-05-01T00:00");
    CHECK(p.errors.empty());
    REQUIRE(p.windows.size() == 3);
    // Floating 18:00 in January: Stockholm winter time.
    CHECK(p.windows[0].uid == "floating@driftinfo.example");
    CHECK(p.windows[0].start == utc("2026-01-15T17:00"));
    // UTC 22:00-23:00.
    CHECK(p.windows[1].uid == "utc@driftinfo.example");
    CHECK(p.windows[1].start == utc("2026-04-02T22:00"));
    CHECK(p.windows[1].end == utc("2026-04-02T23:00"));
    // A whole local day (summer time): 00:00 to 00:00 the next day.
    CHECK(p.windows[2].uid == "all-day@driftinfo.example");
    CHECK(p.windows[2].start == local("2026-04-03T00:00"));
    CHECK(p.windows[2].end == local("2026-04-04T00:00"));

    SECTION("the same floating time read in another profile zone moves with it") {
        auto london = parseIcs(readIcs("utc-floating.ics"), kSystems, "Europe/London",
                               local("2026-01-01T00:00"), local("2026-05-01T00:00"));
        REQUIRE(london.windows.size() == 3);
        CHECK(london.windows[0].start == utc("2026-01-15T18:00"));
        CHECK(london.windows[1].start == utc("2026-04-02T22:00"));
    }
}

TEST_CASE("X-DRIFTKOLL-SYSTEMS and CATEGORIES decide which systems an event covers") {
    auto p = parseFile("systems.ics", "2026-02-01T00:00", "2026-03-01T00:00");
    REQUIRE(p.windows.size() == 4);
    // X-DRIFTKOLL-SYSTEMS:tes, tes_app
    CHECK(p.windows[0].systems == std::vector<std::string>{"tes", "tes_app"});
    // CATEGORIES:Underhåll,TES: only the value that is a system id, matched without case.
    CHECK(p.windows[1].systems == std::vector<std::string>{"tes"});
    // CATEGORIES without a system id: every system.
    CHECK(p.windows[2].systems.empty());
    // X-DRIFTKOLL-SYSTEMS:TES,procapita with CATEGORIES:tes_app: the X- property wins.
    CHECK(p.windows[3].systems == std::vector<std::string>{"tes"});
    // X-DRIFTKOLL-SYSTEMS:procapita names no known system: skipped, not widened to all.
    CHECK(anyContains(p.errors, "unknown system 'procapita'"));
    CHECK(anyContains(p.errors,
                      "event 'unknown-system@driftinfo.example': X-DRIFTKOLL-SYSTEMS "
                      "names no known system"));
}

TEST_CASE(
    "a cancelled event, a cancelled occurrence, a moved occurrence and an RDATE are "
    "honoured") {
    auto p = parseFile("cancelled-and-moved.ics", "2026-02-01T00:00", "2026-04-01T00:00");
    CHECK(p.errors.empty());
    REQUIRE(p.windows.size() == 4);
    CHECK(wall(p.windows[0].start) == "2026-02-11 09:00 CET");
    // 18 February moved to the 19th, 12:00-15:00 (RECURRENCE-ID override).
    CHECK(wall(p.windows[1].start) == "2026-02-19 12:00 CET");
    CHECK(wall(p.windows[1].end) == "2026-02-19 15:00 CET");
    CHECK(p.windows[1].title == "Veckovis uppgradering (flyttad)");
    // 25 February cancelled by its override; 10 February (STATUS:CANCELLED) never shows.
    CHECK(wall(p.windows[2].start) == "2026-03-04 09:00 CET");
    CHECK(wall(p.windows[3].start) == "2026-03-05 09:00 CET");  // RDATE
    CHECK(wall(p.windows[3].end) == "2026-03-05 14:00 CET");
}

TEST_CASE("recurrences are expanded only within the range asked for") {
    auto p = parseFile("weekly-tue-wed.ics", "2026-06-01T00:00", "2026-07-31T00:00");
    // June and July 2026: 9 + 9 Tuesdays and Wednesdays before the 31st.
    CHECK(p.windows.size() == 18);
    CHECK(wall(p.windows.front().start) == "2026-06-02 09:00 CEST");
    CHECK(wall(p.windows.back().start) == "2026-07-29 09:00 CEST");

    SECTION("a window that began before the range and is still going is included") {
        auto q = parseFile("weekly-tue-wed.ics", "2026-06-02T12:00", "2026-06-03T00:00");
        REQUIRE(q.windows.size() == 1);
        CHECK(wall(q.windows[0].start) == "2026-06-02 09:00 CEST");
    }
}

TEST_CASE("rules more frequent than daily are refused and long rules are bounded") {
    const std::string head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:r\r\n";
    const std::string tail = "END:VEVENT\r\nEND:VCALENDAR\r\n";

    auto secondly = parseIcs(head +
                                 "DTSTART:20260101T000000Z\r\nDURATION:PT1S\r\n"
                                 "RRULE:FREQ=SECONDLY\r\n" +
                                 tail,
                             kSystems, kZone, utc("2026-01-01T00:00"), utc("2026-03-01T00:00"));
    CHECK(secondly.windows.empty());
    CHECK(anyContains(secondly.errors, "more frequent than daily"));

    // Daily since 1900: more steps than one event may take before reaching 2026.
    auto ancient = parseIcs(head +
                                "DTSTART:19000101T090000Z\r\nDURATION:PT1H\r\n"
                                "RRULE:FREQ=DAILY\r\n" +
                                tail,
                            kSystems, kZone, utc("2026-01-01T00:00"), utc("2026-03-01T00:00"));
    CHECK(anyContains(ancient.errors, "RRULE expansion stopped"));

    // Daily over ten years of range: capped at a thousand windows.
    auto many = parseIcs(head +
                             "DTSTART:20260101T090000Z\r\nDURATION:PT1H\r\n"
                             "RRULE:FREQ=DAILY\r\n" +
                             tail,
                         kSystems, kZone, utc("2026-01-01T00:00"), utc("2036-01-01T00:00"));
    CHECK(many.windows.size() == 1000);
    CHECK(anyContains(many.errors, "more than 1000 occurrences"));
}

TEST_CASE("rules that make libical search for centuries are cut off by the time budget") {
    // Daily on 30 February: each event costs libical a search to year 2582.
    std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    for (int i = 0; i < 40; ++i)
        text += "BEGIN:VEVENT\r\nUID:never-" + std::to_string(i) +
                "\r\nDTSTART:20260101T090000Z\r\nDURATION:PT1H\r\n"
                "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\n";
    text += "END:VCALENDAR\r\n";

    const auto started = SteadyClock::now();
    auto p = parseIcs(text, kSystems, kZone, utc("2026-01-01T00:00"), utc("2026-03-01T00:00"));
    CHECK(msSince(started) < 4000);  // a budget of one second, plus one libical call
    CHECK(p.windows.empty());
    CHECK(anyContains(p.errors, "took longer than 1000 ms"));
}

TEST_CASE("a VTIMEZONE with rules no real time zone has is ignored, and so are its events") {
    const std::string text =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Odd\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:odd\r\nDTSTART;TZID=Odd:20260120T090000\r\nDURATION:PT5H\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n";
    const auto started = SteadyClock::now();
    auto p = parseIcs(text, kSystems, kZone, utc("2026-01-01T00:00"), utc("2026-03-01T00:00"));
    CHECK(msSince(started) < 200);
    CHECK(p.windows.empty());
    CHECK(anyContains(p.errors, "VTIMEZONE 'Odd' ignored: an RRULE other than yearly"));
    CHECK(anyContains(p.errors, "event 'odd': DTSTART: unknown TZID 'Odd'"));
}

TEST_CASE(
    "an EXDATE that cannot be read skips the whole series rather than show a cancelled "
    "window") {
    std::string text = readIcs("weekly-tue-wed.ics");
    text.insert(text.find("X-DRIFTKOLL-SYSTEMS"), "EXDATE;TZID=Nowhere/Atall:20260120T090000\r\n");
    auto p = parseIcs(text, kSystems, kZone, local("2026-01-05T00:00"), local("2026-02-01T00:00"));
    CHECK(p.windows.empty());
    CHECK(anyContains(p.errors, "EXDATE: unknown TZID 'Nowhere/Atall'; event skipped"));
}

TEST_CASE("garbage given to the parser gives errors and no windows, never a crash") {
    const std::vector<std::string> inputs = {
        "",
        "BEGIN:VCALENDAR",
        "BEGIN:VCALENDAR\r\n\0END:VCALENDAR\r\n"s,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:99991231T235959Z\r\nDTEND:1\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\n"
        "DURATION:P99999999W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "\xff\xfe\x00garbage"s,
    };
    for (const auto& text : inputs) {
        auto p = parseIcs(text, kSystems, kZone, utc("2026-01-01T00:00"), utc("2027-01-01T00:00"));
        CHECK(p.windows.empty());
        CHECK_FALSE(p.errors.empty());
    }
}

// ---------------------------------------------------------------------------
// The schedule

TEST_CASE("activeFor finds the windows covering a system now, the end not included") {
    TempDir cache;
    auto cfg = configWithFeed(icsPath("weekly-tue-wed.ics"));
    auto s = loadMaintenance(cfg, optionsAt("2026-01-05T12:00", cache.path), {}, kDeadline);
    REQUIRE(s.feed.state == FeedStatus::State::fresh);

    auto during = s.activeFor("tes", local("2026-01-06T10:30"));
    REQUIRE(during.size() == 1);
    CHECK(during[0]->title == "Mindre uppgradering av verksamhetssystemen");
    CHECK(s.activeFor("tes_app", local("2026-01-06T09:00")).size() == 1);
    CHECK(s.activeFor("na", local("2026-01-06T10:30")).empty());   // not a covered system
    CHECK(s.activeFor("tes", local("2026-01-06T08:59")).empty());  // before
    CHECK(s.activeFor("tes", local("2026-01-06T14:00")).empty());  // the end is exclusive
    CHECK(s.activeFor("tes", local("2026-01-13T10:30")).empty());  // the EXDATE
    CHECK(s.activeFor("tes", local("2026-01-14T13:59")).size() == 1);
}

TEST_CASE("upcoming lists the windows that start within the given hours") {
    TempDir cache;
    auto cfg = configWithFeed(icsPath("weekly-tue-wed.ics"));
    auto s = loadMaintenance(cfg, optionsAt("2026-01-05T12:00", cache.path), {}, kDeadline);

    auto next_day = s.upcoming(local("2026-01-05T12:00"), 24h);
    REQUIRE(next_day.size() == 1);
    CHECK(wall(next_day[0]->start) == "2026-01-06 09:00 CET");
    CHECK(s.upcoming(local("2026-01-05T12:00"), 48h).size() == 2);
    // A window already going is active, not upcoming.
    CHECK(s.upcoming(local("2026-01-06T10:00"), 12h).empty());
}

TEST_CASE("config windows are local times in the profile's time zone") {
    auto cfg = configWithFeed("");
    config::MaintenanceWindow winter;
    winter.systems = {"tes"};
    winter.start = "2026-12-01T09:00";
    winter.end = "2026-12-01T14:00";
    winter.title = "Uppgradering av TES";
    winter.where = {"/etc/driftkoll/driftkoll.toml", 42, 1};
    config::MaintenanceWindow summer;
    summer.start = "2026-06-10T09:00";
    summer.end = "2026-06-10T14:00";
    cfg.maintenance.windows = {winter, summer};

    auto s = loadMaintenance(cfg, optionsAt("2026-05-01T00:00", "/nonexistent"), {}, kDeadline);
    CHECK(s.feed.state == FeedStatus::State::none);
    CHECK(s.feed.warning.empty());
    REQUIRE(s.windows.size() == 2);
    // Sorted by start: June first.
    CHECK(s.windows[0].start == utc("2026-06-10T07:00"));
    CHECK(s.windows[0].systems.empty());
    CHECK(s.windows[0].uid == "config#2");
    CHECK(s.windows[1].start == utc("2026-12-01T08:00"));
    CHECK(s.windows[1].end == utc("2026-12-01T13:00"));
    CHECK(s.windows[1].source == "config");
    CHECK(s.windows[1].uid == "/etc/driftkoll/driftkoll.toml:42");
    CHECK(s.activeFor("tes", local("2026-12-01T13:30")).size() == 1);
    CHECK(s.activeFor("na", local("2026-12-01T13:30")).empty());
}

TEST_CASE(
    "a malformed, truncated, calendar-less or HTML feed is refused and the last good copy "
    "is used") {
    const std::string bad = GENERATE(as<std::string>{}, "malformed.ics", "truncated.ics",
                                     "no-vcalendar.ics", "html-error-page.ics");
    CAPTURE(bad);
    TempDir dir;
    const fs::path feed = dir.path / "feed.ics";
    const fs::path cache = dir.path / "cache";
    auto cfg = configWithFeed(feed.string());

    writeFile(feed, readIcs("weekly-tue-wed.ics"));
    auto first = loadMaintenance(cfg, optionsAt("2026-01-05T12:00", cache), {}, kDeadline);
    REQUIRE(first.feed.state == FeedStatus::State::fresh);
    CHECK(first.feed.warning.empty());

    writeFile(feed, readIcs(bad));
    auto s = loadMaintenance(cfg, optionsAt("2026-01-05T12:00", cache), {}, kDeadline);
    CHECK(s.feed.state == FeedStatus::State::last_good);
    CHECK_THAT(s.feed.warning, Catch::Contains("senaste fungerande kopian"));
    CHECK_THAT(s.feed.warning, Catch::Contains("using the last good copy"));
    CHECK(s.feed.source == feed.string());
    CHECK(s.feed.events == 1);
    CHECK(s.windows == first.windows);
    CHECK(s.activeFor("tes", local("2026-01-06T10:00")).size() == 1);
}

TEST_CASE("a feed larger than the cap is refused with a warning and the last good copy is used") {
    TempDir dir;
    const fs::path feed = dir.path / "feed.ics";
    auto cfg = configWithFeed(feed.string());
    auto opts = optionsAt("2026-01-05T12:00", dir.path / "cache");
    opts.max_feed_bytes = 4096;

    writeFile(feed, readIcs("weekly-tue-wed.ics"));
    REQUIRE(loadMaintenance(cfg, opts, {}, kDeadline).feed.state == FeedStatus::State::fresh);

    // A valid calendar padded past the cap with a long DESCRIPTION.
    std::string big = readIcs("systems.ics");
    big.insert(big.find("END:VEVENT"), "DESCRIPTION:" + std::string(8000, 'x') + "\r\n");
    writeFile(feed, big);
    REQUIRE(fs::file_size(feed) > opts.max_feed_bytes);

    auto s = loadMaintenance(cfg, opts, {}, kDeadline);
    CHECK(s.feed.state == FeedStatus::State::last_good);
    CHECK_THAT(s.feed.warning, Catch::Contains("larger than the limit of 4096 bytes"));
    CHECK(s.feed.bytes == readIcs("weekly-tue-wed.ics").size());
    CHECK(s.windows.size() == 17);  // the weekly windows within 60 days
}

TEST_CASE(
    "an http feed is fetched through the FeedFetcher, saved, and used as the last good "
    "copy when a later fetch fails") {
    TempDir dir;
    auto cfg = configWithFeed("https://intranet.example/driftinfo.ics");
    FakeFetcher fake;
    fake.body = readIcs("weekly-tue-wed.ics");

    auto fresh =
        loadMaintenance(cfg, optionsAt("2026-01-05T12:00", dir.path), fake.fetcher(), kDeadline);
    CHECK(fake.calls == 1);
    CHECK(fake.last_url == "https://intranet.example/driftinfo.ics");
    CHECK(fresh.feed.state == FeedStatus::State::fresh);
    CHECK(fresh.feed.bytes == fake.body.size());
    CHECK(fresh.feed.events == 1);
    CHECK_FALSE(fresh.windows.empty());
    // One saved copy, written through a temporary file that is gone again.
    const auto files = dir.files();
    REQUIRE(files.size() == 1);
    CHECK(files[0].rfind("maintenance-", 0) == 0);

    fake.ok = false;
    auto later =
        loadMaintenance(cfg, optionsAt("2026-01-05T12:00", dir.path), fake.fetcher(), kDeadline);
    CHECK(fake.calls == 2);
    CHECK(later.feed.state == FeedStatus::State::last_good);
    CHECK_THAT(later.feed.warning, Catch::Contains("HTTP 503 from intranet"));
    CHECK(later.windows == fresh.windows);
}

TEST_CASE("a good fresh feed replaces the saved copy") {
    TempDir dir;
    auto cfg = configWithFeed("http://intranet.example/driftinfo.ics");
    FakeFetcher fake;
    fake.body = readIcs("weekly-tue-wed.ics");
    loadMaintenance(cfg, optionsAt("2026-02-01T00:00", dir.path), fake.fetcher(), kDeadline);

    fake.body = readIcs("systems.ics");
    auto second =
        loadMaintenance(cfg, optionsAt("2026-02-01T00:00", dir.path), fake.fetcher(), kDeadline);
    CHECK(second.feed.state == FeedStatus::State::fresh);
    CHECK_THAT(second.feed.warning, Catch::Contains("procapita"));  // its events' problems

    fake.ok = false;
    auto s =
        loadMaintenance(cfg, optionsAt("2026-02-01T00:00", dir.path), fake.fetcher(), kDeadline);
    CHECK(s.feed.state == FeedStatus::State::last_good);
    CHECK(s.feed.events == 5);  // systems.ics, not the weekly feed
    CHECK(s.windows == second.windows);
}

TEST_CASE("with no saved copy a failing feed leaves the config windows, in state failed") {
    TempDir dir;
    auto cfg = configWithFeed("https://intranet.example/driftinfo.ics");
    config::MaintenanceWindow w;
    w.start = "2026-01-07T09:00";
    w.end = "2026-01-07T14:00";
    w.title = "Från konfigurationen";
    cfg.maintenance.windows = {w};
    FakeFetcher fake;
    fake.ok = false;

    auto s =
        loadMaintenance(cfg, optionsAt("2026-01-05T12:00", dir.path), fake.fetcher(), kDeadline);
    CHECK(s.feed.state == FeedStatus::State::failed);
    CHECK_THAT(s.feed.warning, Catch::Contains("ingen tidigare kopia"));
    CHECK_THAT(s.feed.warning, Catch::Contains("only configured windows apply"));
    REQUIRE(s.windows.size() == 1);
    CHECK(s.windows[0].source == "config");
    CHECK(s.activeFor("tes", local("2026-01-07T10:00")).size() == 1);
    CHECK(dir.files().empty());  // nothing bad is saved

    SECTION("a missing fetcher is a failure too, not a crash") {
        auto t = loadMaintenance(cfg, optionsAt("2026-01-05T12:00", dir.path), {}, kDeadline);
        CHECK(t.feed.state == FeedStatus::State::failed);
        CHECK(t.windows.size() == 1);
    }
}

TEST_CASE("a FIFO or a directory in place of the feed file is refused without blocking") {
    TempDir dir;
    const fs::path fifo = dir.path / "feed.ics";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    for (const fs::path& path : {fifo, dir.path}) {
        auto s = loadMaintenance(configWithFeed(path.string()),
                                 optionsAt("2026-01-05T12:00", dir.path / "cache"), {}, kDeadline);
        CHECK(s.feed.state == FeedStatus::State::failed);
        CHECK_THAT(s.feed.warning, Catch::Contains("is not a regular file"));
    }
}

TEST_CASE("a feed file that does not exist fails with its path in the warning") {
    TempDir dir;
    const std::string missing = (dir.path / "no-such-feed.ics").string();
    auto s = loadMaintenance(configWithFeed(missing), optionsAt("2026-01-05T12:00", dir.path), {},
                             kDeadline);
    CHECK(s.feed.state == FeedStatus::State::failed);
    CHECK_THAT(s.feed.warning, Catch::Contains(missing));
    CHECK(s.windows.empty());
}
