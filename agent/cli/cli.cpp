#include "agent/cli/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "agent/cli/agent_commands.h"
#include "agent/cli/agent_run.h"
#include "agent/check/check.h"
#include "agent/decide/contacts.h"
#include "agent/decide/local_time.h"
#include "agent/check/report.h"
#include "agent/version.h"
#include "config/loader.h"

namespace dk {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitProblem = 1;
constexpr int kExitUsage = 2;

struct CheckOptions {
    std::string config;
    bool json = false;
    std::string lang = "sv";
    std::string at;
    std::vector<std::string> answers;
};

int runCheck(const CheckOptions& opt, std::ostream& out, std::ostream& err) {
    auto lang = parseLang(opt.lang);
    if (!lang) {
        err << "driftkoll: --lang måste vara sv eller en / --lang must be sv or en\n";
        return kExitUsage;
    }
    CheckRequest req;
    req.lang = *lang;
    for (const auto& a : opt.answers) {
        if (auto problem = applyAnswer(req.answers, a)) {
            err << "driftkoll: " << *problem << "\n";
            return kExitUsage;
        }
    }
    auto cfg = loadConfigOrReport(opt.config, err);
    if (!cfg)
        return kExitUsage;
    if (!opt.at.empty()) {
        TimeError terr;
        std::string note;
        req.at = parseLocal(opt.at, cfg->timezone, &terr, &note);
        if (!req.at) {
            err << "driftkoll: " << terr.message << "\n";
            return kExitUsage;
        }
        if (!note.empty())
            err << "driftkoll: " << note << "\n";
        // A run that pretends another time reads the incident but never changes it.
        req.record = false;
    }

    Outcome o = performCheck(*cfg, systemRunnerDeps(), req);
    if (opt.json)
        out << jsonText(reportJson(o, *cfg, *lang), 2) << "\n";
    else
        out << reportText(o, *cfg, *lang);
    out.flush();
    return exitCodeFor(o.diagnosis) == 0 ? kExitOk : kExitProblem;
}

struct ContactsOptions {
    std::string config;
    bool json = false;
    std::string lang = "sv";
    std::string at;
};

int runContacts(const ContactsOptions& opt, std::ostream& out, std::ostream& err) {
    auto lang = parseLang(opt.lang);
    if (!lang) {
        err << "driftkoll: --lang måste vara sv eller en / --lang must be sv or en\n";
        return kExitUsage;
    }
    auto cfg = loadConfigOrReport(opt.config, err);
    if (!cfg)
        return kExitUsage;
    TimeError terr;
    std::string note;
    auto now = opt.at.empty() ? nowLocal(cfg->timezone, &terr)
                              : parseLocal(opt.at, cfg->timezone, &terr, &note);
    if (!now) {
        err << "driftkoll: " << terr.message << "\n";
        return kExitUsage;
    }
    if (!note.empty())
        err << "driftkoll: " << note << "\n";
    SwedishCalendar cal(cfg->holidays);
    ContactsNow c = contactsNow(*cfg, *now, cal);
    if (opt.json)
        out << jsonText(contactsJson(c, *lang), 2) << "\n";
    else
        out << contactsText(c, *lang);
    return kExitOk;
}

int runConfigCheck(const std::string& path, std::ostream& out, std::ostream& err) {
    auto r = config::loadFile(path);
    for (const auto& w : r.warnings) err << w.format() << "\n";
    for (const auto& e : r.errors) err << e.format() << "\n";
    if (!r.ok()) {
        err << "driftkoll: " << r.errors.size() << " fel / errors in " << path << "\n";
        return kExitUsage;
    }
    out << path << ": OK\n";
    return kExitOk;
}

int runConfigShow(const std::string& path, std::ostream& out, std::ostream& err) {
    auto cfg = loadConfigOrReport(path, err);
    if (!cfg)
        return kExitUsage;
    out << config::renderToml(*cfg);
    return kExitOk;
}

}  // namespace

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
    CLI::App app{
        "driftkoll – kontrollerar varför TES inte fungerar och säger vem du ska ringa.\n"
        "driftkoll – checks why TES does not work and tells you whom to call."};
    app.set_version_flag("--version", std::string("driftkoll ") + kVersion);
    app.require_subcommand(1);

    CheckOptions check;
    auto* c = app.add_subcommand("check", "Kör kontrollen nu / Run the checklist now");
    c->add_option("--config", check.config, "Konfigurationsfil / Configuration file (TOML)");
    c->add_flag("--json", check.json, "Rapport som JSON / Report as JSON");
    c->add_option("--lang", check.lang, "Språk / Language: sv | en");
    c->add_option("--at", check.at,
                  "Låtsas att det är denna lokala tid / Pretend it is this local time "
                  "(ISO 8601, e.g. 2026-11-28T14:00)");
    c->add_option("--answer", check.answers,
                  "Svar på de manuella stegen / Answer to a manual step: "
                  "login=refused|no_page, same_computer_colleague=works|fails, "
                  "other_computer=works|fails")
        ->take_all();

    ContactsOptions contacts;
    auto* k = app.add_subcommand("contacts",
                                 "Vem ringer du nu: TES, IT, jouren, Carelock / Whom to call now");
    k->add_option("--config", contacts.config, "Konfigurationsfil / Configuration file (TOML)");
    k->add_flag("--json", contacts.json, "Som JSON / As JSON");
    k->add_option("--lang", contacts.lang, "Språk / Language: sv | en");
    k->add_option("--at", contacts.at,
                  "Låtsas att det är denna lokala tid / Pretend it is this local time");

    AgentCommandOptions ag;
    std::string ag_lang = "sv";
    auto* agentcmd = app.add_subcommand(
        "agent",
        "Kör bakgrundsagenten (i förgrunden) / Run the background agent (in the foreground)");
    agentcmd->add_option("--config", ag.config, "Konfigurationsfil / Configuration file (TOML)");
    // The agent's reports are what the tray shows: in the language of the session
    // (the locale) unless told otherwise.
    auto* agent_lang = agentcmd->add_option(
        "--lang", ag_lang,
        "Språk / Language: sv | en (annars miljöns språk / else the locale's)");
    agentcmd->add_flag("--allow-root", ag.allow_root)->group("");
    auto* statuscmd = app.add_subcommand(
        "status", "Läget just nu, från agenten / The current state, from the agent");
    statuscmd->add_option("--config", ag.config, "Konfigurationsfil / Configuration file (TOML)");
    statuscmd->add_flag("--json", ag.json, "Som JSON / As JSON");
    statuscmd->add_option("--lang", ag_lang, "Språk / Language: sv | en");
    auto* historycmd = app.add_subcommand("history", "Tidigare kontroller / Earlier checks");
    historycmd->add_flag("--json", ag.json, "Som JSON / As JSON");
    historycmd->add_option("--limit", ag.limit, "Hur många / How many")
        ->check(CLI::Range(1, 10000));
    historycmd->add_option("--lang", ag_lang, "Språk / Language: sv | en");
    auto* exportcmd = app.add_subcommand(
        "export", "Diagnostikpaket för IT (zip) / Diagnostic bundle for IT (zip)");
    exportcmd->add_option("--out", ag.out, "Fil eller mapp / File or folder");
    exportcmd->add_option("--config", ag.config, "Konfigurationsfil / Configuration file (TOML)");
    exportcmd->add_option("--lang", ag_lang, "Språk / Language: sv | en");
    exportcmd->add_flag("--json", ag.json, "Som JSON / As JSON");
    // The agent's child for one run (agent_run.h): a job on stdin, the report on stdout.
    auto* agentrun = app.add_subcommand("agent-run", "")->group("");
    // The agent's child for one load of the configuration: the result as JSON.
    std::string agent_config_path;
    auto* agentconfig = app.add_subcommand("agent-config", "")->group("");
    agentconfig->add_option("--config", agent_config_path);

    auto* cfgcmd = app.add_subcommand("config", "Konfigurationen / The configuration");
    cfgcmd->require_subcommand(1);
    std::string check_path, show_path;
    auto* cc = cfgcmd->add_subcommand("check", "Kontrollera en fil / Validate a file");
    cc->add_option("FILE", check_path, "Fil / File")->required();
    auto* cs = cfgcmd->add_subcommand(
        "show", "Visa gällande konfiguration / Show the effective configuration");
    cs->add_option("--config", show_path, "Konfigurationsfil / Configuration file (TOML)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << "driftkoll " << kVersion << "\n";
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << "driftkoll: " << e.what() << "\n"
            << "Prova / Try: driftkoll --help\n";
        return kExitUsage;
    }

    try {
        if (c->parsed())
            return runCheck(check, out, err);
        if (k->parsed())
            return runContacts(contacts, out, err);
        if (agentrun->parsed())
            return agentRunCommand(std::cin, out, err);
        if (agentconfig->parsed())
            return agentConfigCommand(agent_config_path, out);
        if (agentcmd->parsed() || statuscmd->parsed() || historycmd->parsed() ||
            exportcmd->parsed()) {
            auto lang = parseLang(ag_lang);
            if (!lang) {
                err << "driftkoll: --lang måste vara sv eller en / --lang must be sv or en\n";
                return kExitUsage;
            }
            ag.lang = agentcmd->parsed() && agent_lang->count() == 0 ? localeLang() : *lang;
            if (agentcmd->parsed())
                return agentCommand(ag, out, err);
            if (statuscmd->parsed())
                return statusCommand(ag, out, err);
            if (historycmd->parsed())
                return historyCommand(ag, out, err);
            return exportCommand(ag, out, err);
        }
        if (cc->parsed())
            return runConfigCheck(check_path, out, err);
        if (cs->parsed())
            return runConfigShow(show_path, out, err);
    } catch (const std::exception& e) {
        // Nothing below is meant to throw; if something does, say so plainly.
        err << "driftkoll: internt fel / internal error: " << e.what() << "\n";
        return kExitUsage;
    }
    out << app.help();
    return kExitUsage;
}

}  // namespace dk
