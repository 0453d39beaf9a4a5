// "Whom do I call now?": the office lines, the on-call and the Carelock fault
// guide for one moment (`driftkoll contacts`, and later the tray's menu).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/decide/calendar.h"
#include "agent/decide/carelock.h"
#include "agent/decide/local_time.h"
#include "agent/decide/schedule.h"
#include "agent/decide/texts.h"
#include "config/model.h"
#include "probes/result.h"

namespace dk {

struct LineNow {
    const config::Contact* contact = nullptr;
    LineStatus status;
    bool for_this_user = true;  // false: municipal employees only, and this is an external provider
};

struct ContactsNow {
    LocalTime now;
    DayInfo day;
    std::vector<LineNow> lines;  // the office lines (contacts with hours), in config order
    const config::Contact* oncall = nullptr;
    bool oncall_for_this_user = true;  // the on-call agreement does not cover external providers
    CarelockNow carelock;
};

ContactsNow contactsNow(const config::Config& cfg, const LocalTime& now,
                        const SwedishCalendar& cal);

Json contactsJson(const ContactsNow& c, Lang lang);
std::string contactsText(const ContactsNow& c, Lang lang);

}  // namespace dk
