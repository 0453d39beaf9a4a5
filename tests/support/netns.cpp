#include "tests/support/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace dk::test {

namespace {

constexpr const char* kPrefix = "dk-";

// `ip netns del`, for clean-up paths: a namespace that is already gone is fine.
void deleteNamespace(const std::string& name) {
    [[maybe_unused]] int status =
        std::system(("ip netns del " + name + " >/dev/null 2>&1").c_str());
}

// Deletes namespaces named dk-<pid>-<n> whose process is gone (a test killed by
// a timeout never runs its destructors). Namespaces of live processes, including
// other test programs running in parallel, are left alone.
void deleteLeftovers() {
    std::istringstream list(sh("ip netns list"));
    std::string line;
    while (std::getline(list, line)) {
        std::string name = line.substr(0, line.find(' '));
        if (name.rfind(kPrefix, 0) != 0)
            continue;
        auto dash = name.find('-', std::strlen(kPrefix));
        if (dash == std::string::npos)
            continue;
        pid_t pid = 0;
        try {
            pid = static_cast<pid_t>(std::stol(name.substr(std::strlen(kPrefix))));
        } catch (const std::exception&) {
            continue;
        }
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
            deleteNamespace(name);
        }
    }
}

}  // namespace

std::string sh(const std::string& cmd) {
    FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("cannot run `" + cmd + "`: " + std::strerror(errno));
    }
    std::string output;
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
    int status = pclose(pipe);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string how = (status != -1 && WIFEXITED(status))
                              ? "exit status " + std::to_string(WEXITSTATUS(status))
                              : "abnormal end";
        throw std::runtime_error("`" + cmd + "` failed (" + how + "): " + output);
    }
    return output;
}

bool netnsAvailable(std::string* why) {
    static const std::string reason = [] {
        if (geteuid() != 0)
            return std::string("network namespaces need root");
        try {
            NetNs probe;
        } catch (const std::exception& e) {
            return std::string("cannot create a network namespace: ") + e.what();
        }
        return std::string();
    }();
    if (why != nullptr)
        *why = reason;
    return reason.empty();
}

NetNs::NetNs() {
    static std::once_flag swept;
    std::call_once(swept, deleteLeftovers);
    static std::atomic<unsigned> counter{0};
    name_ = kPrefix + std::to_string(getpid()) + "-" + std::to_string(counter++);
    sh("ip netns add " + name_);
    try {
        exec("ip link set lo up");
    } catch (...) {
        deleteNamespace(name_);
        throw;
    }
}

NetNs::~NetNs() {
    // Best effort: a destructor must not throw, and the kernel frees the
    // namespace (and its veth ends) once the last user is gone.
    deleteNamespace(name_);
}

std::string NetNs::exec(const std::string& cmd) const {
    return sh("ip netns exec " + name_ + " " + cmd);
}

void NetNs::runInside(const std::function<void()>& body) const {
    std::string path = "/run/netns/" + name_;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    std::exception_ptr failure;
    // A fresh thread, so that the namespace switch never leaks into the caller's thread.
    std::thread worker([&] {
        try {
            if (setns(fd, CLONE_NEWNET) != 0) {
                throw std::runtime_error("setns into " + name_ + ": " + std::strerror(errno));
            }
            body();
        } catch (...) {
            failure = std::current_exception();
        }
    });
    worker.join();
    close(fd);
    if (failure)
        std::rethrow_exception(failure);
}

}  // namespace dk::test
