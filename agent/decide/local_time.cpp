#include "agent/decide/local_time.h"

#include <cstdio>
#include <sstream>

#include <date/date.h>
#include <date/tz.h>

namespace dk {

namespace {

const date::time_zone* findZone(const std::string& zone, TimeError* err) {
    try {
        return date::locate_zone(zone);
    } catch (const std::exception& e) {
        if (err)
            err->message = "okänd tidszon / unknown time zone '" + zone + "': " + e.what();
        return nullptr;
    }
}

}  // namespace

std::string LocalTime::iso() const {
    // Offset from the difference between the local fields and the UTC instant.
    auto local_days = date::sys_days(date::year(year) / month / day);
    auto local_secs = local_days + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                      std::chrono::seconds(second);
    auto off = std::chrono::duration_cast<std::chrono::minutes>(local_secs - instant).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day,
                  hour, minute, second, off < 0 ? '-' : '+', static_cast<int>(std::abs(off) / 60),
                  static_cast<int>(std::abs(off) % 60));
    return buf;
}

std::optional<LocalTime> toLocal(std::chrono::sys_seconds instant, const std::string& zone,
                                 TimeError* err) {
    const auto* tz = findZone(zone, err);
    if (!tz)
        return std::nullopt;
    try {
        auto info = tz->get_info(instant);
        auto local = instant + info.offset;  // as sys time, shifted to local wall clock
        auto day = date::floor<date::days>(local);
        date::year_month_day ymd{day};
        date::hh_mm_ss<std::chrono::seconds> tod{local - day};
        LocalTime out;
        out.instant = instant;
        out.year = static_cast<int>(ymd.year());
        out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
        out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
        out.weekday = static_cast<int>(date::weekday{day}.iso_encoding());
        out.hour = static_cast<int>(tod.hours().count());
        out.minute = static_cast<int>(tod.minutes().count());
        out.second = static_cast<int>(tod.seconds().count());
        out.zone = zone;
        out.abbrev = info.abbrev;
        return out;
    } catch (const std::exception& e) {
        if (err)
            err->message = std::string("tidsfel / time error: ") + e.what();
        return std::nullopt;
    }
}

std::optional<LocalTime> parseLocal(const std::string& text, const std::string& zone,
                                    TimeError* err, std::string* note) {
    std::istringstream in(text);
    date::local_seconds local;
    // Seconds are optional: try the longer form first.
    in >> date::parse("%Y-%m-%dT%H:%M:%S", local);
    if (in.fail() || in.peek() != EOF) {
        in.clear();
        in.str(text);
        in >> date::parse("%Y-%m-%dT%H:%M", local);
        if (in.fail() || in.peek() != EOF) {
            if (err)
                err->message = "ogiltig tid / invalid time '" + text +
                               "': use ISO 8601 local time, e.g. 2026-11-28T14:00";
            return std::nullopt;
        }
    }
    const auto* tz = findZone(zone, err);
    if (!tz)
        return std::nullopt;
    auto info = tz->get_info(local);
    std::chrono::sys_seconds instant;
    switch (info.result) {
        case date::local_info::unique:
            instant = std::chrono::sys_seconds{(local - info.first.offset).time_since_epoch()};
            break;
        case date::local_info::nonexistent:
            // In the spring-forward gap: the clock jumps past it; take the moment of the jump.
            instant = info.second.begin;
            if (note)
                *note = text + " finns inte i " + zone + " (sommartid börjar)";
            break;
        case date::local_info::ambiguous:
            // In the autumn fold: the earlier of the two moments (still summer time).
            instant = std::chrono::sys_seconds{(local - info.first.offset).time_since_epoch()};
            if (note)
                *note = text + " är tvetydig i " + zone + " (sommartid slutar)";
            break;
    }
    return toLocal(instant, zone, err);
}

std::optional<LocalTime> nowLocal(const std::string& zone, TimeError* err) {
    auto now = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return toLocal(now, zone, err);
}

}  // namespace dk
