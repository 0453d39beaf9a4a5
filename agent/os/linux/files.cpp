#include "agent/os/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <vector>

namespace dk {

namespace fs = std::filesystem;

std::string systemError(int err) {
    return std::error_code(err, std::generic_category()).message();
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

// Creates the missing directories of `dir`, each 0700. Existing ones are left as they are.
bool makePrivateDirectories(const std::string& dir_path, std::string* err) {
    const fs::path dir(dir_path);
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

bool removeFileIfPresent(const std::string& path, std::string* why) {
    if (::unlink(path.c_str()) == 0 || errno == ENOENT)
        return true;
    if (why)
        *why = systemError(errno);
    return false;
}

ReadResult readSmallFile(const std::string& path, long long max_bytes, std::string& out,
                         std::string& why) {
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
    } else if (st.st_size > max_bytes) {
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

namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

CappedRead readFileCapped(const std::string& path_text, std::size_t cap) {
    const fs::path path(path_text);
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        return {false, {}, "cannot open " + path.string() + ": " + std::strerror(errno)};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return {false, {}, path.string() + " is not a regular file"};
    CappedRead out;
    char buf[1 << 16];
    while (true) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return {false, {}, "cannot read " + path.string() + ": " + std::strerror(errno)};
        if (n == 0)
            break;
        out.body.append(buf, static_cast<std::size_t>(n));
        if (out.body.size() > cap)
            return {false, {}, "larger than the limit of " + std::to_string(cap) + " bytes"};
    }
    out.ok = true;
    return out;
}


bool createPrivateFile(const std::string& path, std::string* why) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return true;
    }
    if (errno == EEXIST)
        return true;
    *why = systemError(errno);
    return false;
}

bool readFileTail(const std::string& path, std::size_t cap, std::string& out,
                  std::size_t& skipped, std::string& why) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        why = systemError(errno);
        return false;
    }
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!ok)
        why = "not a regular file";
    const auto size = ok ? static_cast<std::size_t>(st.st_size) : 0;
    skipped = size > cap ? size - cap : 0;
    if (ok && skipped > 0 && ::lseek(fd, static_cast<off_t>(skipped), SEEK_SET) < 0) {
        why = systemError(errno);
        ok = false;
    }
    out.clear();
    char buf[65536];
    while (ok && out.size() < cap) {
        const ssize_t n = ::read(fd, buf, std::min(sizeof buf, cap - out.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            why = systemError(errno);
            ok = false;
        }
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return ok;
}

std::string defaultCacheDir() {
    // The XDG base directory spec: a relative $XDG_CACHE_HOME is to be ignored.
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/')
        return std::string(xdg) + "/driftkoll";
    const char* home = std::getenv("HOME");
    return std::string(home && home[0] ? home : "/tmp") + "/.cache/driftkoll";
}

std::string selfExecutable() {
    std::error_code ec;
    fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
}

std::string utcStampForFileName() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

namespace {

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

bool writeFileAtomic(const std::string& path, std::string_view content, unsigned mode,
                     std::string* err) {
    const fs::path file(path);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    auto fail = [&](const std::string& what, int e) {
        if (err)
            *err = what + ": " + systemError(e);
        return false;
    };
    std::string temp = (dir / (file.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0)
        return fail(temp, errno);
    // mkostemp makes the file 0600; fchmod gives the mode asked for, whatever the umask.
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0 || !writeAll(fd, content) ||
        ::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return fail(temp, e);
    }
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(temp.c_str());
        return fail(temp, e);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(temp.c_str());
        return fail(path, e);
    }
    // Make the rename durable too. The new file is in place either way, so a
    // failure here is not reported.
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

std::optional<std::string> setAsideCorrupt(const std::string& path, std::string* why) {
    const std::string base = path + ".corrupt-" + utcStampForFileName();
    std::string aside = base;
    std::error_code ec;
    for (int n = 2; fs::exists(aside, ec); ++n) aside = base + "-" + std::to_string(n);
    if (::rename(path.c_str(), aside.c_str()) != 0) {
        if (why)
            *why = systemError(errno);
        return std::nullopt;
    }
    return aside;
}

std::optional<FileLock> FileLock::acquire(const std::string& path, std::chrono::milliseconds wait,
                                          std::string* err) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (err)
            *err = path + ": " + systemError(errno);
        return std::nullopt;
    }
    // flock() has no timeout: try, and between tries sleep a little. Only a
    // contended lock ever sleeps, and only while another run writes.
    const auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            return FileLock(fd);
        const int e = errno;
        if ((e != EWOULDBLOCK && e != EINTR) || std::chrono::steady_clock::now() >= until) {
            ::close(fd);
            if (err)
                *err = path + ": " +
                       (e == EWOULDBLOCK ? "held by another process" : systemError(e));
            return std::nullopt;
        }
        ::usleep(10000);
    }
}

FileLock::~FileLock() {
    if (fd_ >= 0)
        ::close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace dk
