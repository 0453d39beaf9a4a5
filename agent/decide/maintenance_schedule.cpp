// The maintenance windows in force: which cover a system now, which come soon.
// (The iCalendar parser is maintenance.cpp, in its own library for libical.)
#include "agent/decide/maintenance.h"

#include <algorithm>
#include <tuple>

namespace dk {

using std::chrono::sys_seconds;

bool startsEarlier(const MaintenanceWindow& a, const MaintenanceWindow& b) {
    return std::tie(a.start, a.end, a.title, a.uid) < std::tie(b.start, b.end, b.title, b.uid);
}

std::vector<const MaintenanceWindow*> MaintenanceSchedule::activeFor(const std::string& system,
                                                                     sys_seconds now) const {
    std::vector<const MaintenanceWindow*> out;
    for (const auto& w : windows)
        if (w.start <= now && now < w.end &&
            (w.systems.empty() ||
             std::find(w.systems.begin(), w.systems.end(), system) != w.systems.end()))
            out.push_back(&w);
    return out;
}

std::vector<const MaintenanceWindow*> MaintenanceSchedule::upcoming(
    sys_seconds now, std::chrono::hours within) const {
    std::vector<const MaintenanceWindow*> out;
    for (const auto& w : windows)
        if (w.start >= now && w.start < now + within)
            out.push_back(&w);
    return out;
}

}  // namespace dk
