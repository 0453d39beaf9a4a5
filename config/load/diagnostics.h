// The loader's findings: errors and warnings, each at its file:line:column.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "config/loader.h"
#include "config/model.h"

namespace dk::config::load {

class Diagnostics {
public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    void error(const toml::source_position& at, std::string message, std::string suggestion = {});
    void warning(const toml::source_position& at, std::string message, std::string suggestion = {});

    // Where `at` is, for the model's `where` fields.
    SourceLoc loc(const toml::source_position& at) const;
    bool hasErrors() const { return !errors_.empty(); }
    std::size_t errorCount() const { return errors_.size(); }

    // Moves the findings into `r`, in the order they appear in the file (the
    // reading order follows the schema, not the text).
    void moveInto(LoadResult& r);

private:
    ConfigError make(const toml::source_position& at, std::string message,
                     std::string suggestion) const;

    std::string file_;
    std::vector<ConfigError> errors_;
    std::vector<ConfigError> warnings_;
};

}  // namespace dk::config::load
