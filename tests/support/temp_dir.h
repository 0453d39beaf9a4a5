// A fresh directory under the system's temporary directory for one test,
// removed with everything in it afterwards (also after a test made part of it
// unreadable on purpose).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dk::test {

class TempDir {
public:
    // `tag` names the directory: /tmp/driftkoll-<tag>-XXXXXX.
    explicit TempDir(std::string_view tag = "test") {
        std::string pattern =
            (std::filesystem::temp_directory_path() / ("driftkoll-" + std::string(tag) + "-XXXXXX"))
                .string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string str() const { return path_.string(); }
    // The path of `name` inside the directory (converts to std::string where text is wanted).
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace dk::test
