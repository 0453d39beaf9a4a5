// Opening hours by the Swedish calendar, with the default Örebro office lines:
// whether a line is open, on a lunch break, when it opens next and when it closes.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "agent/decide/schedule.h"

using namespace dk;
using namespace std::chrono_literals;

namespace {

const std::string kZone = "Europe/Stockholm";

constexpr int hm(int h, int m) {
    return h * 60 + m;
}

config::HoursRule rule(std::vector<int> days, int open, int close,
                       std::vector<config::Break> breaks = {}, bool only_weekdays = true) {
    config::HoursRule r;
    r.days = std::move(days);
    r.open = {open};
    r.close = {close};
    r.breaks = std::move(breaks);
    r.only_weekdays = only_weekdays;
    return r;
}

// The TES line of the default profile: weekdays 08:00–16:30.
config::Contact tesLine() {
    config::Contact c;
    c.id = "tes_support";
    c.hours = {rule({1, 2, 3, 4, 5}, hm(8, 0), hm(16, 30))};
    return c;
}

// The IT line of the default profile: Monday–Thursday 07:00–17:00, Friday
// 07:00–16:00, closed for lunch 12:00–13:00.
config::Contact itLine() {
    const config::Break lunch{{hm(12, 0)}, {hm(13, 0)}};
    config::Contact c;
    c.id = "it_support";
    c.hours = {rule({1, 2, 3, 4}, hm(7, 0), hm(17, 0), {lunch}),
               rule({5}, hm(7, 0), hm(16, 0), {lunch})};
    return c;
}

LocalTime at(const std::string& text) {
    TimeError err;
    auto t = parseLocal(text, kZone, &err);
    INFO(err.message);
    REQUIRE(t);
    return *t;
}

// The next opening as ISO 8601 with offset, or "none".
std::string nextOpen(const config::Contact& c, const std::string& now,
                     const SwedishCalendar& cal = SwedishCalendar{}) {
    const auto t = nextOpening(c, at(now), cal, kZone);
    return t ? t->iso() : "none";
}

std::string closes(const config::Contact& c, const std::string& now) {
    const auto t = closesAt(c, at(now), SwedishCalendar{}, kZone);
    return t ? t->iso() : "none";
}

}  // namespace

TEST_CASE("the TES line is open on weekdays from 08:00 until 16:30") {
    // Wednesday 11 and Friday 13 March 2026 are ordinary weekdays.
    const auto [when, open] = GENERATE(table<std::string, bool>({
        {"2026-03-11T07:59", false},
        {"2026-03-11T08:00", true},
        {"2026-03-11T12:30", true},
        {"2026-03-11T16:29:59", true},
        {"2026-03-11T16:30", false},
        {"2026-03-11T22:00", false},
        {"2026-03-13T16:29", true},
        {"2026-03-13T16:30", false},  // Friday 16:30: closed for the weekend
        {"2026-03-14T10:00", false},  // Saturday
        {"2026-03-15T10:00", false},  // Sunday
    }));
    INFO(when);
    SwedishCalendar cal;
    CHECK(isOpen(tesLine(), at(when), cal) == open);
    CHECK_FALSE(onBreak(tesLine(), at(when), cal));
}

TEST_CASE("the IT line closes for lunch, at 17:00 Monday to Thursday and at 16:00 on Fridays") {
    const auto [when, open, lunch] = GENERATE(table<std::string, bool, bool>({
        {"2026-03-09T06:59", false, false},  // Monday, before opening
        {"2026-03-09T07:00", true, false},
        {"2026-03-09T11:59", true, false},
        {"2026-03-09T12:00", false, true},  // lunch
        {"2026-03-09T12:59", false, true},
        {"2026-03-09T13:00", true, false},
        {"2026-03-12T16:59", true, false},  // Thursday
        {"2026-03-12T17:00", false, false},
        {"2026-03-13T12:30", false, true},  // Friday lunch
        {"2026-03-13T15:59", true, false},  // Friday
        {"2026-03-13T16:00", false, false},
        {"2026-03-13T16:30", false, false},
    }));
    INFO(when);
    SwedishCalendar cal;
    CHECK(isOpen(itLine(), at(when), cal) == open);
    CHECK(onBreak(itLine(), at(when), cal) == lunch);
}

TEST_CASE("the office lines are closed on holidays and closed eves that fall on weekdays") {
    // Every one of these days is Monday to Friday in 2026, at 10:00.
    const auto [when, what] = GENERATE(table<std::string, std::string>({
        {"2026-01-01T10:00", "New Year's Day, Thursday"},
        {"2026-01-06T10:00", "Epiphany, Tuesday"},
        {"2026-04-03T10:00", "Good Friday"},
        {"2026-04-06T10:00", "Easter Monday"},
        {"2026-05-01T10:00", "May Day, Friday"},
        {"2026-05-14T10:00", "Ascension Day, Thursday"},
        {"2026-06-19T10:00", "Midsummer Eve, Friday"},
        {"2026-12-24T10:00", "Christmas Eve, Thursday"},
        {"2026-12-25T10:00", "Christmas Day, Friday"},
        {"2026-12-31T10:00", "New Year's Eve, Thursday"},
    }));
    INFO(what);
    SwedishCalendar cal;
    CHECK_FALSE(isOpen(tesLine(), at(when), cal));
    CHECK_FALSE(isOpen(itLine(), at(when), cal));
}

TEST_CASE("on a holiday the IT line is closed all day, not on a lunch break") {
    // Easter Monday 2026 at 12:30.
    SwedishCalendar cal;
    CHECK_FALSE(isOpen(itLine(), at("2026-04-06T12:30"), cal));
    CHECK_FALSE(onBreak(itLine(), at("2026-04-06T12:30"), cal));
}

TEST_CASE("the lines are open on Christmas Eve when the configuration opens it") {
    config::Holidays h;
    h.christmas_eve_closed = false;
    SwedishCalendar cal(h);
    CHECK(isOpen(tesLine(), at("2026-12-24T10:00"), cal));
    CHECK(isOpen(itLine(), at("2026-12-24T10:00"), cal));
}

TEST_CASE("the lines are closed on an extra closed day from the configuration") {
    config::Holidays h;
    h.extra_closed = {"2026-12-28"};
    SwedishCalendar cal(h);
    CHECK_FALSE(isOpen(tesLine(), at("2026-12-28T10:00"), cal));
    CHECK(nextOpen(tesLine(), "2026-12-23T16:30", cal) == "2026-12-29T08:00:00+01:00");
}

TEST_CASE("a rule that is not only for weekdays keeps its hours on holidays") {
    // Hours every day of the week, holidays included: open on Easter Monday and on
    // Christmas Day.
    config::Contact c;
    c.hours = {rule({1, 2, 3, 4, 5, 6, 7}, hm(9, 0), hm(15, 0), {}, false)};
    SwedishCalendar cal;
    CHECK(isOpen(c, at("2026-04-06T10:00"), cal));
    CHECK(isOpen(c, at("2026-12-25T10:00"), cal));
    CHECK_FALSE(isOpen(c, at("2026-12-25T15:00"), cal));
}

TEST_CASE("a contact without hours is always open and never closes") {
    // The on-call line of the default profile has no fixed hours.
    config::Contact oncall;
    oncall.id = "oncall";
    SwedishCalendar cal;
    const LocalTime night = at("2026-12-25T03:00");
    CHECK(isOpen(oncall, night, cal));
    CHECK_FALSE(onBreak(oncall, night, cal));
    CHECK(nextOpening(oncall, night, cal, kZone)->iso() == night.iso());
    CHECK_FALSE(closesAt(oncall, night, cal, kZone));
    const LineStatus s = lineStatus(oncall, night, cal, kZone);
    CHECK(s.open);
    CHECK_FALSE(s.closes);
    CHECK_FALSE(s.next_open);
    CHECK_FALSE(s.before_holiday);
}

TEST_CASE("the next opening of an open line is now") {
    CHECK(nextOpen(tesLine(), "2026-03-11T10:15:30") == "2026-03-11T10:15:30+01:00");
}

TEST_CASE("the next opening is the opening time, the end of lunch or the next weekday") {
    const auto [line, now, expected] = GENERATE(table<std::string, std::string, std::string>({
        // Before opening on a weekday: later the same day.
        {"tes", "2026-03-11T06:30", "2026-03-11T08:00:00+01:00"},
        {"it", "2026-03-11T06:30", "2026-03-11T07:00:00+01:00"},
        // IT lunch: 13:00 the same day.
        {"it", "2026-03-11T12:10", "2026-03-11T13:00:00+01:00"},
        // After closing: the next morning.
        {"tes", "2026-03-11T16:30", "2026-03-12T08:00:00+01:00"},
        // Friday 16:30 and the weekend: Monday morning.
        {"tes", "2026-03-13T16:30", "2026-03-16T08:00:00+01:00"},
        {"it", "2026-03-13T16:00", "2026-03-16T07:00:00+01:00"},
        {"tes", "2026-03-15T23:59", "2026-03-16T08:00:00+01:00"},
    }));
    INFO(line << " at " << now);
    CHECK(nextOpen(line == "tes" ? tesLine() : itLine(), now) == expected);
}

TEST_CASE("over Easter 2026 the TES line next opens on the Tuesday after Easter Monday") {
    // Maundy Thursday 16:30; Good Friday, Easter Saturday, Sunday and Monday closed.
    CHECK(nextOpen(tesLine(), "2026-04-02T16:30") == "2026-04-07T08:00:00+02:00");
    CHECK(nextOpen(tesLine(), "2026-04-06T10:00") == "2026-04-07T08:00:00+02:00");
    CHECK(nextOpen(itLine(), "2026-04-02T17:00") == "2026-04-07T07:00:00+02:00");
}

TEST_CASE("over Christmas 2026 the lines next open on Monday 28 December") {
    // 23 December (Wednesday) after closing; Christmas Eve to Sunday 27 December closed.
    CHECK(nextOpen(tesLine(), "2026-12-23T16:30") == "2026-12-28T08:00:00+01:00");
    CHECK(nextOpen(itLine(), "2026-12-24T09:00") == "2026-12-28T07:00:00+01:00");
    // New Year: 30 December after closing -> Friday 1 January is a holiday, so Monday 4th.
    CHECK(nextOpen(tesLine(), "2026-12-30T17:00") == "2027-01-04T08:00:00+01:00");
}

TEST_CASE("the next opening over the spring daylight-saving change is in summer time") {
    // Clocks go forward on Sunday 29 March 2026: Friday 16:30 CET to Monday 08:00 CEST
    // is 63.5 hours on the wall clock but 62.5 hours of real time.
    const LocalTime friday = at("2026-03-27T16:30");
    CHECK(friday.iso() == "2026-03-27T16:30:00+01:00");
    const auto next = nextOpening(tesLine(), friday, SwedishCalendar{}, kZone);
    REQUIRE(next);
    CHECK(next->iso() == "2026-03-30T08:00:00+02:00");
    CHECK(next->abbrev == "CEST");
    CHECK(next->instant - friday.instant == 62h + 30min);
}

TEST_CASE("the next opening over the autumn daylight-saving change is in winter time") {
    // Clocks go back on Sunday 25 October 2026: Friday 16:30 CEST to Monday 08:00 CET
    // is 63.5 hours on the wall clock but 64.5 hours of real time.
    const LocalTime friday = at("2026-10-23T16:30");
    CHECK(friday.iso() == "2026-10-23T16:30:00+02:00");
    const auto next = nextOpening(tesLine(), friday, SwedishCalendar{}, kZone);
    REQUIRE(next);
    CHECK(next->iso() == "2026-10-26T08:00:00+01:00");
    CHECK(next->abbrev == "CET");
    CHECK(next->instant - friday.instant == 64h + 30min);
}

TEST_CASE("an opening time in the spring-forward gap is the moment the clocks jump") {
    // A Sunday line 02:30–04:00: on 29 March 2026, 02:30 does not exist; it opens at 03:00 CEST.
    config::Contact c;
    c.hours = {rule({7}, hm(2, 30), hm(4, 0), {}, false)};
    CHECK(nextOpen(c, "2026-03-28T12:00") == "2026-03-29T03:00:00+02:00");
}

TEST_CASE("hours that lie wholly in the spring-forward gap are skipped that day") {
    // A Sunday line 02:00–02:45 never opens on 29 March 2026; next it opens a week later.
    config::Contact c;
    c.hours = {rule({7}, hm(2, 0), hm(2, 45), {}, false)};
    CHECK(nextOpen(c, "2026-03-28T12:00") == "2026-04-05T02:00:00+02:00");
}

TEST_CASE("a line that does not open within 30 days has no next opening") {
    // Sunday hours only on weekdays can never apply: a misconfiguration, not an endless search.
    config::Contact c;
    c.hours = {rule({7}, hm(8, 0), hm(16, 0))};
    SwedishCalendar cal;
    CHECK_FALSE(isOpen(c, at("2026-03-15T10:00"), cal));
    CHECK(nextOpen(c, "2026-03-11T10:00") == "none");
}

TEST_CASE("the next opening skips a break end that another break still covers") {
    // Overlapping breaks 09:00–10:00 and 09:30–11:00: at 09:15 the line opens again at
    // 11:00, not at 10:00 when the first break ends.
    config::Contact c;
    c.hours = {
        rule({1}, hm(8, 0), hm(12, 0), {{{hm(9, 0)}, {hm(10, 0)}}, {{hm(9, 30)}, {hm(11, 0)}}})};
    SwedishCalendar cal;
    CHECK(onBreak(c, at("2026-03-09T10:00"), cal));
    CHECK(nextOpen(c, "2026-03-09T09:15") == "2026-03-09T11:00:00+01:00");
}

TEST_CASE("an open line closes at its next break or its closing time") {
    const auto [line, now, expected] = GENERATE(table<std::string, std::string, std::string>({
        {"tes", "2026-03-11T10:00", "2026-03-11T16:30:00+01:00"},
        {"tes", "2026-03-13T08:00", "2026-03-13T16:30:00+01:00"},
        {"it", "2026-03-09T10:00", "2026-03-09T12:00:00+01:00"},  // Monday: lunch
        {"it", "2026-03-09T13:00", "2026-03-09T17:00:00+01:00"},
        {"it", "2026-03-13T14:00", "2026-03-13T16:00:00+01:00"},  // Friday
        {"it", "2026-06-10T11:59", "2026-06-10T12:00:00+02:00"},  // summer time
        // Closed now: no closing time.
        {"tes", "2026-03-11T17:00", "none"},
        {"it", "2026-03-09T12:30", "none"},
        {"tes", "2026-04-06T10:00", "none"},
    }));
    INFO(line << " at " << now);
    CHECK(closes(line == "tes" ? tesLine() : itLine(), now) == expected);
}

TEST_CASE("a line open until 24:00 closes at midnight") {
    config::Contact c;
    c.hours = {rule({1, 2, 3, 4, 5}, hm(18, 0), hm(24, 0))};
    CHECK(closes(c, "2026-03-11T20:00") == "2026-03-12T00:00:00+01:00");
}

TEST_CASE("overlapping rules keep a line open until the last of them closes") {
    // 08:00–12:00 and 11:00–15:00 on Mondays: open without a gap until 15:00.
    config::Contact c;
    c.hours = {rule({1}, hm(8, 0), hm(12, 0)), rule({1}, hm(11, 0), hm(15, 0))};
    CHECK(closes(c, "2026-03-09T09:00") == "2026-03-09T15:00:00+01:00");
}

TEST_CASE("the line status says open until when, and warns on the day before a holiday") {
    // Wednesday 13 May 2026, the day before Ascension Day, 10:00.
    SwedishCalendar cal;
    const LineStatus s = lineStatus(tesLine(), at("2026-05-13T10:00"), cal, kZone);
    CHECK(s.open);
    CHECK_FALSE(s.on_break);
    REQUIRE(s.closes);
    CHECK(s.closes->iso() == "2026-05-13T16:30:00+02:00");
    CHECK_FALSE(s.next_open);
    CHECK(s.before_holiday);
}

TEST_CASE("the line status of a closed line warns when it next opens on a day before a holiday") {
    // Tuesday 22 December 2026, 20:00: next open Wednesday 23 December, the day before
    // Christmas Eve.
    SwedishCalendar cal;
    const LineStatus s = lineStatus(tesLine(), at("2026-12-22T20:00"), cal, kZone);
    CHECK_FALSE(s.open);
    CHECK_FALSE(s.closes);
    REQUIRE(s.next_open);
    CHECK(s.next_open->iso() == "2026-12-23T08:00:00+01:00");
    CHECK(s.before_holiday);
    // After closing on 23 December the line next opens on an ordinary Monday.
    CHECK_FALSE(lineStatus(tesLine(), at("2026-12-23T17:00"), cal, kZone).before_holiday);
}

TEST_CASE("the line status on lunch break says when the line opens again") {
    // The IT line at 12:15 on an ordinary Friday: no warning before a plain weekend.
    SwedishCalendar cal;
    const LineStatus s = lineStatus(itLine(), at("2026-03-13T12:15"), cal, kZone);
    CHECK_FALSE(s.open);
    CHECK(s.on_break);
    REQUIRE(s.next_open);
    CHECK(s.next_open->iso() == "2026-03-13T13:00:00+01:00");
    CHECK_FALSE(s.closes);
    CHECK_FALSE(s.before_holiday);
}
