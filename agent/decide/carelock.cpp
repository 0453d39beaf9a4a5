#include "agent/decide/carelock.h"

namespace dk {

namespace {

std::string kindName(DayKind kind) {
    switch (kind) {
        case DayKind::vardag:
            return "vardag";
        case DayKind::weekend:
            return "weekend";
        case DayKind::public_holiday:
            return "public_holiday";
        case DayKind::closed_eve:
            return "closed_eve";
        case DayKind::extra_closed:
            return "extra_closed";
    }
    return "vardag";
}

CarelockNow on(const DayInfo& day, const config::CarelockSlot* slot) {
    return {slot, day.kind != DayKind::vardag, kindName(day.kind)};
}

}  // namespace

CarelockNow carelockNow(const config::Carelock& guide, const LocalTime& now,
                        const SwedishCalendar& cal) {
    const Date date = Date::of(now);
    const DayInfo today = cal.day(date);
    const DayInfo yesterday = cal.day(date.addDays(-1));
    const bool helg_today = today.kind != DayKind::vardag;
    const bool helg_yesterday = yesterday.kind != DayKind::vardag;
    const int minute = now.minutesOfDay();
    for (const config::CarelockSlot& slot : guide.slots) {
        if (slot.covers(minute, helg_today))
            return on(today, &slot);
        if (slot.coversAfterMidnight(minute, helg_yesterday))
            return on(yesterday, &slot);
    }
    return on(today, nullptr);
}

}  // namespace dk
