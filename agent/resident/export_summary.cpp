#include "agent/resident/export_summary.h"

#include <sstream>

#include "agent/version.h"

namespace dk {

namespace {

std::string answersText(const Json& answers, Lang l) {
    std::string out;
    if (answers.is_object()) {
        for (const auto& [key, value] : answers.items()) {
            if (value.is_string())
                out += (out.empty() ? "" : ", ") + key + "=" + value.get<std::string>();
        }
    }
    return out.empty() ? tr(l, "inga", "none") : out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

std::string summaryText(const Gathered& g, Lang l) {
    std::ostringstream out;
    const Json* newest = g.reports.empty() ? nullptr : &g.reports.back();
    out << tr(l, "driftkoll – diagnostikpaket för IT", "driftkoll – diagnostic bundle for IT")
        << "\n"
        << tr(l, "Dator: ", "Computer: ") << g.host << "\n"
        << tr(l, "Skapat: ", "Made: ") << g.now << " (UTC)\n"
        << tr(l, "driftkoll-version: ", "driftkoll version: ") << kVersion << "\n\n";

    std::string code = g.incident ? g.incident->case_code : std::string();
    if (code.empty() && newest)
        code = stringAt(*newest, {"advice", "case_code"});
    out << tr(l, "Ärendekod: ", "Case code: ")
        << (code.empty() ? tr(l, "ingen", "none") : code.c_str()) << "\n\n";

    out << tr(l, "Vad som är fel", "What is wrong") << "\n";
    if (g.incident) {
        const Incident& inc = *g.incident;
        out << "  " << inc.domain;
        if (!inc.systems.empty())
            out << " (" << joined(inc.systems) << ")";
        out << tr(l, " sedan ", " since ") << inc.first_seen
            << tr(l, ", senast sett ", ", last seen ") << inc.last_seen << " ["
            << (g.incident_from_report ? tr(l, "enligt senaste rapporten", "from the latest report")
                                       : g.incident_path.c_str())
            << "]\n"
            << "  "
            << tr(l, "Omstarter sedan problemet började: ", "Restarts since the problem began: ")
            << inc.restarts() << "\n";
    } else {
        out << "  " << tr(l, "Ingen öppen incident.", "No open incident.") << "\n";
    }
    if (newest) {
        // The current spell of failing runs: back from the newest while they fail.
        std::size_t first = g.reports.size();
        while (first > 0) {
            const std::string d = stringAt(g.reports[first - 1], {"diagnosis", "domain"});
            if (d.empty() || d == "all_ok")
                break;
            --first;
        }
        if (first == g.reports.size()) {
            out << "  "
                << tr(l, "Den senaste körningen fann inget fel (",
                      "The latest run found no fault (")
                << stringAt(*newest, {"generated_at"}) << ").\n";
        } else {
            out << "  "
                << tr(l, "Första körningen med fel i den pågående perioden: ",
                      "First failing run of the current spell: ")
                << stringAt(g.reports[first], {"generated_at"}) << " ("
                << stringAt(g.reports[first], {"diagnosis", "domain"}) << ")";
            if (first == 0)
                out << tr(l, " – eller tidigare: äldsta rapporten i paketet",
                          " – or earlier: the oldest report in the bundle");
            out << "\n";
        }
        std::map<std::string, int> domains;
        for (const auto& r : g.reports) ++domains[stringAt(r, {"diagnosis", "domain"})];
        out << "  " << tr(l, "Domäner i rapporterna: ", "Domains in the reports: ");
        bool comma = false;
        for (const auto& [domain, n] : domains) {
            out << (comma ? ", " : "") << (domain.empty() ? "?" : domain) << " ×" << n;
            comma = true;
        }
        out << "\n";
    }
    out << "\n";

    // The incident keeps every answer given while it lasts; a run only its own.
    Json answers;
    if (g.incident)
        answers = to_json(g.incident->answers);
    else if (const Json* a = newest ? jsonAt(*newest, {"answers"}) : nullptr)
        answers = *a;
    out << tr(l, "Användarens svar: ", "The user's answers: ") << answersText(answers, l);
    if (g.incident && !g.incident->answers_at.empty())
        out << " (" << g.incident->answers_at << ")";
    out << "\n";

    out << tr(l, "Senaste råd: ", "Advice given last: ");
    if (newest) {
        out << stringAt(*newest, {"advice", "action"}) << " ("
            << stringAt(*newest, {"generated_at"}) << ")\n  "
            << stringAt(*newest, {"advice", "text"}) << "\n";
    } else {
        out << tr(l, "inget (ingen rapport i historiken)", "none (no report in the history)")
            << "\n";
    }
    out << "\n";

    out << tr(l, "Historik: ", "History: ");
    switch (g.history) {
        case HistoryState::ok:
            out << g.history_runs
                << tr(l, " körningar sparade, de senaste ", " runs kept, the latest ")
                << g.reports.size() << tr(l, " i paketet", " in the bundle");
            break;
        case HistoryState::missing:
            out << tr(l, "ingen historik finns (", "no history exists (") << g.history_path << ")";
            break;
        case HistoryState::empty:
            out << tr(l, "historiken är tom (", "the history is empty (") << g.history_path << ")";
            break;
        case HistoryState::unreadable:
            out << tr(l, "historiken kunde inte läsas: ", "the history could not be read: ")
                << g.history_error;
            break;
    }
    out << "\n\n" << tr(l, "Var bevisen finns", "Where the evidence is") << "\n";
    if (!g.reports.empty())
        out << tr(l, "  reports/     de senaste körningarnas rapporter (JSON), äldst först\n",
                  "  reports/     the latest runs' reports (JSON), oldest first\n");
    out << tr(l,
              "  system.json  operativsystem, kärna, drifttid, boot id, nätverkskort, adresser, "
              "vägar, grannar, namnservrar, proxyvariabler, versioner\n",
              "  system.json  OS, kernel, uptime, boot id, interfaces, addresses, routes, "
              "neighbours, name servers, proxy variables, versions\n");
    if (g.config)
        out << tr(l, "  config.toml  den gällande konfigurationen, hemligheter borttagna\n",
                  "  config.toml  the effective configuration, secrets redacted\n");
    if (g.log_files > 0)
        out << tr(l, "  logs/        loggfilerna från ", "  logs/        the log files of ")
            << g.log_dir << "\n";
    else
        out << tr(l, "  (inga loggfiler)\n", "  (no log files)\n");
    if (!g.notes.empty()) {
        out << "\n" << tr(l, "Anmärkningar", "Notes") << "\n";
        for (const auto& n : g.notes) out << "  " << n << "\n";
    }
    return out.str();
}

}  // namespace dk
