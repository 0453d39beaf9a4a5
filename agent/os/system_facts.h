// Facts about this computer that go into the report and the diagnostic bundle.
// Platform code: linux/.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace dk {

std::string hostName();
// An identifier that changes at every boot ("" when the platform has none):
// it tells whether the computer has been restarted since a problem began.
std::string bootId();

// The operating system as /etc/os-release (or /usr/lib/os-release) describes it:
// every KEY=value with its quotes removed ("PRETTY_NAME" -> "Debian GNU/Linux 12
// (bookworm)"). Empty when neither file can be read.
std::map<std::string, std::string> osRelease();
// The kernel: name, release, build and machine, as uname(2) gives them
// ("Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64"); "" when unknown.
std::string kernelVersion();
// Seconds since the computer started; nullopt when unknown.
std::optional<double> uptimeSeconds();

}  // namespace dk
