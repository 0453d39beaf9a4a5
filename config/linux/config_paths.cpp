#include "config/config_paths.h"

#include <cstdlib>
#include <string_view>

namespace dk::config {

std::vector<std::string> configFileCandidates() {
    const auto candidate = [](const std::string& dir) { return dir + "/driftkoll/driftkoll.toml"; };
    std::vector<std::string> out;

    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && x[0] == '/')
        out.push_back(candidate(x));
    else if (const char* h = std::getenv("HOME"); h && h[0] == '/')
        out.push_back(candidate(std::string(h) + "/.config"));

    const char* dirs_env = std::getenv("XDG_CONFIG_DIRS");
    std::string_view dirs = dirs_env && dirs_env[0] ? dirs_env : "/etc/xdg";
    while (!dirs.empty()) {
        const std::size_t colon = dirs.find(':');
        const std::string dir(dirs.substr(0, colon));
        dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
        if (dir.starts_with('/'))
            out.push_back(candidate(dir));
    }
    return out;
}

}  // namespace dk::config
