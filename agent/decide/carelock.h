// The Carelock fault guide (config::Carelock): which of its slots applies at a
// moment, by the time of day and the Swedish calendar. A slot that runs past
// midnight belongs to the day it started on, so Saturday 03:00 is in the night
// that started on Friday evening, and that night counts as a Friday (a vardag).
#pragma once

#include <string>

#include "agent/decide/calendar.h"
#include "agent/decide/local_time.h"
#include "config/model.h"

namespace dk {

struct CarelockNow {
    const config::CarelockSlot* slot = nullptr;  // into the guide; nullptr when none applies
    // The kind of the slot's day: the day the slot started on (yesterday, after
    // midnight in a slot that runs past it), or today when no slot applies.
    bool helg = false;     // a weekend day, public holiday or closed day
    std::string day_kind;  // "vardag", "weekend", "public_holiday", "closed_eve", "extra_closed"
};

// The slot of `guide` that applies at `now`. When slots overlap (the loader warns
// about that), the first in the guide wins.
CarelockNow carelockNow(const config::Carelock& guide, const LocalTime& now,
                        const SwedishCalendar& cal);

}  // namespace dk
