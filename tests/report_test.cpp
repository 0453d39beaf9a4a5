// The report's shape: the JSON contract that scripts and the tray rely on, and
// the text for people, grouped by the routine's steps.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/check/report.h"
#include "agent/decide/texts.h"
#include "config/loader.h"

using namespace dk;

namespace {

struct Fixture {
    config::Config cfg;
    Outcome o;

    explicit Fixture(Domain domain) {
        cfg = *config::loadBuiltin().config;
        TimeError err;
        o.context.now = *parseLocal("2026-11-28T14:00", cfg.timezone, &err);
        o.context.pretend = true;
        o.context.hostname = "ws-17";
        o.context.boot_id = "boot-1";
        Check link;
        link.id = link.kind = "link";
        link.step = 1;
        link.status = domain == Domain::no_link ? Status::fail : Status::pass;
        if (domain == Domain::no_link)
            link.problems = {Problem::no_carrier};
        ProbeResult a;
        a.status = link.status;
        a.problems = link.problems;
        link.attempts.push_back(a);
        o.run.checks.push_back(link);
        Check na;
        na.id = "http:na";
        na.kind = "http";
        na.step = 3;
        na.system = "na";
        na.status = Status::pass;
        ProbeResult b;
        b.status = Status::pass;
        b.timings_ms = {{"dns", 4}, {"connect", 2}, {"tls", 9}, {"first_byte", 30}, {"total", 41}};
        na.attempts.push_back(b);
        o.run.checks.push_back(na);
        o.diagnosis = diagnose(o.run, cfg);
        o.advice = adviseIn(Lang::sv);
    }

    Advice adviseIn(Lang lang) const {
        SwedishCalendar cal(cfg.holidays);
        return advise(o.diagnosis, cfg, o.context.now, lang, AdviceContext{cal, nullptr, "boot-1"});
    }
};

}  // namespace

TEST_CASE("the JSON report carries the contract's fields") {
    Fixture f(Domain::no_link);
    auto j = reportJson(f.o, f.cfg, Lang::sv);
    CHECK(j["diagnosis"]["domain"] == "no_link");
    CHECK(j["advice"]["action"] == "check_cables");
    REQUIRE(j["steps"].size() == 5);
    CHECK(j["steps"][0]["step"] == 1);
    CHECK(j["steps"][0]["status"] == "fail");
    CHECK(j["steps"][3]["status"] == "manual");
    CHECK(j["checks"][0]["id"] == "link");
    CHECK(j["checks"][0]["problems"][0] == "no_carrier");
    CHECK(j["checks"][0]["attempts"].size() == 1);
    CHECK(j["time"]["pretend"] == true);
    CHECK(j["time"]["local"] == "2026-11-28T14:00:00+01:00");
    CHECK(j["host"]["boot_id"] == "boot-1");
}

TEST_CASE("the JSON report lists systems that are not configured") {
    Fixture f(Domain::all_ok);
    auto j = reportJson(f.o, f.cfg, Lang::sv);
    auto unconfigured = j["diagnosis"]["unconfigured"];
    CHECK(std::find(unconfigured.begin(), unconfigured.end(), "tes") != unconfigured.end());
}

TEST_CASE("the text report is grouped by the routine's steps, in Swedish") {
    Fixture f(Domain::no_link);
    auto t = reportText(f.o, f.cfg, Lang::sv);
    CHECK_THAT(t, Catch::Contains("Steg 1 – Kablar och anslutningar"));
    CHECK_THAT(t, Catch::Contains("Steg 5 – Vad du ska göra nu"));
    CHECK_THAT(t, Catch::Contains("ingen kabel- eller Wi-Fi-anslutning"));
    CHECK_THAT(t, Catch::Contains("lördag 28 november kl. 14:00"));
    CHECK(t.find("Steg 1") < t.find("Steg 3"));
}

TEST_CASE("the text report shows per-phase timings") {
    Fixture f(Domain::all_ok);
    auto t = reportText(f.o, f.cfg, Lang::sv);
    CHECK_THAT(t, Catch::Contains("dns 4 ms, anslutning 2 ms, TLS 9 ms, första byte 30 ms"));
}

TEST_CASE("the text report has an English alternative") {
    Fixture f(Domain::no_link);
    f.o.advice = f.adviseIn(Lang::en);
    auto t = reportText(f.o, f.cfg, Lang::en);
    CHECK_THAT(t, Catch::Contains("Step 1 – Cables and connections"));
    CHECK_THAT(t, Catch::Contains("Check that the network cable"));
}

TEST_CASE("an unconfigured TES is never reported as working") {
    Fixture f(Domain::all_ok);
    CHECK(f.o.diagnosis.domain == Domain::all_ok);
    CHECK_THAT(headline(f.o.diagnosis, f.cfg, Lang::sv), Catch::Contains("inte konfigurerad"));
}

TEST_CASE("the JSON report records the answers, the incident and the maintenance schedule") {
    Fixture f(Domain::no_link);
    f.o.answers.other_computer = "works";
    Incident inc;
    inc.case_code = "K7M-4QX";
    inc.first_boot_id = "boot-0";
    inc.boot_ids = {"boot-0", "boot-1"};
    f.o.incident = inc;
    MaintenanceWindow w;
    w.systems = {"tes"};
    w.start = f.o.context.now.instant + std::chrono::hours(72);
    w.end = w.start + std::chrono::hours(5);
    w.title = "Uppgradering av TES";
    w.source = "ics";
    f.o.maintenance.windows.push_back(w);
    auto j = reportJson(f.o, f.cfg, Lang::sv);
    CHECK(j["answers"]["other_computer"] == "works");
    CHECK(j["steps"][3]["answers"]["other_computer"] == "works");
    CHECK(j["incident"]["case_code"] == "K7M-4QX");
    CHECK(j["incident"]["restarts"] == 1);
    REQUIRE(j["maintenance"]["upcoming"].size() == 1);
    CHECK(j["maintenance"]["upcoming"][0]["start"] == "2026-12-01T14:00:00+01:00");
    CHECK(j["maintenance"]["active"].empty());
}

TEST_CASE("the text report lists upcoming maintenance") {
    Fixture f(Domain::all_ok);
    MaintenanceWindow w;
    w.start = f.o.context.now.instant + std::chrono::hours(72);
    w.end = w.start + std::chrono::hours(5);
    w.title = "Uppgradering av TES";
    f.o.maintenance.windows.push_back(w);
    auto t = reportText(f.o, f.cfg, Lang::sv);
    CHECK_THAT(t, Catch::Contains("tisdag 1 december kl. 14:00–19:00  Uppgradering av TES"));
}

TEST_CASE("the exit code is 0 only when all is fine") {
    Diagnosis d;
    CHECK(exitCodeFor(d) == 0);
    d.domain = Domain::service_down;
    CHECK(exitCodeFor(d) == 1);
}

TEST_CASE("the locale's language is English for en, else Swedish, in POSIX order") {
    // Restores the variables this test changes, whatever happens.
    struct Saved {
        std::vector<std::pair<std::string, std::optional<std::string>>> vars;
        Saved() {
            for (const char* n : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
                const char* v = std::getenv(n);
                vars.emplace_back(n, v ? std::optional<std::string>(v) : std::nullopt);
            }
        }
        ~Saved() {
            for (const auto& [n, v] : vars)
                v ? ::setenv(n.c_str(), v->c_str(), 1) : ::unsetenv(n.c_str());
        }
    } saved;
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
    ::unsetenv("LANG");
    CHECK(dk::localeLang() == dk::Lang::sv);
    ::setenv("LANG", "en_GB.UTF-8", 1);
    CHECK(dk::localeLang() == dk::Lang::en);
    ::setenv("LC_MESSAGES", "sv_SE.UTF-8", 1);
    CHECK(dk::localeLang() == dk::Lang::sv);
    ::setenv("LC_ALL", "en_US.UTF-8", 1);
    CHECK(dk::localeLang() == dk::Lang::en);
    ::setenv("LC_ALL", "C.UTF-8", 1);
    CHECK(dk::localeLang() == dk::Lang::sv);
}
