// The bundle's summary.txt: what IT reads first, in Swedish and English, made
// from what the export gathered (the history's reports, the incident, notes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/decide/incident.h"
#include "agent/decide/texts.h"
#include "agent/check/json_path.h"

namespace dk {

enum class HistoryState { ok, missing, empty, unreadable };

// What the summary is made from.
struct Gathered {
    std::string host;
    std::string now;  // ISO 8601 UTC
    std::string history_path;
    HistoryState history = HistoryState::missing;
    std::string history_error;
    std::int64_t history_runs = 0;
    std::vector<Json> reports;  // oldest first
    std::optional<Incident> incident;
    std::string incident_path;
    bool incident_from_report = false;  // no incident file: the newest report's incident
    std::vector<std::string> notes;
    std::size_t log_files = 0;
    std::string log_dir;
    bool config = false;
};

// The summary in one language.
std::string summaryText(const Gathered& g, Lang l);

}  // namespace dk
