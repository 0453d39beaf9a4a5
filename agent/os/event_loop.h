// What the resident agent's loop waits on, in its own terms: the signals that stop
// it or reload its configuration, one-shot timers, a wake-up other threads ring,
// and the descriptors other seams offer (NetlinkWatch, FileWatch). Telling the
// service manager how the agent is doing is here too. Platform code:
// linux/event_loop.cpp (signalfd, timerfd, eventfd, poll, sd_notify).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace dk {

// A counter that other threads ring to wake the loop; ringing it again before the
// loop looks is the same as ringing it once.
class Wakeup {
public:
    // nullptr, with the reason in `*err`, when it cannot be made.
    static std::unique_ptr<Wakeup> open(std::string* err);
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    void ring();   // any thread; never blocks
    void clear();  // the loop, once it has looked
    int fd() const { return fd_; }

private:
    explicit Wakeup(int fd) : fd_(fd) {}
    int fd_;
};

class EventLoop {
public:
    // Which clock a timer counts on. `boot` goes on while the computer sleeps, so
    // that a periodic run is due after waking; neither follows the wall clock,
    // which the user or NTP may set back or forward.
    enum class Clock { boot, monotonic };

    // Takes the stop signals (SIGTERM, SIGINT) and the reload signal (SIGHUP) for
    // the loop: they are blocked in the calling thread and every thread it starts
    // later, so call it before any thread starts. nullptr and `*err` on failure.
    static std::unique_ptr<EventLoop> open(std::string* err);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // A one-shot timer, not armed; its number for arm() and Events::timers.
    // -1 and `*err` when it cannot be made.
    int addTimer(Clock clock, std::string* err);
    // Fires `timer` once, `after` from now (at least 1 ms); arming it again moves it.
    void arm(int timer, std::chrono::milliseconds after);

    struct Events {
        bool failed = false;     // the wait itself failed: `error` says why
        std::string error;
        bool reload = false;     // the reload signal came
        bool stop = false;       // a stop signal came
        std::string stop_signal; // its name, for the log ("Terminated")
        std::vector<int> timers;  // the timers that fired (each cleared)
        std::vector<bool> ready;  // per descriptor given to wait(): input is waiting
    };
    // Waits until something happens. `fds` are descriptors to watch for input;
    // negative ones are skipped. An interrupted wait comes back with nothing.
    Events wait(const std::vector<int>& fds);

private:
    explicit EventLoop(int signal_fd) : signal_fd_(signal_fd) {}
    int signal_fd_;
    std::vector<int> timers_;
};

// Tells the service manager (systemd's NOTIFY_SOCKET) how the agent is doing;
// does nothing when the agent was not started by one that asked.
class ServiceNotifier {
public:
    ServiceNotifier();
    void ready() const;                           // READY=1
    void status(const std::string& line) const;   // STATUS=...
    void readyWithStatus(const std::string& line) const;
    void reloading() const;                       // RELOADING=1 with the monotonic time
    void stopping() const;                        // STOPPING=1

private:
    void send(const std::string& state) const;
    bool enabled_;
};

// Facts about this process that the agent's start checks and logs.
bool runningAsRoot();
bool stderrIsTerminal();
long processId();

}  // namespace dk
