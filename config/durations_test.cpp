#include "config/durations.h"

#include <catch2/catch.hpp>

using dk::config::formatDuration;
using dk::config::parseDuration;
using std::chrono::milliseconds;

TEST_CASE("a duration is read in milliseconds, seconds, minutes and hours", "[durations]") {
    CHECK(parseDuration("250ms") == milliseconds(250));
    CHECK(parseDuration("4s") == milliseconds(4'000));
    CHECK(parseDuration("2min") == milliseconds(120'000));
    CHECK(parseDuration("1h") == milliseconds(3'600'000));
}

TEST_CASE("a duration may have spaces around its number and unit", "[durations]") {
    CHECK(parseDuration("4 s") == milliseconds(4'000));
    CHECK(parseDuration(" 500ms ") == milliseconds(500));
}

TEST_CASE("a zero duration parses, so that the caller can say why it is not allowed",
          "[durations]") {
    CHECK(parseDuration("0s") == milliseconds(0));
}

TEST_CASE("a number without a unit is refused with the units to choose from", "[durations]") {
    std::string err;
    CHECK_FALSE(parseDuration("1500", &err));
    CHECK_THAT(err, Catch::Contains("no unit") && Catch::Contains("ms, s, min or h"));
}

TEST_CASE("an unknown unit is refused and named", "[durations]") {
    std::string err;
    CHECK_FALSE(parseDuration("3sec", &err));
    CHECK_THAT(err, Catch::Contains("unknown unit 'sec'"));
}

TEST_CASE("a decimal duration is refused with a hint to use a smaller unit", "[durations]") {
    std::string err;
    CHECK_FALSE(parseDuration("1.5s", &err));
    CHECK_THAT(err, Catch::Contains("whole numbers") && Catch::Contains("1500ms"));
}

TEST_CASE("a negative, empty or unit-only duration is refused", "[durations]") {
    std::string err;
    CHECK_FALSE(parseDuration("-1s", &err));
    CHECK_THAT(err, Catch::Contains("not a duration"));
    CHECK_FALSE(parseDuration("", &err));
    CHECK_THAT(err, Catch::Contains("empty"));
    CHECK_FALSE(parseDuration("ms", &err));
}

TEST_CASE("a duration too large for milliseconds is refused rather than wrapped", "[durations]") {
    std::string err;
    CHECK_FALSE(parseDuration("99999999999999999999ms", &err));
    CHECK_THAT(err, Catch::Contains("too large"));
    CHECK_FALSE(parseDuration("9223372036854776h", &err));
    CHECK_THAT(err, Catch::Contains("too large"));
}

TEST_CASE("the error message is optional", "[durations]") {
    CHECK_FALSE(parseDuration("soon"));
}

TEST_CASE("a duration is formatted in the largest unit that holds it exactly", "[durations]") {
    CHECK(formatDuration(milliseconds(0)) == "0ms");
    CHECK(formatDuration(milliseconds(150)) == "150ms");
    CHECK(formatDuration(milliseconds(1'500)) == "1500ms");
    CHECK(formatDuration(milliseconds(4'000)) == "4s");
    CHECK(formatDuration(milliseconds(90'000)) == "90s");
    CHECK(formatDuration(milliseconds(300'000)) == "5min");
    CHECK(formatDuration(milliseconds(7'200'000)) == "2h");
    CHECK(formatDuration(milliseconds(-3'000)) == "-3s");
}

TEST_CASE("a formatted duration parses back to the same value", "[durations]") {
    const auto ms = GENERATE(milliseconds(1), milliseconds(999), milliseconds(61'000),
                             milliseconds(3'600'000), milliseconds(86'400'000));
    CHECK(parseDuration(formatDuration(ms)) == ms);
}
