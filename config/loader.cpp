#include "config/loader.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include "config/config_paths.h"
#include "config/load/diagnostics.h"
#include "config/load/sections.h"

namespace dk::config {

std::string ConfigError::format() const {
    std::string out = file;
    if (line > 0)
        out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": " + message;
    if (!suggestion.empty())
        out += " (did you mean '" + suggestion + "'?)";
    return out;
}

namespace {

namespace fs = std::filesystem;

// Files larger than this are not configuration files; refuse them rather than read them.
constexpr std::uintmax_t kMaxFileSize = 1024 * 1024;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// Reads a whole file; on failure returns std::nullopt and sets `err` to why.
std::optional<std::string> readFile(const std::string& path, std::string& err) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        err = "it is a directory";
        return std::nullopt;
    }
    const std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        err = std::generic_category().message(errno);
        return std::nullopt;
    }
    std::string text;
    char buf[16384];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
        text.append(buf, n);
        if (text.size() > kMaxFileSize) {
            err = "it is larger than " + std::to_string(kMaxFileSize / 1024) +
                  " KiB; a configuration file is much smaller";
            return std::nullopt;
        }
    }
    if (std::ferror(f.get())) {
        err = std::generic_category().message(errno);
        return std::nullopt;
    }
    return text;
}

}  // namespace

LoadResult loadString(std::string_view text, const std::string& source_name) {
    LoadResult result;
    result.text = text;
    load::Diagnostics diag(source_name);
    try {
        const toml::table root = toml::parse(text, std::string_view(source_name));
        Config c = load::build(root, diag);
        c.source = source_name;
        if (!diag.hasErrors())
            result.config = std::move(c);
    } catch (const toml::parse_error& e) {
        std::string what(e.description());
        constexpr std::string_view kPrefix = "Error while parsing ";
        if (what.starts_with(kPrefix))
            what = "syntax error while parsing " + what.substr(kPrefix.size());
        else
            what = "syntax error: " + what;
        diag.error(e.source().begin, std::move(what));
    } catch (const std::exception& e) {
        diag.error({}, std::string("cannot load the configuration: ") + e.what());
    } catch (...) {
        diag.error({}, "cannot load the configuration: unexpected failure");
    }
    diag.moveInto(result);
    return result;
}

LoadResult loadFile(const std::string& path) {
    try {
        std::string err;
        if (const auto text = readFile(path, err))
            return loadString(*text, path);
        LoadResult r;
        r.errors.push_back({path, 0, 0, "cannot read the configuration file: " + err, {}});
        return r;
    } catch (const std::exception& e) {
        LoadResult r;
        r.errors.push_back(
            {path, 0, 0, std::string("cannot read the configuration file: ") + e.what(), {}});
        return r;
    }
}

LoadResult loadBuiltin() {
    return loadString(defaultProfileToml(), std::string(kBuiltinSource));
}

std::optional<std::string> findUserConfig() {
    for (const std::string& path : configFileCandidates()) {
        std::error_code ec;
        if (fs::is_regular_file(path, ec))
            return path;
    }
    return std::nullopt;
}

}  // namespace dk::config
