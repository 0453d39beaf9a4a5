#include "agent/os/file_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

namespace dk {

namespace {

constexpr std::uint32_t kEvents =
    IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR;

}  // namespace

std::unique_ptr<FileWatch> FileWatch::open(const std::string& path, std::string* err) {
    const std::filesystem::path p(path);
    const std::string name = p.filename().string();
    const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    if (name.empty()) {
        *err = "inotify: " + path + " names no file";
        return nullptr;
    }
    const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        *err = std::string("inotify: ") + std::strerror(errno);
        return nullptr;
    }
    if (inotify_add_watch(fd, dir.c_str(), kEvents) < 0) {
        *err = "inotify: " + dir + ": " + std::strerror(errno);
        ::close(fd);
        return nullptr;
    }
    return std::unique_ptr<FileWatch>(new FileWatch(fd, path, name));
}

FileWatch::FileWatch(int fd, std::string path, std::string name)
    : fd_(fd), path_(std::move(path)), name_(std::move(name)) {}

FileWatch::~FileWatch() {
    ::close(fd_);
}

bool FileWatch::drain() {
    bool hit = false;
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
            if (ev.mask & (IN_Q_OVERFLOW | IN_IGNORED))
                hit = true;
            else if (ev.len > 0 && name_ == name)
                hit = true;
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
        }
    }
    return hit;
}

}  // namespace dk
