// How values are spelt in the file, for reading and for writing back
// (renderToml): the names of enumerations and days, times of day, dates.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "config/model.h"

namespace dk::config::load {

template <typename E>
struct EnumName {
    std::string_view name;
    E value;
};

inline constexpr std::array<EnumName<Organisation>, 2> kOrganisations{{
    {"municipal", Organisation::municipal},
    {"external_provider", Organisation::external_provider},
}};

inline constexpr std::array<EnumName<Role>, 4> kRoles{{
    {"primary", Role::primary},
    {"business", Role::business},
    {"internal", Role::internal},
    {"outside", Role::outside},
}};

inline constexpr std::array<EnumName<CarelockDays>, 3> kCarelockDays{{
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
inline constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                           "fri", "sat", "sun"};

// "08:00" (or "8:00"), 00:00 to 24:00.
std::optional<TimeOfDay> parseTimeOfDay(std::string_view s);
// "08:00"
std::string formatTimeOfDay(TimeOfDay t);
// "2026-12-28"
std::string formatDate(const toml::date& d);

}  // namespace dk::config::load
