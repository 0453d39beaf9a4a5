// [maintenance]: announced maintenance, from an iCalendar feed and from windows
// written here ([[maintenance.windows]]).
#include <optional>
#include <string>
#include <utility>

#include "config/load/sections.h"
#include "config/load/text.h"
#include "config/load/values.h"

namespace dk::config::load {

void readMaintenance(TableReader& top, Config& c) {
    const toml::table* t = top.subTable("maintenance");
    if (!t)
        return;
    TableReader r(*t, "in [maintenance]", top.diag(), {"ics", "windows"});
    if (r.string("ics", c.maintenance.ics) && c.maintenance.ics.find("://") != std::string::npos) {
        const std::string problem = urlProblem(c.maintenance.ics, {"http", "https"});
        if (!problem.empty())
            r.diag().error(r.at("ics"),
                           "'ics' in [maintenance] (a file path or a URL): " + problem);
    }
    for (const toml::table* wt : r.tables("windows", "[[maintenance.windows]]")) {
        TableReader w(*wt, "in [[maintenance.windows]]", r.diag(),
                      {"systems", "start", "end", "title"});
        MaintenanceWindow mw;
        mw.where = r.diag().loc(wt->source().begin);
        if (w.strings("systems", mw.systems) && w.node("systems")) {
            const toml::array& ids = *w.node("systems")->as_array();
            for (std::size_t i = 0; i < mw.systems.size(); ++i)
                if (!c.findSystem(mw.systems[i]))
                    unknownSystem(r.diag(), ids[i].source().begin,
                                  "'systems' in [[maintenance.windows]]", mw.systems[i], c);
        }
        std::optional<toml::date_time> start;
        std::optional<toml::date_time> end;
        if (w.require("start"))
            readLocalDateTime(w, "start", mw.start, start);
        if (w.require("end"))
            readLocalDateTime(w, "end", mw.end, end);
        if (start && end && !(*start < *end))
            r.diag().error(w.at("end"), "'end' (" + mw.end +
                                            ") in [[maintenance.windows]] must "
                                            "be after 'start' (" +
                                            mw.start + ")");
        w.string("title", mw.title);
        c.maintenance.windows.push_back(std::move(mw));
    }
}

}  // namespace dk::config::load
