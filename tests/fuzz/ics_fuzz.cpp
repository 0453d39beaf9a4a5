// libFuzzer entry point: arbitrary bytes into the iCalendar parser of the
// maintenance feed (agent/decide/maintenance.h), which must never crash, hang, leak or
// read outside its input. Seed corpus: tests/fuzz/corpus/ics_fuzz and tests/data/ics.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/decide/maintenance.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Larger feeds are refused before they reach the parser (max_feed_bytes).
    if (size > (1u << 20))
        return 0;
    static const std::vector<std::string> systems = {"tes", "tes_app", "na"};
    // The seed corpus lies in 2026: expand over that year, as loadMaintenance would.
    const std::chrono::sys_seconds from{std::chrono::seconds{1767225600}};  // 2026-01-01T00:00Z
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    dk::parseIcs(text, systems, "Europe/Stockholm", from, from + std::chrono::hours{24 * 366});
    return 0;
}
