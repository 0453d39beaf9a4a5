#include "agent/os/file_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

namespace dk {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kEvents = IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
                                  IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

}  // namespace

std::unique_ptr<FileWatch> FileWatch::open(std::vector<std::string> paths, std::string* err) {
    for (std::string& p : paths) {
        fs::path file = fs::path(p).lexically_normal();
        if (!file.has_filename()) {
            *err = "inotify: " + p + " names no file";
            return nullptr;
        }
        std::error_code ec;
        const fs::path abs = fs::absolute(file, ec);
        p = (ec ? file : abs).string();
    }
    const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        *err = std::string("inotify: ") + std::strerror(errno);
        return nullptr;
    }
    std::unique_ptr<FileWatch> watch(new FileWatch(fd, std::move(paths)));
    if (!watch->arm(err))
        return nullptr;
    return watch;
}

FileWatch::FileWatch(int fd, std::vector<std::string> paths) : fd_(fd), paths_(std::move(paths)) {}

FileWatch::~FileWatch() {
    ::close(fd_);
}

bool FileWatch::arm(std::string* err) {
    // Removed watches report IN_IGNORED later; drain() skips those it no longer has.
    for (const auto& [wd, names] : names_) inotify_rm_watch(fd_, wd);
    names_.clear();
    bool all = true;
    for (const std::string& p : paths_) {
        const fs::path file(p);
        fs::path dir = file.parent_path();
        std::string next = file.filename().string();
        std::error_code ec;
        while (!fs::is_directory(dir, ec) && dir.has_relative_path()) {
            next = dir.filename().string();
            dir = dir.parent_path();
        }
        const int wd = inotify_add_watch(fd_, dir.c_str(), kEvents);
        if (wd < 0) {
            *err = "inotify: " + dir.string() + ": " + std::strerror(errno);
            all = false;  // the other paths are still watched
            continue;
        }
        names_[wd].insert(next);
    }
    return all;
}

bool FileWatch::drain() {
    bool hit = false;
    bool rearm = false;
    alignas(inotify_event) char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            inotify_event ev;
            std::memcpy(&ev, buf + off, sizeof ev);
            const char* name = buf + off + sizeof(inotify_event);
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
            if (ev.mask & IN_Q_OVERFLOW) {
                hit = rearm = true;
                continue;
            }
            const auto watched = names_.find(ev.wd);
            if (watched == names_.end())
                continue;  // a watch removed by arm()
            if (ev.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
                hit = rearm = true;  // the directory itself went
            } else if (ev.len > 0 && watched->second.count(name)) {
                hit = true;
                // A directory on the way to a file came or went: follow it.
                if (ev.mask & IN_ISDIR)
                    rearm = true;
            }
        }
    }
    if (rearm) {
        std::string err;
        arm(&err);  // what cannot be watched now is tried again at the next change
    }
    return hit;
}

}  // namespace dk
