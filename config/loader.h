// Loading the configuration: TOML text -> the typed model (model.h), with every
// problem reported as file:line:column so that IT can fix a broken file quickly.
//
// Nothing here throws. A load returns its result as a value: the config when the
// text is valid, and all errors and warnings found (the loader does not stop at
// the first semantic error). When there is any error the config is left empty, so
// a running agent keeps its last good config.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"

namespace dk::config {

// The source name of the built-in default profile, as shown in messages.
inline constexpr std::string_view kBuiltinSource = "<inbyggd standardprofil>";

struct ConfigError {
    std::string file;
    int line = 0;    // 1-based; 0 when the problem has no position (unreadable file)
    int column = 0;  // 1-based
    std::string message;
    std::string suggestion;  // a close valid name for a misspelt key or value; may be empty

    // "file:12:5: unknown key 'timout' in [[systems]] (did you mean 'timeout'?)"
    std::string format() const;
};

struct LoadResult {
    std::optional<Config> config;  // set only when there are no errors
    std::vector<ConfigError> errors;
    std::vector<ConfigError> warnings;  // the config is usable, but something looks wrong
    std::string text;  // the TOML text that was read ("" when none could be), to hand on

    bool ok() const { return config.has_value() && errors.empty(); }
};

// Reads and loads a file. A missing or unreadable file is an error naming the path.
LoadResult loadFile(const std::string& path);

// Loads TOML text; `source_name` is used in messages and as Config::source.
LoadResult loadString(std::string_view text, const std::string& source_name);

// Loads the built-in default profile (the Örebro routine); source kBuiltinSource.
LoadResult loadBuiltin();

// The built-in default profile as TOML text (default_profile.toml, compiled in).
std::string_view defaultProfileToml();

// Where `driftkoll check` looks when no --config is given: the first of
// configFileCandidates() (config_paths.h) that is a file. std::nullopt: none is,
// use the built-in profile.
std::optional<std::string> findUserConfig();

// The effective configuration as TOML, for `driftkoll config show`. Starts with a
// comment naming the source; every setting is written out, defaults included, and
// the text loads back to an equal configuration.
std::string renderToml(const Config& c);

}  // namespace dk::config
