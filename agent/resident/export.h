// The diagnostic bundle for IT (`driftkoll export`): one zip file with what an IT
// technician needs to understand an outage on this computer, made without a
// running agent from the files the agent keeps.
//
//   summary.txt          in Swedish, then English: host, time, case code, what
//                        failed since when, restarts, the user's answers, the
//                        advice given last, and where the evidence is
//   reports/<n>-<time>.json  the recent reports from the history, oldest first
//   logs/<file>          the files of the log directory, each capped in size
//   config.toml          the effective configuration, secrets redacted
//   system.json          OS, kernel, uptime, boot id, interfaces, addresses,
//                        routes, neighbours, name servers, proxy variables, versions
//
// The bundle holds no page content and no passwords: credentials in proxy and
// system URLs are removed. It is written to a temporary file and renamed into
// place, mode 0600.
#pragma once

#include <string>
#include <vector>

#include "config/model.h"

namespace dk {

struct ExportOptions {
    std::string out_path;       // "" = ./driftkoll-<host>-<YYYYmmddTHHMMSSZ>.zip; a directory:
                                // that file name in it
    std::string history_path;   // "" = History::defaultPath()
    std::string incident_path;  // "" = IncidentStore::defaultPath()
    std::string log_dir;        // "" = no logs
    const config::Config* config = nullptr;  // the effective configuration; null = none
    int reports = 50;                        // how many of the latest reports go in
};

struct ExportResult {
    std::string path;                  // the bundle written; "" on error
    std::string error;                 // why no bundle was written
    std::vector<std::string> entries;  // the files in the bundle, in the order written
};

// Never throws. A missing, empty or unreadable history or incident file is not
// an error: the bundle is made anyway and its summary says what was missing.
ExportResult exportBundle(const ExportOptions& options);

}  // namespace dk
