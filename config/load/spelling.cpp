#include "config/load/spelling.h"

#include <charconv>
#include <cstdio>
#include <system_error>

namespace dk::config::load {

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

std::string formatDate(const toml::date& d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

}  // namespace dk::config::load
