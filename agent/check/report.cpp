#include "agent/check/report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "agent/version.h"

namespace dk {

namespace {

using config::Role;

std::string systemName(const config::Config& cfg, const std::string& id) {
    const auto* s = cfg.findSystem(id);
    return s && !s->name.empty() ? s->name : id;
}

// "TES", "TES och TES-app", "TES, TES-app och intranätet"
std::string joinNames(const config::Config& cfg, const std::vector<std::string>& ids, Lang l) {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i > 0)
            out += (i + 1 == ids.size()) ? tr(l, " och ", " and ") : ", ";
        out += systemName(cfg, ids[i]);
    }
    return out;
}

// The name shown for a check: the system's display name, or the host.
std::string targetName(const Check& c, const config::Config& cfg) {
    if (!c.system.empty() && c.kind != "clock")
        return systemName(cfg, c.system);
    return c.target;
}

// The worst status among checks that ran; not_run only when none ran.
Status stepStatus(const std::vector<const Check*>& checks) {
    bool any_ran = false, warn = false;
    for (const auto* c : checks) {
        if (c->status == Status::fail)
            return Status::fail;
        if (c->status == Status::warn)
            warn = true;
        if (c->status != Status::not_run)
            any_ran = true;
    }
    if (warn)
        return Status::warn;
    return any_ran ? Status::pass : Status::not_run;
}

std::vector<const Check*> checksOfStep(const RunReport& r, int step) {
    std::vector<const Check*> out;
    for (const auto& c : r.checks)
        if (c.step == step)
            out.push_back(&c);
    return out;
}

Json contactJson(const config::Contact& c) {
    Json j;
    j["id"] = c.id;
    j["name"] = c.name;
    j["phone"] = c.phone;
    if (!c.phone_short.empty())
        j["phone_short"] = c.phone_short;
    j["menu"] = c.menu;
    if (!c.email.empty())
        j["email"] = c.email;
    return j;
}

std::string mark(Status s) {
    switch (s) {
        case Status::pass:
            return "[✓]";
        case Status::warn:
            return "[!]";
        case Status::fail:
            return "[✗]";
        case Status::not_run:
            return "[–]";
    }
    return "[ ]";
}

std::string problemsText(const Check& c, Lang l) {
    std::string out;
    for (auto p : c.problems) {
        if (!out.empty())
            out += "; ";
        out += problemText(p, l);
    }
    return out;
}

// "dns 12 ms, anslutning 3 ms, TLS 20 ms, första byte 41 ms"
std::string timingsText(const ProbeResult& r, Lang l) {
    static const std::pair<const char*, std::pair<const char*, const char*>> kPhases[] = {
        {"dns", {"dns", "dns"}},        {"connect", {"anslutning", "connect"}},
        {"tls", {"TLS", "TLS"}},        {"first_byte", {"första byte", "first byte"}},
        {"total", {"totalt", "total"}},
    };
    std::string out;
    for (const auto& [key, names] : kPhases) {
        auto it = r.timings_ms.find(key);
        if (it == r.timings_ms.end())
            continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s %.0f ms", l == Lang::sv ? names.first : names.second,
                      it->second);
        if (!out.empty())
            out += ", ";
        out += buf;
    }
    return out;
}

Json windowJson(const MaintenanceWindow& w, const std::string& zone) {
    TimeError err;
    auto start = toLocal(w.start, zone, &err);
    auto end = toLocal(w.end, zone, &err);
    return {{"systems", w.systems},
            {"start", start ? start->iso() : ""},
            {"end", end ? end->iso() : ""},
            {"title", w.title},
            {"source", w.source}};
}

std::string_view feedState(FeedStatus::State s) {
    switch (s) {
        case FeedStatus::State::none:
            return "none";
        case FeedStatus::State::fresh:
            return "fresh";
        case FeedStatus::State::last_good:
            return "last_good";
        case FeedStatus::State::failed:
            return "failed";
    }
    return "none";
}

bool needsCall(Action a) {
    return a == Action::contact_tes_support || a == Action::contact_it_support ||
           a == Action::call_oncall;
}

// What to say on the phone: the verdict in a sentence, and the case code.
std::string sayText(const Outcome& o, const config::Config& cfg, Lang l) {
    if (!needsCall(o.advice.action))
        return {};
    std::string s =
        std::string(tr(l, "Säg: ”", "Say: “")) + headline(o.diagnosis, cfg, l) + tr(l, "”", "”");
    if (!o.advice.case_code.empty())
        s += std::string(tr(l, " Ärendekod: ", " Case code: ")) + o.advice.case_code + ".";
    return s;
}

}  // namespace

std::string headline(const Diagnosis& d, const config::Config& cfg, Lang l) {
    const std::string names = joinNames(cfg, d.systems, l);
    switch (d.domain) {
        case Domain::all_ok: {
            bool primary_unset = std::any_of(cfg.systems.begin(), cfg.systems.end(), [](auto& s) {
                return s.role == Role::primary && !s.configured();
            });
            if (primary_unset)
                return tr(l,
                          "Nätverket fungerar. TES är inte konfigurerad och kunde inte "
                          "kontrolleras – IT behöver fylla i adressen.",
                          "The network works. TES is not configured and could not be checked "
                          "– IT needs to fill in its address.");
            return tr(l, "Allt fungerar: nätverket och systemen svarar.",
                      "Everything works: the network and the systems answer.");
        }
        case Domain::no_link:
            return tr(
                l, "Datorn har ingen nätverksanslutning – kabeln sitter inte i, eller Wi-Fi är av.",
                "The computer has no network connection – the cable is out, or Wi-Fi is off.");
        case Domain::no_address:
            return tr(l, "Datorn är ansluten men har inte fått någon nätverksadress.",
                      "The computer is connected but has not been given a network address.");
        case Domain::no_gateway:
            return tr(l, "Datorn kommer inte ut från det lokala nätverket.",
                      "The computer cannot get out of the local network.");
        case Domain::dns:
            return std::string(tr(l, "Datorn hittar inte adressen till ",
                                  "The computer cannot find the address of ")) +
                   names + tr(l, " (namnuppslagningen fungerar inte).", " (name lookup fails).");
        case Domain::network_down:
            return tr(
                l, "Nätverket fungerar inte: varken kommunens system eller internet svarar.",
                "The network is down: neither the municipality's systems nor the internet answer.");
        case Domain::internal_network:
            return tr(l, "Kommunens interna system svarar inte, men internet fungerar.",
                      "The municipality's internal systems do not answer, but the internet works.");
        case Domain::internet:
            return tr(l, "Internet svarar inte, men kommunens system fungerar.",
                      "The internet does not answer, but the municipality's systems work.");
        case Domain::service_down:
            return names + tr(l,
                              " svarar inte, men nätverket och andra system fungerar – det är inte "
                              "din dator.",
                              " does not answer, but the network and other systems work – it is "
                              "not your computer.");
        case Domain::service_degraded:
            return names + tr(l, " fungerar, men långsamt eller ojämnt.",
                              " works, but slowly or unevenly.");
        case Domain::planned_maintenance:
            return names + tr(l, " har planerat underhåll just nu.",
                              " is under planned maintenance right now.");
        case Domain::clock_skew:
            return tr(l, "Datorns klocka går fel, och det stoppar säkra inloggningar.",
                      "The computer's clock is wrong, and that stops secure logins.");
        case Domain::this_computer:
            return tr(l, "Felet verkar sitta i den här datorn – det fungerar på andra datorer.",
                      "The fault seems to be in this computer – it works on other computers.");
        case Domain::account:
            return tr(l, "TES fungerar, men inloggningen nekas (lösenord eller låst konto).",
                      "TES works, but the login is refused (password or locked account).");
    }
    return {};
}

int exitCodeFor(const Diagnosis& d) {
    return d.domain == Domain::all_ok ? 0 : 1;
}

Json reportJson(const Outcome& o, const config::Config& cfg, Lang l) {
    Json j;
    j["driftkoll"] = {{"version", kVersion}, {"schema", 1}};
    j["generated_at"] = o.run.started_at;
    j["time"] = {{"local", o.context.now.iso()},
                 {"zone", o.context.now.zone},
                 {"weekday", o.context.now.weekday},
                 {"pretend", o.context.pretend}};
    j["host"] = {{"name", o.context.hostname}, {"boot_id", o.context.boot_id}};
    j["profile"] = {
        {"name", cfg.profile},
        {"source", cfg.source},
        {"organisation",
         cfg.organisation == config::Organisation::municipal ? "municipal" : "external_provider"}};
    j["run"] = {{"duration_ms", o.run.duration_ms},
                {"deadline_ms", o.run.deadline_ms},
                {"deadline_hit", o.run.deadline_hit}};

    Json steps = Json::array();
    for (int s = 1; s <= 3; ++s) {
        Json st;
        st["step"] = s;
        st["title"] = stepTitle(s, l);
        auto checks = checksOfStep(o.run, s);
        st["status"] = std::string(to_string(stepStatus(checks)));
        Json ids = Json::array();
        for (const auto* c : checks) ids.push_back(c->id);
        st["checks"] = ids;
        steps.push_back(st);
    }
    // Step 2's manual half (after a restart, does the login work?) and step 4 are
    // the user's answers; the restart is known from the boot id.
    steps[1]["restarted_since_problem"] = o.advice.restarted;
    steps[1]["answers"] = {{"login", o.answers.login ? Json(*o.answers.login) : Json()}};
    steps.push_back(
        {{"step", 4},
         {"title", stepTitle(4, l)},
         {"status", "manual"},
         {"checks", Json::array()},
         {"questions", {"same_computer_colleague", "other_computer"}},
         {"answers",
          {{"same_computer_colleague",
            o.answers.same_computer_colleague ? Json(*o.answers.same_computer_colleague) : Json()},
           {"other_computer",
            o.answers.other_computer ? Json(*o.answers.other_computer) : Json()}}}});
    steps.push_back({{"step", 5},
                     {"title", stepTitle(5, l)},
                     {"status", o.diagnosis.domain == Domain::all_ok ? "pass" : "action"},
                     {"checks", Json::array()}});
    j["steps"] = steps;

    Json checks = Json::array();
    for (const auto& c : o.run.checks) {
        Json cj;
        cj["id"] = c.id;
        cj["kind"] = c.kind;
        cj["step"] = c.step;
        if (!c.system.empty())
            cj["system"] = c.system;
        if (!c.target.empty())
            cj["target"] = c.target;
        cj["label"] = checkLabel(c.kind, targetName(c, cfg), l);
        cj["status"] = std::string(to_string(c.status));
        Json probs = Json::array();
        for (auto p : c.problems) probs.push_back(std::string(to_string(p)));
        cj["problems"] = probs;
        if (!c.error.empty())
            cj["error"] = c.error;
        Json attempts = Json::array();
        for (const auto& a : c.attempts) attempts.push_back(to_json(a));
        cj["attempts"] = attempts;
        checks.push_back(cj);
    }
    j["checks"] = checks;

    Json diag;
    diag["domain"] = std::string(to_string(o.diagnosis.domain));
    diag["systems"] = o.diagnosis.systems;
    diag["summary"] = headline(o.diagnosis, cfg, l);
    Json per = Json::array();
    for (const auto& v : o.diagnosis.per_system)
        per.push_back({{"id", v.id}, {"state", std::string(to_string(v.state))}});
    diag["per_system"] = per;
    diag["unconfigured"] = o.diagnosis.unconfigured;
    diag["notes"] = o.diagnosis.notes;
    j["diagnosis"] = diag;

    Json adv;
    adv["action"] = std::string(to_string(o.advice.action));
    adv["text"] = o.advice.text;
    adv["condition"] = o.advice.condition.empty() ? Json() : Json(o.advice.condition);
    adv["contact"] = o.advice.contact ? contactJson(*o.advice.contact) : Json();
    if (o.advice.next_open) {
        adv["next_open"] = {{"contact", o.advice.next_open_contact},
                            {"at", o.advice.next_open->iso()},
                            {"text", formatWhen(*o.advice.next_open, l)}};
    } else {
        adv["next_open"] = Json();
    }
    adv["note"] = o.advice.note.empty() ? Json() : Json(o.advice.note);
    adv["until"] = o.advice.until ? Json(o.advice.until->iso()) : Json();
    adv["case_code"] = o.advice.case_code.empty() ? Json() : Json(o.advice.case_code);
    std::string say = sayText(o, cfg, l);
    adv["say"] = say.empty() ? Json() : Json(say);
    adv["lang"] = l == Lang::sv ? "sv" : "en";
    j["advice"] = adv;

    j["answers"] = to_json(o.answers);
    if (o.incident) {
        Json inc = to_json(*o.incident);
        inc["restarts"] = o.incident->restarts();
        inc["restarted_since_start"] = o.advice.restarted;
        j["incident"] = inc;
    } else {
        j["incident"] = Json();
    }

    Json active = Json::array(), upcoming = Json::array();
    for (const auto& w : o.maintenance.windows)
        if (w.start <= o.context.now.instant && o.context.now.instant < w.end)
            active.push_back(windowJson(w, cfg.timezone));
    for (const auto* w : o.maintenance.upcoming(o.context.now.instant, std::chrono::hours(24 * 14)))
        upcoming.push_back(windowJson(*w, cfg.timezone));
    j["maintenance"] = {
        {"active", active},
        {"upcoming", upcoming},
        {"feed",
         {{"state", std::string(feedState(o.maintenance.feed.state))},
          {"source", o.maintenance.feed.source},
          {"events", o.maintenance.feed.events},
          {"warning",
           o.maintenance.feed.warning.empty() ? Json() : Json(o.maintenance.feed.warning)}}}};
    j["warnings"] = o.warnings;
    return j;
}

std::string reportText(const Outcome& o, const config::Config& cfg, Lang l) {
    std::ostringstream out;
    out << "driftkoll – " << headline(o.diagnosis, cfg, l) << "\n";
    out << tr(l, "Tid: ", "Time: ") << formatWhen(o.context.now, l);
    if (o.context.pretend)
        out << tr(l, " (låtsad tid, --at)", " (pretended time, --at)");
    out << "\n\n";

    for (int s = 1; s <= 3; ++s) {
        auto checks = checksOfStep(o.run, s);
        out << mark(stepStatus(checks)) << " " << stepTitle(s, l) << "\n";
        for (const auto* c : checks) {
            out << "    " << mark(c->status) << " " << checkLabel(c->kind, targetName(*c, cfg), l);
            std::string probs = problemsText(*c, l);
            if (!probs.empty())
                out << " – " << probs;
            out << "\n";
            if (const auto* last = c->last()) {
                std::string t = timingsText(*last, l);
                if (!t.empty())
                    out << "          " << t << "\n";
                if (c->status == Status::fail || c->status == Status::warn) {
                    if (!c->error.empty())
                        out << "          " << c->error << "\n";
                }
                if (c->attempts.size() > 1)
                    out << "          " << c->attempts.size()
                        << tr(l, " försök (ett bekräftande)", " attempts (one confirming)") << "\n";
            }
        }
        out << "\n";
    }
    out << "[?] " << stepTitle(4, l) << "\n    "
        << tr(l, "Be en kollega logga in på den här datorn, och prova själv på en annan dator.",
              "Ask a colleague to log in on this computer, and try another computer yourself.")
        << "\n\n";
    out << "[→] " << stepTitle(5, l) << "\n    " << o.advice.text << "\n";
    if (!o.advice.note.empty())
        out << "    " << o.advice.note << "\n";
    std::string say = sayText(o, cfg, l);
    if (!say.empty())
        out << "    " << say << "\n";
    if (!o.advice.case_code.empty())
        out << "\n" << tr(l, "Ärendekod: ", "Case code: ") << o.advice.case_code << "\n";
    auto soon = o.maintenance.upcoming(o.context.now.instant, std::chrono::hours(24 * 14));
    if (!soon.empty()) {
        out << "\n"
            << tr(l, "Planerat underhåll framöver:", "Upcoming planned maintenance:") << "\n";
        for (const auto* w : soon) {
            TimeError err;
            auto start = toLocal(w->start, cfg.timezone, &err);
            auto end = toLocal(w->end, cfg.timezone, &err);
            if (!start || !end)
                continue;
            char hm[16];
            std::snprintf(hm, sizeof hm, "%02d:%02d", end->hour, end->minute);
            out << "    " << formatWhen(*start, l) << "–" << hm << "  " << w->title << "\n";
        }
    }
    for (const auto& w : o.warnings) out << "\n" << tr(l, "Obs: ", "Note: ") << w << "\n";
    if (!o.diagnosis.unconfigured.empty()) {
        out << "\n"
            << tr(l, "Inte konfigurerat (kontrollerades inte): ", "Not configured (not checked): ")
            << joinNames(cfg, o.diagnosis.unconfigured, l) << "\n";
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.0f ms", o.run.duration_ms);
    out << tr(l, "Kontrollen tog ", "The check took ") << buf << ".\n";
    return out.str();
}

}  // namespace dk
