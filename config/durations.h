// Durations in the configuration are strings with a unit, so that a reader never
// has to guess whether "1500" means milliseconds or seconds: "250ms", "4s",
// "2min", "1h".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace dk::config {

// Parses "<digits><unit>" where unit is ms, s, min or h; spaces around the number
// and the unit are allowed ("4 s"). Only whole, non-negative numbers: write "1500ms"
// rather than "1.5s". On failure returns std::nullopt and, when `err` is given,
// sets it to a message fit for a user ("'4x': unknown unit 'x'; use ms, s, min or h").
std::optional<std::chrono::milliseconds> parseDuration(std::string_view text,
                                                       std::string* err = nullptr);

// The inverse of parseDuration: the largest unit that represents the value
// exactly, so that formatDuration(parseDuration(s)) reads naturally:
// 300000ms -> "5min", 1500ms -> "1500ms", 0 -> "0ms".
std::string formatDuration(std::chrono::milliseconds d);

}  // namespace dk::config
