// Opening hours of a contact (an office line) by the Swedish calendar: whether
// the line is open now, when it opens next and when it closes. A rule applies on
// its weekdays; a rule with `only_weekdays` is closed on every day that is not a
// vardag (public holidays, closed eves, extra closed days), even Monday to Friday.
// A contact without hours is always open.
#pragma once

#include <optional>
#include <string>

#include "agent/decide/calendar.h"
#include "agent/decide/local_time.h"
#include "config/model.h"

namespace dk {

// Open at `now`: inside a rule's hours that applies today, and not in one of its breaks.
bool isOpen(const config::Contact& contact, const LocalTime& now, const SwedishCalendar& cal);

// Closed at `now` only because of a break (lunch): inside the hours of a rule that
// applies today, in one of its breaks.
bool onBreak(const config::Contact& contact, const LocalTime& now, const SwedishCalendar& cal);

// The first moment at or after `now` when the line is open: `now` itself when it is
// open, else an opening time or the end of a break, within 30 days. Local times are
// resolved in `zone`, so the answer carries the right UTC offset across daylight-
// saving changes. nullopt when the line does not open within 30 days.
std::optional<LocalTime> nextOpening(const config::Contact& contact, const LocalTime& now,
                                     const SwedishCalendar& cal, const std::string& zone);

// When a line that is open at `now` closes today: the start of its next break or its
// closing time ("open until 16:30"). nullopt when it is closed now or has no hours.
std::optional<LocalTime> closesAt(const config::Contact& contact, const LocalTime& now,
                                  const SwedishCalendar& cal, const std::string& zone);

struct LineStatus {
    bool open = false;
    bool on_break = false;
    std::optional<LocalTime> next_open;  // when it opens next; empty while it is open
    std::optional<LocalTime> closes;     // when it closes today; empty while it is closed
    // The day the caller would reach the line (today when it is open, else the day of
    // `next_open`) is the day before a holiday: other hours may apply then.
    bool before_holiday = false;
};

LineStatus lineStatus(const config::Contact& contact, const LocalTime& now,
                      const SwedishCalendar& cal, const std::string& zone);

}  // namespace dk
