#include "config/load/values.h"

#include <curl/curl.h>
#include "platform/socket_api.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <set>
#include <system_error>

#include "config/load/spelling.h"
#include "config/load/text.h"

namespace dk::config::load {

namespace {

// Ids appear in the JSON report and in references between sections: keep them plain.
bool readId(TableReader& r, std::string_view what, std::string& out) {
    if (!r.require("id") || !r.string("id", out))
        return false;
    const bool plain = !out.empty() && std::all_of(out.begin(), out.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
    if (!plain)
        r.diag().error(r.at("id"), std::string(what) + " id " + quote(out) +
                                       " must be non-empty and use only a-z, 0-9, '_' and '-'");
    return plain;
}

// One entry of `days`: "fri" or an ascending range "mon-fri". Adds the day
// numbers to `out`, or reports what is wrong at `at`.
bool addDays(TableReader& r, std::string_view spec, const toml::source_position& at,
             std::set<int>& out) {
    const std::vector<std::string_view> names(kDayNames.begin(), kDayNames.end());
    const auto day = [&](std::string_view name) -> int {
        const std::string l = lower(name);
        const auto it = std::find(kDayNames.begin(), kDayNames.end(), l);
        if (it != kDayNames.end())
            return static_cast<int>(it - kDayNames.begin()) + 1;
        r.diag().error(at,
                       "unknown day " + quote(name) + " in 'days' " + r.context() +
                           "; use mon, tue, wed, thu, fri, sat, sun, or a range such as "
                           "\"mon-fri\"",
                       closest(name, names));
        return 0;
    };
    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) {
        const int d = day(spec);
        if (d)
            out.insert(d);
        return d != 0;
    }
    const int first = day(spec.substr(0, dash));
    const int last = day(spec.substr(dash + 1));
    if (!first || !last)
        return false;
    if (first > last) {
        r.diag().error(at, "day range " + quote(spec) + " in 'days' " + r.context() +
                               " must run forwards within a week (mon to sun)");
        return false;
    }
    for (int d = first; d <= last; ++d) out.insert(d);
    return true;
}

}  // namespace

bool readUniqueId(TableReader& r, std::string_view what, IdsSeen& seen, std::string& out) {
    if (!readId(r, what, out))
        return false;
    const auto [first, inserted] = seen.emplace(out, r.at("id"));
    if (!inserted)
        r.diag().error(r.at("id"), "duplicate " + std::string(what) + " id " + quote(out) +
                                       " (first on line " + std::to_string(first->second.line) +
                                       ")");
    return inserted;
}

std::string urlProblem(const std::string& url, const std::vector<std::string_view>& schemes) {
    const std::unique_ptr<CURLU, void (*)(CURLU*)> h(curl_url(), curl_url_cleanup);
    if (!h)
        return "cannot check the URL (out of memory)";
    const CURLUcode rc =
        curl_url_set(h.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME);
    std::string expected = "a URL starting with ";
    for (std::size_t i = 0; i < schemes.size(); ++i)
        expected += (i == 0                    ? ""
                     : i + 1 == schemes.size() ? " or "
                                               : ", ") +
                    std::string(schemes[i]) + "://";
    if (rc != CURLUE_OK)
        return quote(url) + " is not " + expected + " (" + lowerFirst(curl_url_strerror(rc)) + ")";

    const auto part = [&h](CURLUPart which) -> std::optional<std::string> {
        char* value = nullptr;
        if (curl_url_get(h.get(), which, &value, 0) != CURLUE_OK)
            return std::nullopt;
        std::string s(value);
        curl_free(value);
        return s;
    };
    const std::string scheme = lower(part(CURLUPART_SCHEME).value_or(""));
    if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end())
        return quote(url) + " is not " + expected;
    if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD))
        return quote(url) + " must not contain a user name or password";
    if (part(CURLUPART_PORT) == "0")
        return quote(url) + ": port 0 is not a valid port";
    return {};
}

bool validNameserver(std::string_view s) {
    const auto isIp = [](std::string_view addr, int family) {
        unsigned char buf[sizeof(in6_addr)];
        return inet_pton(family, std::string(addr).c_str(), buf) == 1;
    };
    const auto isPort = [](std::string_view p) {
        unsigned port = 0;
        const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
        return ec == std::errc{} && ptr == p.data() + p.size() && port >= 1 && port <= 65535;
    };
    if (s.starts_with('[')) {
        const std::size_t close = s.find("]:");
        return close != std::string_view::npos && isIp(s.substr(1, close - 1), AF_INET6) &&
               isPort(s.substr(close + 2));
    }
    if (std::count(s.begin(), s.end(), ':') == 1) {
        const std::size_t colon = s.find(':');
        return isIp(s.substr(0, colon), AF_INET) && isPort(s.substr(colon + 1));
    }
    return isIp(s, AF_INET) || isIp(s, AF_INET6);
}

bool readTimeOfDay(TableReader& r, std::string_view key, std::optional<TimeOfDay>& out) {
    const toml::node* n = r.node(key);
    if (!n)
        return true;
    if (const auto* t = n->as_time()) {
        out = TimeOfDay{t->get().hour * 60 + t->get().minute};
        return true;
    }
    const auto* s = n->as_string();
    if (!s)
        return r.typeError(key, *n, "a time of day such as \"08:00\"");
    out = parseTimeOfDay(s->get());
    if (!out)
        r.diag().error(n->source().begin, r.subject(key) + ": " + quote(s->get()) +
                                              " is not a time of day; write \"HH:MM\", "
                                              "e.g. \"08:00\"");
    return out.has_value();
}

void readRequiredTimeOfDay(TableReader& r, std::string_view key, std::optional<TimeOfDay>& out) {
    if (r.require(key))
        readTimeOfDay(r, key, out);
}

void readDays(TableReader& r, std::vector<int>& out) {
    const toml::node* n = r.node("days");
    if (!n)
        return;
    std::set<int> days;
    bool ok = true;
    if (const auto* s = n->as_string()) {
        ok = addDays(r, s->get(), n->source().begin, days);
    } else if (const auto* arr = n->as_array()) {
        for (const toml::node& e : *arr) {
            if (const auto* es = e.as_string())
                ok = addDays(r, es->get(), e.source().begin, days) && ok;
            else
                ok = r.elementTypeError("days", e, "a day such as \"mon\"");
        }
    } else {
        r.typeError("days", *n, "a day, a range such as \"mon-fri\" or a list of days");
        return;
    }
    if (ok && days.empty())
        r.diag().error(n->source().begin, r.subject("days") + " is empty");
    out.assign(days.begin(), days.end());
}

void readLocalDateTime(TableReader& r, std::string_view key, std::string& out,
                       std::optional<toml::date_time>& value) {
    const toml::node* n = r.node(key);
    if (!n)
        return;
    const auto* v = n->as_date_time();
    if (!v) {
        r.typeError(key, *n, "a local date-time without quotes, such as 2026-12-01T09:00:00");
        return;
    }
    const toml::date_time& dt = v->get();
    if (dt.offset) {
        r.diag().error(n->source().begin, r.subject(key) +
                                              ": write a local date-time without a UTC offset; "
                                              "times are local in the configured timezone");
        return;
    }
    if (dt.time.second != 0 || dt.time.nanosecond != 0)
        r.diag().warning(n->source().begin, r.subject(key) +
                                                ": seconds are ignored; the window is kept to the "
                                                "minute");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", dt.time.hour, dt.time.minute);
    out = formatDate(dt.date) + "T" + buf;
    value = toml::date_time{dt.date, toml::time{dt.time.hour, dt.time.minute}};
}

}  // namespace dk::config::load
