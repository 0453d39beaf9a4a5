// [[systems]]: what to check, and the references to systems from other sections.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "config/durations.h"
#include "config/load/sections.h"
#include "config/load/spelling.h"
#include "config/load/text.h"
#include "config/load/values.h"

namespace dk::config::load {

namespace {

void readSystem(const toml::table& t, Diagnostics& diag, const Deadlines& deadlines, bool run_ok,
                IdsSeen& seen, std::vector<System>& out) {
    TableReader r(t, "in [[systems]]", diag,
                  {"id", "name", "role", "url", "host", "port", "accept_status", "expect_text",
                   "maintenance_text", "slow", "timeout", "follow_redirects"});
    System s;
    s.where = diag.loc(t.source().begin);
    readUniqueId(r, "system", seen, s.id);
    r.string("name", s.name);
    if (s.name.empty())
        s.name = s.id;
    if (r.require("role"))
        r.enumeration("role", kRoles, s.role);

    if (r.string("url", s.url) && !s.url.empty()) {
        const std::string problem = urlProblem(s.url, {"http", "https"});
        if (!problem.empty())
            diag.error(r.at("url"), "'url' in [[systems]]: " + problem);
    }
    r.string("host", s.host);
    std::int64_t port = 0;
    const bool has_port = r.node("port") != nullptr;
    if (r.integer("port", port) && has_port) {
        if (port < 1 || port > 65535)
            diag.error(r.at("port"), "'port' in [[systems]] must be between 1 and 65535, got " +
                                         std::to_string(port));
        else
            s.port = static_cast<std::uint16_t>(port);
    }
    if (!s.url.empty() && (!s.host.empty() || has_port))
        diag.error(r.at(s.host.empty() ? "port" : "host"),
                   "a system in [[systems]] has either 'url' or 'host' and 'port', not both");
    else if (!s.host.empty() && !has_port)
        diag.error(r.at("host"), "'host' in [[systems]] needs a 'port'");
    else if (s.host.empty() && has_port)
        diag.error(r.at("port"), "'port' in [[systems]] needs a 'host'");

    if (const toml::node* n = r.node("accept_status")) {
        if (const auto* arr = n->as_array()) {
            for (const toml::node& e : *arr) {
                const auto* code = e.as_integer();
                if (!code) {
                    r.elementTypeError("accept_status", e, "an HTTP status code");
                } else if (code->get() < 100 || code->get() > 599) {
                    diag.error(e.source().begin, "HTTP status " + std::to_string(code->get()) +
                                                     " in 'accept_status' in [[systems]] must "
                                                     "be between 100 and 599");
                } else {
                    s.accept_status.push_back(static_cast<int>(code->get()));
                }
            }
        } else {
            r.typeError("accept_status", *n, "an array of HTTP status codes");
        }
    }
    r.string("expect_text", s.expect_text);
    r.strings("maintenance_text", s.maintenance_text);
    const bool slow_ok = r.duration("slow", s.slow);
    const bool timeout_ok = r.duration("timeout", s.timeout);
    r.boolean("follow_redirects", s.follow_redirects);

    if (slow_ok && timeout_ok && s.slow >= s.timeout)
        diag.error(r.node("slow") ? r.at("slow") : r.at("timeout"),
                   "'slow' (" + formatDuration(s.slow) +
                       ") in [[systems]] must be shorter "
                       "than 'timeout' (" +
                       formatDuration(s.timeout) + ")");
    if (timeout_ok && run_ok && s.timeout > deadlines.run)
        diag.warning(r.at("timeout"), "'timeout' (" + formatDuration(s.timeout) +
                                          ") in [[systems]] is longer than the whole run "
                                          "(deadlines.run = " +
                                          formatDuration(deadlines.run) +
                                          "); the run's deadline cuts it short");
    out.push_back(std::move(s));
}

// The distinct system ids, in file order, for messages and suggestions.
std::vector<std::string_view> systemIds(const Config& c) {
    std::vector<std::string_view> ids;
    for (const System& s : c.systems)
        if (std::find(ids.begin(), ids.end(), s.id) == ids.end())
            ids.push_back(s.id);
    return ids;
}

}  // namespace

void readSystems(TableReader& top, Config& c, bool run_ok) {
    IdsSeen ids;
    for (const toml::table* t : top.tables("systems", "[[systems]]"))
        readSystem(*t, top.diag(), c.deadlines, run_ok, ids, c.systems);
    // Reported at the top of the document (the position of the table the key is absent from).
    if (c.systems.empty() && !top.node("systems"))
        top.diag().warning(top.at("systems"),
                           "no [[systems]] are configured: there is nothing to "
                           "check");
}

void unknownSystem(Diagnostics& diag, const toml::source_position& at, std::string_view what,
                   const std::string& id, const Config& c) {
    const auto ids = systemIds(c);
    diag.error(at,
               std::string(what) + ": " + quote(id) + " names no system; systems: " +
                   (ids.empty() ? std::string("none") : joined(ids)),
               closest(id, ids));
}

}  // namespace dk::config::load
