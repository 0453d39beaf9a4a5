// One whole check through performCheck(): the incident that ties runs together
// (case code, restarts by boot id) and the advice that follows from it. The
// network stack is a stand-in (fakes.h); the incident file is real.
#include <catch2/catch.hpp>

#include <filesystem>

#include "agent/check/check.h"
#include "tests/support/fakes.h"
#include "tests/support/temp_dir.h"

using namespace dk;

using dk::test::TempDir;

namespace {

struct Bench {
    TempDir dir;
    config::Config cfg;
    RunnerDeps deps;

    // A workstation that got no address from DHCP (169.254.x.x), and no systems.
    Bench() {
        cfg.network.nameservers = {"127.0.0.1"};
        cfg.clock.reference.clear();
        config::Contact oncall;
        oncall.id = "oncall";
        oncall.name = "jourhavande datatekniker";
        oncall.phone_short = "20 00";
        cfg.contacts.push_back(oncall);
        deps.net = std::make_shared<test::FakeNet>(true, "169.254.7.8");
        deps.pinger = std::make_shared<test::SilentPinger>();
        deps.resolver = std::make_shared<test::MapResolver>();
        deps.name_servers = [](std::string*) { return std::vector<std::string>{}; };
    }

    Outcome run(const std::string& boot, bool record = true) {
        CheckRequest req;
        TimeError err;
        req.at = parseLocal("2026-11-28T14:00", cfg.timezone, &err);
        req.state_path = dir.str() + "/incident.json";
        req.cache_dir = dir.str() + "/cache";
        req.boot_id = boot;
        req.record = record;
        return performCheck(cfg, deps, req);
    }
};

}  // namespace

TEST_CASE("a restart is advised until one is made, then the fault goes to people") {
    Bench b;
    auto first = b.run("boot-A");
    CHECK(first.diagnosis.domain == Domain::no_address);
    CHECK(first.advice.action == Action::restart_computer);
    REQUIRE(first.incident);
    const std::string code = first.incident->case_code;

    auto again = b.run("boot-A");  // the user has not restarted yet
    CHECK(again.advice.action == Action::restart_computer);
    CHECK(again.incident->case_code == code);

    auto after = b.run("boot-B");  // a new boot: the restart has been tried
    CHECK(after.advice.action == Action::call_oncall);
    CHECK(after.advice.restarted);
    CHECK(after.incident->restarts() == 1);
    CHECK(after.advice.case_code == code);
}

TEST_CASE("a run that does not record leaves the incident file alone") {
    Bench b;
    auto o = b.run("boot-A", /*record=*/false);
    CHECK(o.incident);  // reported for this run
    CHECK_FALSE(std::filesystem::exists(b.dir.str() + "/incident.json"));
}

TEST_CASE("the first run that finds all fine ends the incident") {
    Bench b;
    b.run("boot-A");
    REQUIRE(std::filesystem::exists(b.dir.str() + "/incident.json"));
    b.deps.net = std::make_shared<test::FakeNet>(true, "10.0.0.5");
    auto ok = b.run("boot-A");
    CHECK(ok.diagnosis.domain == Domain::all_ok);
    CHECK_FALSE(ok.incident);
    CHECK_FALSE(std::filesystem::exists(b.dir.str() + "/incident.json"));
}
