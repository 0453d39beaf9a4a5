// The single tables of the schema: [deadlines], [network], [clock], [holidays], [agent].
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "config/durations.h"
#include "config/load/sections.h"
#include "config/load/spelling.h"
#include "config/load/text.h"
#include "config/load/values.h"

namespace dk::config::load {

bool readDeadlines(TableReader& top, Deadlines& d) {
    const toml::table* t = top.subTable("deadlines");
    if (!t)
        return top.node("deadlines") == nullptr;
    TableReader r(*t, "in [deadlines]", top.diag(),
                  {"run", "local", "confirm_delay", "confirm_failures"});
    const bool run_ok = r.duration("run", d.run);
    const bool local_ok = r.duration("local", d.local);
    r.duration("confirm_delay", d.confirm_delay);
    r.boolean("confirm_failures", d.confirm_failures);
    if (run_ok && local_ok && d.local >= d.run)
        r.diag().error(r.at("local"), "'local' (" + formatDuration(d.local) +
                                          ") in [deadlines] must be shorter than 'run' (" +
                                          formatDuration(d.run) + ")");
    return run_ok;
}

void readNetwork(TableReader& top, Network& n) {
    const toml::table* t = top.subTable("network");
    if (!t)
        return;
    TableReader r(
        *t, "in [network]", top.diag(),
        {"nameservers", "proxy", "no_proxy", "ca_file", "dns_slow", "cert_expiry_warn_days"});
    if (r.strings("nameservers", n.nameservers) && r.node("nameservers")) {
        const toml::array& arr = *r.node("nameservers")->as_array();
        for (std::size_t i = 0; i < n.nameservers.size(); ++i) {
            if (validNameserver(n.nameservers[i]))
                continue;
            r.diag().error(arr[i].source().begin,
                           "name server " + quote(n.nameservers[i]) +
                               " in [network] is not an IP address; write e.g. \"10.0.0.53\", "
                               "\"10.0.0.53:5353\" or \"[2001:db8::53]:53\"");
        }
    }
    if (r.string("proxy", n.proxy) && !n.proxy.empty()) {
        const std::string problem =
            urlProblem(n.proxy, {"http", "https", "socks4", "socks4a", "socks5", "socks5h"});
        if (!problem.empty())
            r.diag().error(r.at("proxy"), "'proxy' in [network]: " + problem);
    }
    r.string("no_proxy", n.no_proxy);
    if (r.string("ca_file", n.ca_file) && !n.ca_file.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(n.ca_file, ec))
            r.diag().warning(r.at("ca_file"), "'ca_file' in [network]: " + quote(n.ca_file) +
                                                  " is not a file on this computer");
    }
    r.duration("dns_slow", n.dns_slow);
    std::int64_t days = n.cert_expiry_warn_days;
    if (r.integer("cert_expiry_warn_days", days)) {
        if (days < 0 || days > 3650)
            r.diag().error(r.at("cert_expiry_warn_days"),
                           "'cert_expiry_warn_days' in [network] must be between 0 and 3650, "
                           "got " +
                               std::to_string(days));
        else
            n.cert_expiry_warn_days = static_cast<int>(days);
    }
}

void readClock(TableReader& top, Config& c) {
    const toml::table* t = top.subTable("clock");
    if (!t)
        return;
    TableReader r(*t, "in [clock]", top.diag(), {"reference", "warn", "fail"});
    if (r.string("reference", c.clock.reference) && !c.clock.reference.empty()) {
        const System* s = c.findSystem(c.clock.reference);
        if (!s)
            unknownSystem(r.diag(), r.at("reference"), "'reference' in [clock]", c.clock.reference,
                          c);
        else if (!s->host.empty())
            r.diag().error(r.at("reference"),
                           "'reference' in [clock] must be a system with a 'url': the clock is "
                           "compared with the Date header of its HTTP answer");
    }
    // The model keeps whole seconds; refuse what would be silently rounded.
    const auto readSeconds = [&r](std::string_view key, std::chrono::seconds& out) {
        Millis ms = out;
        if (!r.duration(key, ms))
            return false;
        if (ms.count() % 1000 != 0) {
            r.diag().error(r.at(key), r.subject(key) + " must be a whole number of seconds");
            return false;
        }
        out = std::chrono::duration_cast<std::chrono::seconds>(ms);
        return true;
    };
    const bool warn_ok = readSeconds("warn", c.clock.warn);
    const bool fail_ok = readSeconds("fail", c.clock.fail);
    if (warn_ok && fail_ok && c.clock.warn >= c.clock.fail)
        r.diag().error(r.node("fail") ? r.at("fail") : r.at("warn"),
                       "'warn' (" + formatDuration(c.clock.warn) +
                           ") in [clock] must be "
                           "shorter than 'fail' (" +
                           formatDuration(c.clock.fail) + ")");
}

void readHolidays(TableReader& top, Holidays& h) {
    const toml::table* t = top.subTable("holidays");
    if (!t)
        return;
    TableReader r(
        *t, "in [holidays]", top.diag(),
        {"midsummer_eve_closed", "christmas_eve_closed", "new_years_eve_closed", "extra_closed"});
    r.boolean("midsummer_eve_closed", h.midsummer_eve_closed);
    r.boolean("christmas_eve_closed", h.christmas_eve_closed);
    r.boolean("new_years_eve_closed", h.new_years_eve_closed);
    const toml::node* n = r.node("extra_closed");
    if (!n)
        return;
    const auto* arr = n->as_array();
    if (!arr) {
        r.typeError("extra_closed", *n, "an array of dates such as [2026-12-28]");
        return;
    }
    for (const toml::node& e : *arr) {
        if (const auto* d = e.as_date())
            h.extra_closed.push_back(formatDate(d->get()));
        else
            r.elementTypeError("extra_closed", e, "a date without quotes, such as 2026-12-28");
    }
}

void readAgent(TableReader& top, AgentSettings& a) {
    const toml::table* t = top.subTable("agent");
    if (!t)
        return;
    TableReader r(*t, "in [agent]", top.diag(),
                  {"interval", "debounce", "history_max_runs", "history_max_age",
                   "metrics_textfile", "site"});
    if (r.duration("interval", a.interval) && a.interval < std::chrono::seconds(10))
        r.diag().error(r.at("interval"),
                       "'interval' in [agent] must be at least 10s: the agent runs the whole "
                       "checklist each time");
    r.duration("debounce", a.debounce);
    std::int64_t runs = a.history_max_runs;
    if (r.integer("history_max_runs", runs)) {
        if (runs < 1 || runs > 1000000)
            r.diag().error(r.at("history_max_runs"),
                           "'history_max_runs' in [agent] must be between 1 and 1000000");
        else
            a.history_max_runs = static_cast<int>(runs);
    }
    r.duration("history_max_age", a.history_max_age);
    if (r.string("metrics_textfile", a.metrics_textfile) && !a.metrics_textfile.empty() &&
        a.metrics_textfile.front() != '/')
        r.diag().error(r.at("metrics_textfile"),
                       "'metrics_textfile' in [agent] must be an absolute path");
    r.string("site", a.site);
}

}  // namespace dk::config::load
