// Changes to one file (the agent's configuration), through inotify on the file's
// directory: editors and configuration management replace a file by writing a
// new one and renaming it over the old, which a watch on the file itself would
// miss. Like NetlinkWatch, it only offers a descriptor to poll.
#pragma once

#include <memory>
#include <string>

namespace dk {

class FileWatch {
public:
    // Watches the directory of `path` for `path` being written and closed, created,
    // renamed into or out of place, or deleted. nullptr, with the reason in `*err`,
    // when the directory cannot be watched (it does not exist, no inotify).
    static std::unique_ptr<FileWatch> open(const std::string& path, std::string* err);

    ~FileWatch();
    FileWatch(const FileWatch&) = delete;
    FileWatch& operator=(const FileWatch&) = delete;

    // Non-blocking; readable when events are waiting.
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }

    // Reads every event waiting, without blocking. True when one concerned the
    // file, or when events were lost (the queue overflowed) or the directory went.
    bool drain();

private:
    FileWatch(int fd, std::string path, std::string name);

    int fd_;
    std::string path_;
    std::string name_;  // the file's name inside its directory
};

}  // namespace dk
