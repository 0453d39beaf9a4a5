#include "agent/os/run_program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/os/files.h"

extern char** environ;

namespace dk {

namespace {

// Both ends of a pipe, closed on scope exit unless handed on.
struct Pipe {
    int read = -1, write = -1;
    bool open() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            return false;
        read = fds[0];
        write = fds[1];
        return true;
    }
    static void close(int& fd) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
    ~Pipe() {
        close(read);
        close(write);
    }
};

long long monotonicMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

std::string ProgramResult::describe() const {
    if (!started)
        return "could not be started: " + error;
    if (timed_out)
        return "ran past its time and was killed";
    if (signal != 0)
        return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
    return "exit code " + std::to_string(exit_code);
}

ProgramResult runProgram(const ProgramRun& run) {
    // A child that stops reading its input must not end this process by SIGPIPE:
    // the failed write is an error value instead.
    struct sigaction pipe_action {};
    if (::sigaction(SIGPIPE, nullptr, &pipe_action) == 0 && pipe_action.sa_handler == SIG_DFL)
        ::signal(SIGPIPE, SIG_IGN);
    ProgramResult r;
    if (run.argv.empty()) {
        r.error = "no program";
        return r;
    }
    Pipe in, out, err;
    if (!in.open() || !out.open() || !err.open()) {
        r.error = "pipe: " + systemError(errno);
        return r;
    }

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attr);
    ::posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
    // Sockets and files of ours that were opened without O_CLOEXEC (a library's)
    // stay ours: the child gets 0, 1 and 2 only.
    ::posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    // The agent blocks SIGTERM, SIGHUP and SIGINT for its signalfd; the child must
    // not inherit that, or it could not be stopped.
    sigset_t none, every;
    sigemptyset(&none);
    sigfillset(&every);
    ::posix_spawnattr_setsigmask(&attr, &none);
    ::posix_spawnattr_setsigdefault(&attr, &every);
    ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> argv;
    for (const auto& a : run.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        r.error = run.argv[0] + ": " + systemError(rc);
        return r;
    }
    r.started = true;
    // Readable when the child has ended: so that a child that ends without closing
    // its output (or leaves a process behind holding it) is seen at once.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    bool exited = false;
    int status = 0;
    Pipe::close(in.read);
    Pipe::close(out.write);
    Pipe::close(err.write);
    for (int fd : {in.write, out.read, err.read}) ::fcntl(fd, F_SETFL, O_NONBLOCK);

    char buf[65536];
    // Reads what stream `i` (0 out, 1 err) has now; `all`: until it has no more.
    // Either way, it closes the stream at its end.
    auto take = [&](int i, bool all) {
        int& fd = i == 0 ? out.read : err.read;
        std::string& into = i == 0 ? r.out : r.err;
        // After the end, at most what a few full pipe buffers hold: a process left
        // behind that keeps writing must not keep us here.
        for (int reads = 0; fd >= 0 && reads < 64; ++reads) {
            const ssize_t got = ::read(fd, buf, sizeof buf);
            if (got > 0) {
                const std::size_t room =
                    into.size() < run.max_output ? run.max_output - into.size() : 0;
                const std::size_t kept = std::min(room, static_cast<std::size_t>(got));
                into.append(buf, kept);
                if (kept < static_cast<std::size_t>(got))
                    r.truncated = true;
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                Pipe::close(fd);
            } else if (errno == EAGAIN) {
                return;
            }
            if (!all)
                return;
        }
    };

    std::size_t written = 0;
    if (run.input.empty())
        Pipe::close(in.write);
    const long long end = monotonicMs() + run.timeout.count();
    for (;;) {
        // Without a pidfd (a kernel before 5.3) the end of its output stands for
        // the end of the child, and the wait below is not bounded.
        if (pidfd < 0 && out.read < 0 && err.read < 0)
            break;
        const long long left = end - monotonicMs();
        if (left <= 0) {
            r.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[4] = {{out.read, POLLIN, 0},
                         {err.read, POLLIN, 0},
                         {in.write, POLLOUT, 0},
                         {pidfd, POLLIN, 0}};
        const int n = ::poll(fds, 4, static_cast<int>(left));
        if (n < 0 && errno != EINTR) {
            r.error = "poll: " + systemError(errno);
            ::kill(pid, SIGKILL);
            break;
        }
        if (n <= 0)
            continue;
        if (fds[2].revents != 0) {
            const ssize_t w =
                ::write(in.write, run.input.data() + written, run.input.size() - written);
            if (w > 0)
                written += static_cast<std::size_t>(w);
            // A child that stops reading early (or has ended) is not our error: its
            // exit status says what happened.
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == run.input.size())
                Pipe::close(in.write);
        }
        for (int i = 0; i < 2; ++i)
            if (fds[i].revents != 0)
                take(i, false);
        if (fds[3].revents != 0 && ::waitpid(pid, &status, WNOHANG) == pid) {
            // It has ended: what it wrote is in the pipes now. A process it left
            // behind may hold them open; that one is not waited for.
            exited = true;
            take(0, true);
            take(1, true);
            break;
        }
    }

    Pipe::close(in.write);
    if (pidfd >= 0)
        ::close(pidfd);
    while (!exited && ::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            r.error = "waitpid: " + systemError(errno);
            return r;
        }
    }
    if (WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r.signal = WTERMSIG(status);
    return r;
}

std::string replaceProcess(const std::vector<std::string>& argv) {
    if (argv.empty())
        return "no program";
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    return argv[0] + ": " + systemError(errno);
}

}  // namespace dk
