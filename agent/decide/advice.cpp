#include "agent/decide/advice.h"

#include <algorithm>
#include <cstdio>

#include "agent/decide/schedule.h"

namespace dk {

namespace {

using config::Contact;
using config::Organisation;
using config::Role;

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

std::string hhmm(const LocalTime& t) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
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

// Which office line a fault belongs to: TES's own line for the business systems
// and logins, the IT line for the network and the computer.
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

// Faults a restart of this computer can mend: a new address lease, fresh
// routes, a resynchronised clock, a fresh session.
bool restartCanHelp(Domain d) {
    return d == Domain::no_address || d == Domain::no_gateway || d == Domain::this_computer ||
           d == Domain::clock_skew;
}

Action actionFor(const Contact& line) {
    return line.id == "it_support" ? Action::contact_it_support : Action::contact_tes_support;
}

std::string reopensText(const Advice& a, Lang l) {
    if (!a.next_open)
        return {};
    return std::string(tr(l, " Kontoret öppnar ", " The office opens ")) +
           formatWhen(*a.next_open, l) + ".";
}

// Whom to turn to for a fault that needs people: the office line while it is
// open, else the on-call if urgent (or the user's own organisation).
void escalate(Advice& a, const Diagnosis& d, const config::Config& cfg, const LocalTime& now,
              Lang l, const AdviceContext& ctx) {
    const bool municipal = cfg.organisation == Organisation::municipal;
    const Contact* line = lineFor(d, cfg);
    if (line && line->municipal_only && !municipal)
        line = cfg.findContact("tes_support");

    std::optional<LineStatus> status;
    if (line) {
        status = lineStatus(*line, now, ctx.calendar, cfg.timezone);
        a.next_open = status->open ? std::optional<LocalTime>() : status->next_open;
        a.next_open_contact = line->id;
        if (status->before_holiday)
            a.note =
                tr(l, "Dagen före en helgdag kan kontorets öppettider vara kortare än vanligt.",
                   "On the day before a public holiday the office hours may be shorter than "
                   "usual.");
    }

    if (line && status->open) {
        a.action = actionFor(*line);
        a.contact = line;
        a.text = callText(*line, l);
        return;
    }
    if (line && status->on_break && status->next_open) {
        // A lunch break is not an evening: the office line is the right one, shortly.
        a.action = actionFor(*line);
        a.contact = line;
        a.text = std::string(tr(l, "Linjen har paus och öppnar igen kl. ",
                                "The line is on a break and opens again at ")) +
                 hhmm(*status->next_open) + ". " + callText(*line, l);
        return;
    }
    if (d.domain == Domain::account) {
        // The on-call agreement does not cover unlocking accounts or new passwords.
        a.action = Action::wait_next_weekday;
        a.contact = line;
        a.text = std::string(tr(l,
                                "Jouren kan inte låsa upp konton eller byta lösenord. Kontakta "
                                "supporten nästa vardag.",
                                "The on-call service cannot unlock accounts or change passwords. "
                                "Contact support on the next weekday.")) +
                 reopensText(a, l);
        return;
    }
    if (!municipal) {
        a.action = Action::contact_own_organisation;
        a.text = std::string(tr(l,
                                "Som extern utförare kontaktar du din egen organisation. "
                                "Kommunens IT-jour gäller inte externa utförare.",
                                "As an external provider, contact your own organisation. The "
                                "municipality's on-call IT service does not cover external "
                                "providers.")) +
                 reopensText(a, l);
        return;
    }
    if (d.domain == Domain::service_degraded) {
        a.action = Action::wait_next_weekday;
        a.contact = line;
        a.text = std::string(tr(l,
                                "Systemet fungerar, men långsamt eller ojämnt. Det räcker att "
                                "kontakta supporten nästa vardag.",
                                "The system works, but slowly or unevenly. It is enough to "
                                "contact support on the next weekday.")) +
                 reopensText(a, l);
        return;
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
             number + tr(l, " och be att få tala med ", " and ask for ") + who + "." +
             reopensText(a, l);
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

Advice advise(const Diagnosis& d, const config::Config& cfg, const LocalTime& now, Lang l,
              const AdviceContext& ctx) {
    Advice a;
    if (ctx.incident) {
        a.case_code = ctx.incident->case_code;
        a.restarted = ctx.incident->restartedSinceStart(ctx.boot_id);
    }
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
        case Domain::planned_maintenance:
            a.action = Action::wait_planned_maintenance;
            if (d.maintenance_until) {
                TimeError err;
                a.until = toLocal(*d.maintenance_until, cfg.timezone, &err);
            }
            a.text = a.until ? std::string(tr(l, "Det är planerat underhåll till ",
                                              "This is planned maintenance until ")) +
                                   formatWhen(*a.until, l) +
                                   tr(l, ". Vänta tills det är klart och försök sedan igen.",
                                      ". Wait until it is over, then try again.")
                             : std::string(tr(l,
                                              "Det är planerat underhåll. Vänta tills det är "
                                              "klart och försök sedan igen.",
                                              "This is planned maintenance. Wait until it is "
                                              "over, then try again."));
            return a;
        default:
            break;
    }
    if (restartCanHelp(d.domain) && !a.restarted) {
        a.action = Action::restart_computer;
        a.text = tr(l, "Starta om datorn och försök logga in igen.",
                    "Restart the computer and try to log in again.");
        return a;
    }
    if (d.domain == Domain::internet || !affectsWork(d, cfg)) {
        a.text = tr(l,
                    "Externa webbplatser svarar inte just nu, men det påverkar inte TES. Du "
                    "behöver inte göra något.",
                    "Outside sites do not answer right now, but this does not affect TES. You "
                    "do not need to do anything.");
        return a;
    }
    escalate(a, d, cfg, now, l, ctx);
    if (a.restarted && restartCanHelp(d.domain))
        a.text = std::string(tr(l, "Datorn har redan startats om. ",
                                "The computer has already been restarted. ")) +
                 a.text;
    return a;
}

}  // namespace dk
