// The Carelock fault guide: which slot applies at a moment, with the built-in
// Örebro guide (vardag 07–17, kväll 17–22, helg 07–22, natt 22–07) and with
// guides built here to pin down the rules: a slot that runs past midnight belongs
// to the day it started on, closed days count as helg, the first slot wins.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "agent/decide/calendar.h"
#include "agent/decide/carelock.h"
#include "agent/decide/local_time.h"
#include "config/loader.h"

using namespace dk;

namespace {

const std::string kZone = "Europe/Stockholm";

LocalTime at(const std::string& text) {
    TimeError err;
    auto t = parseLocal(text, kZone, &err);
    INFO(err.message);
    REQUIRE(t);
    return *t;
}

config::Config builtin() {
    const config::LoadResult r = config::loadBuiltin();
    REQUIRE(r.ok());
    return *r.config;
}

// The id of the slot that applies at `when`, or "none".
std::string slotAt(const config::Carelock& guide, const std::string& when,
                   const SwedishCalendar& cal = SwedishCalendar{}) {
    const CarelockNow now = carelockNow(guide, at(when), cal);
    return now.slot ? now.slot->id : "none";
}

config::CarelockSlot slot(std::string id, config::CarelockDays days, int from, int to) {
    config::CarelockSlot s;
    s.id = std::move(id);
    s.days = days;
    s.from = {from};
    s.to = {to};
    s.steps = {{"Ring.", "Call.", {"1"}}};
    return s;
}

constexpr int hm(int h, int m) {
    return h * 60 + m;
}

}  // namespace

TEST_CASE("the built-in guide gives the slot for the time of day and the kind of day") {
    const config::Config c = builtin();
    const SwedishCalendar cal(c.holidays);
    // 2026-03-11 is a Wednesday; 14 and 15 March are a Saturday and a Sunday.
    const auto [when, id, day_kind] = GENERATE(table<std::string, std::string, std::string>({
        {"2026-03-11T06:59", "natt", "vardag"},  // Tuesday's night, still
        {"2026-03-11T07:00", "vardag_dag", "vardag"},
        {"2026-03-11T10:00", "vardag_dag", "vardag"},
        {"2026-03-11T16:59", "vardag_dag", "vardag"},
        {"2026-03-11T17:00", "kvall", "vardag"},
        {"2026-03-11T21:59", "kvall", "vardag"},
        {"2026-03-11T22:00", "natt", "vardag"},
        {"2026-03-12T06:59", "natt", "vardag"},          // Thursday morning: Wednesday's night
        {"2026-03-14T10:00", "helg", "weekend"},         // Saturday
        {"2026-03-14T19:00", "helg", "weekend"},         // a weekend evening is helg, not kväll
        {"2026-03-15T06:30", "natt", "weekend"},         // Sunday morning: Saturday's night
        {"2026-03-15T07:00", "helg", "weekend"},         // Sunday
        {"2026-04-06T10:00", "helg", "public_holiday"},  // Easter Monday
        {"2026-04-06T19:00", "helg", "public_holiday"},
        {"2026-12-24T10:00", "helg", "closed_eve"},  // Christmas Eve, a Thursday
        {"2026-06-19T10:00", "helg", "closed_eve"},  // Midsummer Eve, a Friday
    }));
    INFO(when);
    const CarelockNow now = carelockNow(c.carelock, at(when), cal);
    REQUIRE(now.slot);
    CHECK(now.slot->id == id);
    CHECK(now.day_kind == day_kind);
    CHECK(now.helg == (day_kind != "vardag"));
}

TEST_CASE("on weekdays 07:00-17:00 the built-in guide says to call 019-21 36 06") {
    const config::Config c = builtin();
    const CarelockNow now = carelockNow(c.carelock, at("2026-03-11T10:00"), SwedishCalendar{});
    REQUIRE(now.slot);
    REQUIRE(now.slot->steps.size() == 1);
    CHECK(now.slot->steps[0].phones == std::vector<std::string>{"019-21 36 06"});
    CHECK_FALSE(now.slot->steps[0].text_en.empty());
}

TEST_CASE("in the evening and at the weekend the backup key comes first, then 019-21 49 44") {
    const config::Config c = builtin();
    const std::string when = GENERATE(as<std::string>{}, "2026-03-11T19:00", "2026-03-14T10:00");
    INFO(when);
    const CarelockNow now = carelockNow(c.carelock, at(when), SwedishCalendar{});
    REQUIRE(now.slot);
    REQUIRE(now.slot->steps.size() == 2);
    CHECK_THAT(now.slot->steps[0].text, Catch::Contains("backup-nyckeln"));
    CHECK(now.slot->steps[0].phones.empty());
    CHECK_THAT(now.slot->steps[1].text, Catch::Contains("trasigt") && Catch::Contains("TES-app"));
    CHECK(now.slot->steps[1].phones == std::vector<std::string>{"019-21 49 44"});
}

TEST_CASE("at night the built-in guide goes from the backup key to relatives, Certego and 112") {
    const config::Config c = builtin();
    const CarelockNow now = carelockNow(c.carelock, at("2026-03-11T23:30"), SwedishCalendar{});
    REQUIRE(now.slot);
    REQUIRE(now.slot->steps.size() == 4);
    CHECK_THAT(now.slot->steps[0].text, Catch::Contains("backup-nyckeln"));
    CHECK_THAT(now.slot->steps[1].text, Catch::Contains("anhöriga"));
    CHECK_THAT(now.slot->steps[2].text, Catch::Contains("Certego"));
    CHECK(now.slot->steps[2].phones == std::vector<std::string>{"019-10 54 10", "020-24 00 00"});
    CHECK(now.slot->steps[3].phones == std::vector<std::string>{"112"});
    for (const auto& step : now.slot->steps) CHECK_FALSE(step.text_en.empty());
}

TEST_CASE("a night that runs past midnight belongs to the day it started on") {
    const config::Config c = builtin();
    // 2026-03-13 is a Friday, 2026-03-16 a Monday; 2026-04-07 follows Easter Monday.
    const auto [when, day_kind] = GENERATE(table<std::string, std::string>({
        {"2026-03-13T23:00", "vardag"},          // Friday night
        {"2026-03-14T03:00", "vardag"},          // Saturday 03:00: still Friday's night
        {"2026-03-16T03:00", "weekend"},         // Monday 03:00: Sunday's night
        {"2026-04-07T03:00", "public_holiday"},  // the night after Easter Monday
    }));
    INFO(when);
    const CarelockNow now = carelockNow(c.carelock, at(when), SwedishCalendar(c.holidays));
    REQUIRE(now.slot);
    CHECK(now.slot->id == "natt");
    CHECK(now.day_kind == day_kind);
    CHECK(now.helg == (day_kind != "vardag"));
}

TEST_CASE("separate nights for vardag and helg follow the kind of day the night started on") {
    using config::CarelockDays;
    config::Carelock guide;
    guide.slots = {slot("vardagsnatt", CarelockDays::vardag, hm(22, 0), hm(7, 0)),
                   slot("helgnatt", CarelockDays::helg, hm(22, 0), hm(7, 0)),
                   slot("dag", CarelockDays::alla, hm(7, 0), hm(22, 0))};
    const auto [when, id] = GENERATE(table<std::string, std::string>({
        {"2026-03-13T23:00", "vardagsnatt"},  // Friday
        {"2026-03-14T03:00", "vardagsnatt"},  // Saturday morning, Friday's night
        {"2026-03-14T23:00", "helgnatt"},     // Saturday
        {"2026-03-16T03:00", "helgnatt"},     // Monday morning, Sunday's night
        {"2026-03-16T07:00", "dag"},
        {"2026-04-02T23:00", "vardagsnatt"},  // Maundy Thursday
        {"2026-04-03T03:00", "vardagsnatt"},  // Good Friday morning, Thursday's night
        {"2026-04-03T23:00", "helgnatt"},     // Good Friday
    }));
    INFO(when);
    CHECK(slotAt(guide, when) == id);
}

TEST_CASE("an extra closed day from the configuration is a helg") {
    config::Holidays holidays;
    holidays.extra_closed = {"2026-03-11"};
    const SwedishCalendar cal(holidays);
    const config::Config c = builtin();
    const CarelockNow now = carelockNow(c.carelock, at("2026-03-11T10:00"), cal);
    REQUIRE(now.slot);
    CHECK(now.slot->id == "helg");
    CHECK(now.helg);
    CHECK(now.day_kind == "extra_closed");
}

TEST_CASE("a moment no slot covers has no slot, and the kind of today") {
    using config::CarelockDays;
    config::Carelock guide;
    guide.slots = {slot("dag", CarelockDays::vardag, hm(7, 0), hm(17, 0))};
    const CarelockNow weekend = carelockNow(guide, at("2026-03-14T10:00"), SwedishCalendar{});
    CHECK(weekend.slot == nullptr);
    CHECK(weekend.helg);
    CHECK(weekend.day_kind == "weekend");

    const CarelockNow evening = carelockNow(guide, at("2026-03-11T17:00"), SwedishCalendar{});
    CHECK(evening.slot == nullptr);
    CHECK_FALSE(evening.helg);
    CHECK(evening.day_kind == "vardag");

    CHECK(slotAt(config::Carelock{}, "2026-03-11T10:00") == "none");
}

TEST_CASE("a slot that ends at 24:00 covers the last minute of the day") {
    using config::CarelockDays;
    config::Carelock guide;
    guide.slots = {slot("kvall", CarelockDays::alla, hm(17, 0), hm(24, 0))};
    CHECK(slotAt(guide, "2026-03-11T23:59") == "kvall");
    CHECK(slotAt(guide, "2026-03-12T00:00") == "none");
}

TEST_CASE("when slots overlap the first in the guide applies") {
    using config::CarelockDays;
    config::Carelock guide;
    guide.slots = {slot("forst", CarelockDays::vardag, hm(7, 0), hm(12, 0)),
                   slot("sedan", CarelockDays::alla, hm(22, 0), hm(8, 0))};
    CHECK(slotAt(guide, "2026-03-11T07:30") == "forst");
    CHECK(slotAt(guide, "2026-03-14T07:30") == "sedan");  // Saturday: "forst" is vardag only
}
