// Changes to the files the agent's configuration may come from, through inotify on
// their directories: editors and configuration management replace a file by
// writing a new one and renaming it over the old, which a watch on the file itself
// would miss; and IT may deploy a file, folder and all, after the agent started.
// Like NetlinkWatch, it only offers a descriptor to poll.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dk {

class FileWatch {
public:
    // Watches each of `paths` being written and closed, created, renamed into or
    // out of place, or deleted. A file whose directory does not exist yet is
    // watched from the nearest directory above it that does, and from deeper ones
    // as they appear. nullptr, with the reason in `*err`, when there is no inotify
    // or a path names no file.
    static std::unique_ptr<FileWatch> open(std::vector<std::string> paths, std::string* err);

    ~FileWatch();
    FileWatch(const FileWatch&) = delete;
    FileWatch& operator=(const FileWatch&) = delete;

    // Non-blocking; readable when events are waiting.
    int fd() const { return fd_; }
    const std::vector<std::string>& paths() const { return paths_; }

    // Reads every event waiting, without blocking. True when one concerned a file
    // or a directory on the way to one, or when events were lost (the queue
    // overflowed) or a watched directory went; the watches then follow the
    // directories as they are now.
    bool drain();

private:
    FileWatch(int fd, std::vector<std::string> paths);
    // (Re)places the watches: for each path, on the deepest directory of it that
    // exists, for the name that leads on to the file.
    bool arm(std::string* err);

    int fd_;
    std::vector<std::string> paths_;
    std::map<int, std::set<std::string>> names_;  // watch → the names that matter in it
};

}  // namespace dk
