// [[contacts]]: whom to call, with their opening hours ([[contacts.hours]]).
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "config/load/sections.h"
#include "config/load/spelling.h"
#include "config/load/text.h"
#include "config/load/values.h"

namespace dk::config::load {

namespace {

void readHoursRule(const toml::table& t, Diagnostics& diag, std::vector<HoursRule>& out) {
    TableReader r(t, "in [[contacts.hours]]", diag,
                  {"days", "open", "close", "breaks", "only_weekdays"});
    HoursRule rule;
    if (r.require("days"))
        readDays(r, rule.days);
    std::optional<TimeOfDay> open;
    std::optional<TimeOfDay> close;
    readRequiredTimeOfDay(r, "open", open);
    readRequiredTimeOfDay(r, "close", close);
    r.boolean("only_weekdays", rule.only_weekdays);
    // Breaks are checked against the opening hours only when those are valid.
    bool hours_ok = false;
    if (open && close) {
        rule.open = *open;
        rule.close = *close;
        hours_ok = open->minutes < close->minutes;
        if (!hours_ok)
            diag.error(r.at("close"), "'close' (" + formatTimeOfDay(*close) +
                                          ") in [[contacts.hours]] must be after 'open' (" +
                                          formatTimeOfDay(*open) + ")");
    }

    for (const toml::table* bt :
         r.tables("breaks", "breaks = [{from = \"12:00\", to = \"13:00\"}]")) {
        TableReader br(*bt, "in a break of [[contacts.hours]]", diag, {"from", "to"});
        std::optional<TimeOfDay> from;
        std::optional<TimeOfDay> to;
        const bool times_ok = br.require("from") && readTimeOfDay(br, "from", from) &&
                              br.require("to") && readTimeOfDay(br, "to", to);
        if (!times_ok)
            continue;
        const std::string span = formatTimeOfDay(*from) + "–" + formatTimeOfDay(*to);
        if (from->minutes >= to->minutes)
            diag.error(br.at("to"), "break " + span +
                                        " in [[contacts.hours]] must end after it "
                                        "starts");
        else if (hours_ok &&
                 (from->minutes < rule.open.minutes || to->minutes > rule.close.minutes))
            diag.error(bt->source().begin, "break " + span +
                                               " in [[contacts.hours]] is outside "
                                               "the opening hours " +
                                               formatTimeOfDay(rule.open) + "–" +
                                               formatTimeOfDay(rule.close));
        else
            rule.breaks.push_back({*from, *to});
    }
    out.push_back(std::move(rule));
}

void readContact(const toml::table& t, Diagnostics& diag, IdsSeen& seen,
                 std::vector<Contact>& out) {
    TableReader r(
        t, "in [[contacts]]", diag,
        {"id", "name", "phone", "phone_short", "menu", "email", "municipal_only", "note", "hours"});
    Contact c;
    readUniqueId(r, "contact", seen, c.id);
    if (r.require("name"))
        r.string("name", c.name);
    r.string("phone", c.phone);
    r.string("phone_short", c.phone_short);
    r.strings("menu", c.menu);
    r.string("email", c.email);
    r.boolean("municipal_only", c.municipal_only);
    r.string("note", c.note);
    for (const toml::table* h : r.tables("hours", "[[contacts.hours]]"))
        readHoursRule(*h, diag, c.hours);
    if (c.phone.empty() && c.phone_short.empty() && c.email.empty())
        diag.warning(t.source().begin, "contact " + quote(c.id) +
                                           " in [[contacts]] has no phone number and no e-mail "
                                           "address");
    out.push_back(std::move(c));
}

// Open at some minute of an ordinary week (Monday to Friday vardagar, no public
// holiday), by the same rules the agent's schedule follows; always without hours.
bool openSomeTime(const Contact& c) {
    if (c.hours.empty())
        return true;
    for (const HoursRule& rule : c.hours)
        for (int day = 1; day <= 7; ++day)
            if (rule.appliesOn(day, day <= 5))
                for (int minute = rule.open.minutes; minute < rule.close.minutes; ++minute)
                    if (!rule.inBreak(minute))
                        return true;
    return false;
}

}  // namespace

void readContacts(TableReader& top, std::vector<Contact>& out) {
    const std::size_t errors_before = top.diag().errorCount();
    IdsSeen ids;
    const std::vector<const toml::table*> tables = top.tables("contacts", "[[contacts]]");
    for (const toml::table* t : tables) readContact(*t, top.diag(), ids, out);
    // The advice names whom to call: without a contact it can name no one. Like
    // the missing [[systems]], a missing [[contacts]] is reported at the top of
    // the document; an empty array where it is written.
    const toml::node* n = top.node("contacts");
    if (out.empty() && (!n || (n->as_array() && n->as_array()->empty())))
        top.diag().warning(top.at("contacts"),
                           "inga [[contacts]] är konfigurerade: råden kan inte säga vem man ska "
                           "ringa / no [[contacts]] are configured: the advice cannot say whom "
                           "to call");
    // Hours that are wrong have been reported already; what they cover is moot.
    else if (!out.empty() && top.diag().errorCount() == errors_before &&
             std::none_of(out.begin(), out.end(), openSomeTime))
        top.diag().warning(tables.front()->source().begin,
                           "ingen kontakt i [[contacts]] har öppet någon timme i veckan: råden "
                           "kan inte säga vem man ska ringa / no contact in [[contacts]] is open "
                           "at any hour of the week: the advice cannot say whom to call");
}

}  // namespace dk::config::load
