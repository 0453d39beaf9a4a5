// Where a configuration file may be when none is named on the command line, in the
// order they are tried. The loader takes the first that exists (findUserConfig);
// the agent watches them all, so that a file IT deploys later is taken without a
// restart. Platform code: linux/config_paths.cpp (the XDG base directories).
#pragma once

#include <string>
#include <vector>

namespace dk::config {

// Linux: $XDG_CONFIG_HOME/driftkoll/driftkoll.toml (default ~/.config/driftkoll/
// driftkoll.toml), then <dir>/driftkoll/driftkoll.toml for each dir of
// $XDG_CONFIG_DIRS (default /etc/xdg). Relative directories in the variables are
// skipped, as the XDG spec requires. Absolute paths; none when nothing is known.
std::vector<std::string> configFileCandidates();

}  // namespace dk::config
