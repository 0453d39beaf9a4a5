// renderToml: the model back to TOML, for `driftkoll config show`.
#include <charconv>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "config/durations.h"
#include "config/load/spelling.h"
#include "config/loader.h"

namespace dk::config {

namespace {

using load::formatTimeOfDay;
using load::kCarelockDays;
using load::kDayNames;
using load::kOrganisations;
using load::kRoles;
using load::nameOf;
using load::parseTimeOfDay;

toml::array stringArray(const std::vector<std::string>& values) {
    toml::array a;
    for (const auto& v : values) a.push_back(v);
    return a;
}

// "mon-fri" for a run of days, "fri" for one day, else a list.
void insertDays(toml::table& t, const std::vector<int>& days) {
    const auto name = [](int d) {
        return std::string(kDayNames.at(static_cast<std::size_t>(d - 1)));
    };
    const bool consecutive =
        !days.empty() && days.back() - days.front() + 1 == static_cast<int>(days.size());
    if (days.size() == 1) {
        t.insert("days", name(days.front()));
    } else if (consecutive) {
        t.insert("days", name(days.front()) + "-" + name(days.back()));
    } else {
        toml::array a;
        for (int d : days) a.push_back(name(d));
        t.insert("days", std::move(a));
    }
}

// "2026-12-01" / "2026-12-01T09:00" back to TOML values; a string that does not
// have that shape (a model not filled by the loader) is written as a string.
std::optional<toml::date> parseDate(std::string_view s) {
    int y = 0;
    int m = 0;
    int d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    if (std::from_chars(s.data(), s.data() + 4, y).ptr != s.data() + 4 ||
        std::from_chars(s.data() + 5, s.data() + 7, m).ptr != s.data() + 7 ||
        std::from_chars(s.data() + 8, s.data() + 10, d).ptr != s.data() + 10)
        return std::nullopt;
    return toml::date{y, m, d};
}

void insertDate(toml::array& a, const std::string& s) {
    if (const auto d = parseDate(s))
        a.push_back(*d);
    else
        a.push_back(s);
}

void insertDateTime(toml::table& t, std::string_view key, const std::string& s) {
    const auto d = parseDate(std::string_view(s).substr(0, 10));
    const auto tod = s.size() == 16 && s[10] == 'T' ? parseTimeOfDay(std::string_view(s).substr(11))
                                                    : std::nullopt;
    if (d && tod && tod->minutes < 24 * 60)
        t.insert(key, toml::date_time{*d, toml::time{tod->minutes / 60, tod->minutes % 60}});
    else
        t.insert(key, s);
}

}  // namespace

std::string renderToml(const Config& c) {
    toml::table root;
    root.insert("profile", c.profile);
    root.insert("organisation", std::string(nameOf(kOrganisations, c.organisation)));
    root.insert("timezone", c.timezone);

    root.insert("deadlines",
                toml::table{{"run", formatDuration(c.deadlines.run)},
                            {"local", formatDuration(c.deadlines.local)},
                            {"confirm_delay", formatDuration(c.deadlines.confirm_delay)},
                            {"confirm_failures", c.deadlines.confirm_failures}});

    root.insert("network", toml::table{{"nameservers", stringArray(c.network.nameservers)},
                                       {"proxy", c.network.proxy},
                                       {"no_proxy", c.network.no_proxy},
                                       {"ca_file", c.network.ca_file},
                                       {"dns_slow", formatDuration(c.network.dns_slow)},
                                       {"cert_expiry_warn_days", c.network.cert_expiry_warn_days}});

    root.insert("clock", toml::table{{"reference", c.clock.reference},
                                     {"warn", formatDuration(c.clock.warn)},
                                     {"fail", formatDuration(c.clock.fail)}});

    root.insert("agent", toml::table{{"interval", formatDuration(c.agent.interval)},
                                     {"debounce", formatDuration(c.agent.debounce)},
                                     {"history_max_runs", c.agent.history_max_runs},
                                     {"history_max_age", formatDuration(c.agent.history_max_age)},
                                     {"metrics_textfile", c.agent.metrics_textfile},
                                     {"site", c.agent.site}});

    toml::array systems;
    for (const System& s : c.systems) {
        toml::table t{{"id", s.id},
                      {"name", s.name},
                      {"role", std::string(nameOf(kRoles, s.role))},
                      {"url", s.url},
                      {"host", s.host},
                      {"expect_text", s.expect_text},
                      {"maintenance_text", stringArray(s.maintenance_text)},
                      {"slow", formatDuration(s.slow)},
                      {"timeout", formatDuration(s.timeout)},
                      {"follow_redirects", s.follow_redirects}};
        if (s.port != 0)
            t.insert("port", static_cast<std::int64_t>(s.port));
        toml::array status;
        for (int code : s.accept_status) status.push_back(code);
        t.insert("accept_status", std::move(status));
        systems.push_back(std::move(t));
    }
    root.insert("systems", std::move(systems));

    toml::array contacts;
    for (const Contact& k : c.contacts) {
        toml::table t{{"id", k.id},
                      {"name", k.name},
                      {"phone", k.phone},
                      {"phone_short", k.phone_short},
                      {"menu", stringArray(k.menu)},
                      {"email", k.email},
                      {"municipal_only", k.municipal_only},
                      {"note", k.note}};
        toml::array hours;
        for (const HoursRule& h : k.hours) {
            toml::table ht{{"open", formatTimeOfDay(h.open)},
                           {"close", formatTimeOfDay(h.close)},
                           {"only_weekdays", h.only_weekdays}};
            insertDays(ht, h.days);
            toml::array breaks;
            for (const Break& b : h.breaks) {
                toml::table bt{{"from", formatTimeOfDay(b.from)}, {"to", formatTimeOfDay(b.to)}};
                bt.is_inline(true);
                breaks.push_back(std::move(bt));
            }
            ht.insert("breaks", std::move(breaks));
            hours.push_back(std::move(ht));
        }
        t.insert("hours", std::move(hours));
        contacts.push_back(std::move(t));
    }
    root.insert("contacts", std::move(contacts));

    toml::array slots;
    for (const CarelockSlot& slot : c.carelock.slots) {
        toml::table t{{"id", slot.id},
                      {"days", std::string(nameOf(kCarelockDays, slot.days))},
                      {"from", formatTimeOfDay(slot.from)},
                      {"to", formatTimeOfDay(slot.to)}};
        toml::array steps;
        for (const CarelockStep& step : slot.steps) {
            toml::table st{{"text", step.text}, {"text_en", step.text_en}};
            if (step.phones.size() == 1)
                st.insert("phone", step.phones.front());
            else
                st.insert("phone", stringArray(step.phones));
            steps.push_back(std::move(st));
        }
        t.insert("steps", std::move(steps));
        slots.push_back(std::move(t));
    }
    root.insert("carelock", toml::table{{"slots", std::move(slots)}});

    toml::array extra;
    for (const std::string& d : c.holidays.extra_closed) insertDate(extra, d);
    root.insert("holidays", toml::table{{"midsummer_eve_closed", c.holidays.midsummer_eve_closed},
                                        {"christmas_eve_closed", c.holidays.christmas_eve_closed},
                                        {"new_years_eve_closed", c.holidays.new_years_eve_closed},
                                        {"extra_closed", std::move(extra)}});

    toml::array windows;
    for (const MaintenanceWindow& w : c.maintenance.windows) {
        toml::table t{{"systems", stringArray(w.systems)}, {"title", w.title}};
        insertDateTime(t, "start", w.start);
        insertDateTime(t, "end", w.end);
        windows.push_back(std::move(t));
    }
    root.insert("maintenance",
                toml::table{{"ics", c.maintenance.ics}, {"windows", std::move(windows)}});

    std::ostringstream out;
    out << "# driftkoll: effektiv konfiguration\n"
        << "# Källa: " << c.source << "\n\n"
        << toml::toml_formatter{root} << "\n";
    return out.str();
}

}  // namespace dk::config
