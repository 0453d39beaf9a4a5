// Local civil time in the profile's time zone (Europe/Stockholm by default),
// through the system's time-zone database. `--at` makes a run pretend that it
// is another moment; everything schedule-related reads the time from here.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dk {

struct LocalTime {
    std::chrono::sys_seconds instant;  // the moment, in UTC
    int year = 0, month = 0, day = 0;  // local calendar date
    int weekday = 0;                   // 1 = Monday ... 7 = Sunday
    int hour = 0, minute = 0, second = 0;
    std::string zone;    // "Europe/Stockholm"
    std::string abbrev;  // "CET" / "CEST"

    int minutesOfDay() const { return hour * 60 + minute; }
    // "2026-11-28T14:00:00+01:00"
    std::string iso() const;
};

struct TimeError {
    std::string message;
};

// The local time of `instant` in `zone`. Fails on an unknown zone name.
std::optional<LocalTime> toLocal(std::chrono::sys_seconds instant, const std::string& zone,
                                 TimeError* err);

// Parses `--at` values: ISO 8601 local time "2026-11-28T14:00", with optional
// seconds, interpreted in `zone`. A time that does not exist (spring-forward gap)
// or is ambiguous (autumn fold) is resolved to the earlier valid instant, and
// `note` (when given) says so; a malformed value fails with `err`.
std::optional<LocalTime> parseLocal(const std::string& text, const std::string& zone,
                                    TimeError* err, std::string* note = nullptr);

// Now, as local time in `zone`.
std::optional<LocalTime> nowLocal(const std::string& zone, TimeError* err);

}  // namespace dk
