// The resident agent, `driftkoll-agent`: what stays in memory all day. `driftkoll
// agent` hands over to it (same process, see agentCommand). It watches — the
// network (netlink), the clock, the config file, the local API — and keeps the
// history; each check and each diagnostic bundle is done by the full `driftkoll`
// program in a child process (child_check.h). So the resident process never maps
// libcurl, OpenSSL, c-ares or libical, and is small between runs.
#pragma once

namespace dk {

// The program's main: `driftkoll-agent --check-program PATH [--config FILE]
// [--lang sv|en]`. Exit codes as runAgent's; 2 for bad arguments.
int residentMain(int argc, char** argv);

}  // namespace dk
