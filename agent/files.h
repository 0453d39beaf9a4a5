// Small file operations that the agent's stores share: an atomic replace, setting
// a corrupt file aside, and where files go. Platform code: linux/files.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dk {

// The text of an errno value: "No space left on device".
std::string systemError(int err);

// $XDG_CACHE_HOME/driftkoll (default ~/.cache/driftkoll): the maintenance feed's
// last good copy, and the diagnostic bundles the agent writes.
std::string defaultCacheDir();

// The path of this process's own program file; "" when it cannot be told.
std::string selfExecutable();

// The current UTC time, safe in a file name: 20261128T140000Z.
std::string utcStampForFileName();

// Replaces `path` with `content` so that a reader sees the old file or the new
// one, never half of one: a temporary `<name>.tmp-XXXXXX` beside it (never named
// like the file's kind, so collectors skip it), `mode`, fsync, rename, then an
// fsync of the directory. On failure the temporary is removed and `*err` says
// what failed; the directory must exist.
bool writeFileAtomic(const std::string& path, std::string_view content, unsigned mode,
                     std::string* err);

// Moves a corrupt file to `<path>.corrupt-<UTC time>` (with -2, -3, ... rather
// than overwrite an earlier one). Returns the new path, or nullopt and `*why`.
std::optional<std::string> setAsideCorrupt(const std::string& path, std::string* why);

}  // namespace dk
