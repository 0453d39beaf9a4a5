// Checks and readers for the kinds of value that several sections share: ids,
// URLs, name servers, times of day, days of the week, local date-times.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/load/table_reader.h"
#include "config/model.h"

namespace dk::config::load {

// The ids read so far in one array of tables, with where each was first seen.
using IdsSeen = std::map<std::string, toml::source_position>;

// Reads the required `id`, which must be plain (see readId) and not in `seen`
// (reported as "duplicate <what> id"); adds it to `seen`. `what` names the kind
// of thing in messages: "system", "contact". False when the id is unusable.
bool readUniqueId(TableReader& r, std::string_view what, IdsSeen& seen, std::string& out);

// Checks an absolute URL with libcurl's parser; returns "" when it is fine, else
// what is wrong. Credentials in a URL are refused: probes never send them, and
// the configuration is no place for secrets.
std::string urlProblem(const std::string& url, const std::vector<std::string_view>& schemes);

// A name server: an IPv4 or IPv6 address, optionally with a port
// ("10.0.0.53", "10.0.0.53:5353", "::1", "[::1]:5353").
bool validNameserver(std::string_view s);

// A time of day: a string "HH:MM" or a TOML local time (08:00:00).
bool readTimeOfDay(TableReader& r, std::string_view key, std::optional<TimeOfDay>& out);

// The same for a key that must be present (reported as missing otherwise).
void readRequiredTimeOfDay(TableReader& r, std::string_view key, std::optional<TimeOfDay>& out);

// `days`: "mon-fri", "fri" or a list of such entries; stored sorted, 1 = Monday.
void readDays(TableReader& r, std::vector<int>& out);

// A TOML local date-time, stored in `out` as "YYYY-MM-DDTHH:MM" and in `value`
// (to the minute) for comparing.
void readLocalDateTime(TableReader& r, std::string_view key, std::string& out,
                       std::optional<toml::date_time>& value);

}  // namespace dk::config::load
