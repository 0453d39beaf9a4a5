#include "agent/decide/maintenance.h"

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

#include <date/date.h>
#include <libical/ical.h>
#include "agent/decide/ics_support.h"
#include "agent/decide/local_time.h"

namespace dk {

namespace {

using namespace ics_detail;

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
    std::chrono::steady_clock::time_point give_up_at = std::chrono::steady_clock::now() + kParseBudget;
    bool timed_out = false;

    // True once the feed has taken its time budget; the remaining work is skipped.
    bool outOfTime() {
        if (!timed_out && std::chrono::steady_clock::now() >= give_up_at) {
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

}  // namespace



static CalendarParse parseCalendar(std::string_view text, const std::vector<std::string>& known,
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
    std::sort(out.parse.windows.begin(), out.parse.windows.end(), startsEarlier);
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
IcsParse parseIcs(std::string_view text, const std::vector<std::string>& known_systems,
                  const std::string& default_zone, sys_seconds from, sys_seconds to) {
    return parseCalendarSafely(text, known_systems, default_zone, from, to).parse;
}

}  // namespace dk
