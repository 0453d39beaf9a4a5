#include "agent/decide/incident.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "agent/decide/case_code.h"

namespace dk {

namespace fs = std::filesystem;

namespace {

// One key of `--answer` and the values it takes.
struct AnswerKey {
    std::string_view key;
    std::array<std::string_view, 2> values;
    std::optional<std::string> Answers::*field;
};

constexpr std::array<AnswerKey, 3> kAnswerKeys{{
    {"login", {"refused", "no_page"}, &Answers::login},
    {"same_computer_colleague", {"works", "fails"}, &Answers::same_computer_colleague},
    {"other_computer", {"works", "fails"}, &Answers::other_computer},
}};

std::string keyList() {
    std::string s;
    for (const auto& k : kAnswerKeys) {
        if (!s.empty())
            s += ", ";
        s += k.key;
    }
    return s;
}

std::string inQuotes(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

bool readString(const Json& j, const char* name, std::string& out, std::string* err) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) {
        if (err)
            *err = std::string("field \"") + name + "\" is missing or not a string";
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool readStrings(const Json& j, const char* name, std::vector<std::string>& out, std::string* err) {
    auto it = j.find(name);
    const bool ok =
        it != j.end() && it->is_array() &&
        std::all_of(it->begin(), it->end(), [](const Json& e) { return e.is_string(); });
    if (!ok) {
        if (err)
            *err = std::string("field \"") + name + "\" is missing or not a list of strings";
        return false;
    }
    out.clear();
    for (const auto& e : *it) out.push_back(e.get<std::string>());
    return true;
}

}  // namespace

std::optional<std::string> applyAnswer(Answers& answers, std::string_view key_eq_value) {
    const auto eq = key_eq_value.find('=');
    if (eq == std::string_view::npos)
        return "--answer väntar sig NYCKEL=VÄRDE, t.ex. login=refused (fick " +
               inQuotes(key_eq_value) + ") / --answer expects KEY=VALUE, e.g. login=refused (got " +
               inQuotes(key_eq_value) + ")";
    const auto key = key_eq_value.substr(0, eq);
    const auto value = key_eq_value.substr(eq + 1);
    for (const auto& k : kAnswerKeys) {
        if (k.key != key)
            continue;
        if (std::find(k.values.begin(), k.values.end(), value) == k.values.end()) {
            const std::string first(k.values[0]), second(k.values[1]);
            return "--answer " + std::string(key) + ": värdet ska vara " + first + " eller " +
                   second + " (fick " + inQuotes(value) + ") / the value must be " + first +
                   " or " + second + " (got " + inQuotes(value) + ")";
        }
        answers.*k.field = std::string(value);
        return std::nullopt;
    }
    return "--answer: okänd nyckel " + inQuotes(key) + "; möjliga: " + keyList() +
           " / unknown key " + inQuotes(key) + "; allowed: " + keyList();
}

bool hasAnswers(const Answers& a) {
    return std::any_of(kAnswerKeys.begin(), kAnswerKeys.end(),
                       [&](const AnswerKey& k) { return (a.*k.field).has_value(); });
}

Json to_json(const Answers& a) {
    Json j = Json::object();
    for (const auto& k : kAnswerKeys) {
        if (const auto& v = a.*k.field)
            j[std::string(k.key)] = *v;
    }
    return j;
}

int Incident::restarts() const {
    return boot_ids.empty() ? 0 : static_cast<int>(boot_ids.size()) - 1;
}

bool Incident::restartedSinceStart(const std::string& current_boot_id) const {
    return !first_boot_id.empty() && !current_boot_id.empty() && current_boot_id != first_boot_id;
}

Json to_json(const Incident& incident) {
    Json j = Json::object();
    j["case_code"] = incident.case_code;
    j["first_seen"] = incident.first_seen;
    j["last_seen"] = incident.last_seen;
    j["domain"] = incident.domain;
    j["systems"] = incident.systems;
    j["first_boot_id"] = incident.first_boot_id;
    j["boot_ids"] = incident.boot_ids;
    j["restarts"] = incident.restarts();
    j["answers"] = to_json(incident.answers);
    j["answers_at"] = incident.answers_at;
    return j;
}

std::optional<Incident> incidentFromJson(const Json& j, std::string* err) {
    if (!j.is_object()) {
        if (err)
            *err = "not a JSON object";
        return std::nullopt;
    }
    Incident inc;
    std::string code;
    if (!readString(j, "case_code", code, err) ||
        !readString(j, "first_seen", inc.first_seen, err) ||
        !readString(j, "last_seen", inc.last_seen, err) ||
        !readString(j, "domain", inc.domain, err) || !readStrings(j, "systems", inc.systems, err) ||
        !readString(j, "first_boot_id", inc.first_boot_id, err) ||
        !readStrings(j, "boot_ids", inc.boot_ids, err))
        return std::nullopt;
    auto normal = normaliseCaseCode(code);
    if (!normal) {
        if (err)
            *err = "field \"case_code\" is not a case code: " + inQuotes(code);
        return std::nullopt;
    }
    inc.case_code = *normal;

    if (auto it = j.find("answers"); it != j.end()) {
        if (!it->is_object()) {
            if (err)
                *err = "field \"answers\" is not an object";
            return std::nullopt;
        }
        for (const auto& k : kAnswerKeys) {
            auto a = it->find(std::string(k.key));
            if (a == it->end())
                continue;
            const std::string value = a->is_string() ? a->get<std::string>() : a->dump();
            if (auto bad = applyAnswer(inc.answers, std::string(k.key) + "=" + value)) {
                if (err)
                    *err = "field \"answers\": " + *bad;
                return std::nullopt;
            }
        }
    }
    if (j.contains("answers_at") && !readString(j, "answers_at", inc.answers_at, err))
        return std::nullopt;
    return inc;
}

IncidentUpdate updateIncident(std::optional<Incident> previous, bool problem,
                              const std::string& domain, const std::vector<std::string>& systems,
                              const std::string& boot_id, const std::string& now_iso_utc,
                              const Answers& new_answers,
                              const std::function<std::string()>& make_code) {
    IncidentUpdate u;
    if (!problem) {
        u.ended = previous.has_value();
        return u;
    }

    Incident inc;
    if (previous) {
        inc = std::move(*previous);
    } else {
        u.started = true;
        inc.case_code = make_code();
        inc.first_seen = now_iso_utc;
        inc.first_boot_id = boot_id;
    }
    inc.last_seen = now_iso_utc;
    inc.domain = domain;
    inc.systems = systems;

    const bool new_boot = !boot_id.empty() && std::find(inc.boot_ids.begin(), inc.boot_ids.end(),
                                                        boot_id) == inc.boot_ids.end();
    if (new_boot) {
        u.restarted = !inc.boot_ids.empty();
        inc.boot_ids.push_back(boot_id);
    }

    for (const auto& k : kAnswerKeys) {
        if (const auto& v = new_answers.*k.field)
            inc.answers.*k.field = *v;
    }
    if (hasAnswers(new_answers))
        inc.answers_at = now_iso_utc;

    u.incident = std::move(inc);
    return u;
}

}  // namespace dk