#include "agent/os/system_facts.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

namespace dk {

namespace {

// One os-release value without its shell quoting: "Debian GNU/Linux" -> Debian GNU/Linux.
std::string unquote(const std::string& v) {
    if (v.size() < 2 || (v.front() != '"' && v.front() != '\'') || v.back() != v.front())
        return v;
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
        if (v.front() == '"' && v[i] == '\\' && i + 2 < v.size())
            ++i;
        out += v[i];
    }
    return out;
}

}  // namespace

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0)
        return {};
    return buf;
}

std::string bootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

std::map<std::string, std::string> osRelease() {
    std::map<std::string, std::string> out;
    for (const char* path : {"/etc/os-release", "/usr/lib/os-release"}) {
        std::ifstream in(path);
        if (!in)
            continue;
        std::string line;
        while (std::getline(in, line)) {
            const auto eq = line.find('=');
            if (line.empty() || line[0] == '#' || eq == std::string::npos)
                continue;
            out[line.substr(0, eq)] = unquote(line.substr(eq + 1));
        }
        break;
    }
    return out;
}

std::string kernelVersion() {
    utsname u{};
    if (uname(&u) != 0)
        return {};
    return std::string(u.sysname) + " " + u.release + " " + u.version + " " + u.machine;
}

std::optional<double> uptimeSeconds() {
    std::ifstream in("/proc/uptime");
    double seconds = 0;
    if (!(in >> seconds))
        return std::nullopt;
    return seconds;
}

}  // namespace dk
