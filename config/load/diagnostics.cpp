#include "config/load/diagnostics.h"

#include <algorithm>
#include <utility>

namespace dk::config::load {

void Diagnostics::error(const toml::source_position& at, std::string message,
                        std::string suggestion) {
    errors_.push_back(make(at, std::move(message), std::move(suggestion)));
}

void Diagnostics::warning(const toml::source_position& at, std::string message,
                          std::string suggestion) {
    warnings_.push_back(make(at, std::move(message), std::move(suggestion)));
}

SourceLoc Diagnostics::loc(const toml::source_position& at) const {
    return {file_, static_cast<int>(at.line), static_cast<int>(at.column)};
}

void Diagnostics::moveInto(LoadResult& r) {
    const auto byPosition = [](const ConfigError& a, const ConfigError& b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    };
    std::stable_sort(errors_.begin(), errors_.end(), byPosition);
    std::stable_sort(warnings_.begin(), warnings_.end(), byPosition);
    r.errors = std::move(errors_);
    r.warnings = std::move(warnings_);
}

ConfigError Diagnostics::make(const toml::source_position& at, std::string message,
                              std::string suggestion) const {
    return {file_, static_cast<int>(at.line), static_cast<int>(at.column), std::move(message),
            std::move(suggestion)};
}

}  // namespace dk::config::load
