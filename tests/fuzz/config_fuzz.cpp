// libFuzzer entry point: arbitrary text into the configuration loader
// (config/loader.h), which must never crash, hang, leak or throw. A text it
// accepts must survive `driftkoll config show`: renderToml() writes it out, the
// output loads again without errors, to an equal configuration (positions and
// source aside), and renders to the same text. Seed corpus: tests/fuzz/corpus/config_fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/loader.h"

namespace {

// Where the values came from differs between the original and the rendered text.
dk::config::Config withoutPositions(dk::config::Config c) {
    c.source.clear();
    for (auto& s : c.systems) s.where = {};
    for (auto& w : c.maintenance.windows) w.where = {};
    return c;
}

[[noreturn]] void fail(const char* what, const std::string& text) {
    std::fprintf(stderr, "config_fuzz: %s\n--- rendered ---\n%s\n", what, text.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A config is a few KiB; the agent reads no file of this size.
    if (size > (64u << 10))
        return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const dk::config::LoadResult first = dk::config::loadString(text, "fuzz.toml");
    for (const auto& e : first.errors) static_cast<void>(e.format());
    for (const auto& w : first.warnings) static_cast<void>(w.format());
    if (first.config.has_value() != first.errors.empty())
        fail("a config together with errors, or neither", "");
    if (!first.ok())
        return 0;

    const std::string rendered = dk::config::renderToml(*first.config);
    const dk::config::LoadResult again = dk::config::loadString(rendered, "fuzz.toml");
    if (!again.ok()) {
        std::string why;
        for (const auto& e : again.errors) why += e.format() + "\n";
        fail(("the rendered config does not load:\n" + why).c_str(), rendered);
    }
    if (withoutPositions(*again.config) != withoutPositions(*first.config))
        fail("the rendered config loads to a different config", rendered);
    if (dk::config::renderToml(*again.config) != rendered)
        fail("the rendered config renders differently the second time", rendered);
    return 0;
}
