// Whom to call, by time of week, as the routine routes it: office lines while
// they are open, the on-call (20 00) when they are closed, never the on-call for
// external providers. Times are fixed with parseLocal; contacts come from the
// built-in profile, so these rows also pin the profile's opening hours.
#include <catch2/catch.hpp>

#include "agent/advice.h"
#include "config/loader.h"

using namespace dk;

namespace {

config::Config profile(config::Organisation org = config::Organisation::municipal) {
    auto r = config::loadBuiltin();
    REQUIRE(r.ok());
    auto cfg = *r.config;
    cfg.organisation = org;
    return cfg;
}

LocalTime at(const std::string& iso) {
    TimeError err;
    auto t = parseLocal(iso, "Europe/Stockholm", &err);
    REQUIRE(t);
    return *t;
}

Diagnosis diag(Domain d, std::vector<std::string> systems = {}) {
    Diagnosis x;
    x.domain = d;
    x.systems = std::move(systems);
    return x;
}

Action actionAt(Domain d, const std::string& when,
                config::Organisation org = config::Organisation::municipal,
                std::vector<std::string> systems = {"tes"}) {
    auto cfg = profile(org);
    return advise(diag(d, systems), cfg, at(when), Lang::sv).action;
}

}  // namespace

// 2026-11-25 is a Wednesday, 2026-11-28 a Saturday, 2026-12-01 a Tuesday.

TEST_CASE("routing table: cable out at any time is check_cables") {
    CHECK(actionAt(Domain::no_link, "2026-11-25T10:30") == Action::check_cables);
    CHECK(actionAt(Domain::no_link, "2026-11-28T03:00") == Action::check_cables);
}

TEST_CASE("routing table: TES down on a Wednesday at 10:30 is contact_tes_support") {
    CHECK(actionAt(Domain::service_down, "2026-11-25T10:30") == Action::contact_tes_support);
}

TEST_CASE("routing table: TES down on a Saturday at 14:00 is call_oncall") {
    CHECK(actionAt(Domain::service_down, "2026-11-28T14:00") == Action::call_oncall);
}

TEST_CASE("routing table: TES down at 02:00 on a Tuesday is call_oncall") {
    CHECK(actionAt(Domain::service_down, "2026-12-01T02:00") == Action::call_oncall);
}

TEST_CASE("routing table: TES down at 19:00 for an external provider is contact_own_organisation") {
    CHECK(actionAt(Domain::service_down, "2026-11-25T19:00",
                   config::Organisation::external_provider) == Action::contact_own_organisation);
}

TEST_CASE("routing table: everything remote failing at 20:00 is call_oncall") {
    CHECK(actionAt(Domain::network_down, "2026-11-25T20:00", config::Organisation::municipal, {}) ==
          Action::call_oncall);
}

TEST_CASE("routing table: all checks passing is none") {
    CHECK(actionAt(Domain::all_ok, "2026-11-25T10:30") == Action::none);
}

TEST_CASE("the TES line closes at 16:30: 16:29 calls it, 16:30 calls the on-call") {
    CHECK(actionAt(Domain::service_down, "2026-11-25T16:29") == Action::contact_tes_support);
    CHECK(actionAt(Domain::service_down, "2026-11-25T16:30") == Action::call_oncall);
}

TEST_CASE("a network fault on a weekday morning goes to the IT line") {
    CHECK(actionAt(Domain::network_down, "2026-11-25T09:00", config::Organisation::municipal, {}) ==
          Action::contact_it_support);
}

TEST_CASE("the IT line closes at 16:00 on Fridays") {
    // 2026-11-27 is a Friday.
    CHECK(actionAt(Domain::network_down, "2026-11-27T15:59", config::Organisation::municipal, {}) ==
          Action::contact_it_support);
    CHECK(actionAt(Domain::network_down, "2026-11-27T16:00", config::Organisation::municipal, {}) ==
          Action::call_oncall);
}

TEST_CASE("during the IT line's lunch break the advice is to call it at 13:00") {
    auto cfg = profile();
    auto a = advise(diag(Domain::network_down), cfg, at("2026-11-25T12:15"), Lang::sv);
    CHECK(a.action == Action::contact_it_support);
    REQUIRE(a.next_open);
    CHECK(a.next_open->iso() == "2026-11-25T13:00:00+01:00");
    CHECK_THAT(a.text, Catch::Contains("13:00"));
}

TEST_CASE("the IT line is not offered to external providers") {
    CHECK(actionAt(Domain::network_down, "2026-11-25T09:00",
                   config::Organisation::external_provider, {}) == Action::contact_tes_support);
}

TEST_CASE("the on-call advice says the condition, the number and when the office opens") {
    auto cfg = profile();
    auto a = advise(diag(Domain::service_down, {"tes"}), cfg, at("2026-11-28T14:00"), Lang::sv);
    CHECK(a.action == Action::call_oncall);
    CHECK(a.condition == "om det är akut och inte kan vänta till nästa vardag");
    CHECK_THAT(a.text, Catch::Contains("20 00"));
    REQUIRE(a.next_open);
    CHECK(a.next_open->iso() == "2026-11-30T08:00:00+01:00");  // Monday
    CHECK_THAT(a.text, Catch::Contains("måndag 30 november kl. 08:00"));
}

TEST_CASE("the office-hours advice carries the number, the menu and the e-mail") {
    auto cfg = profile();
    auto a = advise(diag(Domain::service_down, {"tes"}), cfg, at("2026-11-25T10:30"), Lang::sv);
    REQUIRE(a.contact);
    CHECK(a.contact->phone == "019-21 20 00");
    CHECK_THAT(a.text, Catch::Contains("019-21 20 00") && Catch::Contains("tryck 3, sedan 1") &&
                           Catch::Contains("vardochstod@orebro.se"));
}

TEST_CASE("an outside site down needs no call") {
    CHECK(actionAt(Domain::internet, "2026-11-28T14:00", config::Organisation::municipal, {"na"}) ==
          Action::none);
    CHECK(actionAt(Domain::service_down, "2026-11-28T14:00", config::Organisation::municipal,
                   {"na"}) == Action::none);
}

TEST_CASE("a slow TES out of hours waits for the next weekday") {
    CHECK(actionAt(Domain::service_degraded, "2026-11-28T14:00") == Action::wait_next_weekday);
}

TEST_CASE("the advice has an English alternative") {
    auto cfg = profile();
    auto a = advise(diag(Domain::service_down, {"tes"}), cfg, at("2026-11-28T14:00"), Lang::en);
    CHECK_THAT(a.text, Catch::Contains("If it is urgent") && Catch::Contains("Monday 30 November"));
}
