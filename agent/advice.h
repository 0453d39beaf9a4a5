// The advice: the one thing to do now (`advice.action` in the contract), whom
// to contact, on which condition, and when the office lines open next.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/diagnosis.h"
#include "agent/local_time.h"
#include "agent/texts.h"
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

struct Advice {
    Action action = Action::none;
    const config::Contact* contact = nullptr;  // whom to contact, when the action names one
    std::string text;                          // one short paragraph for the user
    std::string condition;                     // "om det är akut ..." when it applies
    std::optional<LocalTime> next_open;        // when the relevant office line opens next
    std::string next_open_contact;             // which line `next_open` is about
};

// Whether `contact` is open at `now` by its weekly hours (empty hours = always).
bool isOpen(const config::Contact& contact, const LocalTime& now);

// The next moment at or after `now` when `contact` opens, within 14 days.
std::optional<LocalTime> nextOpening(const config::Contact& contact, const LocalTime& now,
                                     const std::string& zone);

// "måndag 30 november kl. 08:00" / "Monday 30 November at 08:00"
std::string formatWhen(const LocalTime& t, Lang lang);

Advice advise(const Diagnosis& d, const config::Config& cfg, const LocalTime& now, Lang lang);

}  // namespace dk
