// The `driftkoll` program's command line: help, exit codes, and clear messages
// for bad input. None of these runs a check, so none touches the network; whole
// checks run inside namespaces in check_scenarios_test.cpp.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"

using dk::test::runProcess;

namespace {

const std::string kBin = DK_DRIFTKOLL_BIN;

// Runs driftkoll with no user or system config file in reach, so that the
// built-in profile applies whatever this machine has in ~/.config or /etc/xdg.
dk::test::ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), kBin);
    return runProcess(args, {"XDG_CONFIG_HOME=/nonexistent/driftkoll-test",
                             "XDG_CONFIG_DIRS=/nonexistent/driftkoll-test"});
}

// A file in the temporary directory, removed at the end of the test.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& text) {
        char name[] = "/tmp/driftkoll-cli-XXXXXX.toml";
        int fd = mkstemps(name, 5);
        REQUIRE(fd >= 0);
        close(fd);
        path = name;
        std::ofstream(path) << text;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("--help explains the commands and exits 0") {
    auto r = run({"--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("check") && Catch::Contains("config"));
}

TEST_CASE("check --help lists the contract's options") {
    auto r = run({"check", "--help"});
    CHECK(r.exit_code == 0);
    for (auto opt : {"--config", "--json", "--lang", "--at"})
        CHECK_THAT(r.out, Catch::Contains(opt));
}

TEST_CASE("no command at all is bad usage: exit 2") {
    auto r = run({});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("driftkoll --help"));
}

TEST_CASE("an unknown option is bad usage: exit 2 with the option named") {
    auto r = run({"check", "--colour"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--colour"));
}

TEST_CASE("an unknown language is bad usage: exit 2") {
    auto r = run({"check", "--lang", "fi"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("sv") && Catch::Contains("en"));
}

TEST_CASE("a malformed --at is bad usage: exit 2 with an example") {
    auto r = run({"check", "--at", "lördag 14:00"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("2026-11-28T14:00"));
}

TEST_CASE("a missing config file is exit 2 and names the path") {
    auto r = run({"check", "--config", "/nonexistent/driftkoll.toml"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent/driftkoll.toml"));
}

TEST_CASE("a config with a syntax error is exit 2 with file, line and column") {
    TempFile f("profile = \"x\"\n[deadlines\nrun = \"4s\"\n");
    auto r = run({"check", "--config", f.path});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(f.path + ":2:"));
}

TEST_CASE("config check accepts the installed default profile") {
    auto r = run({"config", "check", DK_DEFAULT_PROFILE_FILE});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("OK"));
}

TEST_CASE("config check names a misspelt key and suggests the right one") {
    TempFile f("[deadlines]\nrnu = \"4s\"\n");
    auto r = run({"config", "check", f.path});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(f.path + ":2:1") && Catch::Contains("run"));
}

TEST_CASE("config check accepts a profile with no one to call, warning where it starts") {
    TempFile f("[[systems]]\nid = \"tes\"\nrole = \"primary\"\nurl = \"https://tes.example/\"\n");
    auto r = run({"config", "check", f.path});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("OK"));
    CHECK_THAT(r.err, Catch::Contains(f.path + ":1:1: inga [[contacts]] är konfigurerade") &&
                          Catch::Contains("no [[contacts]] are configured"));
}

TEST_CASE("config show prints the effective config, which loads back") {
    auto shown = run({"config", "show"});
    REQUIRE(shown.exit_code == 0);
    CHECK_THAT(shown.out, Catch::Contains("019-21 20 00"));
    TempFile f(shown.out);
    CHECK(run({"config", "check", f.path}).exit_code == 0);
}

TEST_CASE("an answer outside the allowed ones is bad usage: exit 2 naming them") {
    auto r = run({"check", "--answer", "login=maybe"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("refused") && Catch::Contains("no_page"));
}

TEST_CASE("contacts on a Saturday afternoon: lines closed, on-call now, Carelock helg slot") {
    auto r = run({"contacts", "--json", "--at", "2026-11-28T14:00"});
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    for (const auto& line : j["lines"]) CHECK(line["open"] == false);
    CHECK(j["lines"][0]["next_open"] == "2026-11-30T08:00:00+01:00");
    CHECK(j["oncall"]["covers_now"] == true);
    CHECK(j["carelock"]["slot"] == "helg");
}

TEST_CASE("contacts on a weekday morning: the lines are open and the on-call is not for now") {
    auto r = run({"contacts", "--at", "2026-11-25T10:30"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("ÖPPET till 16:30") && Catch::Contains("019-21 36 06") &&
                          Catch::Contains("Inte nu"));
}

TEST_CASE("contacts at night gives the Carelock night steps in English too") {
    auto r = run({"contacts", "--lang", "en", "--at", "2026-11-25T23:30"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Certego") && Catch::Contains("112"));
}
