// The advice: the one thing to do now (`advice.action` in the contract), whom
// to contact, on which condition, and when the office lines open next — decided
// exactly as the routine routes it:
//   - office lines while they are open (TES's line for the business systems and
//     logins, the IT line for the network and the computer — municipal employees
//     only), and during a lunch break: call them when they reopen;
//   - the on-call (20 00 → SOS Alarm) when the line is closed, only if urgent,
//     never for passwords and never for external providers;
//   - a restart only where it can help and has not been tried since the problem
//     began (the boot id tells).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/decide/calendar.h"
#include "agent/decide/diagnosis.h"
#include "agent/decide/incident.h"
#include "agent/decide/local_time.h"
#include "agent/decide/texts.h"
#include "config/model.h"

namespace dk {

enum class Action {
    none,                      // nothing to do: it works, or the fault is not ours to report
    check_cables,              // check the network cable / Wi-Fi
    restart_computer,          // restart, then try to log in again
    wait_planned_maintenance,  // an announced window: wait until it ends
    contact_tes_support,       // the office-hours line for TES, TES-app and Carelock
    contact_it_support,        // the office-hours IT/telephony line (municipal employees)
    call_oncall,               // 20 00 -> SOS Alarm -> on-call IT technician, if urgent
    wait_next_weekday,         // out of hours, and the on-call does not cover it
    contact_own_organisation,  // external providers: the on-call agreement does not cover them
};

std::string_view to_string(Action a);

// What the advice needs besides the diagnosis and the time.
struct AdviceContext {
    const SwedishCalendar& calendar;
    const Incident* incident = nullptr;  // the current incident: case code, boot ids
    std::string boot_id;                 // the boot this run is on
};

struct Advice {
    Action action = Action::none;
    // Whom to contact, when the action names one. Points into the Config given to
    // advise(): valid as long as that Config is.
    const config::Contact* contact = nullptr;
    std::string text;                    // one short paragraph for the user
    std::string condition;               // "om det är akut ..." when it applies
    std::string note;                    // e.g. shorter hours on the day before a holiday
    std::optional<LocalTime> next_open;  // when the relevant office line opens next
    std::string next_open_contact;       // which line `next_open` is about
    std::optional<LocalTime> until;      // end of the maintenance window, when waiting
    std::string case_code;               // read out on the phone; ties the call to the evidence
    bool restarted = false;              // restarted since the problem began
};

// "måndag 30 november kl. 08:00" / "Monday 30 November at 08:00"
std::string formatWhen(const LocalTime& t, Lang lang);

Advice advise(const Diagnosis& d, const config::Config& cfg, const LocalTime& now, Lang lang,
              const AdviceContext& ctx);

}  // namespace dk
