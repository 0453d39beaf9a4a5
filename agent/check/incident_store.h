// The incident file: one small JSON file of the user's,
// $XDG_STATE_HOME/driftkoll/incident.json, 0600, saved atomically, locked around
// each load-and-save. The incident itself, and how a run changes it, is
// decide/incident.h.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "agent/decide/incident.h"
#include "agent/os/files.h"

namespace dk {

// The incident file. Errors come back as values (Swedish / English texts), never
// as exceptions. Writers (the agent's runs, `driftkoll check`) take lock() around
// their load and save, so that no update is lost between them.
class IncidentStore {
public:
    explicit IncidentStore(std::string path);

    // $XDG_STATE_HOME (or ~/.local/state) + /driftkoll/incident.json.
    static std::string defaultPath();

    const std::string& path() const { return path_; }

    // nullopt when there is no incident. A file that cannot be read gives nullopt
    // and a warning; a corrupt one is also moved aside to <path>.corrupt-<UTC time>
    // so that the next run starts clean and IT can still look at it.
    std::optional<Incident> load(std::string* warning) const;
    // Atomic: writes a temporary file in the same directory, syncs it and renames
    // it over the old one, so a reader sees the old incident or the new, never half
    // of one. Directories it creates are 0700, the file is 0600. Temporary files
    // that an interrupted save left behind are removed once they are stale.
    bool save(const Incident& incident, std::string* err) const;
    // Removes the incident file; true when there was none.
    bool clear(std::string* err) const;

    // The writers' lock (`<path>.lock`, its directory created 0700 when missing):
    // hold it from load() to save() or clear(). nullopt and `*err` when it was
    // not had within `wait`.
    std::optional<FileLock> lock(std::chrono::milliseconds wait, std::string* err) const;

private:
    std::string path_;
};

}  // namespace dk
