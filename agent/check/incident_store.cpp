#include "agent/check/incident_store.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace dk {

namespace fs = std::filesystem;

namespace {

// An incident file is a few hundred bytes; anything much larger is not one.
constexpr long long kMaxFileSize = 1 << 20;

// A temporary file older than this is left over from an interrupted save; a save in
// progress takes milliseconds.
constexpr auto kStaleTemp = std::chrono::minutes(1);



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


}  // namespace

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
    switch (readSmallFile(path_, kMaxFileSize, text, why)) {
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
    std::string why;
    if (removeFileIfPresent(path_, &why))
        return true;
    if (err)
        *err = "kan inte ta bort incidentfilen / cannot remove the incident file " + path_ + ": " +
               why;
    return false;
}

}  // namespace dk
