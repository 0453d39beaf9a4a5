// Runs a program the way a user or a script would, for whole-program tests:
// arguments, captured stdout and stderr, the exit code and the wall time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace dk::test {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed or not started
    std::string out, err;
    double wall_ms = 0;
    bool timed_out = false;
};

// Runs argv[0] (a path) with argv, optional extra environment ("K=V"), and
// kills it after `timeout`. Never throws for the program's own failures.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A program left running in the background (a daemon under test), its output
// going to `log_path`. The destructor kills it if it still runs.
class Spawned {
public:
    Spawned(const std::vector<std::string>& argv, const std::string& log_path);
    ~Spawned();
    Spawned(const Spawned&) = delete;
    Spawned& operator=(const Spawned&) = delete;

    int pid() const { return pid_; }
    // Sends `signal` and waits up to `timeout` for the exit. Returns the exit code,
    // 128 + signal when a signal ended it, or -1 when it did not end in time.
    int stop(int signal, std::chrono::milliseconds timeout);

private:
    int pid_ = -1;
};

}  // namespace dk::test
