// The iCalendar parser's helpers: caps on what an untrusted feed can make us do,
// small text helpers, libical's RAII and its time zones and times. Only
// maintenance.cpp includes this; nothing here is part of the room's interface.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <libical/ical.h>

namespace dk::ics_detail {

using std::chrono::sys_seconds;

// What an untrusted feed can make us do, at most.
constexpr int kMaxStepsPerEvent = 20000;                     // recurrence iterations for one event
constexpr long kMaxStepsPerFeed = 200000;                    // ... for the whole feed
constexpr std::size_t kMaxWindowsPerEvent = 1000;            // occurrences of one event kept
constexpr std::size_t kMaxWindows = 10000;                   // windows kept from one feed
constexpr std::size_t kMaxErrors = 50;                       // error lines kept
constexpr std::size_t kMaxText = 200;                        // bytes kept of a title or UID
constexpr std::chrono::seconds kMaxLength{366 * 24 * 3600};  // longest window
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;
constexpr std::size_t kMaxObservances = 64;     // STANDARD/DAYLIGHT parts of a VTIMEZONE
constexpr std::size_t kMaxRuleObservances = 8;  // ... of them with an RRULE
// Some rules make a single libical call search for centuries (a day that never
// comes); between calls, expansion stops once the feed has taken this long.
constexpr std::chrono::milliseconds kParseBudget{1000};

// ---------------------------------------------------------------------------
// Small text helpers

inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

inline std::vector<std::string_view> splitCommas(std::string_view s) {
    std::vector<std::string_view> out;
    while (true) {
        const auto comma = s.find(',');
        out.push_back(trim(s.substr(0, comma)));
        if (comma == std::string_view::npos)
            return out;
        s.remove_prefix(comma + 1);
    }
}

// Text from the feed as it may be shown: control characters become spaces, and
// it is cut to kMaxText bytes without splitting a UTF-8 sequence.
inline std::string shown(std::string_view text) {
    std::string out(text);
    if (out.size() > kMaxText) {
        std::size_t cut = kMaxText;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = ' ';
    return out;
}

inline std::string_view str(const char* s) {
    return s ? std::string_view(s) : std::string_view();
}

// Error lines, capped in number so that a hostile feed cannot flood the report.
class Errors {
public:
    explicit Errors(std::vector<std::string>& out) : out_(out) {}

    void add(std::string message) {
        ++count_;
        if (out_.size() < kMaxErrors)
            out_.push_back(std::move(message));
        else if (out_.size() == kMaxErrors)
            out_.push_back("further errors not listed");
    }
    int count() const { return count_; }

private:
    std::vector<std::string>& out_;
    int count_ = 0;
};

// ---------------------------------------------------------------------------
// libical ownership and setup

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

struct IteratorFree {
    void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorFree>;

// libical's errors are reported, never fatal (a build of libical may default to abort()).
inline void makeLibicalErrorsNonFatal() {
    static std::once_flag once;
    std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

// ---------------------------------------------------------------------------
// Times

// A time from the feed and the zone it is in: UTC, a VTIMEZONE of the feed, a
// system zone, or the default zone for floating times and dates.
struct Stamp {
    icaltimetype t;
    const icaltimezone* zone;
};

// The VTIMEZONEs of one VCALENDAR that are safe to give libical, by TZID. libical
// expands a zone's observances with its recurrence iterator on first use, in one
// call that cannot be interrupted; so only zones shaped like real ones are kept:
// yearly rules by month, day and weekday, and few of them.
class FeedZones {
public:
    FeedZones(icalcomponent* calendar, Errors& errors);
    ~FeedZones() {
        for (auto& entry : zones_) icaltimezone_free(entry.second, 1);
    }
    FeedZones(const FeedZones&) = delete;
    FeedZones& operator=(const FeedZones&) = delete;

    const icaltimezone* find(const std::string& tzid) const {
        auto it = zones_.find(tzid);
        return it == zones_.end() ? nullptr : it->second;
    }

private:
    std::map<std::string, icaltimezone*> zones_;
};

inline bool unset(const short* by) {
    return by[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

// Why a VTIMEZONE is not used, or "" when it is fine.
inline std::string vtimezoneProblem(icalcomponent* vtz) {
    std::size_t observances = 0;
    std::size_t with_rules = 0;
    for (icalcompiter i = icalcomponent_begin_component(vtz, ICAL_ANY_COMPONENT);
         icalcompiter_deref(&i) != nullptr; icalcompiter_next(&i)) {
        icalcomponent* part = icalcompiter_deref(&i);
        const icalcomponent_kind kind = icalcomponent_isa(part);
        if (kind != ICAL_XSTANDARD_COMPONENT && kind != ICAL_XDAYLIGHT_COMPONENT)
            continue;
        if (++observances > kMaxObservances)
            return "more than " + std::to_string(kMaxObservances) + " observances";
        for (icalproperty* p = icalcomponent_get_first_property(part, ICAL_RRULE_PROPERTY); p;
             p = icalcomponent_get_next_property(part, ICAL_RRULE_PROPERTY)) {
            if (++with_rules > kMaxRuleObservances)
                return "more than " + std::to_string(kMaxRuleObservances) + " RRULEs";
            const icalrecurrencetype r = icalproperty_get_rrule(p);
            if (r.freq != ICAL_YEARLY_RECURRENCE || !unset(r.by_second) || !unset(r.by_minute) ||
                !unset(r.by_hour) || !unset(r.by_year_day) || !unset(r.by_week_no) ||
                !unset(r.by_set_pos))
                return "an RRULE other than yearly by month, day and weekday";
        }
    }
    return observances == 0 ? "no STANDARD or DAYLIGHT part" : "";
}

inline FeedZones::FeedZones(icalcomponent* calendar, Errors& errors) {
    for (icalcompiter i = icalcomponent_begin_component(calendar, ICAL_VTIMEZONE_COMPONENT);
         icalcompiter_deref(&i) != nullptr; icalcompiter_next(&i)) {
        icalcomponent* vtz = icalcompiter_deref(&i);
        icalproperty* id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
        const char* tzid = id ? icalproperty_get_tzid(id) : nullptr;
        if (!tzid) {
            errors.add("VTIMEZONE without TZID ignored");
            continue;
        }
        if (zones_.count(tzid) > 0) {
            errors.add("VTIMEZONE '" + shown(tzid) + "' appears twice; the first one is used");
            continue;
        }
        if (const std::string problem = vtimezoneProblem(vtz); !problem.empty()) {
            errors.add("VTIMEZONE '" + shown(tzid) + "' ignored: " + problem);
            continue;
        }
        icaltimezone* zone = icaltimezone_new();
        icalcomponent* copy = icalcomponent_new_clone(vtz);
        if (!zone || !copy || !icaltimezone_set_component(zone, copy)) {
            if (copy)
                icalcomponent_free(copy);
            if (zone)
                icaltimezone_free(zone, 1);
            errors.add("VTIMEZONE '" + shown(tzid) + "' could not be read");
            continue;
        }
        zones_.emplace(tzid, zone);  // the zone owns `copy` now
    }
}

struct Zones {
    const FeedZones* feed;         // the VCALENDAR's VTIMEZONEs
    const icaltimezone* floating;  // the default zone; nullptr when unknown
    const std::string* default_name;
};

// An IANA zone name such as "Europe/Stockholm": parts of letters, digits and
// "_-+", each starting with a letter. libical looks a name it does not know up
// as a path below the zoneinfo directory; nothing else may get there.
inline bool plausibleZoneName(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return false;
    auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    bool part_start = true;
    for (char c : name) {
        if (c == '/') {
            if (part_start)
                return false;
            part_start = true;
            continue;
        }
        const bool ok =
            part_start ? letter(c)
                       : letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+';
        if (!ok)
            return false;
        part_start = false;
    }
    return !part_start;
}

// A TZID: the feed's own VTIMEZONE first, then the system's zone of that name.
inline const icaltimezone* findZone(const FeedZones& feed, const char* tzid) {
    if (!tzid)
        return nullptr;
    if (const icaltimezone* z = feed.find(tzid))
        return z;
    if (plausibleZoneName(tzid))
        return icaltimezone_get_builtin_timezone(tzid);
    return nullptr;
}

inline bool yearInRange(const icaltimetype& t) {
    return t.year >= kMinYear && t.year <= kMaxYear;
}

// The value `t` of property `prop` with its zone resolved.
inline std::optional<Stamp> resolve(icalproperty* prop, icaltimetype t, const Zones& zones,
                             std::string* why) {
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) {
        *why = "invalid time";
        return std::nullopt;
    }
    if (!yearInRange(t)) {
        *why = "year " + std::to_string(t.year) + " out of range";
        return std::nullopt;
    }
    const icaltimezone* zone = nullptr;
    if (icaltime_is_utc(t)) {
        zone = icaltimezone_get_utc_timezone();
    } else if (icalparameter* p = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER)) {
        const char* tzid = icalparameter_get_tzid(p);
        zone = findZone(*zones.feed, tzid);
        if (!zone) {
            *why = "unknown TZID '" + shown(str(tzid)) + "'";
            return std::nullopt;
        }
    } else {
        zone = zones.floating;
        if (!zone) {
            *why =
                "floating time, but the default time zone '" + *zones.default_name + "' is unknown";
            return std::nullopt;
        }
    }
    icaltime_set_timezone(&t, zone);  // a no-op for dates, which stay local days
    return Stamp{t, zone};
}

inline sys_seconds toSys(const Stamp& s) {
    return sys_seconds{std::chrono::seconds{icaltime_as_timet_with_zone(s.t, s.zone)}};
}

inline long long daysFromCivil(const icaltimetype& t) {
    return date::sys_days(date::year(t.year) / t.month / t.day).time_since_epoch().count();
}

inline std::chrono::seconds durationSeconds(const icaldurationtype& d) {
    const long long s = static_cast<long long>(d.seconds) + 60LL * d.minutes + 3600LL * d.hours +
                        86400LL * (d.days + 7LL * d.weeks);
    return std::chrono::seconds{d.is_neg ? -s : s};
}

}  // namespace dk::ics_detail
