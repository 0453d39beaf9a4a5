#include "agent/resident/metrics.h"


#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "agent/resident/metrics_exposition.h"
#include "agent/version.h"

namespace dk {

namespace {

using metrics::Exposition;
using metrics::Labels;

// The phases of an attempt that get their own series, in the order they happen.
constexpr std::string_view kPhases[] = {"dns", "connect", "tls", "first_byte"};

// Unix seconds of "2026-11-25T12:00:00Z" or "2026-11-25T12:00:00.123Z" (UTC, as
// the report and the TLS evidence write them); nullopt for anything else.
std::optional<double> unixSeconds(std::string_view iso) {
    auto number = [&iso](std::size_t pos, std::size_t len, int& out) {
        if (pos + len > iso.size())
            return false;
        const char* first = iso.data() + pos;
        const auto res = std::from_chars(first, first + len, out);
        return res.ec == std::errc() && res.ptr == first + len;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (iso.size() < 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' ||
        iso[16] != ':' || iso.back() != 'Z' || !number(0, 4, y) || !number(5, 2, mo) ||
        !number(8, 2, d) || !number(11, 2, h) || !number(14, 2, mi) || !number(17, 2, s))
        return std::nullopt;
    double fraction = 0;
    if (iso.size() > 20) {
        // ".123Z": a fraction of a second.
        const std::string_view digits = iso.substr(20, iso.size() - 21);
        if (iso[19] != '.' || digits.empty())
            return std::nullopt;
        double scale = 0.1;
        for (char c : digits) {
            if (c < '0' || c > '9')
                return std::nullopt;
            fraction += (c - '0') * scale;
            scale /= 10;
        }
    } else if (iso[19] != 'Z') {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(y),
                                           std::chrono::month(static_cast<unsigned>(mo)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok() || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    const auto at = std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) +
                    std::chrono::seconds(s);
    return static_cast<double>(at.time_since_epoch().count()) + fraction;
}

std::string_view roleName(config::Role r) {
    switch (r) {
        case config::Role::primary:
            return "primary";
        case config::Role::business:
            return "business";
        case config::Role::internal:
            return "internal";
        case config::Role::outside:
            return "outside";
    }
    return "";
}

// A configured system's check, as the probe_* families see it.
struct SystemSeries {
    const Check* check;
    std::string role;
    bool configured;
};

std::vector<SystemSeries> systemSeries(const Outcome& o) {
    std::vector<SystemSeries> out;
    for (const auto& c : o.run.checks) {
        if (c.system.empty() || (c.kind != "http" && c.kind != "tcp"))
            continue;
        const auto& verdicts = o.diagnosis.per_system;
        const auto v = std::find_if(verdicts.begin(), verdicts.end(),
                                    [&c](const SystemVerdict& sv) { return sv.id == c.system; });
        const std::string role(v != verdicts.end() ? roleName(v->role) : "");
        out.push_back({&c, role, !c.has(Problem::not_configured)});
    }
    return out;
}

// The notAfter of the newest certificate seen for this check, in unix seconds.
std::optional<double> certExpiry(const Check& c) {
    for (auto a = c.attempts.rbegin(); a != c.attempts.rend(); ++a) {
        const auto tls = a->evidence.find("tls");
        if (tls == a->evidence.end() || !tls->is_object())
            continue;
        const auto not_after = tls->find("not_after");
        if (not_after != tls->end() && not_after->is_string())
            if (auto t = unixSeconds(not_after->get<std::string>()))
                return t;
    }
    return std::nullopt;
}

void systemFamilies(Exposition& e, const std::vector<SystemSeries>& systems) {
    e.gauge("driftkoll_system_configured",
            "Whether the system has an endpoint to check (0: not configured, no probe series).");
    for (const auto& s : systems)
        e.sample({{"system", s.check->system}, {"role", s.role}}, s.configured ? 1 : 0);

    e.gauge("probe_success",
            "Whether the system worked from this workstation in the last run (1 pass or warn, "
            "0 failed or not attempted).");
    for (const auto& s : systems) {
        if (!s.configured)
            continue;
        const Status st = s.check->status;
        e.sample({{"system", s.check->system}, {"role", s.role}, {"kind", s.check->kind}},
                 st == Status::pass || st == Status::warn ? 1 : 0);
    }

    e.gauge("probe_duration_seconds", "How long the last attempt at the system took.");
    for (const auto& s : systems) {
        const ProbeResult* last = s.check->last();
        if (!s.configured || !last)
            continue;
        const auto total = last->timings_ms.find("total");
        const double ms = total != last->timings_ms.end() ? total->second : last->duration_ms;
        e.sample({{"system", s.check->system}}, ms / 1000.0);
    }

    e.gauge("probe_phase_duration_seconds",
            "Duration of each phase of the last attempt at the system, as far as it got.");
    for (const auto& s : systems) {
        const ProbeResult* last = s.check->last();
        if (!s.configured || !last)
            continue;
        for (std::string_view phase : kPhases)
            if (const auto t = last->timings_ms.find(std::string(phase));
                t != last->timings_ms.end())
                e.sample({{"system", s.check->system}, {"phase", phase}}, t->second / 1000.0);
    }

    e.gauge("probe_http_status_code",
            "The final HTTP status of the last attempt, 0 when no answer came.");
    for (const auto& s : systems) {
        const ProbeResult* last = s.check->last();
        if (!s.configured || !last || s.check->kind != "http")
            continue;
        const auto code = last->evidence.find("status_code");
        const bool known = code != last->evidence.end() && code->is_number();
        e.sample({{"system", s.check->system}}, known ? code->get<double>() : 0);
    }

    e.gauge("probe_ip_protocol", "The IP version the last attempt used (4 or 6).");
    for (const auto& s : systems) {
        const ProbeResult* last = s.check->last();
        if (!s.configured || !last)
            continue;
        const auto family = last->evidence.find("family");
        if (family == last->evidence.end() || !family->is_string())
            continue;
        const std::string f = family->get<std::string>();
        if (f == "ipv4" || f == "ipv6")
            e.sample({{"system", s.check->system}}, f == "ipv4" ? 4 : 6);
    }

    e.gauge("probe_ssl_earliest_cert_expiry",
            "When the system's server certificate expires (notAfter), in unix seconds.");
    for (const auto& s : systems)
        if (s.configured)
            if (auto t = certExpiry(*s.check))
                e.sample({{"system", s.check->system}}, *t);
}

void runFamilies(Exposition& e, const Outcome& o) {
    e.gauge("driftkoll_diagnosis", "The current diagnosis.domain (the report contract), as 1.");
    e.sample({{"domain", to_string(o.diagnosis.domain)}}, 1);

    e.gauge("driftkoll_advice", "The current advice.action (the report contract), as 1.");
    e.sample({{"action", to_string(o.advice.action)}}, 1);

    e.gauge("driftkoll_check_duration_seconds", "How long the last run took.");
    e.sample(o.run.duration_ms / 1000.0);

    e.gauge("driftkoll_last_run_timestamp_seconds", "When the last run started (unix time).");
    if (auto started = unixSeconds(o.run.started_at))
        e.sample(*started);

    e.gauge("driftkoll_incident_open", "Whether a problem is ongoing (an open incident).");
    e.sample(o.incident ? 1 : 0);

    e.gauge("driftkoll_incident_restarts",
            "How many times the workstation was restarted during the open incident.");
    e.sample(o.incident ? o.incident->restarts() : 0);

    e.gauge("driftkoll_build_info", "The driftkoll version, as a label.");
    e.sample({{"version", kVersion}}, 1);
}

}  // namespace

std::string metricsText(const Outcome& outcome, const MetricsLabels& labels) {
    Exposition e(labels);
    systemFamilies(e, systemSeries(outcome));
    runFamilies(e, outcome);
    metrics::upFamily(e, true);
    return e.take();
}

}  // namespace dk
