#include "agent/maintenance.h"

#include "agent/files.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <date/date.h>
#include <libical/ical.h>

#include "agent/local_time.h"

namespace dk {

namespace {

using std::chrono::sys_seconds;
namespace fs = std::filesystem;

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

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitCommas(std::string_view s) {
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
std::string shown(std::string_view text) {
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

std::string_view str(const char* s) {
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
void makeLibicalErrorsNonFatal() {
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

bool unset(const short* by) {
    return by[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

// Why a VTIMEZONE is not used, or "" when it is fine.
std::string vtimezoneProblem(icalcomponent* vtz) {
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

FeedZones::FeedZones(icalcomponent* calendar, Errors& errors) {
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
bool plausibleZoneName(std::string_view name) {
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
const icaltimezone* findZone(const FeedZones& feed, const char* tzid) {
    if (!tzid)
        return nullptr;
    if (const icaltimezone* z = feed.find(tzid))
        return z;
    if (plausibleZoneName(tzid))
        return icaltimezone_get_builtin_timezone(tzid);
    return nullptr;
}

bool yearInRange(const icaltimetype& t) {
    return t.year >= kMinYear && t.year <= kMaxYear;
}

// The value `t` of property `prop` with its zone resolved.
std::optional<Stamp> resolve(icalproperty* prop, icaltimetype t, const Zones& zones,
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

sys_seconds toSys(const Stamp& s) {
    return sys_seconds{std::chrono::seconds{icaltime_as_timet_with_zone(s.t, s.zone)}};
}

long long daysFromCivil(const icaltimetype& t) {
    return date::sys_days(date::year(t.year) / t.month / t.day).time_since_epoch().count();
}

std::chrono::seconds durationSeconds(const icaldurationtype& d) {
    const long long s = static_cast<long long>(d.seconds) + 60LL * d.minutes + 3600LL * d.hours +
                        86400LL * (d.days + 7LL * d.weeks);
    return std::chrono::seconds{d.is_neg ? -s : s};
}

// ---------------------------------------------------------------------------
// Recurrence exceptions: EXDATEs and the occurrences that RECURRENCE-ID
// components override.

struct Exclusions {
    std::set<sys_seconds> instants;
    std::set<std::tuple<int, int, int>> days;  // DATE values: local days

    void add(const Stamp& s) {
        if (s.t.is_date)
            days.insert({s.t.year, s.t.month, s.t.day});
        else
            instants.insert(toSys(s));
    }
    bool covers(const Stamp& occurrence, sys_seconds at) const {
        return instants.count(at) > 0 ||
               days.count({occurrence.t.year, occurrence.t.month, occurrence.t.day}) > 0;
    }
};

// ---------------------------------------------------------------------------
// Events

struct Parser {
    Parser(const std::vector<std::string>& known_ids, sys_seconds range_from, sys_seconds range_to,
           Errors& errs, std::vector<MaintenanceWindow>& out)
        : known(known_ids), from(range_from), to(range_to), errors(errs), windows(out) {}

    const std::vector<std::string>& known;
    sys_seconds from, to;
    Errors& errors;
    std::vector<MaintenanceWindow>& windows;
    long steps_left = kMaxStepsPerFeed;
    std::map<std::string, Exclusions> overridden;  // UID -> occurrences replaced
    std::set<std::string> unreadable_overrides;    // UIDs with a RECURRENCE-ID not understood
    SteadyClock::time_point give_up_at = SteadyClock::now() + kParseBudget;
    bool timed_out = false;

    // True once the feed has taken its time budget; the remaining work is skipped.
    bool outOfTime() {
        if (!timed_out && SteadyClock::now() >= give_up_at) {
            timed_out = true;
            errors.add("expanding the feed took longer than " +
                       std::to_string(kParseBudget.count()) + " ms; the rest is skipped");
        }
        return timed_out;
    }

    std::string name(icalcomponent* ev, int index) const {
        if (const char* uid = icalcomponent_get_uid(ev))
            return "event '" + shown(str(uid)) + "'";
        if (const char* summary = icalcomponent_get_summary(ev))
            return "event '" + shown(str(summary)) + "'";
        return "event #" + std::to_string(index);
    }

    // The system ids an event covers (empty = every system), or nullopt when it
    // names systems but none that is known.
    std::optional<std::vector<std::string>> systemsOf(icalcomponent* ev, const std::string& who) {
        std::vector<std::string> ids;
        auto addKnown = [&](std::string_view value) -> bool {
            const std::string v = lower(value);
            for (const auto& k : known)
                if (lower(k) == v) {
                    if (std::find(ids.begin(), ids.end(), k) == ids.end())
                        ids.push_back(k);
                    return true;
                }
            return false;
        };
        bool named = false;
        for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p;
             p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
            const char* x_name = icalproperty_get_x_name(p);
            const char* value = icalproperty_get_x(p);
            if (!x_name || lower(x_name) != "x-driftkoll-systems" || !value)
                continue;
            named = true;
            for (std::string_view id : splitCommas(value)) {
                if (id.empty())
                    continue;
                if (known.empty()) {
                    if (std::find(ids.begin(), ids.end(), shown(id)) == ids.end())
                        ids.push_back(shown(id));
                } else if (!addKnown(id)) {
                    errors.add(who + ": unknown system '" + shown(id) + "' in X-DRIFTKOLL-SYSTEMS");
                }
            }
        }
        if (named) {
            if (ids.empty()) {
                errors.add(who + ": X-DRIFTKOLL-SYSTEMS names no known system; event skipped");
                return std::nullopt;
            }
            return ids;
        }
        for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY); p;
             p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY))
            if (const char* value = icalproperty_get_categories(p))
                for (std::string_view category : splitCommas(value)) addKnown(category);
        return ids;
    }

    // RECURRENCE-ID components, gathered before the events are expanded.
    void noteOverride(icalcomponent* ev, const Zones& zones, const std::string& who) {
        icalproperty* rid = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
        const char* uid = icalcomponent_get_uid(ev);
        if (!rid || !uid || outOfTime())
            return;
        std::string why;
        if (auto s = resolve(rid, icalproperty_get_recurrenceid(rid), zones, &why)) {
            overridden[uid].add(*s);
        } else {
            errors.add(who + ": RECURRENCE-ID: " + why);
            unreadable_overrides.insert(uid);
        }
    }

    void event(icalcomponent* ev, const Zones& zones, int index) {
        const std::string who = name(ev, index);
        if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED || outOfTime())
            return;
        auto systems = systemsOf(ev, who);
        if (!systems)
            return;

        icalproperty* dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
        if (!dtstart) {
            errors.add(who + ": no DTSTART; event skipped");
            return;
        }
        std::string why;
        auto start = resolve(dtstart, icalproperty_get_dtstart(dtstart), zones, &why);
        if (!start) {
            errors.add(who + ": DTSTART: " + why + "; event skipped");
            return;
        }

        // The length of each occurrence: DTEND - DTSTART as exact seconds for
        // date-times, as whole days for dates; DURATION as a nominal duration
        // added to the local start; a date alone is one day.
        std::optional<std::chrono::seconds> exact;
        icaldurationtype nominal = icaldurationtype_null_duration();
        std::chrono::seconds length{0};
        if (icalproperty* dtend = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY)) {
            auto end = resolve(dtend, icalproperty_get_dtend(dtend), zones, &why);
            if (!end) {
                errors.add(who + ": DTEND: " + why + "; event skipped");
                return;
            }
            if (start->t.is_date != end->t.is_date) {
                errors.add(who + ": DTSTART and DTEND mix a date and a date-time; event skipped");
                return;
            }
            if (start->t.is_date) {
                const long long days = daysFromCivil(end->t) - daysFromCivil(start->t);
                nominal.days = static_cast<unsigned>(std::clamp(days, 0LL, 367LL));
                length = std::chrono::seconds{days * 86400};
            } else {
                exact = toSys(*end) - toSys(*start);
                length = *exact;
            }
        } else if (icalproperty* dur =
                       icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY)) {
            nominal = icalproperty_get_duration(dur);
            length = durationSeconds(nominal);
        } else if (start->t.is_date) {
            nominal.days = 1;
            length = std::chrono::hours{24};
        } else {
            errors.add(who + ": neither DTEND nor DURATION; event skipped");
            return;
        }
        if (length <= std::chrono::seconds{0}) {
            errors.add(who + ": ends before it starts; event skipped");
            return;
        }
        if (length > kMaxLength) {
            errors.add(who + ": longer than a year; event skipped");
            return;
        }

        auto endOf = [&](const Stamp& occurrence, sys_seconds at) {
            if (exact)
                return at + *exact;
            icaltimetype t = occurrence.t;
            t.is_date = 0;  // a day starts at local midnight
            return toSys(Stamp{icaltime_add(t, nominal), occurrence.zone});
        };

        // Occurrences to leave out: EXDATEs, and those a RECURRENCE-ID component
        // of the same UID replaces. An override is one occurrence in its own right.
        const bool is_override =
            icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY) != nullptr;
        const char* uid = icalcomponent_get_uid(ev);
        // An exception that cannot be read skips the whole series: better no
        // window than one for an occurrence that was cancelled or moved.
        if (uid && !is_override && unreadable_overrides.count(uid) > 0) {
            errors.add(who + ": an override of it could not be read; event skipped");
            return;
        }
        Exclusions excluded;
        if (uid && !is_override)
            if (auto it = overridden.find(uid); it != overridden.end())
                excluded = it->second;
        for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
             p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
            if (outOfTime())
                return;
            auto s = resolve(p, icalproperty_get_exdate(p), zones, &why);
            if (!s) {
                errors.add(who + ": EXDATE: " + why + "; event skipped");
                return;
            }
            excluded.add(*s);
        }

        // The occurrences that overlap [from, to): of DTSTART alone, or of the
        // RRULE and the RDATEs. `consider` keeps one and says whether it did.
        std::vector<std::pair<sys_seconds, sys_seconds>> occurrences;  // start, end
        auto consider = [&](const Stamp& s) {
            const sys_seconds at = toSys(s);
            if (at >= to || excluded.covers(s, at))
                return false;
            const sys_seconds end = endOf(s, at);
            if (end <= from)
                return false;
            occurrences.emplace_back(at, end);
            return true;
        };
        icalproperty* rrule = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
        if (rrule && icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY))
            errors.add(who + ": more than one RRULE; only the first is used");
        if (is_override || !rrule)
            consider(*start);
        else if (!expandRule(rrule, *start, who, consider))
            return;
        if (!is_override)
            for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); p;
                 p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
                if (outOfTime())
                    return;
                const icaldatetimeperiodtype rd = icalproperty_get_rdate(p);
                const icaltimetype t = icaltime_is_null_time(rd.time) ? rd.period.start : rd.time;
                if (auto s = resolve(p, t, zones, &why))
                    consider(*s);
                else
                    errors.add(who + ": RDATE: " + why);
            }
        std::sort(occurrences.begin(), occurrences.end());

        const char* summary = icalcomponent_get_summary(ev);
        std::size_t kept = 0;
        std::optional<sys_seconds> previous;
        for (const auto& [at, end] : occurrences) {
            if (previous == at)
                continue;  // an RDATE repeating an RRULE occurrence
            previous = at;
            if (kept == kMaxWindowsPerEvent) {
                errors.add(who + ": more than " + std::to_string(kMaxWindowsPerEvent) +
                           " occurrences; the rest are ignored");
                break;
            }
            if (windows.size() == kMaxWindows) {
                errors.add(who + ": the feed has more than " + std::to_string(kMaxWindows) +
                           " windows; the rest are ignored");
                break;
            }
            windows.push_back(
                MaintenanceWindow{*systems, at, end, shown(str(summary)), "ics", shown(str(uid))});
            ++kept;
        }
    }

    // Passes the RRULE's occurrences before `to` to `consider`, in order. False
    // when the rule cannot be used (the event is then skipped).
    template <typename Consider>
    bool expandRule(icalproperty* rrule, const Stamp& start, const std::string& who,
                    Consider&& consider) {
        const icalrecurrencetype rule = icalproperty_get_rrule(rrule);
        if (rule.freq == ICAL_NO_RECURRENCE) {
            errors.add(who + ": RRULE without a valid FREQ; event skipped");
            return false;
        }
        if (rule.freq < ICAL_DAILY_RECURRENCE) {
            errors.add(who + ": RRULE more frequent than daily is not supported; event skipped");
            return false;
        }
        icalerror_clear_errno();
        IteratorPtr it(icalrecur_iterator_new(rule, start.t));
        if (!it) {
            errors.add(who + ": RRULE cannot be expanded (" + icalerror_strerror(icalerrno) +
                       "); event skipped");
            return false;
        }
        std::size_t in_range = 0;
        for (int steps = 0;; ++steps) {
            if (steps == kMaxStepsPerEvent || steps_left <= 0) {
                errors.add(who + ": RRULE expansion stopped after " + std::to_string(steps) +
                           " steps");
                break;
            }
            --steps_left;
            if (outOfTime())
                break;
            const icaltimetype next = icalrecur_iterator_next(it.get());
            if (icaltime_is_null_time(next) || !yearInRange(next))
                break;
            const Stamp occurrence{next, start.zone};
            if (toSys(occurrence) >= to)
                break;
            // One more than can be kept, so that the caller sees there were more.
            if (consider(occurrence) && ++in_range > kMaxWindowsPerEvent)
                break;
        }
        return true;
    }
};

// Every X-LIC-ERROR libical left in the tree (iteratively: the tree may be deep).
void collectParseErrors(icalcomponent* root, Errors& errors) {
    std::vector<icalcomponent*> stack{root};
    while (!stack.empty()) {
        icalcomponent* c = stack.back();
        stack.pop_back();
        for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
             p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY))
            errors.add("libical: " + shown(str(icalproperty_get_xlicerror(p))));
        for (icalcompiter i = icalcomponent_begin_component(c, ICAL_ANY_COMPONENT);
             icalcompiter_deref(&i) != nullptr; icalcompiter_next(&i))
            stack.push_back(icalcompiter_deref(&i));
    }
}

// The calendars in a parsed document: the root itself, or the VCALENDARs of an
// XROOT (several calendars one after another).
std::vector<icalcomponent*> calendarsIn(icalcomponent* root) {
    std::vector<icalcomponent*> out;
    if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
        out.push_back(root);
    } else if (icalcomponent_isa(root) == ICAL_XROOT_COMPONENT) {
        for (icalcompiter i = icalcomponent_begin_component(root, ICAL_VCALENDAR_COMPONENT);
             icalcompiter_deref(&i) != nullptr; icalcompiter_next(&i))
            out.push_back(icalcompiter_deref(&i));
    }
    return out;
}

std::vector<icalcomponent*> eventsIn(icalcomponent* calendar) {
    std::vector<icalcomponent*> out;
    for (icalcompiter i = icalcomponent_begin_component(calendar, ICAL_VEVENT_COMPONENT);
         icalcompiter_deref(&i) != nullptr; icalcompiter_next(&i))
        out.push_back(icalcompiter_deref(&i));
    return out;
}

bool earlier(const MaintenanceWindow& a, const MaintenanceWindow& b) {
    return std::tie(a.start, a.end, a.title, a.uid) < std::tie(b.start, b.end, b.title, b.uid);
}

// parseIcs with what loadMaintenance also needs to know.
struct CalendarParse {
    IcsParse parse;
    bool usable = false;  // a VCALENDAR that libical read without errors
    std::string problem;  // why not usable
    int events = 0;
    int error_count = 0;  // all of them, also those beyond the listed ones
};

CalendarParse parseCalendar(std::string_view text, const std::vector<std::string>& known,
                            const std::string& default_zone, sys_seconds from, sys_seconds to) {
    makeLibicalErrorsNonFatal();
    CalendarParse out;
    Errors errors(out.parse.errors);
    auto fail = [&](std::string problem) {
        errors.add(problem);
        out.problem = std::move(problem);
        return out;
    };
    // libical reads a C string: an embedded NUL would silently cut the text.
    if (text.find('\0') != std::string_view::npos)
        return fail("not an iCalendar text (contains a NUL byte)");
    const std::string copy(text);
    icalerror_clear_errno();
    ComponentPtr root(icalparser_parse_string(copy.c_str()));
    if (icalerrno == ICAL_NEWFAILED_ERROR)
        return fail(std::string("libical: ") + icalerror_strerror(icalerrno));
    if (!root)
        return fail("not an iCalendar text, or one cut off (libical could not parse it)");
    const std::vector<icalcomponent*> calendars = calendarsIn(root.get());
    if (calendars.empty())
        return fail("no VCALENDAR");
    collectParseErrors(root.get(), errors);
    if (errors.count() > 0)
        out.problem = out.parse.errors.front() +
                      (errors.count() > 1 ? " (and " + std::to_string(errors.count() - 1) + " more)"
                                          : std::string());
    const icaltimezone* floating = plausibleZoneName(default_zone)
                                       ? icaltimezone_get_builtin_timezone(default_zone.c_str())
                                       : nullptr;
    std::vector<std::unique_ptr<FeedZones>> feed_zones;
    for (icalcomponent* calendar : calendars)
        feed_zones.push_back(std::make_unique<FeedZones>(calendar, errors));

    // Two passes: the RECURRENCE-ID overrides first, so that the series they
    // belong to can leave those occurrences out.
    Parser parser(known, from, to, errors, out.parse.windows);
    for (std::size_t c = 0; c < calendars.size(); ++c) {
        const Zones zones{feed_zones[c].get(), floating, &default_zone};
        const std::vector<icalcomponent*> events = eventsIn(calendars[c]);
        for (std::size_t i = 0; i < events.size(); ++i)
            parser.noteOverride(events[i], zones, parser.name(events[i], static_cast<int>(i + 1)));
    }
    for (std::size_t c = 0; c < calendars.size(); ++c) {
        const Zones zones{feed_zones[c].get(), floating, &default_zone};
        const std::vector<icalcomponent*> events = eventsIn(calendars[c]);
        for (std::size_t i = 0; i < events.size(); ++i)
            parser.event(events[i], zones, static_cast<int>(i + 1));
        out.events += static_cast<int>(events.size());
    }
    if (parser.timed_out && out.problem.empty())
        out.problem =
            "expanding the feed took longer than " + std::to_string(kParseBudget.count()) + " ms";
    std::sort(out.parse.windows.begin(), out.parse.windows.end(), earlier);
    out.usable = out.problem.empty();
    out.error_count = errors.count();
    return out;
}

CalendarParse parseCalendarSafely(std::string_view text, const std::vector<std::string>& known,
                                  const std::string& default_zone, sys_seconds from,
                                  sys_seconds to) {
    try {
        return parseCalendar(text, known, default_zone, from, to);
    } catch (const std::exception& e) {
        CalendarParse out;
        out.problem = std::string("internal error while parsing: ") + e.what();
        out.parse.errors.push_back(out.problem);
        return out;
    } catch (...) {
        CalendarParse out;
        out.problem = "internal error while parsing";
        out.parse.errors.push_back(out.problem);
        return out;
    }
}

// ---------------------------------------------------------------------------
// Reading the feed and keeping the last good copy

struct Text {
    bool ok = false;
    std::string body;
    std::string error;  // English
};

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// Reads at most `cap` bytes of a regular file. Opened without blocking and
// checked after opening, so that a FIFO or device in its place cannot stall us.
Text readFileCapped(const fs::path& path, std::size_t cap) {
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        return {false, {}, "cannot open " + path.string() + ": " + std::strerror(errno)};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return {false, {}, path.string() + " is not a regular file"};
    Text out;
    char buf[1 << 16];
    while (true) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return {false, {}, "cannot read " + path.string() + ": " + std::strerror(errno)};
        if (n == 0)
            break;
        out.body.append(buf, static_cast<std::size_t>(n));
        if (out.body.size() > cap)
            return {false, {}, "larger than the limit of " + std::to_string(cap) + " bytes"};
    }
    out.ok = true;
    return out;
}

bool isHttpUrl(const std::string& s) {
    const std::string l = lower(s.substr(0, 8));
    return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0;
}

Text readFeed(const std::string& source, std::size_t cap, const FeedFetcher& fetch,
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
    const Text fresh = readFeed(cfg.maintenance.ics, opts.max_feed_bytes, fetch, deadline);
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
                const Text old = readFileCapped(copy, opts.max_feed_bytes);
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
        const Text saved = readFileCapped(copy, opts.max_feed_bytes);
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

std::vector<const MaintenanceWindow*> MaintenanceSchedule::activeFor(const std::string& system,
                                                                     sys_seconds now) const {
    std::vector<const MaintenanceWindow*> out;
    for (const auto& w : windows)
        if (w.start <= now && now < w.end &&
            (w.systems.empty() ||
             std::find(w.systems.begin(), w.systems.end(), system) != w.systems.end()))
            out.push_back(&w);
    return out;
}

std::vector<const MaintenanceWindow*> MaintenanceSchedule::upcoming(
    sys_seconds now, std::chrono::hours within) const {
    std::vector<const MaintenanceWindow*> out;
    for (const auto& w : windows)
        if (w.start >= now && w.start < now + within)
            out.push_back(&w);
    return out;
}

IcsParse parseIcs(std::string_view text, const std::vector<std::string>& known_systems,
                  const std::string& default_zone, sys_seconds from, sys_seconds to) {
    return parseCalendarSafely(text, known_systems, default_zone, from, to).parse;
}

MaintenanceSchedule loadMaintenance(const config::Config& cfg, const MaintenanceOptions& opts,
                                    const FeedFetcher& fetch, const Deadline& deadline) {
    MaintenanceSchedule out;
    try {
        out.windows = configWindows(cfg, out.feed);
        if (!cfg.maintenance.ics.empty())
            loadFeed(cfg, opts, fetch, deadline, out);
        std::sort(out.windows.begin(), out.windows.end(), earlier);
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
