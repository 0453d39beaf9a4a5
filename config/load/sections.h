// The sections of the schema: one reader per section, each given the reader of
// the top-level table, reading its own table (or array of tables) from it and
// reporting into that reader's diagnostics. build() (document.cpp) calls them
// in dependency order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/load/diagnostics.h"
#include "config/load/table_reader.h"
#include "config/model.h"

namespace dk::config::load {

// The whole document: the top-level keys, then every section.
Config build(const toml::table& root, Diagnostics& diag);

// settings.cpp: the single tables.
// [deadlines]; false when 'run' is invalid (the systems' timeout check needs it).
bool readDeadlines(TableReader& top, Deadlines& d);
void readNetwork(TableReader& top, Network& n);
// [clock]; after the systems, which its 'reference' names.
void readClock(TableReader& top, Config& c);
void readHolidays(TableReader& top, Holidays& h);
void readAgent(TableReader& top, AgentSettings& a);

// systems.cpp: [[systems]], after [deadlines] (`run_ok`: its 'run' is valid).
void readSystems(TableReader& top, Config& c, bool run_ok);
// An error for a reference to a system id that does not exist.
void unknownSystem(Diagnostics& diag, const toml::source_position& at, std::string_view what,
                   const std::string& id, const Config& c);

// contacts.cpp: [[contacts]] with their [[contacts.hours]].
void readContacts(TableReader& top, std::vector<Contact>& out);

// carelock.cpp: [carelock] with its [[carelock.slots]], and their coverage of the day.
void readCarelock(TableReader& top, Carelock& guide);

// maintenance.cpp: [maintenance] with its [[maintenance.windows]], after the systems.
void readMaintenance(TableReader& top, Config& c);

}  // namespace dk::config::load
