#include "advice.h"

#include <algorithm>
#include <cstdio>

#include <date/date.h>

namespace dk {

namespace {

using config::Contact;
using config::Organisation;
using config::Role;

bool dayMatches(const config::HoursRule& r, int weekday) {
    return std::find(r.days.begin(), r.days.end(), weekday) != r.days.end();
}

bool inBreak(const config::HoursRule& r, int m) {
    return std::any_of(r.breaks.begin(), r.breaks.end(), [m](const config::Break& b) {
        return m >= b.from.minutes && m < b.to.minutes;
    });
}

std::string hhmm(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

// "3, sedan 1" / "3, then 1"
std::string menuText(const Contact& c, Lang l) {
    std::string out;
    for (size_t i = 0; i < c.menu.size(); ++i) {
        if (i > 0)
            out += tr(l, ", sedan ", ", then ");
        out += c.menu[i];
    }
    return out;
}

// "Ring Kommunsupport – TES på 019-21 20 00 och tryck 3, sedan 1. E-post: x."
std::string callText(const Contact& c, Lang l) {
    std::string t = std::string(tr(l, "Ring ", "Call ")) + c.name;
    if (!c.phone.empty())
        t += std::string(tr(l, " på ", " on ")) + c.phone;
    if (!c.menu.empty())
        t += std::string(tr(l, " och tryck ", " and press ")) + menuText(c, l);
    t += ".";
    if (!c.email.empty())
        t += std::string(tr(l, " E-post: ", " E-mail: ")) + c.email + ".";
    return t;
}

const char* const kWeekdaySv[] = {"",        "måndag", "tisdag", "onsdag",
                                  "torsdag", "fredag", "lördag", "söndag"};
const char* const kWeekdayEn[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                  "Thursday", "Friday", "Saturday", "Sunday"};
const char* const kMonthSv[] = {"",        "januari",  "februari", "mars",    "april",
                                "maj",     "juni",     "juli",     "augusti", "september",
                                "oktober", "november", "december"};
const char* const kMonthEn[] = {"",        "January",  "February", "March",  "April",
                                "May",     "June",     "July",     "August", "September",
                                "October", "November", "December"};

// Which office line a fault belongs to: TES's own line for the business systems,
// the IT line for the network and the computer.
const Contact* lineFor(const Diagnosis& d, const config::Config& cfg) {
    switch (d.domain) {
        case Domain::service_down:
        case Domain::service_degraded:
        case Domain::planned_maintenance:
        case Domain::account:
            return cfg.findContact("tes_support");
        default:
            return cfg.findContact("it_support");
    }
}

// True when the failing systems include something the user's work depends on
// (anything but outside sites).
bool affectsWork(const Diagnosis& d, const config::Config& cfg) {
    if (d.systems.empty())
        return true;
    return std::any_of(d.systems.begin(), d.systems.end(), [&](const std::string& id) {
        const auto* s = cfg.findSystem(id);
        return !s || s->role != Role::outside;
    });
}

// Inside opening hours but in a break (lunch): the line opens again shortly.
bool onBreak(const Contact& c, const LocalTime& now) {
    const int m = now.minutesOfDay();
    return std::any_of(c.hours.begin(), c.hours.end(), [&](const config::HoursRule& r) {
        return dayMatches(r, now.weekday) && m >= r.open.minutes && m < r.close.minutes &&
               inBreak(r, m);
    });
}

Action actionFor(const Contact& line) {
    return line.id == "it_support" ? Action::contact_it_support : Action::contact_tes_support;
}

}  // namespace

std::string_view to_string(Action a) {
    switch (a) {
        case Action::none:
            return "none";
        case Action::check_cables:
            return "check_cables";
        case Action::restart_computer:
            return "restart_computer";
        case Action::wait_planned_maintenance:
            return "wait_planned_maintenance";
        case Action::contact_tes_support:
            return "contact_tes_support";
        case Action::contact_it_support:
            return "contact_it_support";
        case Action::call_oncall:
            return "call_oncall";
        case Action::wait_next_weekday:
            return "wait_next_weekday";
        case Action::contact_own_organisation:
            return "contact_own_organisation";
    }
    return "none";
}

bool isOpen(const Contact& c, const LocalTime& now) {
    if (c.hours.empty())
        return true;
    const int m = now.minutesOfDay();
    return std::any_of(c.hours.begin(), c.hours.end(), [&](const config::HoursRule& r) {
        return dayMatches(r, now.weekday) && m >= r.open.minutes && m < r.close.minutes &&
               !inBreak(r, m);
    });
}

std::optional<LocalTime> nextOpening(const Contact& c, const LocalTime& now,
                                     const std::string& zone) {
    if (c.hours.empty())
        return now;
    const auto today = date::sys_days(date::year(now.year) / now.month / now.day);
    for (int n = 0; n <= 14; ++n) {
        const date::year_month_day ymd{today + date::days(n)};
        const int weekday = static_cast<int>(date::weekday{today + date::days(n)}.iso_encoding());
        std::optional<int> best;
        for (const auto& r : c.hours) {
            if (!dayMatches(r, weekday))
                continue;
            // A line opens at its opening time and again when each break ends.
            std::vector<int> starts{r.open.minutes};
            for (const auto& b : r.breaks) starts.push_back(b.to.minutes);
            for (int s : starts)
                if ((n > 0 || s >= now.minutesOfDay()) && (!best || s < *best))
                    best = s;
        }
        if (!best)
            continue;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%s", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      hhmm(*best).c_str());
        TimeError err;
        if (auto t = parseLocal(buf, zone, &err))
            return t;
    }
    return std::nullopt;
}

std::string formatWhen(const LocalTime& t, Lang l) {
    char buf[96];
    if (l == Lang::sv)
        std::snprintf(buf, sizeof buf, "%s %d %s kl. %02d:%02d", kWeekdaySv[t.weekday], t.day,
                      kMonthSv[t.month], t.hour, t.minute);
    else
        std::snprintf(buf, sizeof buf, "%s %d %s at %02d:%02d", kWeekdayEn[t.weekday], t.day,
                      kMonthEn[t.month], t.hour, t.minute);
    return buf;
}

Advice advise(const Diagnosis& d, const config::Config& cfg, const LocalTime& now, Lang l) {
    Advice a;
    switch (d.domain) {
        case Domain::all_ok:
            a.text = tr(l, "Allt som kontrollerades fungerar. Du behöver inte ringa någon.",
                        "Everything that was checked works. You do not need to call anyone.");
            return a;
        case Domain::no_link:
            a.action = Action::check_cables;
            a.text = tr(l,
                        "Kontrollera att nätverkskabeln sitter ordentligt i datorn och i "
                        "väggen, eller att Wi-Fi är påslaget. Kontrollera sedan igen.",
                        "Check that the network cable is firmly plugged into the computer and "
                        "the wall, or that Wi-Fi is switched on. Then check again.");
            return a;
        case Domain::no_address:
        case Domain::no_gateway:
            a.action = Action::restart_computer;
            a.text = tr(l, "Starta om datorn och försök logga in igen.",
                        "Restart the computer and try to log in again.");
            return a;
        default:
            break;
    }
    if (!affectsWork(d, cfg) || d.domain == Domain::internet) {
        a.text = tr(l,
                    "Externa webbplatser svarar inte just nu, men det påverkar inte TES. Du "
                    "behöver inte göra något.",
                    "Outside sites do not answer right now, but this does not affect TES. You "
                    "do not need to do anything.");
        return a;
    }

    const Contact* line = lineFor(d, cfg);
    const bool municipal = cfg.organisation == Organisation::municipal;
    if (line && line->municipal_only && !municipal)
        line = cfg.findContact("tes_support");
    if (line) {
        a.next_open = nextOpening(*line, now, cfg.timezone);
        a.next_open_contact = line->id;
    }

    if (line && isOpen(*line, now)) {
        a.action = actionFor(*line);
        a.contact = line;
        a.text = callText(*line, l);
        return a;
    }
    if (line && onBreak(*line, now) && a.next_open) {
        // A lunch break is not an evening: the office line is the right one, shortly.
        a.action = actionFor(*line);
        a.contact = line;
        a.text = std::string(tr(l, "Linjen har paus och öppnar igen kl. ",
                                "The line is on a break and opens again at ")) +
                 hhmm(a.next_open->minutesOfDay()) + ". " + callText(*line, l);
        return a;
    }
    const std::string reopens =
        a.next_open ? std::string(tr(l, " Kontoret öppnar ", " The office opens ")) +
                          formatWhen(*a.next_open, l) + "."
                    : std::string();
    if (!municipal) {
        a.action = Action::contact_own_organisation;
        a.text = std::string(tr(l,
                                "Som extern utförare kontaktar du din egen organisation. "
                                "Kommunens IT-jour gäller inte externa utförare.",
                                "As an external provider, contact your own organisation. The "
                                "municipality's on-call IT service does not cover external "
                                "providers.")) +
                 reopens;
        return a;
    }
    if (d.domain == Domain::service_degraded) {
        a.action = Action::wait_next_weekday;
        a.contact = line;
        a.text = std::string(tr(l,
                                "Systemet fungerar, men långsamt eller ojämnt. Det räcker att "
                                "kontakta supporten nästa vardag.",
                                "The system works, but slowly or unevenly. It is enough to "
                                "contact support on the next weekday.")) +
                 reopens;
        return a;
    }
    a.action = Action::call_oncall;
    a.contact = cfg.findContact("oncall");
    a.condition = tr(l, "om det är akut och inte kan vänta till nästa vardag",
                     "if it is urgent and cannot wait until the next weekday");
    std::string who = a.contact ? a.contact->name : std::string("jourhavande datatekniker");
    std::string number =
        a.contact ? (a.contact->phone_short.empty() ? a.contact->phone : a.contact->phone_short)
                  : std::string("20 00");
    a.text = std::string(tr(l, "Om det är akut och inte kan vänta till nästa vardag: ring ",
                            "If it is urgent and cannot wait until the next weekday: call ")) +
             number + tr(l, " och be att få tala med ", " and ask for ") + who + "." + reopens;
    return a;
}

}  // namespace dk
