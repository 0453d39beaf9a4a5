// The `driftkoll` command line. Exit codes: 0 all fine, 1 a problem found,
// 2 bad usage or bad configuration (with a message on `err`).
#pragma once

#include <ostream>

namespace dk {

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace dk
