#include "config/loader.h"

#include "platform/socket_api.h"
#include <curl/curl.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include "config/durations.h"

namespace dk::config {

std::string ConfigError::format() const {
    std::string out = file;
    if (line > 0)
        out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": " + message;
    if (!suggestion.empty())
        out += " (did you mean '" + suggestion + "'?)";
    return out;
}

namespace {

namespace fs = std::filesystem;

// Files larger than this are not configuration files; refuse them rather than read them.
constexpr std::uintmax_t kMaxFileSize = 1024 * 1024;

// ---------------------------------------------------------------------------
// Names and suggestions

std::string quote(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// ASCII only: keys, enum values and day names are ASCII.
char lower(char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = lower(ch);
    return out;
}

// "Bad scheme" -> "bad scheme": library messages inside our sentences.
std::string lowerFirst(std::string s) {
    if (!s.empty())
        s.front() = lower(s.front());
    return s;
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

// Edit distance with adjacent transpositions counted as one edit ("prot" -> "port").
std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// The candidate closest to `word`, when it is close enough to be a likely typo
// (one edit for short words, two for words of six letters or more); else "".
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::string w = lower(word);
    const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(2, w.size() / 3));
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (std::string_view c : candidates) {
        const std::size_t dist = editDistance(w, c);
        if (dist < best_distance) {
            best = c;
            best_distance = dist;
        }
    }
    return std::string(best);
}

// "a string", "an integer": the TOML type of a node, for "expected X, got Y".
std::string_view kindOf(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a floating-point number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// ---------------------------------------------------------------------------
// Enumerations as they are spelt in the file

template <typename E>
struct EnumName {
    std::string_view name;
    E value;
};

constexpr std::array<EnumName<Organisation>, 2> kOrganisations{{
    {"municipal", Organisation::municipal},
    {"external_provider", Organisation::external_provider},
}};

constexpr std::array<EnumName<Role>, 4> kRoles{{
    {"primary", Role::primary},
    {"business", Role::business},
    {"internal", Role::internal},
    {"outside", Role::outside},
}};

constexpr std::array<EnumName<CarelockDays>, 3> kCarelockDays{{
    {"vardag", CarelockDays::vardag},
    {"helg", CarelockDays::helg},
    {"alla", CarelockDays::alla},
}};

template <typename E, std::size_t N>
std::string_view nameOf(const std::array<EnumName<E>, N>& names, E value) {
    for (const auto& n : names)
        if (n.value == value)
            return n.name;
    return names.front().name;
}

// Days as written in `days`: index + 1 is the day number (1 = Monday).
constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

// ---------------------------------------------------------------------------
// Diagnostics: errors and warnings with their positions

class Diagnostics {
public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    void error(const toml::source_position& at, std::string message, std::string suggestion = {}) {
        errors_.push_back(make(at, std::move(message), std::move(suggestion)));
    }
    void warning(const toml::source_position& at, std::string message,
                 std::string suggestion = {}) {
        warnings_.push_back(make(at, std::move(message), std::move(suggestion)));
    }

    SourceLoc loc(const toml::source_position& at) const {
        return {file_, static_cast<int>(at.line), static_cast<int>(at.column)};
    }
    bool hasErrors() const { return !errors_.empty(); }

    // Moves the findings into `r`, in the order they appear in the file (the
    // reading order follows the schema, not the text).
    void moveInto(LoadResult& r) {
        const auto byPosition = [](const ConfigError& a, const ConfigError& b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        };
        std::stable_sort(errors_.begin(), errors_.end(), byPosition);
        std::stable_sort(warnings_.begin(), warnings_.end(), byPosition);
        r.errors = std::move(errors_);
        r.warnings = std::move(warnings_);
    }

private:
    ConfigError make(const toml::source_position& at, std::string message,
                     std::string suggestion) const {
        return {file_, static_cast<int>(at.line), static_cast<int>(at.column), std::move(message),
                std::move(suggestion)};
    }

    std::string file_;
    std::vector<ConfigError> errors_;
    std::vector<ConfigError> warnings_;
};

// ---------------------------------------------------------------------------
// Reading one table of the schema

// Wraps one TOML table: reports the keys the schema does not know (with a
// suggestion when one is close), and reads the known keys with type checks.
// The typed getters leave `out` untouched when the key is absent, and return
// false only when the key is present but its value is invalid (already reported).
class TableReader {
public:
    // `context` names the table in messages: "in [[systems]]", "at the top level".
    TableReader(const toml::table& table, std::string context, Diagnostics& diag,
                std::vector<std::string_view> keys)
        : table_(table), context_(std::move(context)), diag_(diag), keys_(std::move(keys)) {
        for (auto&& [key, value] : table_) {
            if (std::find(keys_.begin(), keys_.end(), key.str()) != keys_.end())
                continue;
            diag_.error(key.source().begin, "unknown key " + quote(key.str()) + " " + context_,
                        closest(key.str(), keys_));
        }
    }

    Diagnostics& diag() { return diag_; }
    const std::string& context() const { return context_; }
    const toml::node* node(std::string_view key) const { return table_.get(key); }

    // The position of the key's value, or of the table when the key is absent.
    toml::source_position at(std::string_view key) const {
        const toml::node* n = node(key);
        return (n ? n->source() : table_.source()).begin;
    }

    // "'timeout' in [[systems]]": how messages name a key.
    std::string subject(std::string_view key) const { return quote(key) + " " + context_; }

    // Reports "'key' ...: expected X, got Y" at `n`; returns false.
    bool typeError(std::string_view key, const toml::node& n, std::string_view expected) {
        diag_.error(n.source().begin, subject(key) + ": expected " + std::string(expected) +
                                          ", got " + std::string(kindOf(n)));
        return false;
    }
    bool elementTypeError(std::string_view key, const toml::node& n, std::string_view expected) {
        diag_.error(n.source().begin, "element of " + subject(key) + ": expected " +
                                          std::string(expected) + ", got " +
                                          std::string(kindOf(n)));
        return false;
    }

    // Reports a missing key at the table's position; returns false.
    bool require(std::string_view key) {
        if (node(key))
            return true;
        diag_.error(table_.source().begin, "missing key " + quote(key) + " " + context_);
        return false;
    }

    bool string(std::string_view key, std::string& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        if (const auto* v = n->as_string()) {
            out = v->get();
            return true;
        }
        return typeError(key, *n, "a string");
    }

    bool boolean(std::string_view key, bool& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        if (const auto* v = n->as_boolean()) {
            out = v->get();
            return true;
        }
        return typeError(key, *n, "a boolean (true or false)");
    }

    bool integer(std::string_view key, std::int64_t& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        if (const auto* v = n->as_integer()) {
            out = v->get();
            return true;
        }
        return typeError(key, *n, "an integer");
    }

    // A duration string ("4s"); zero and negative durations are invalid everywhere.
    bool duration(std::string_view key, Millis& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        const auto* v = n->as_string();
        if (!v)
            return typeError(key, *n, "a duration string with a unit, such as \"3s\"");
        std::string err;
        const auto d = parseDuration(v->get(), &err);
        if (!d) {
            diag_.error(n->source().begin, subject(key) + ": " + err);
            return false;
        }
        if (d->count() <= 0) {
            diag_.error(n->source().begin, subject(key) + " must be longer than 0");
            return false;
        }
        out = *d;
        return true;
    }

    bool strings(std::string_view key, std::vector<std::string>& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        const auto* arr = n->as_array();
        if (!arr)
            return typeError(key, *n, "an array of strings");
        std::vector<std::string> values;
        bool ok = true;
        for (const toml::node& e : *arr) {
            if (const auto* s = e.as_string())
                values.push_back(s->get());
            else
                ok = elementTypeError(key, e, "a string");
        }
        if (ok)
            out = std::move(values);
        return ok;
    }

    // A string that must be one of `names`.
    template <typename E, std::size_t N>
    bool enumeration(std::string_view key, const std::array<EnumName<E>, N>& names, E& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        const auto* v = n->as_string();
        if (!v)
            return typeError(key, *n, "a string");
        std::vector<std::string_view> allowed;
        for (const auto& name : names) {
            if (name.name == v->get()) {
                out = name.value;
                return true;
            }
            allowed.push_back(name.name);
        }
        diag_.error(
            n->source().begin,
            subject(key) + ": unknown value " + quote(v->get()) + "; allowed: " + joined(allowed),
            closest(v->get(), allowed));
        return false;
    }

    // A sub-table such as [deadlines]; nullptr when absent or not a table.
    const toml::table* subTable(std::string_view key) {
        const toml::node* n = node(key);
        if (!n)
            return nullptr;
        if (const auto* t = n->as_table())
            return t;
        typeError(key, *n, "a table ([" + std::string(key) + "])");
        return nullptr;
    }

    // An array of tables such as [[systems]]; empty when absent or invalid.
    std::vector<const toml::table*> tables(std::string_view key, std::string_view header) {
        std::vector<const toml::table*> out;
        const toml::node* n = node(key);
        if (!n)
            return out;
        const std::string expected = "an array of tables (" + std::string(header) + ")";
        const auto* arr = n->as_array();
        if (!arr) {
            typeError(key, *n, expected);
            return out;
        }
        for (const toml::node& e : *arr) {
            if (const auto* t = e.as_table())
                out.push_back(t);
            else
                elementTypeError(key, e, "a table");
        }
        return out;
    }

private:
    const toml::table& table_;
    std::string context_;
    Diagnostics& diag_;
    std::vector<std::string_view> keys_;
};

// ---------------------------------------------------------------------------
// Value checks

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

// Checks an absolute URL with libcurl's parser; returns "" when it is fine, else
// what is wrong. Credentials in a URL are refused: probes never send them, and
// the configuration is no place for secrets.
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

// A name server: an IPv4 or IPv6 address, optionally with a port
// ("10.0.0.53", "10.0.0.53:5353", "::1", "[::1]:5353").
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

// "08:00" (or "8:00"), 00:00 to 24:00.
std::optional<TimeOfDay> parseTimeOfDay(std::string_view s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3)
        return std::nullopt;
    int h = 0;
    int m = 0;
    const auto hr = std::from_chars(s.data(), s.data() + colon, h);
    const auto mr = std::from_chars(s.data() + colon + 1, s.data() + s.size(), m);
    if (hr.ec != std::errc{} || hr.ptr != s.data() + colon || mr.ec != std::errc{} ||
        mr.ptr != s.data() + s.size())
        return std::nullopt;
    if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
        return std::nullopt;
    return TimeOfDay{h * 60 + m};
}

std::string formatTimeOfDay(TimeOfDay t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.minutes / 60, t.minutes % 60);
    return buf;
}

// A time of day: a string "HH:MM" or a TOML local time (08:00:00).
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

// `days`: "mon-fri", "fri" or a list of such entries; stored sorted, 1 = Monday.
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

std::string formatDate(const toml::date& d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

// A TOML local date-time, stored in `out` as "YYYY-MM-DDTHH:MM" and in `value`
// (to the minute) for comparing.
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

// ---------------------------------------------------------------------------
// The sections of the schema

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
        if (!fs::is_regular_file(n.ca_file, ec))
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

void readSystem(const toml::table& t, Diagnostics& diag, const Deadlines& deadlines, bool run_ok,
                std::map<std::string, toml::source_position>& seen, std::vector<System>& out) {
    TableReader r(t, "in [[systems]]", diag,
                  {"id", "name", "role", "url", "host", "port", "accept_status", "expect_text",
                   "maintenance_text", "slow", "timeout", "follow_redirects"});
    System s;
    s.where = diag.loc(t.source().begin);
    if (readId(r, "system", s.id)) {
        const auto [first, inserted] = seen.emplace(s.id, r.at("id"));
        if (!inserted)
            diag.error(r.at("id"), "duplicate system id " + quote(s.id) + " (first on line " +
                                       std::to_string(first->second.line) + ")");
    }
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

// An error for a reference to a system id that does not exist.
void unknownSystem(Diagnostics& diag, const toml::source_position& at, std::string_view what,
                   const std::string& id, const Config& c) {
    const auto ids = systemIds(c);
    diag.error(at,
               std::string(what) + ": " + quote(id) + " names no system; systems: " +
                   (ids.empty() ? std::string("none") : joined(ids)),
               closest(id, ids));
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

void readHoursRule(const toml::table& t, Diagnostics& diag, std::vector<HoursRule>& out) {
    TableReader r(t, "in [[contacts.hours]]", diag,
                  {"days", "open", "close", "breaks", "only_weekdays"});
    HoursRule rule;
    if (r.require("days"))
        readDays(r, rule.days);
    std::optional<TimeOfDay> open;
    std::optional<TimeOfDay> close;
    if (r.require("open"))
        readTimeOfDay(r, "open", open);
    if (r.require("close"))
        readTimeOfDay(r, "close", close);
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

void readContact(const toml::table& t, Diagnostics& diag,
                 std::map<std::string, toml::source_position>& seen, std::vector<Contact>& out) {
    TableReader r(
        t, "in [[contacts]]", diag,
        {"id", "name", "phone", "phone_short", "menu", "email", "municipal_only", "note", "hours"});
    Contact c;
    if (readId(r, "contact", c.id)) {
        const auto [first, inserted] = seen.emplace(c.id, r.at("id"));
        if (!inserted)
            diag.error(r.at("id"), "duplicate contact id " + quote(c.id) + " (first on line " +
                                       std::to_string(first->second.line) + ")");
    }
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

void readMaintenance(TableReader& top, Config& c) {
    const toml::table* t = top.subTable("maintenance");
    if (!t)
        return;
    TableReader r(*t, "in [maintenance]", top.diag(), {"ics", "windows"});
    if (r.string("ics", c.maintenance.ics) && c.maintenance.ics.find("://") != std::string::npos) {
        const std::string problem = urlProblem(c.maintenance.ics, {"http", "https"});
        if (!problem.empty())
            r.diag().error(r.at("ics"),
                           "'ics' in [maintenance] (a file path or a URL): " + problem);
    }
    for (const toml::table* wt : r.tables("windows", "[[maintenance.windows]]")) {
        TableReader w(*wt, "in [[maintenance.windows]]", r.diag(),
                      {"systems", "start", "end", "title"});
        MaintenanceWindow mw;
        mw.where = r.diag().loc(wt->source().begin);
        if (w.strings("systems", mw.systems) && w.node("systems")) {
            const toml::array& ids = *w.node("systems")->as_array();
            for (std::size_t i = 0; i < mw.systems.size(); ++i)
                if (!c.findSystem(mw.systems[i]))
                    unknownSystem(r.diag(), ids[i].source().begin,
                                  "'systems' in [[maintenance.windows]]", mw.systems[i], c);
        }
        std::optional<toml::date_time> start;
        std::optional<toml::date_time> end;
        if (w.require("start"))
            readLocalDateTime(w, "start", mw.start, start);
        if (w.require("end"))
            readLocalDateTime(w, "end", mw.end, end);
        if (start && end && !(*start < *end))
            r.diag().error(w.at("end"), "'end' (" + mw.end +
                                            ") in [[maintenance.windows]] must "
                                            "be after 'start' (" +
                                            mw.start + ")");
        w.string("title", mw.title);
        c.maintenance.windows.push_back(std::move(mw));
    }
}

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
bool readCarelockSlot(const toml::table& t, Diagnostics& diag,
                      std::map<std::string, toml::source_position>& seen,
                      std::vector<CarelockSlot>& out) {
    TableReader r(t, "in [[carelock.slots]]", diag, {"id", "days", "from", "to", "steps"});
    CarelockSlot slot;
    bool ok = readId(r, "Carelock slot", slot.id);
    if (ok) {
        const auto [first, inserted] = seen.emplace(slot.id, r.at("id"));
        if (!inserted) {
            diag.error(r.at("id"), "duplicate Carelock slot id " + quote(slot.id) +
                                       " (first on line " + std::to_string(first->second.line) +
                                       ")");
            ok = false;
        }
    }
    ok = r.require("days") && r.enumeration("days", kCarelockDays, slot.days) && ok;

    std::optional<TimeOfDay> from;
    std::optional<TimeOfDay> to;
    if (r.require("from"))
        readTimeOfDay(r, "from", from);
    if (r.require("to"))
        readTimeOfDay(r, "to", to);
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

void readCarelock(TableReader& top, Carelock& guide) {
    const toml::table* t = top.subTable("carelock");
    if (!t)
        return;
    TableReader r(*t, "in [carelock]", top.diag(), {"slots"});
    std::map<std::string, toml::source_position> ids;
    bool ok = true;
    for (const toml::table* st : r.tables("slots", "[[carelock.slots]]"))
        ok = readCarelockSlot(*st, r.diag(), ids, guide.slots) && ok;
    if (ok && !guide.slots.empty())
        checkCarelockCoverage(guide, t->source().begin, r.diag());
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

// The whole document. Sections are read in dependency order: deadlines before
// systems (the timeout check), systems before clock and maintenance (references).
Config build(const toml::table& root, Diagnostics& diag) {
    Config c;
    TableReader top(root, "at the top level", diag,
                    {"profile", "organisation", "timezone", "deadlines", "network", "clock",
                     "systems", "contacts", "carelock", "holidays", "maintenance", "agent"});
    top.string("profile", c.profile);
    top.enumeration("organisation", kOrganisations, c.organisation);
    if (top.string("timezone", c.timezone) && c.timezone.empty())
        diag.error(top.at("timezone"),
                   "'timezone' at the top level must not be empty; "
                   "write e.g. \"Europe/Stockholm\"");

    const bool run_ok = readDeadlines(top, c.deadlines);
    readNetwork(top, c.network);

    std::map<std::string, toml::source_position> system_ids;
    for (const toml::table* t : top.tables("systems", "[[systems]]"))
        readSystem(*t, diag, c.deadlines, run_ok, system_ids, c.systems);
    if (c.systems.empty() && !top.node("systems"))
        diag.warning(root.source().begin,
                     "no [[systems]] are configured: there is nothing to "
                     "check");

    readClock(top, c);

    std::map<std::string, toml::source_position> contact_ids;
    for (const toml::table* t : top.tables("contacts", "[[contacts]]"))
        readContact(*t, diag, contact_ids, c.contacts);

    readCarelock(top, c.carelock);
    readHolidays(top, c.holidays);
    readMaintenance(top, c);
    readAgent(top, c.agent);
    return c;
}

// ---------------------------------------------------------------------------
// Files

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// Reads a whole file; on failure returns std::nullopt and sets `err` to why.
std::optional<std::string> readFile(const std::string& path, std::string& err) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        err = "it is a directory";
        return std::nullopt;
    }
    const std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        err = std::generic_category().message(errno);
        return std::nullopt;
    }
    std::string text;
    char buf[16384];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
        text.append(buf, n);
        if (text.size() > kMaxFileSize) {
            err = "it is larger than " + std::to_string(kMaxFileSize / 1024) +
                  " KiB; a configuration file is much smaller";
            return std::nullopt;
        }
    }
    if (std::ferror(f.get())) {
        err = std::generic_category().message(errno);
        return std::nullopt;
    }
    return text;
}

// ---------------------------------------------------------------------------
// Rendering

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

LoadResult loadString(std::string_view text, const std::string& source_name) {
    LoadResult result;
    result.text = text;
    Diagnostics diag(source_name);
    try {
        const toml::table root = toml::parse(text, std::string_view(source_name));
        Config c = build(root, diag);
        c.source = source_name;
        if (!diag.hasErrors())
            result.config = std::move(c);
    } catch (const toml::parse_error& e) {
        std::string what(e.description());
        constexpr std::string_view kPrefix = "Error while parsing ";
        if (what.starts_with(kPrefix))
            what = "syntax error while parsing " + what.substr(kPrefix.size());
        else
            what = "syntax error: " + what;
        diag.error(e.source().begin, std::move(what));
    } catch (const std::exception& e) {
        diag.error({}, std::string("cannot load the configuration: ") + e.what());
    } catch (...) {
        diag.error({}, "cannot load the configuration: unexpected failure");
    }
    diag.moveInto(result);
    return result;
}

LoadResult loadFile(const std::string& path) {
    try {
        std::string err;
        if (const auto text = readFile(path, err))
            return loadString(*text, path);
        LoadResult r;
        r.errors.push_back({path, 0, 0, "cannot read the configuration file: " + err, {}});
        return r;
    } catch (const std::exception& e) {
        LoadResult r;
        r.errors.push_back(
            {path, 0, 0, std::string("cannot read the configuration file: ") + e.what(), {}});
        return r;
    }
}

LoadResult loadBuiltin() {
    return loadString(defaultProfileToml(), std::string(kBuiltinSource));
}

std::optional<std::string> findUserConfig() {
    const auto candidate = [](const std::string& dir) { return dir + "/driftkoll/driftkoll.toml"; };
    const auto exists = [](const std::string& path) {
        std::error_code ec;
        return fs::is_regular_file(path, ec);
    };

    std::string home;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && x[0] == '/')
        home = x;
    else if (const char* h = std::getenv("HOME"); h && h[0] == '/')
        home = std::string(h) + "/.config";
    if (!home.empty() && exists(candidate(home)))
        return candidate(home);

    const char* dirs_env = std::getenv("XDG_CONFIG_DIRS");
    std::string_view dirs = dirs_env && dirs_env[0] ? dirs_env : "/etc/xdg";
    while (!dirs.empty()) {
        const std::size_t colon = dirs.find(':');
        const std::string dir(dirs.substr(0, colon));
        dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
        if (dir.starts_with('/') && exists(candidate(dir)))
            return candidate(dir);
    }
    return std::nullopt;
}

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
