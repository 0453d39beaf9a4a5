// The incident: what driftkoll remembers between runs while a problem lasts.
// One incident has one case code, knows when the problem began and whether the
// computer has been restarted since (boot ids), and keeps the user's answers to
// the routine's manual steps. The file it lives in is check/incident_store.h.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/result.h"

namespace dk {

// The user's answers to the routine's manual steps (`--answer KEY=VALUE`).
struct Answers {
    std::optional<std::string> login;                    // "refused" | "no_page"
    std::optional<std::string> same_computer_colleague;  // "works" | "fails"
    std::optional<std::string> other_computer;           // "works" | "fails"

    bool operator==(const Answers&) const = default;
};

// Parses one `--answer KEY=VALUE` into `answers`. Returns nullopt when it was
// taken, else an error text (Swedish / English) naming the allowed keys or
// values; `answers` is then unchanged.
std::optional<std::string> applyAnswer(Answers& answers, std::string_view key_eq_value);

bool hasAnswers(const Answers& a);
// Only the answers given: {"login": "refused"}.
Json to_json(const Answers& a);

struct Incident {
    std::string case_code;
    std::string first_seen, last_seen;  // ISO 8601 UTC
    std::string domain;                 // diagnosis.domain of the latest run with the problem
    std::vector<std::string> systems;   // diagnosis.systems of that run
    std::string first_boot_id;          // the boot id when the problem was first seen
    std::vector<std::string> boot_ids;  // every boot id seen during the incident, in order
    Answers answers;
    std::string answers_at;  // ISO 8601 UTC of the latest answer; "" when none

    // How many times the computer has been restarted during the incident.
    int restarts() const;
    // Whether `current_boot_id` is another boot than the one the problem began in.
    // False when either boot id is unknown ("").
    bool restartedSinceStart(const std::string& current_boot_id) const;

    bool operator==(const Incident&) const = default;
};

// Also writes the derived "restarts", for readers of the report; reading ignores it.
Json to_json(const Incident& incident);
// nullopt, with the reason in `err`, when `j` is not an incident. Unknown fields
// are ignored, so that newer versions may add some.
std::optional<Incident> incidentFromJson(const Json& j, std::string* err);


// What one run did to the incident.
struct IncidentUpdate {
    std::optional<Incident> incident;  // to save; nullopt = none (clear the store)
    bool started = false;              // this run began a new incident
    bool ended = false;                // this run found all fine and closed the incident
    bool restarted = false;            // this run is on a boot the incident had not seen yet
};

// The rule that ties runs together. `problem`: the run found a problem (domain != all_ok).
// - no incident and a problem: a new incident (code from `make_code`, first seen now,
//   boot ids = [boot_id]);
// - an incident and a problem: it continues (last_seen, domain and systems updated,
//   boot_id appended when new);
// - an incident and all fine: it is over (ended, nullopt);
// - no incident and all fine: nothing; answers alone do not start an incident.
// Answers of this run are merged into a continuing or new incident (newer wins per
// key) and stamped with `now_iso_utc`. An unknown boot id ("") is not recorded.
IncidentUpdate updateIncident(std::optional<Incident> previous, bool problem,
                              const std::string& domain, const std::vector<std::string>& systems,
                              const std::string& boot_id, const std::string& now_iso_utc,
                              const Answers& new_answers,
                              const std::function<std::string()>& make_code);

}  // namespace dk
