#include "agent/decide/schedule.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace dk {

namespace {

using config::Contact;
using config::HoursRule;

constexpr int kSearchDays = 30;
constexpr int kMinutesPerDay = 24 * 60;

bool appliesOn(const HoursRule& r, const DayInfo& day) {
    return r.appliesOn(day.weekday, day.kind == DayKind::vardag);
}

// Open at `minute` of `day` by the contact's rules (the contact has hours).
bool openAt(const Contact& c, const DayInfo& day, int minute) {
    return std::any_of(c.hours.begin(), c.hours.end(), [&](const HoursRule& r) {
        return appliesOn(r, day) && r.inHours(minute) && !r.inBreak(minute);
    });
}

// The moment `minutes` after the start of `date` in local wall-clock time (24:00 is
// midnight of the next day), through parseLocal so that a time in the spring-forward
// gap becomes the moment the clock jumps.
std::optional<LocalTime> localAt(Date date, int minutes, const std::string& zone) {
    const Date d = date.addDays(minutes / kMinutesPerDay);
    const int m = minutes % kMinutesPerDay;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d", d.iso().c_str(), m / 60, m % 60);
    TimeError err;
    return parseLocal(buf, zone, &err);
}

}  // namespace

bool isOpen(const Contact& contact, const LocalTime& now, const SwedishCalendar& cal) {
    if (contact.hours.empty())
        return true;
    return openAt(contact, cal.day(Date::of(now)), now.minutesOfDay());
}

bool onBreak(const Contact& contact, const LocalTime& now, const SwedishCalendar& cal) {
    if (contact.hours.empty())
        return false;
    const DayInfo day = cal.day(Date::of(now));
    const int m = now.minutesOfDay();
    if (openAt(contact, day, m))
        return false;
    return std::any_of(contact.hours.begin(), contact.hours.end(), [&](const HoursRule& r) {
        return appliesOn(r, day) && r.inHours(m) && r.inBreak(m);
    });
}

std::optional<LocalTime> nextOpening(const Contact& contact, const LocalTime& now,
                                     const SwedishCalendar& cal, const std::string& zone) {
    if (isOpen(contact, now, cal))
        return now;
    const Date today = Date::of(now);
    for (int n = 0; n <= kSearchDays; ++n) {
        const DayInfo day = cal.day(today.addDays(n));
        // The line can only open at an opening time or when a break ends.
        std::vector<int> starts;
        for (const HoursRule& r : contact.hours) {
            if (!appliesOn(r, day))
                continue;
            starts.push_back(r.open.minutes);
            for (const config::Break& b : r.breaks) starts.push_back(b.to.minutes);
        }
        std::sort(starts.begin(), starts.end());
        for (int s : starts) {
            // Checked at the resolved moment: another rule's break may cover it, or
            // the time may not exist on the day the clocks go forward.
            auto t = localAt(day.date, s, zone);
            if (t && t->instant >= now.instant && isOpen(contact, *t, cal))
                return t;
        }
    }
    return std::nullopt;
}

std::optional<LocalTime> closesAt(const Contact& contact, const LocalTime& now,
                                  const SwedishCalendar& cal, const std::string& zone) {
    if (contact.hours.empty() || !isOpen(contact, now, cal))
        return std::nullopt;
    const DayInfo day = cal.day(Date::of(now));
    const int m = now.minutesOfDay();
    // The line can only close when a break starts or at a closing time; the first of
    // those after which no rule keeps it open is when it closes.
    std::vector<int> ends;
    for (const HoursRule& r : contact.hours) {
        if (!appliesOn(r, day))
            continue;
        ends.push_back(r.close.minutes);
        for (const config::Break& b : r.breaks) ends.push_back(b.from.minutes);
    }
    std::sort(ends.begin(), ends.end());
    for (int e : ends)
        if (e > m && !openAt(contact, day, e))
            return localAt(day.date, e, zone);
    return std::nullopt;
}

LineStatus lineStatus(const Contact& contact, const LocalTime& now, const SwedishCalendar& cal,
                      const std::string& zone) {
    LineStatus s;
    s.open = isOpen(contact, now, cal);
    s.on_break = onBreak(contact, now, cal);
    if (s.open)
        s.closes = closesAt(contact, now, cal, zone);
    else
        s.next_open = nextOpening(contact, now, cal, zone);
    // A line without fixed hours has no shorter hours before a holiday.
    const std::optional<LocalTime> reach = s.open ? std::optional<LocalTime>(now) : s.next_open;
    s.before_holiday = !contact.hours.empty() && reach && cal.day(Date::of(*reach)).before_holiday;
    return s;
}

}  // namespace dk
