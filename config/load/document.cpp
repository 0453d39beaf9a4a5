// The whole document: the top-level keys and every section, in dependency order.
#include "config/load/sections.h"

namespace dk::config::load {

// Sections are read in dependency order: deadlines before systems (the timeout
// check), systems before clock and maintenance (references).
Config build(const toml::table& root, Diagnostics& diag) {
    Config c;
    TableReader top(root, "at the top level", diag,
                    {"profile", "organisation", "timezone", "deadlines", "network", "clock",
                     "systems", "contacts", "carelock", "holidays", "maintenance", "agent"});
    top.string("profile", c.profile);
    top.enumeration("organisation", kOrganisations, c.organisation);
    if (top.string("timezone", c.timezone) && c.timezone.empty())
        diag.error(top.at("timezone"),
                   "'timezone' at the top level must not be empty; "
                   "write e.g. \"Europe/Stockholm\"");

    const bool run_ok = readDeadlines(top, c.deadlines);
    readNetwork(top, c.network);
    readSystems(top, c, run_ok);
    readClock(top, c);
    readContacts(top, c.contacts);
    readCarelock(top, c.carelock);
    readHolidays(top, c.holidays);
    readMaintenance(top, c);
    readAgent(top, c.agent);
    return c;
}

}  // namespace dk::config::load
