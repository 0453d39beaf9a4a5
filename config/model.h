// The typed configuration model. Everything municipal-specific lives here as
// data: which systems to check, whom to call and when, deadlines and thresholds.
// The loader (loader.h) fills it from TOML; the built-in default profile is the
// Örebro routine (default_profile.toml). Every struct compares by value
// (operator==), the positions in `where` and `source` included.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dk::config {

using Millis = std::chrono::milliseconds;

// Where a value came from, so that semantic errors can name file, line and column.
struct SourceLoc {
    std::string file;
    int line = 0;
    int column = 0;

    bool operator==(const SourceLoc&) const = default;
};

enum class Organisation {
    municipal,          // municipal employee: IT line and on-call cover them
    external_provider,  // "extern utförare": the on-call agreement does not cover them
};

enum class Role {
    primary,   // the primary business system (TES): the one the routine is about
    business,  // another business system (step 3: "other business systems")
    internal,  // another internal service that is not a business system (intranet)
    outside,   // an outside site on the internet (www.na.se)
};

struct System {
    std::string id;    // stable identifier: "tes", "na"
    std::string name;  // display name: "TES", "www.na.se"
    Role role = Role::business;
    std::string url;   // http(s) URL to probe; empty when host/port is used
    std::string host;  // for a plain TCP check (no URL)
    std::uint16_t port = 0;
    std::vector<int> accept_status;             // accepted final HTTP status codes; empty = 200-299
    std::string expect_text;                    // text the page must contain (optional)
    std::vector<std::string> maintenance_text;  // texts that mark a maintenance page
    Millis slow{1500};                          // slower than this: a warning (service_degraded)
    Millis timeout{3000};                       // per-probe timeout, within the run's deadline
    bool follow_redirects = true;
    SourceLoc where;

    // Neither a URL nor host:port: reported as "inte konfigurerad", never as a pass.
    bool configured() const { return !url.empty() || (!host.empty() && port != 0); }

    bool operator==(const System&) const = default;
};

// A time of day as minutes after midnight.
struct TimeOfDay {
    int minutes = 0;

    bool operator==(const TimeOfDay&) const = default;
};

struct Break {
    TimeOfDay from, to;

    bool operator==(const Break&) const = default;
};

// Opening hours on a set of days. Days are 1 = Monday ... 7 = Sunday.
struct HoursRule {
    std::vector<int> days;
    TimeOfDay open, close;
    std::vector<Break> breaks;
    bool only_weekdays = true;  // closed on public holidays and closed eves

    // Applies on `weekday` (1 = Monday) of a day that is a vardag or not (a
    // weekend day, a public holiday or a closed eve).
    bool appliesOn(int weekday, bool vardag) const {
        return (vardag || !only_weekdays) &&
               std::find(days.begin(), days.end(), weekday) != days.end();
    }
    // `minute` (0–1439) is between opening and closing time; in one of the breaks or not.
    bool inHours(int minute) const { return minute >= open.minutes && minute < close.minutes; }
    bool inBreak(int minute) const {
        return std::any_of(breaks.begin(), breaks.end(), [minute](const Break& b) {
            return minute >= b.from.minutes && minute < b.to.minutes;
        });
    }

    bool operator==(const HoursRule&) const = default;
};

struct Contact {
    std::string id;                 // "tes_support", "it_support", "oncall"
    std::string name;               // "Kommunsupport – TES"
    std::string phone;              // "019-21 20 00"
    std::string phone_short;        // internal short number: "20 00"
    std::vector<std::string> menu;  // phone-menu choices in order: {"3", "1"}
    std::string email;
    std::vector<HoursRule> hours;  // empty = always open
    bool municipal_only = false;   // for municipal employees only
    std::string note;

    bool operator==(const Contact&) const = default;
};

struct Holidays {
    bool midsummer_eve_closed = true;
    bool christmas_eve_closed = true;
    bool new_years_eve_closed = true;
    std::vector<std::string> extra_closed;  // "2026-12-28": local dates closed as holidays

    bool operator==(const Holidays&) const = default;
};

struct MaintenanceWindow {
    std::vector<std::string> systems;  // system ids the window covers; empty = all
    std::string start;                 // local ISO 8601: "2026-12-01T09:00"
    std::string end;
    std::string title;
    SourceLoc where;

    bool operator==(const MaintenanceWindow&) const = default;
};

struct Maintenance {
    std::vector<MaintenanceWindow> windows;
    std::string ics;  // iCalendar feed: a file path or an intranet URL

    bool operator==(const Maintenance&) const = default;
};

// Carelock (the digital door locks): the fault guide by time of day. Each slot is
// a span of the day on some days, with the steps to take then. A slot whose `to`
// is before its `from` runs past midnight and belongs to the day it started on:
// the night 22:00–07:00 that starts on a Friday is a Friday night until 07:00 on
// Saturday.

// The days a slot applies on, by the calendar (agent/decide/calendar.h).
enum class CarelockDays {
    vardag,  // Monday to Friday that is not a public holiday or a closed day
    helg,    // Saturday, Sunday, public holidays and closed days
    alla,    // every day
};

struct CarelockStep {
    std::string text;                 // Swedish: "Använd backup-nyckeln."
    std::string text_en;              // English alternative; empty = only Swedish
    std::vector<std::string> phones;  // numbers to call, in order of preference; may be empty

    bool operator==(const CarelockStep&) const = default;
};

struct CarelockSlot {
    std::string id;  // stable identifier: "vardag_dag", "natt"
    CarelockDays days = CarelockDays::alla;
    TimeOfDay from, to;  // from is before 24:00; to before from = past midnight
    std::vector<CarelockStep> steps;

    bool wrapsMidnight() const { return to.minutes < from.minutes; }
    // Applies on a day of this kind: a helg day, or else a vardag.
    bool appliesOn(bool helg) const {
        return days == CarelockDays::alla || (days == CarelockDays::helg) == helg;
    }
    // Covers `minute` (0–1439) of a day of kind `helg`, having started that day.
    bool covers(int minute, bool helg) const {
        return appliesOn(helg) && minute >= from.minutes &&
               (wrapsMidnight() || minute < to.minutes);
    }
    // Covers `minute` of the next day, having started on a day of kind `helg_before`.
    bool coversAfterMidnight(int minute, bool helg_before) const {
        return wrapsMidnight() && appliesOn(helg_before) && minute < to.minutes;
    }

    bool operator==(const CarelockSlot&) const = default;
};

struct Carelock {
    std::vector<CarelockSlot> slots;  // empty = no Carelock guide

    const CarelockSlot* findSlot(const std::string& id) const {
        for (const auto& s : slots)
            if (s.id == id)
                return &s;
        return nullptr;
    }

    bool operator==(const Carelock&) const = default;
};

struct Deadlines {
    Millis run{4000};              // the whole check, every probe included
    Millis local{500};             // link, address, gateway
    Millis confirm_delay{150};     // pause before the confirmation re-probe
    bool confirm_failures = true;  // re-probe a failure once before believing it

    bool operator==(const Deadlines&) const = default;
};

struct Network {
    std::vector<std::string> nameservers;  // override; empty = the system's resolv.conf
    std::string proxy;                     // "http://proxy:8080"; empty = environment
    std::string no_proxy;                  // hosts that bypass the proxy; empty = environment
    std::string ca_file;                   // extra CA bundle for internal certificates
    Millis dns_slow{800};                  // a DNS answer slower than this is a warning
    int cert_expiry_warn_days = 14;

    bool operator==(const Network&) const = default;
};

struct ClockCheck {
    std::string reference;           // system id whose Date header is the reference
    std::chrono::seconds warn{60};   // skew above this: a warning
    std::chrono::seconds fail{300};  // skew above this: clock_skew (breaks TLS and logins)

    bool operator==(const ClockCheck&) const = default;
};

// The background agent (`driftkoll agent`).
struct AgentSettings {
    Millis interval{std::chrono::minutes(5)};  // periodic runs
    Millis debounce{2000};                     // network changes settle before a run
    int history_max_runs = 2000;               // the history keeps at most this many runs
    Millis history_max_age{std::chrono::hours(24 * 30)};  // and none older than this
    std::string metrics_textfile;  // Prometheus textfile for node_exporter; "" = none
    std::string site;              // the "site" label on the metrics: the unit or workplace

    bool operator==(const AgentSettings&) const = default;
};

struct Config {
    std::string source;   // file path, or "<inbyggd standardprofil>"
    std::string profile;  // "orebro"
    Organisation organisation = Organisation::municipal;
    std::string timezone = "Europe/Stockholm";
    std::vector<System> systems;
    std::vector<Contact> contacts;
    Holidays holidays;
    Maintenance maintenance;
    Deadlines deadlines;
    Network network;
    ClockCheck clock;
    AgentSettings agent;
    Carelock carelock;

    const System* findSystem(const std::string& id) const {
        for (const auto& s : systems)
            if (s.id == id)
                return &s;
        return nullptr;
    }
    const Contact* findContact(const std::string& id) const {
        for (const auto& c : contacts)
            if (c.id == id)
                return &c;
        return nullptr;
    }

    bool operator==(const Config&) const = default;
};

}  // namespace dk::config
