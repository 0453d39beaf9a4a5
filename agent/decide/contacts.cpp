#include "agent/decide/contacts.h"

#include <cstdio>
#include <sstream>

#include "agent/decide/advice.h"

namespace dk {

namespace {

std::string hhmm(const LocalTime& t) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return buf;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty())
            out += sep;
        out += s;
    }
    return out;
}

// "019-21 20 00, tryck 3, sedan 1 · vardochstod@orebro.se"
std::string reachText(const config::Contact& c, Lang l) {
    std::string t = c.phone;
    if (!c.menu.empty())
        t += std::string(tr(l, ", tryck ", ", press ")) +
             joined(c.menu, tr(l, ", sedan ", ", then "));
    if (!c.email.empty())
        t += " · " + c.email;
    return t;
}

std::string stateText(const LineNow& line, Lang l) {
    const auto& s = line.status;
    std::string t;
    if (s.open)
        t = std::string(tr(l, "ÖPPET", "OPEN")) +
            (s.closes ? std::string(tr(l, " till ", " until ")) + hhmm(*s.closes) : "");
    else if (s.on_break && s.next_open)
        t = std::string(tr(l, "PAUS – öppnar igen ", "BREAK – opens again at ")) +
            hhmm(*s.next_open);
    else
        t = std::string(tr(l, "STÄNGT", "CLOSED")) +
            (s.next_open
                 ? std::string(tr(l, " – öppnar ", " – opens ")) + formatWhen(*s.next_open, l)
                 : "");
    return t;
}

Json optionalTime(const std::optional<LocalTime>& t) {
    return t ? Json(t->iso()) : Json();
}

}  // namespace

ContactsNow contactsNow(const config::Config& cfg, const LocalTime& now,
                        const SwedishCalendar& cal) {
    ContactsNow c;
    c.now = now;
    c.day = cal.day(Date::of(now));
    const bool municipal = cfg.organisation == config::Organisation::municipal;
    for (const auto& contact : cfg.contacts) {
        if (contact.id == "oncall") {
            c.oncall = &contact;
            c.oncall_for_this_user = municipal;
            continue;
        }
        if (contact.hours.empty())
            continue;
        c.lines.push_back({&contact, lineStatus(contact, now, cal, cfg.timezone),
                           municipal || !contact.municipal_only});
    }
    c.carelock = carelockNow(cfg.carelock, now, cal);
    return c;
}

Json contactsJson(const ContactsNow& c, Lang l) {
    Json j;
    j["at"] = c.now.iso();
    j["day"] = {{"date", c.day.date.iso()},
                {"vardag", c.day.kind == DayKind::vardag},
                {"name", l == Lang::sv ? c.day.name_sv : c.day.name_en},
                {"before_holiday", c.day.before_holiday}};
    Json lines = Json::array();
    bool any_closed = false;
    for (const auto& line : c.lines) {
        const auto& k = *line.contact;
        if (!line.status.open && !line.status.on_break && line.for_this_user)
            any_closed = true;
        lines.push_back({{"id", k.id},
                         {"name", k.name},
                         {"phone", k.phone},
                         {"menu", k.menu},
                         {"email", k.email},
                         {"municipal_only", k.municipal_only},
                         {"for_this_user", line.for_this_user},
                         {"open", line.status.open},
                         {"on_break", line.status.on_break},
                         {"closes", optionalTime(line.status.closes)},
                         {"next_open", optionalTime(line.status.next_open)},
                         {"before_holiday", line.status.before_holiday},
                         {"status_text", stateText(line, l)}});
    }
    j["lines"] = lines;
    if (c.oncall) {
        j["oncall"] = {
            {"name", c.oncall->name},
            {"phone", c.oncall->phone_short.empty() ? c.oncall->phone : c.oncall->phone_short},
            {"for_this_user", c.oncall_for_this_user},
            {"covers_now", c.oncall_for_this_user && any_closed},
            {"condition", tr(l, "om det är akut och inte kan vänta till nästa vardag",
                             "if it is urgent and cannot wait until the next weekday")},
            {"not_for", {"password", "external_provider"}}};
    } else {
        j["oncall"] = Json();
    }
    if (c.carelock.slot) {
        Json steps = Json::array();
        for (const auto& s : c.carelock.slot->steps)
            steps.push_back({{"text", l == Lang::en && !s.text_en.empty() ? s.text_en : s.text},
                             {"phones", s.phones}});
        j["carelock"] = {
            {"slot", c.carelock.slot->id}, {"day_kind", c.carelock.day_kind}, {"steps", steps}};
    } else {
        j["carelock"] = Json();
    }
    return j;
}

std::string contactsText(const ContactsNow& c, Lang l) {
    std::ostringstream out;
    out << tr(l, "Vem ringer du nu? ", "Whom do you call now? ") << "(" << formatWhen(c.now, l)
        << ")\n";
    const std::string day_name = l == Lang::sv ? c.day.name_sv : c.day.name_en;
    if (!day_name.empty())
        out << day_name << "\n";
    if (c.day.before_holiday)
        out << tr(l, "Dagen före en helgdag: öppettiderna kan vara kortare.",
                  "The day before a public holiday: the hours may be shorter.")
            << "\n";
    out << "\n";
    bool any_closed = false;
    for (const auto& line : c.lines) {
        const auto& k = *line.contact;
        out << k.name << ": " << stateText(line, l) << "\n    " << reachText(k, l) << "\n";
        if (!line.for_this_user)
            out << "    " << tr(l, "Bara för kommunanställda.", "Municipal employees only.")
                << "\n";
        else if (!line.status.open && !line.status.on_break)
            any_closed = true;
    }
    if (c.oncall) {
        const auto& k = *c.oncall;
        out << "\n"
            << k.name << ": " << (k.phone_short.empty() ? k.phone : k.phone_short) << "\n    ";
        if (!c.oncall_for_this_user)
            out << tr(l, "Gäller inte externa utförare – kontakta din egen organisation.",
                      "Does not cover external providers – contact your own organisation.");
        else if (any_closed)
            out << tr(l,
                      "Nu, om det är akut och inte kan vänta till nästa vardag. Inte för "
                      "lösenord eller upplåsning av konton.",
                      "Now, if it is urgent and cannot wait until the next weekday. Not for "
                      "passwords or unlocking accounts.");
        else
            out << tr(l, "Inte nu: kontoret är öppet.", "Not now: the office is open.");
        out << "\n";
    }
    if (c.carelock.slot) {
        out << "\n" << tr(l, "Fel på Carelock just nu:", "Carelock fault right now:") << "\n";
        int n = 1;
        for (const auto& s : c.carelock.slot->steps) {
            out << "    " << n++ << ". "
                << (l == Lang::en && !s.text_en.empty() ? s.text_en : s.text);
            out << "\n";
            if (!s.phones.empty())
                out << "       " << tr(l, "Tel: ", "Phone: ")
                    << joined(s.phones, tr(l, " eller ", " or ")) << "\n";
        }
    }
    return out.str();
}

}  // namespace dk
