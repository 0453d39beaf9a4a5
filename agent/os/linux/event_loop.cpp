#include "agent/os/event_loop.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace dk {

namespace {

std::string errnoText(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}

// Reads the 8-byte counter of a timerfd or eventfd, which clears it.
void clearCounter(int fd) {
    std::uint64_t n = 0;
    while (::read(fd, &n, sizeof n) < 0 && errno == EINTR) {
    }
}

sigset_t loopSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    return signals;
}

}  // namespace

// ---- Wakeup ------------------------------------------------------------------

std::unique_ptr<Wakeup> Wakeup::open(std::string* err) {
    const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) {
        *err = errnoText("eventfd");
        return nullptr;
    }
    return std::unique_ptr<Wakeup>(new Wakeup(fd));
}

Wakeup::~Wakeup() {
    ::close(fd_);
}

void Wakeup::ring() {
    const std::uint64_t one = 1;
    // Non-blocking: a counter already at its maximum has woken the loop anyway.
    [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
}

void Wakeup::clear() {
    clearCounter(fd_);
}

// ---- EventLoop -----------------------------------------------------------------

std::unique_ptr<EventLoop> EventLoop::open(std::string* err) {
    const sigset_t signals = loopSignals();
    if (const int rc = ::pthread_sigmask(SIG_BLOCK, &signals, nullptr); rc != 0) {
        *err = std::string("pthread_sigmask: ") + std::strerror(rc);
        return nullptr;
    }
    const int fd = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) {
        *err = errnoText("signalfd");
        return nullptr;
    }
    return std::unique_ptr<EventLoop>(new EventLoop(fd));
}

EventLoop::~EventLoop() {
    for (int t : timers_) ::close(t);
    ::close(signal_fd_);
}

int EventLoop::addTimer(Clock clock, std::string* err) {
    const int fd = ::timerfd_create(clock == Clock::boot ? CLOCK_BOOTTIME : CLOCK_MONOTONIC,
                                    TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) {
        *err = errnoText("timerfd_create");
        return -1;
    }
    timers_.push_back(fd);
    return static_cast<int>(timers_.size()) - 1;
}

void EventLoop::arm(int timer, std::chrono::milliseconds after) {
    const long long ms = std::max<long long>(after.count(), 1);
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(ms / 1000);
    spec.it_value.tv_nsec = static_cast<long>((ms % 1000) * 1000000);
    ::timerfd_settime(timers_.at(static_cast<std::size_t>(timer)), 0, &spec, nullptr);
}

EventLoop::Events EventLoop::wait(const std::vector<int>& fds) {
    // The signals, the timers, then the caller's descriptors.
    std::vector<pollfd> polled;
    polled.push_back({signal_fd_, POLLIN, 0});
    for (int t : timers_) polled.push_back({t, POLLIN, 0});
    for (int fd : fds) polled.push_back({fd, POLLIN, 0});  // poll() skips negative ones

    Events ev;
    ev.ready.assign(fds.size(), false);
    if (::poll(polled.data(), polled.size(), -1) < 0) {
        if (errno != EINTR) {
            ev.failed = true;
            ev.error = errnoText("poll");
        }
        return ev;
    }
    if (polled[0].revents & POLLIN) {
        signalfd_siginfo si{};
        while (::read(signal_fd_, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
            if (si.ssi_signo == SIGHUP) {
                ev.reload = true;
            } else {
                ev.stop = true;
                ev.stop_signal = ::strsignal(static_cast<int>(si.ssi_signo));
            }
        }
    }
    for (std::size_t i = 0; i < timers_.size(); ++i) {
        if (polled[1 + i].revents & POLLIN) {
            clearCounter(timers_[i]);
            ev.timers.push_back(static_cast<int>(i));
        }
    }
    for (std::size_t i = 0; i < fds.size(); ++i)
        ev.ready[i] = (polled[1 + timers_.size() + i].revents & (POLLIN | POLLERR)) != 0;
    return ev;
}

// ---- ServiceNotifier -------------------------------------------------------------

ServiceNotifier::ServiceNotifier() : enabled_(std::getenv("NOTIFY_SOCKET") != nullptr) {}

void ServiceNotifier::send(const std::string& state) const {
    if (enabled_)
        ::sd_notify(0, state.c_str());
}

void ServiceNotifier::ready() const {
    send("READY=1");
}

void ServiceNotifier::status(const std::string& line) const {
    send("STATUS=" + line);
}

void ServiceNotifier::readyWithStatus(const std::string& line) const {
    send("READY=1\nSTATUS=" + line);
}

void ServiceNotifier::reloading() const {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void ServiceNotifier::stopping() const {
    send("STOPPING=1");
}

// ---- process facts -------------------------------------------------------------------

bool runningAsRoot() {
    return ::geteuid() == 0;
}

bool stderrIsTerminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

long processId() {
    return static_cast<long>(::getpid());
}

}  // namespace dk
