// [carelock]: the Carelock fault guide by time of day, and how its slots cover
// the days.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "config/load/sections.h"
#include "config/load/spelling.h"
#include "config/load/text.h"
#include "config/load/values.h"

namespace dk::config::load {

namespace {

// One step of a Carelock slot: what to do, and the numbers to call (`phone` is
// one number or a list of them, in order of preference).
bool readCarelockStep(const toml::table& t, Diagnostics& diag, std::vector<CarelockStep>& out) {
    TableReader r(t, "in [[carelock.slots.steps]]", diag, {"text", "text_en", "phone"});
    CarelockStep step;
    bool ok = r.string("text", step.text);
    ok = r.string("text_en", step.text_en) && ok;
    if (const toml::node* n = r.node("phone")) {
        if (const auto* s = n->as_string()) {
            if (!s->get().empty())
                step.phones.push_back(s->get());
        } else if (const auto* arr = n->as_array()) {
            for (const toml::node& e : *arr) {
                const auto* es = e.as_string();
                if (!es) {
                    ok = r.elementTypeError("phone", e, "a phone number");
                } else if (es->get().empty()) {
                    diag.error(e.source().begin,
                               "a phone number in 'phone' in [[carelock.slots.steps]] must not be "
                               "empty");
                    ok = false;
                } else {
                    step.phones.push_back(es->get());
                }
            }
        } else {
            ok = r.typeError("phone", *n, "a phone number or a list of phone numbers");
        }
    }
    if (ok && step.text.empty() && step.phones.empty()) {
        diag.error(t.source().begin,
                   "a step in [[carelock.slots.steps]] needs a 'text' or a 'phone'");
        ok = false;
    }
    out.push_back(std::move(step));
    return ok;
}

// One slot of the Carelock guide; returns false when anything in it is invalid.
bool readCarelockSlot(const toml::table& t, Diagnostics& diag, IdsSeen& seen,
                      std::vector<CarelockSlot>& out) {
    TableReader r(t, "in [[carelock.slots]]", diag, {"id", "days", "from", "to", "steps"});
    CarelockSlot slot;
    bool ok = readUniqueId(r, "Carelock slot", seen, slot.id);
    ok = r.require("days") && r.enumeration("days", kCarelockDays, slot.days) && ok;

    std::optional<TimeOfDay> from;
    std::optional<TimeOfDay> to;
    readRequiredTimeOfDay(r, "from", from);
    readRequiredTimeOfDay(r, "to", to);
    if (from && from->minutes == 24 * 60) {
        diag.error(r.at("from"),
                   "'from' in [[carelock.slots]] must be before 24:00; a slot "
                   "that starts at midnight starts at \"00:00\"");
        from.reset();
    }
    if (from && to && from->minutes == to->minutes) {
        diag.error(r.at("to"), "'to' (" + formatTimeOfDay(*to) +
                                   ") in [[carelock.slots]] must differ from 'from' (" +
                                   formatTimeOfDay(*from) +
                                   "); a slot whose 'to' is before its 'from' runs past "
                                   "midnight");
        to.reset();
    }
    ok = from && to && ok;
    if (from && to) {
        slot.from = *from;
        slot.to = *to;
    }

    if (r.require("steps")) {
        const toml::node& n = *r.node("steps");
        for (const toml::table* st : r.tables("steps", "[[carelock.slots.steps]]"))
            ok = readCarelockStep(*st, diag, slot.steps) && ok;
        if (slot.steps.empty()) {
            // A `steps` value of the wrong type has been reported already.
            if (n.as_array() && n.as_array()->empty())
                diag.error(n.source().begin,
                           r.subject("steps") + " is empty; a slot needs at least one step");
            ok = false;
        }
    } else {
        ok = false;
    }
    out.push_back(std::move(slot));
    return ok;
}

// "17:00–22:00"
std::string span(int from, int to) {
    return formatTimeOfDay({from}) + "–" + formatTimeOfDay({to});
}

std::string_view dayKindName(bool helg) {
    return helg ? "a weekend day or holiday (helg)" : "a weekday (vardag)";
}

// "'kvall'", "'kvall' and 'natt'", "'a', 'b' and 'c'"
std::string slotList(const std::vector<const CarelockSlot*>& slots) {
    std::string out;
    for (std::size_t i = 0; i < slots.size(); ++i)
        out += (i == 0 ? "" : i + 1 == slots.size() ? " and " : ", ") + quote(slots[i]->id);
    return out;
}

// A stretch of a day in which the same slots apply: none (a gap), one, or more
// (an overlap).
struct Stretch {
    int from = 0;
    int to = 0;
    std::vector<const CarelockSlot*> slots;

    bool operator==(const Stretch&) const = default;
};

// The stretches of a day of kind `helg` that follows a day of kind `helg_before`.
std::vector<Stretch> stretches(const Carelock& guide, bool helg, bool helg_before) {
    std::vector<Stretch> out;
    for (int minute = 0; minute < 24 * 60; ++minute) {
        std::vector<const CarelockSlot*> here;
        for (const CarelockSlot& s : guide.slots)
            if (s.covers(minute, helg) || s.coversAfterMidnight(minute, helg_before))
                here.push_back(&s);
        if (!out.empty() && out.back().slots == here)
            out.back().to = minute + 1;
        else
            out.push_back({minute, minute + 1, std::move(here)});
    }
    return out;
}

// Warns where the guide leaves a time of day without a slot, or gives it more
// than one. Each kind of day is walked twice, after each kind of day before it,
// since a slot that runs past midnight depends on the day it started on; what
// both walks find is reported once.
void checkCarelockCoverage(const Carelock& guide, const toml::source_position& at,
                           Diagnostics& diag) {
    for (const bool helg : {false, true}) {
        const std::vector<Stretch> after_vardag = stretches(guide, helg, false);
        const std::vector<Stretch> after_helg = stretches(guide, helg, true);
        const auto report = [&](const Stretch& s, std::string_view after) {
            const std::string when =
                span(s.from, s.to) + " on " + std::string(dayKindName(helg)) + std::string(after);
            if (s.slots.empty())
                diag.warning(at, "no Carelock slot covers " + when);
            else if (s.slots.size() > 1)
                diag.warning(at, "Carelock slots " + slotList(s.slots) + " overlap " + when);
        };
        const auto contains = [](const std::vector<Stretch>& all, const Stretch& s) {
            return std::find(all.begin(), all.end(), s) != all.end();
        };
        for (const Stretch& s : after_vardag)
            report(s, contains(after_helg, s) ? "" : " after " + std::string(dayKindName(false)));
        for (const Stretch& s : after_helg)
            if (!contains(after_vardag, s))
                report(s, " after " + std::string(dayKindName(true)));
    }
}

}  // namespace

void readCarelock(TableReader& top, Carelock& guide) {
    const toml::table* t = top.subTable("carelock");
    if (!t)
        return;
    TableReader r(*t, "in [carelock]", top.diag(), {"slots"});
    IdsSeen ids;
    bool ok = true;
    for (const toml::table* st : r.tables("slots", "[[carelock.slots]]"))
        ok = readCarelockSlot(*st, r.diag(), ids, guide.slots) && ok;
    if (ok && !guide.slots.empty())
        checkCarelockCoverage(guide, t->source().begin, r.diag());
}

}  // namespace dk::config::load
