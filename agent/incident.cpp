#include "agent/incident.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "agent/case_code.h"
#include "agent/files.h"

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

// An incident file is a few hundred bytes; anything much larger is not one.
constexpr off_t kMaxFileSize = 1 << 20;

// A temporary file older than this is left over from an interrupted save; a save in
// progress takes milliseconds.
constexpr auto kStaleTemp = std::chrono::minutes(1);

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

std::string homeDirectory() {
    if (const char* home = std::getenv("HOME"); home && *home)
        return home;
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
    passwd pw{};
    passwd* found = nullptr;
    if (getpwuid_r(getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found && found->pw_dir)
        return found->pw_dir;
    return {};
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

// Creates the missing directories of `dir`, each 0700. Existing ones are left as they are.
bool makePrivateDirectories(const fs::path& dir, std::string* err) {
    std::vector<fs::path> missing;
    for (fs::path d = dir; !d.empty(); d = d.parent_path()) {
        struct stat st {};
        if (::stat(d.c_str(), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                break;
            if (err)
                *err = "kan inte skapa katalogen " + dir.string() + ": " + d.string() +
                       " är ingen katalog / cannot create the directory " + dir.string() + ": " +
                       d.string() + " is not a directory";
            return false;
        }
        if (errno != ENOENT) {
            const int e = errno;
            if (err)
                *err = "kan inte nå / cannot reach " + d.string() + ": " + systemError(e);
            return false;
        }
        missing.push_back(d);
        if (d == d.parent_path())
            break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
            const int e = errno;
            if (err)
                *err = "kan inte skapa katalogen / cannot create the directory " + it->string() +
                       ": " + systemError(e);
            return false;
        }
    }
    return true;
}

// Removes the temporary files of saves that were interrupted (a crash, a power cut).
void removeStaleTemporaries(const fs::path& dir, const std::string& prefix) {
    std::error_code ec;
    const auto cutoff = fs::file_time_type::clock::now() - kStaleTemp;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        std::error_code time_ec;
        const auto written = it->last_write_time(time_ec);
        if (!time_ec && written < cutoff)
            fs::remove(it->path(), time_ec);
    }
}

enum class ReadResult { ok, missing, failed, too_large };

ReadResult readFile(const std::string& path, std::string& out, std::string& why) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return ReadResult::missing;
        why = systemError(errno);
        return ReadResult::failed;
    }
    struct stat st {};
    ReadResult result = ReadResult::ok;
    if (::fstat(fd, &st) != 0) {
        why = systemError(errno);
        result = ReadResult::failed;
    } else if (!S_ISREG(st.st_mode)) {
        why = "not a regular file";
        result = ReadResult::failed;
    } else if (st.st_size > kMaxFileSize) {
        result = ReadResult::too_large;
    } else {
        out.resize(static_cast<std::size_t>(st.st_size));
        std::size_t done = 0;
        while (done < out.size()) {
            const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                why = systemError(errno);
                result = ReadResult::failed;
                break;
            }
            if (n == 0)
                break;
            done += static_cast<std::size_t>(n);
        }
        out.resize(done);
    }
    ::close(fd);
    return result;
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

IncidentStore::IncidentStore(std::string path) : path_(std::move(path)) {}

std::string IncidentStore::defaultPath() {
    // The XDG base directory spec: a relative $XDG_STATE_HOME is to be ignored.
    std::string base;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && xdg[0] == '/')
        base = xdg;
    else
        base = homeDirectory() + "/.local/state";
    return base + "/driftkoll/incident.json";
}

std::optional<Incident> IncidentStore::load(std::string* warning) const {
    std::string text, why;
    switch (readFile(path_, text, why)) {
        case ReadResult::missing:
            return std::nullopt;
        case ReadResult::failed:
            if (warning)
                *warning = "kan inte läsa incidentfilen / cannot read the incident file " + path_ +
                           ": " + why;
            return std::nullopt;
        case ReadResult::too_large:
            why = "larger than an incident file can be";
            break;
        case ReadResult::ok: {
            const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
            if (j.is_discarded())
                why = "not valid JSON";
            else if (auto inc = incidentFromJson(j, &why))
                return inc;
            break;
        }
    }

    // Set the corrupt file aside without overwriting an earlier one.
    std::string move_error;
    auto aside = setAsideCorrupt(path_, &move_error);
    const std::string moved = aside ? "; flyttad till / moved to " + *aside
                                    : "; kunde inte flyttas / could not be moved: " + move_error;
    if (warning)
        *warning = "incidentfilen var trasig / the incident file was corrupt: " + path_ + " (" +
                   why + ")" + moved;
    return std::nullopt;
}

bool IncidentStore::save(const Incident& incident, std::string* err) const {
    const fs::path file(path_);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    if (!makePrivateDirectories(dir, err))
        return false;
    const std::string temp_prefix = file.filename().string() + ".tmp-";
    removeStaleTemporaries(dir, temp_prefix);

    std::string why;
    if (!writeFileAtomic(path_, jsonText(to_json(incident), 2) + "\n", 0600, &why)) {
        if (err)
            *err = "kan inte spara incidenten / cannot save the incident: " + why;
        return false;
    }
    return true;
}

std::optional<FileLock> IncidentStore::lock(std::chrono::milliseconds wait,
                                            std::string* err) const {
    const fs::path file(path_);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    if (!makePrivateDirectories(dir, err))
        return std::nullopt;
    std::string why;
    std::optional<FileLock> held = FileLock::acquire(path_ + ".lock", wait, &why);
    if (!held && err)
        *err = "incidentfilen är upptagen / the incident file is busy: " + why;
    return held;
}

bool IncidentStore::clear(std::string* err) const {
    if (::unlink(path_.c_str()) == 0 || errno == ENOENT)
        return true;
    if (err)
        *err = "kan inte ta bort incidentfilen / cannot remove the incident file " + path_ + ": " +
               systemError(errno);
    return false;
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
