// Small file operations that the agent's stores share: an atomic replace, setting
// a corrupt file aside, reading a small file, private directories, a lock, and
// where files go (per-user paths). Platform code: linux/files.cpp.
#pragma once

#include <chrono>
#include <cstddef>
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

// The user's home directory: $HOME, else the password database's; "" when unknown.
std::string homeDirectory();

// Creates the missing directories of `dir`, each 0700. Existing ones are left as they are.
bool makePrivateDirectories(const std::string& dir, std::string* err);

// Creates `path` empty with mode 0600 when there is nothing there; never follows a
// symbolic link. True when it was made or a file was there already, else `*why`.
bool createPrivateFile(const std::string& path, std::string* why);

// Removes `path`; true when it is gone (also when it was never there), else `*why`.
bool removeFileIfPresent(const std::string& path, std::string* why);

// A whole small file, read at once.
enum class ReadResult { ok, missing, failed, too_large };

// Reads a regular file of at most `max_bytes` into `out`; `why` says what failed.
ReadResult readSmallFile(const std::string& path, long long max_bytes, std::string& out,
                         std::string& why);

// What readFileCapped gave: the text, or why not (English).
struct CappedRead {
    bool ok = false;
    std::string body;
    std::string error;
};

// Reads at most `cap` bytes of a regular file. Opened without blocking and
// checked after opening, so that a FIFO or device in its place cannot stall us.
CappedRead readFileCapped(const std::string& path, std::size_t cap);

// Reads at most the last `cap` bytes of a regular file into `out`, never through
// a symbolic link; `skipped` is how many bytes at its start were left out. False
// with `why` when it cannot be read or is not a regular file.
bool readFileTail(const std::string& path, std::size_t cap, std::string& out,
                  std::size_t& skipped, std::string& why);

// An exclusive advisory lock on `path` (created 0600 when missing; its directory
// must exist), held while the object lives: processes that take it run one at a
// time. Readers that do not take it are not held up.
class FileLock {
public:
    // Waits up to `wait` for the lock; nullopt and `*err` when it was not had.
    static std::optional<FileLock> acquire(const std::string& path, std::chrono::milliseconds wait,
                                           std::string* err);
    FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    FileLock& operator=(FileLock&&) = delete;
    FileLock(const FileLock&) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace dk
