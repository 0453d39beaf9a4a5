#include "config/durations.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace dk::config {
namespace {

struct Unit {
    std::string_view name;
    std::int64_t millis;
};

// Largest first: formatDuration takes the first unit that divides the value.
constexpr std::array<Unit, 4> kUnits{{{"h", 3'600'000}, {"min", 60'000}, {"s", 1'000}, {"ms", 1}}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::chrono::milliseconds> fail(std::string* err, std::string message) {
    if (err)
        *err = std::move(message);
    return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text, std::string* err) {
    const std::string quoted = "'" + std::string(text) + "'";
    const std::string_view s = trim(text);
    if (s.empty())
        return fail(err, "empty duration; write a number and a unit, e.g. \"4s\"");

    std::size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    if (digits == 0)
        return fail(err, quoted +
                             " is not a duration; write a whole number and a unit "
                             "(ms, s, min or h), e.g. \"4s\"");

    const std::string_view unit = trim(s.substr(digits));
    if (unit.empty())
        return fail(err, quoted + " has no unit; use ms, s, min or h, e.g. \"" +
                             std::string(s.substr(0, digits)) + "ms\"");
    if (unit.front() == '.' || unit.front() == ',')
        return fail(err, quoted +
                             ": only whole numbers are allowed; use a smaller unit, "
                             "e.g. \"1500ms\" rather than \"1.5s\"");

    for (const Unit& u : kUnits) {
        if (unit != u.name)
            continue;
        std::uint64_t n = 0;
        const auto limit =
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / u.millis);
        if (std::from_chars(s.data(), s.data() + digits, n).ec != std::errc{} || n > limit)
            return fail(err, quoted + " is too large");
        return std::chrono::milliseconds(static_cast<std::int64_t>(n) * u.millis);
    }
    return fail(err, quoted + ": unknown unit '" + std::string(unit) + "'; use ms, s, min or h");
}

std::string formatDuration(std::chrono::milliseconds d) {
    const std::int64_t ms = d.count();
    if (ms == 0)
        return "0ms";
    // The last unit (ms) divides every value, so the loop always returns.
    for (const Unit& u : kUnits)
        if (ms % u.millis == 0)
            return std::to_string(ms / u.millis) + std::string(u.name);
    return std::to_string(ms) + "ms";
}

}  // namespace dk::config
