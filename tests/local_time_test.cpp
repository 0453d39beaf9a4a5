// Local time in Europe/Stockholm through the system's time-zone database.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "agent/decide/local_time.h"

using namespace dk;

namespace {
const std::string kZone = "Europe/Stockholm";
}

TEST_CASE("a winter time is read as CET, one hour ahead of UTC") {
    TimeError err;
    auto t = parseLocal("2026-11-28T14:00", kZone, &err);
    REQUIRE(t);
    CHECK(t->iso() == "2026-11-28T14:00:00+01:00");
    CHECK(t->weekday == 6);  // Saturday
    CHECK(t->abbrev == "CET");
}

TEST_CASE("a summer time is read as CEST, two hours ahead of UTC") {
    TimeError err;
    auto t = parseLocal("2026-07-01T12:30:15", kZone, &err);
    REQUIRE(t);
    CHECK(t->iso() == "2026-07-01T12:30:15+02:00");
    CHECK(t->minutesOfDay() == 12 * 60 + 30);
}

TEST_CASE("a time in the spring-forward gap becomes the moment of the jump, with a note") {
    TimeError err;
    std::string note;
    auto t = parseLocal("2026-03-29T02:30", kZone, &err, &note);
    REQUIRE(t);
    CHECK(t->iso() == "2026-03-29T03:00:00+02:00");
    CHECK_THAT(note, Catch::Contains("finns inte"));
}

TEST_CASE("a time in the autumn fold is the earlier moment, with a note") {
    TimeError err;
    std::string note;
    auto t = parseLocal("2026-10-25T02:30", kZone, &err, &note);
    REQUIRE(t);
    CHECK(t->iso() == "2026-10-25T02:30:00+02:00");
    CHECK_THAT(note, Catch::Contains("tvetydig"));
}

TEST_CASE("a malformed --at value is refused with an example of the right form") {
    TimeError err;
    CHECK_FALSE(parseLocal("28/11 14:00", kZone, &err));
    CHECK_THAT(err.message, Catch::Contains("2026-11-28T14:00"));
    CHECK_FALSE(parseLocal("2026-11-28T14:00junk", kZone, &err));
    CHECK_FALSE(parseLocal("2026-02-30T10:00", kZone, &err));
}

TEST_CASE("an unknown time zone is an error, not a guess") {
    TimeError err;
    CHECK_FALSE(parseLocal("2026-11-28T14:00", "Europe/Nowhere", &err));
    CHECK_THAT(err.message, Catch::Contains("Europe/Nowhere"));
}

TEST_CASE("a UTC instant converts to the local calendar day") {
    TimeError err;
    // 23:30 UTC on 31 December is already New Year's Day in Stockholm.
    auto utc = date::sys_days(date::year(2026) / 12 / 31) + std::chrono::hours(23) +
               std::chrono::minutes(30);
    auto t = toLocal(std::chrono::sys_seconds(utc), kZone, &err);
    REQUIRE(t);
    CHECK(t->year == 2027);
    CHECK(t->month == 1);
    CHECK(t->day == 1);
    CHECK(t->hour == 0);
    CHECK(t->weekday == 5);  // Friday
}
