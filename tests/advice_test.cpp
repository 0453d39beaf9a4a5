// Whom to call, by the clock, exactly as the routine routes it: office lines
// while they are open, the on-call (20 00) when they are closed, never the
// on-call for passwords or for external providers. Times are fixed with
// parseLocal; contacts, hours and holidays come from the built-in profile, so
// these rows also pin the profile.
#include <catch2/catch.hpp>

#include "agent/decide/advice.h"
#include "config/loader.h"

using namespace dk;

namespace {

const auto kMunicipal = config::Organisation::municipal;
const auto kExternal = config::Organisation::external_provider;

config::Config profile(config::Organisation org = kMunicipal) {
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

Diagnosis diag(Domain d, const std::string& system = "") {
    Diagnosis x;
    x.domain = d;
    if (!system.empty())
        x.systems = {system};
    return x;
}

// The advice's texts and action; its `contact` points into a configuration that is
// gone when this returns, so tests of the contact build their own (see below).
Advice adviceAt(Domain d, const std::string& when, config::Organisation org = kMunicipal,
                const std::string& system = "tes", const Incident* incident = nullptr,
                const std::string& boot = "boot-1", Lang lang = Lang::sv) {
    auto cfg = profile(org);
    SwedishCalendar cal(cfg.holidays);
    AdviceContext ctx{cal, incident, boot};
    return advise(diag(d, system), cfg, at(when), lang, ctx);
}

Action actionAt(Domain d, const std::string& when, config::Organisation org = kMunicipal,
                const std::string& system = "tes") {
    return adviceAt(d, when, org, system).action;
}

struct Row {
    const char* when;
    const char* slot;
    Domain domain;
    config::Organisation org;
    const char* system;
    Action expected;
};

// Every domain that needs people, at every kind of moment the routine knows.
// TES line: weekdays 08:00-16:30. IT line: Mon-Thu 07:00-17:00, Fri to 16:00,
// lunch 12:00-13:00, municipal employees only. Holidays and closed eves close both.
const Row kRouting[] = {
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::service_down, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::network_down, kMunicipal, "",
     Action::contact_it_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::account, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::service_degraded, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::dns, kMunicipal, "tes",
     Action::contact_it_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::service_down, kExternal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::network_down, kExternal, "",
     Action::contact_tes_support},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-25T10:30", "weekday morning (Wed)", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-25T19:00", "weekday evening (Wed)", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-12-01T02:00", "night (Tue)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-12-01T02:00", "night (Tue)", Domain::network_down, kMunicipal, "", Action::call_oncall},
    {"2026-12-01T02:00", "night (Tue)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-12-01T02:00", "night (Tue)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-12-01T02:00", "night (Tue)", Domain::dns, kMunicipal, "tes", Action::call_oncall},
    {"2026-12-01T02:00", "night (Tue)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-12-01T02:00", "night (Tue)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-12-01T02:00", "night (Tue)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-12-01T02:00", "night (Tue)", Domain::no_link, kMunicipal, "", Action::check_cables},
    {"2026-12-01T02:00", "night (Tue)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-12-01T02:00", "night (Tue)", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::network_down, kMunicipal, "",
     Action::contact_it_support},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::dns, kMunicipal, "tes",
     Action::contact_it_support},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-25T07:30", "weekday before TES opens", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-11-28T14:00", "Saturday", Domain::service_down, kMunicipal, "tes", Action::call_oncall},
    {"2026-11-28T14:00", "Saturday", Domain::network_down, kMunicipal, "", Action::call_oncall},
    {"2026-11-28T14:00", "Saturday", Domain::account, kMunicipal, "tes", Action::wait_next_weekday},
    {"2026-11-28T14:00", "Saturday", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-28T14:00", "Saturday", Domain::dns, kMunicipal, "tes", Action::call_oncall},
    {"2026-11-28T14:00", "Saturday", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-11-28T14:00", "Saturday", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-11-28T14:00", "Saturday", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-28T14:00", "Saturday", Domain::no_link, kMunicipal, "", Action::check_cables},
    {"2026-11-28T14:00", "Saturday", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-28T14:00", "Saturday", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-11-29T11:00", "Sunday", Domain::service_down, kMunicipal, "tes", Action::call_oncall},
    {"2026-11-29T11:00", "Sunday", Domain::network_down, kMunicipal, "", Action::call_oncall},
    {"2026-11-29T11:00", "Sunday", Domain::account, kMunicipal, "tes", Action::wait_next_weekday},
    {"2026-11-29T11:00", "Sunday", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-29T11:00", "Sunday", Domain::dns, kMunicipal, "tes", Action::call_oncall},
    {"2026-11-29T11:00", "Sunday", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-11-29T11:00", "Sunday", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-11-29T11:00", "Sunday", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-29T11:00", "Sunday", Domain::no_link, kMunicipal, "", Action::check_cables},
    {"2026-11-29T11:00", "Sunday", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-29T11:00", "Sunday", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::dns, kMunicipal, "tes", Action::call_oncall},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-04-06T10:00", "Easter Monday 2026", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-05-14T10:00", "Ascension Day 2026 (Thu)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::service_down, kMunicipal,
     "tes", Action::call_oncall},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::network_down, kMunicipal,
     "", Action::call_oncall},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::service_degraded,
     kMunicipal, "tes", Action::wait_next_weekday},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::service_down, kExternal,
     "tes", Action::contact_own_organisation},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::network_down, kExternal,
     "", Action::contact_own_organisation},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::all_ok, kMunicipal, "",
     Action::none},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::planned_maintenance,
     kMunicipal, "tes", Action::wait_planned_maintenance},
    {"2026-06-19T10:00", "Midsummer Eve 2026 (Fri, closed eve)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::service_down, kMunicipal,
     "tes", Action::call_oncall},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::network_down, kMunicipal,
     "", Action::call_oncall},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::service_degraded,
     kMunicipal, "tes", Action::wait_next_weekday},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::service_down, kExternal,
     "tes", Action::contact_own_organisation},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::network_down, kExternal,
     "", Action::contact_own_organisation},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::all_ok, kMunicipal, "",
     Action::none},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::planned_maintenance,
     kMunicipal, "tes", Action::wait_planned_maintenance},
    {"2026-12-24T10:00", "Christmas Eve 2026 (Thu, closed eve)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-12-25T10:00", "Christmas Day 2026 (Fri)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2025-12-25T10:00", "Christmas Day 2025 (Thu)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::service_down, kMunicipal,
     "tes", Action::call_oncall},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::network_down, kMunicipal,
     "", Action::call_oncall},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::account, kMunicipal,
     "tes", Action::wait_next_weekday},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::service_degraded,
     kMunicipal, "tes", Action::wait_next_weekday},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::service_down, kExternal,
     "tes", Action::contact_own_organisation},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::network_down, kExternal,
     "", Action::contact_own_organisation},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::all_ok, kMunicipal, "",
     Action::none},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::planned_maintenance,
     kMunicipal, "tes", Action::wait_planned_maintenance},
    {"2025-12-31T10:00", "New Year's Eve 2025 (Wed, closed eve)", Domain::internet, kMunicipal,
     "na", Action::none},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2025-06-06T10:00", "National Day 2025 (Fri)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::dns, kMunicipal, "tes", Action::call_oncall},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::all_ok, kMunicipal, "", Action::none},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2027-03-29T10:00", "Easter Monday 2027", Domain::internet, kMunicipal, "na", Action::none},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2027-05-06T10:00", "Ascension Day 2027 (Thu)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::service_down, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::network_down, kMunicipal, "",
     Action::contact_it_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::account, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::service_degraded, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::dns, kMunicipal, "tes",
     Action::contact_it_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::service_down, kExternal, "tes",
     Action::contact_tes_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::network_down, kExternal, "",
     Action::contact_tes_support},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::planned_maintenance, kMunicipal,
     "tes", Action::wait_planned_maintenance},
    {"2026-05-13T10:00", "day before Ascension 2026", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-11-27T15:30", "Friday 15:30", Domain::service_down, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::network_down, kMunicipal, "",
     Action::contact_it_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::account, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::service_degraded, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::dns, kMunicipal, "tes",
     Action::contact_it_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::service_down, kExternal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::network_down, kExternal, "",
     Action::contact_tes_support},
    {"2026-11-27T15:30", "Friday 15:30", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-27T15:30", "Friday 15:30", Domain::no_link, kMunicipal, "", Action::check_cables},
    {"2026-11-27T15:30", "Friday 15:30", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-27T15:30", "Friday 15:30", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::service_down, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::account, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::service_degraded, kMunicipal,
     "tes", Action::contact_tes_support},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::service_down, kExternal, "tes",
     Action::contact_tes_support},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::network_down, kExternal, "",
     Action::contact_tes_support},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::all_ok, kMunicipal, "",
     Action::none},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::planned_maintenance, kMunicipal,
     "tes", Action::wait_planned_maintenance},
    {"2026-11-27T16:15", "Friday 16:15 (IT closed at 16)", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-11-27T16:30", "Friday 16:30", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-11-27T16:30", "Friday 16:30", Domain::network_down, kMunicipal, "", Action::call_oncall},
    {"2026-11-27T16:30", "Friday 16:30", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-27T16:30", "Friday 16:30", Domain::service_degraded, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-11-27T16:30", "Friday 16:30", Domain::dns, kMunicipal, "tes", Action::call_oncall},
    {"2026-11-27T16:30", "Friday 16:30", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-11-27T16:30", "Friday 16:30", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-11-27T16:30", "Friday 16:30", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-27T16:30", "Friday 16:30", Domain::no_link, kMunicipal, "", Action::check_cables},
    {"2026-11-27T16:30", "Friday 16:30", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-27T16:30", "Friday 16:30", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::service_down, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::network_down, kMunicipal, "",
     Action::contact_it_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::account, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::service_degraded, kMunicipal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::dns, kMunicipal, "tes",
     Action::contact_it_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::service_down, kExternal, "tes",
     Action::contact_tes_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::network_down, kExternal, "",
     Action::contact_tes_support},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::all_ok, kMunicipal, "", Action::none},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::planned_maintenance, kMunicipal, "tes",
     Action::wait_planned_maintenance},
    {"2026-11-25T12:30", "IT lunch (Wed 12:30)", Domain::internet, kMunicipal, "na", Action::none},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::service_degraded, kMunicipal,
     "tes", Action::wait_next_weekday},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::all_ok, kMunicipal, "",
     Action::none},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::planned_maintenance, kMunicipal,
     "tes", Action::wait_planned_maintenance},
    {"2026-03-29T10:00", "Sunday of the spring DST change", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::service_down,
     kMunicipal, "tes", Action::call_oncall},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::network_down,
     kMunicipal, "", Action::contact_it_support},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::account, kMunicipal,
     "tes", Action::wait_next_weekday},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::service_degraded,
     kMunicipal, "tes", Action::wait_next_weekday},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::dns, kMunicipal,
     "tes", Action::contact_it_support},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::service_down,
     kExternal, "tes", Action::contact_own_organisation},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::network_down,
     kExternal, "", Action::contact_own_organisation},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::all_ok, kMunicipal,
     "", Action::none},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::no_link, kMunicipal,
     "", Action::check_cables},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::planned_maintenance,
     kMunicipal, "tes", Action::wait_planned_maintenance},
    {"2026-03-30T07:30", "Monday after the spring DST change, 07:30", Domain::internet, kMunicipal,
     "na", Action::none},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::service_down, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::network_down, kMunicipal, "",
     Action::call_oncall},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::account, kMunicipal, "tes",
     Action::wait_next_weekday},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::service_degraded, kMunicipal,
     "tes", Action::wait_next_weekday},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::dns, kMunicipal, "tes",
     Action::call_oncall},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::service_down, kExternal, "tes",
     Action::contact_own_organisation},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::network_down, kExternal, "",
     Action::contact_own_organisation},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::all_ok, kMunicipal, "",
     Action::none},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::no_link, kMunicipal, "",
     Action::check_cables},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::planned_maintenance, kMunicipal,
     "tes", Action::wait_planned_maintenance},
    {"2026-10-25T10:00", "Sunday of the autumn DST change", Domain::internet, kMunicipal, "na",
     Action::none},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::service_down,
     kMunicipal, "tes", Action::contact_tes_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::network_down,
     kMunicipal, "", Action::contact_it_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::account, kMunicipal,
     "tes", Action::contact_tes_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::service_degraded,
     kMunicipal, "tes", Action::contact_tes_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::dns, kMunicipal,
     "tes", Action::contact_it_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::service_down,
     kExternal, "tes", Action::contact_tes_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::network_down,
     kExternal, "", Action::contact_tes_support},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::all_ok, kMunicipal,
     "", Action::none},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::no_link, kMunicipal,
     "", Action::check_cables},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::planned_maintenance,
     kMunicipal, "tes", Action::wait_planned_maintenance},
    {"2026-10-26T08:00", "Monday after the autumn DST change, 08:00", Domain::internet, kMunicipal,
     "na", Action::none},

};

Incident incidentOn(const std::string& first_boot, const std::string& now_boot) {
    Incident i;
    i.case_code = "K7M-4QX";
    i.first_boot_id = first_boot;
    i.boot_ids = {first_boot};
    if (now_boot != first_boot)
        i.boot_ids.push_back(now_boot);
    return i;
}

}  // namespace

TEST_CASE("the routing table: every domain at every kind of moment") {
    for (const auto& row : kRouting) {
        INFO(row.slot << " " << row.when << ", " << to_string(row.domain)
                      << (row.org == kExternal ? ", external provider" : ""));
        CHECK(to_string(actionAt(row.domain, row.when, row.org, row.system)) ==
              to_string(row.expected));
    }
}

// The rows of the routing table in BRIEF.md.

TEST_CASE("brief: cable out, any time, is check_cables") {
    CHECK(actionAt(Domain::no_link, "2026-11-25T10:30") == Action::check_cables);
    CHECK(actionAt(Domain::no_link, "2026-11-28T03:00") == Action::check_cables);
}

TEST_CASE("brief: TES down, others and na.se fine, Wednesday 10:30, is contact_tes_support") {
    CHECK(actionAt(Domain::service_down, "2026-11-25T10:30") == Action::contact_tes_support);
}

TEST_CASE("brief: the same on Saturday 14:00 for a municipal employee is call_oncall") {
    CHECK(actionAt(Domain::service_down, "2026-11-28T14:00") == Action::call_oncall);
}

TEST_CASE("brief: the same at 02:00 on a Tuesday is call_oncall") {
    CHECK(actionAt(Domain::service_down, "2026-12-01T02:00") == Action::call_oncall);
}

TEST_CASE("brief: the same at 19:00 for an external provider is contact_own_organisation") {
    CHECK(actionAt(Domain::service_down, "2026-11-25T19:00", kExternal) ==
          Action::contact_own_organisation);
}

TEST_CASE("brief: inside an announced maintenance window is wait_planned_maintenance") {
    CHECK(actionAt(Domain::planned_maintenance, "2026-12-01T10:00") ==
          Action::wait_planned_maintenance);
}

TEST_CASE("brief: everything remote failing at 20:00 is call_oncall") {
    CHECK(actionAt(Domain::network_down, "2026-11-25T20:00", kMunicipal, "") ==
          Action::call_oncall);
}

TEST_CASE("brief: login refused while TES is up at 21:00 is wait_next_weekday") {
    CHECK(actionAt(Domain::account, "2026-11-25T21:00") == Action::wait_next_weekday);
}

TEST_CASE("brief: all checks passing is none") {
    CHECK(actionAt(Domain::all_ok, "2026-11-25T10:30") == Action::none);
}

// The details of the advice.

TEST_CASE("the on-call advice says the condition, the number and when the office opens") {
    auto a = adviceAt(Domain::service_down, "2026-11-28T14:00");
    CHECK(a.action == Action::call_oncall);
    CHECK(a.condition == "om det är akut och inte kan vänta till nästa vardag");
    CHECK_THAT(a.text, Catch::Contains("20 00"));
    REQUIRE(a.next_open);
    CHECK(a.next_open->iso() == "2026-11-30T08:00:00+01:00");  // Monday
    CHECK_THAT(a.text, Catch::Contains("måndag 30 november kl. 08:00"));
}

TEST_CASE("the office-hours advice carries the number, the menu and the e-mail") {
    // The advice points into the configuration: keep it alive while reading the contact.
    auto cfg = profile();
    SwedishCalendar cal(cfg.holidays);
    auto a = advise(diag(Domain::service_down, "tes"), cfg, at("2026-11-25T10:30"), Lang::sv,
                    AdviceContext{cal, nullptr, "boot-1"});
    REQUIRE(a.contact);
    CHECK(a.contact->phone == "019-21 20 00");
    CHECK_THAT(a.text, Catch::Contains("019-21 20 00") && Catch::Contains("tryck 3, sedan 1") &&
                           Catch::Contains("vardochstod@orebro.se"));
}

TEST_CASE("during the IT line's lunch break the advice is to call it at 13:00") {
    auto a = adviceAt(Domain::network_down, "2026-11-25T12:15", kMunicipal, "");
    CHECK(a.action == Action::contact_it_support);
    REQUIRE(a.next_open);
    CHECK(a.next_open->iso() == "2026-11-25T13:00:00+01:00");
    CHECK_THAT(a.text, Catch::Contains("13:00") && Catch::Contains("tryck 4"));
}

TEST_CASE("the office opens next after Easter on the Tuesday") {
    // Maundy Thursday 2026 after closing: Good Friday, Easter and Easter Monday are closed.
    auto a = adviceAt(Domain::service_down, "2026-04-02T17:00");
    REQUIRE(a.next_open);
    CHECK(a.next_open->iso() == "2026-04-07T08:00:00+02:00");
}

TEST_CASE("the next opening across both daylight-saving weekends has the right offset") {
    auto spring = adviceAt(Domain::service_down, "2026-03-27T17:00");
    REQUIRE(spring.next_open);
    CHECK(spring.next_open->iso() == "2026-03-30T08:00:00+02:00");
    auto autumn = adviceAt(Domain::service_down, "2026-10-23T17:00");
    REQUIRE(autumn.next_open);
    CHECK(autumn.next_open->iso() == "2026-10-26T08:00:00+01:00");
}

TEST_CASE("on the day before a holiday the advice says hours may be shorter") {
    auto a = adviceAt(Domain::service_down, "2026-05-13T10:00");
    CHECK(a.action == Action::contact_tes_support);
    CHECK_THAT(a.note, Catch::Contains("kortare"));
    CHECK(adviceAt(Domain::service_down, "2026-05-12T10:00").note.empty());
}

TEST_CASE("the on-call never covers passwords, even at night") {
    auto a = adviceAt(Domain::account, "2026-12-01T02:00");
    CHECK(a.action == Action::wait_next_weekday);
    CHECK_THAT(a.text, Catch::Contains("lösenord"));
    CHECK(a.condition.empty());
}

TEST_CASE("a restart is advised where it can help and has not been tried") {
    auto before = incidentOn("boot-1", "boot-1");
    CHECK(adviceAt(Domain::no_address, "2026-11-28T14:00", kMunicipal, "", &before, "boot-1")
              .action == Action::restart_computer);
    CHECK(adviceAt(Domain::this_computer, "2026-11-28T14:00", kMunicipal, "tes", &before, "boot-1")
              .action == Action::restart_computer);
}

TEST_CASE("after a restart the same fault goes to people, and the advice says so") {
    auto after = incidentOn("boot-1", "boot-2");
    auto night = adviceAt(Domain::no_address, "2026-11-28T14:00", kMunicipal, "", &after, "boot-2");
    CHECK(night.action == Action::call_oncall);
    CHECK(night.restarted);
    CHECK_THAT(night.text, Catch::Contains("redan startats om"));
    auto day =
        adviceAt(Domain::this_computer, "2026-11-25T10:30", kMunicipal, "tes", &after, "boot-2");
    CHECK(day.action == Action::contact_it_support);
}

TEST_CASE("a restart is never advised for a fault on the server side") {
    CHECK(actionAt(Domain::service_down, "2026-11-28T14:00") == Action::call_oncall);
    CHECK(actionAt(Domain::dns, "2026-11-28T14:00") == Action::call_oncall);
}

TEST_CASE("the advice carries the incident's case code") {
    auto inc = incidentOn("boot-1", "boot-1");
    CHECK(adviceAt(Domain::service_down, "2026-11-25T10:30", kMunicipal, "tes", &inc).case_code ==
          "K7M-4QX");
}

TEST_CASE("maintenance advice says until when") {
    auto cfg = profile();
    SwedishCalendar cal(cfg.holidays);
    auto d = diag(Domain::planned_maintenance, "tes");
    d.maintenance_until = at("2026-12-01T14:00").instant;
    auto a = advise(d, cfg, at("2026-12-01T10:00"), Lang::sv, AdviceContext{cal, nullptr, ""});
    REQUIRE(a.until);
    CHECK(a.until->iso() == "2026-12-01T14:00:00+01:00");
    CHECK_THAT(a.text, Catch::Contains("tisdag 1 december kl. 14:00"));
}

TEST_CASE("an outside site down needs no call") {
    CHECK(actionAt(Domain::internet, "2026-11-28T14:00", kMunicipal, "na") == Action::none);
    CHECK(actionAt(Domain::service_down, "2026-11-28T14:00", kMunicipal, "na") == Action::none);
}

TEST_CASE("the advice has an English alternative") {
    auto a = adviceAt(Domain::service_down, "2026-11-28T14:00", kMunicipal, "tes", nullptr,
                      "boot-1", Lang::en);
    CHECK_THAT(a.text, Catch::Contains("If it is urgent") && Catch::Contains("Monday 30 November"));
}
