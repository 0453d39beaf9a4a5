// Planned maintenance windows: from the configuration ([[maintenance.windows]],
// local times in the profile's time zone) and from the iCalendar feed IT
// publishes ([maintenance] ics: a file path or an http(s) URL).
//
// The feed is untrusted input. It is read with a size cap and parsed with
// libical: VEVENTs with DTEND or DURATION, TZIDs (the feed's VTIMEZONEs, then
// the system's zones), UTC and floating times (the profile's zone), RRULE (daily
// or coarser), RDATE, EXDATE, RECURRENCE-ID overrides, STATUS:CANCELLED.
// Recurrences are expanded only within a horizon and within fixed limits (on
// occurrences, iterations and about a second of work); VTIMEZONEs with rules no
// real zone has are ignored. A series whose EXDATE or override cannot be read
// is skipped rather than shown with a window that was called off.
//
// Nothing here throws: every problem ends up in `IcsParse::errors`. Reading the
// feed, fetching it and keeping its last good copy is I/O: check/maintenance_feed.h.
//
// Which systems a feed event covers:
//   X-DRIFTKOLL-SYSTEMS:tes,tes_app   these system ids (unknown ids are reported;
//                                     an event naming no known id is skipped)
//   CATEGORIES:TES,Underhåll          the values that are known system ids
//                                     (case-insensitive); other values are ignored
//   neither of them                   every system
// X-DRIFTKOLL-SYSTEMS wins when both are present.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"

namespace dk {

struct MaintenanceWindow {
    std::vector<std::string> systems;  // system ids; empty = every system
    std::chrono::sys_seconds start, end;
    std::string title;
    std::string source;  // "config" or "ics"
    std::string uid;     // the event's UID; for config windows "file:line" (or "config#N")

    bool operator==(const MaintenanceWindow&) const = default;
};


struct FeedStatus {
    enum class State {
        none,       // no feed configured
        fresh,      // the feed was read and parsed now
        last_good,  // the feed could not be used; the last good copy was
        failed,     // the feed could not be used and there is no good copy
    };
    State state = State::none;
    std::string warning;    // short, Swedish then English; empty when all is well
    std::string source;     // the configured path or URL
    std::size_t bytes = 0;  // size of the calendar text in use
    int events = 0;         // VEVENTs in the calendar text in use
};

struct MaintenanceSchedule {
    std::vector<MaintenanceWindow> windows;  // sorted by start
    FeedStatus feed;

    // Windows covering `system` at `now` (start <= now < end).
    std::vector<const MaintenanceWindow*> activeFor(const std::string& system,
                                                    std::chrono::sys_seconds now) const;
    // Windows for any system that start in [now, now + within).
    std::vector<const MaintenanceWindow*> upcoming(std::chrono::sys_seconds now,
                                                   std::chrono::hours within) const;
};


struct IcsParse {
    std::vector<MaintenanceWindow> windows;  // sorted by start
    std::vector<std::string> errors;         // English, one line each, capped in number
};

// The parser on its own (also the fuzz entry): expands the VEVENTs of `text`
// into the windows that overlap [from, to). `known_systems` maps
// X-DRIFTKOLL-SYSTEMS and CATEGORIES values to system ids (empty: any id in
// X-DRIFTKOLL-SYSTEMS is taken as given); floating times are in `default_zone`.
IcsParse parseIcs(std::string_view text, const std::vector<std::string>& known_systems,
                  const std::string& default_zone, std::chrono::sys_seconds from,
                  std::chrono::sys_seconds to);

// parseIcs with what the feed's reader (check/maintenance_feed.h) also needs to know.
struct CalendarParse {
    IcsParse parse;
    bool usable = false;  // a VCALENDAR that libical read without errors
    std::string problem;  // why not usable
    int events = 0;
    int error_count = 0;  // all of them, also those beyond the listed ones
};

// parseIcs's whole answer; an exception inside the parser is a problem, never thrown.
CalendarParse parseCalendarSafely(std::string_view text, const std::vector<std::string>& known,
                                  const std::string& default_zone,
                                  std::chrono::sys_seconds from, std::chrono::sys_seconds to);

// The order windows are listed in: by start, then end, title and UID.
bool startsEarlier(const MaintenanceWindow& a, const MaintenanceWindow& b);

}  // namespace dk
