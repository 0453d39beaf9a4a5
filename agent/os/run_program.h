// Running a helper program to its end: its input given, its output and errors
// taken whole, its time bounded. The agent runs each check this way, in a child
// process, so that the resident process never loads the network stack's
// libraries (see resident.h). Platform code: linux/run_program.cpp.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace dk {

struct ProgramRun {
    std::vector<std::string> argv;  // argv[0] is the program's path; no PATH search
    std::string input;              // written to its standard input, which is then closed
    std::chrono::milliseconds timeout{30000};
    std::size_t max_output = 16 * 1024 * 1024;  // per stream; more is cut off and said so
};

struct ProgramResult {
    bool started = false;    // false: it could not be started (`error` says why)
    bool timed_out = false;  // it ran past the timeout and was killed (SIGKILL)
    int exit_code = -1;      // its exit status; -1 when it ended by a signal
    int signal = 0;          // the signal that ended it, else 0
    bool truncated = false;  // an output stream was longer than max_output
    std::string out, err;    // what it wrote
    std::string error;       // why it could not be started or waited for

    bool ok() const { return started && !timed_out && exit_code == 0; }
    // "exit code 3", "killed by signal 9 (Killed)", "ran past 34 s and was killed", ...
    std::string describe() const;
};

// Starts argv[0] with an empty signal mask and default signal actions, no
// descriptors of ours beyond 0, 1 and 2, and this process's environment; feeds
// it `input`; collects its output until it ends. Never throws. SIGPIPE is
// ignored in this process from the first call on (it would otherwise end the
// caller when a child stops reading).
ProgramResult runProgram(const ProgramRun& run);

// Replaces this process with argv[0] (same pid, same environment and signal
// dispositions). Returns only when that failed, with the reason.
std::string replaceProcess(const std::vector<std::string>& argv);

}  // namespace dk
