// The diagnosis as a table: canned check results in, domain and systems out.
// Real network behaviour producing each domain is covered by the namespace
// tests (check_scenarios_test.cpp); here every branch of the rules is pinned.
#include <catch2/catch.hpp>

#include "agent/decide/diagnosis.h"

using namespace dk;
using config::Role;

namespace {

config::System sys(const std::string& id, Role role, bool configured = true) {
    config::System s;
    s.id = id;
    s.name = id;
    s.role = role;
    if (configured)
        s.url = "https://" + id + ".test/";
    return s;
}

// tes (primary), journal (business), intranet (internal), na and news (outside).
config::Config municipal() {
    config::Config c;
    c.systems = {sys("tes", Role::primary), sys("journal", Role::business),
                 sys("intranet", Role::internal), sys("na", Role::outside),
                 sys("news", Role::outside)};
    return c;
}

Check check(const std::string& id, const std::string& kind, Status st,
            std::vector<Problem> probs = {}, const std::string& system = "") {
    Check c;
    c.id = id;
    c.kind = kind;
    c.system = system;
    c.status = st;
    c.problems = std::move(probs);
    ProbeResult a;
    a.status = st;
    a.problems = c.problems;
    c.attempts.push_back(a);
    return c;
}

// A report in which everything passes; tests then break what they need.
RunReport healthy(const config::Config& cfg) {
    RunReport r;
    r.checks = {check("link", "link", Status::pass), check("address", "address", Status::pass),
                check("gateway", "gateway", Status::pass),
                check("dns_servers", "dns_servers", Status::pass)};
    for (const auto& s : cfg.systems) {
        if (!s.configured())
            continue;
        r.checks.push_back(check("dns:" + s.id + ".test", "dns", Status::pass));
        r.checks.push_back(check("http:" + s.id, "http", Status::pass, {}, s.id));
    }
    r.checks.push_back(check("clock", "clock", Status::pass));
    return r;
}

void set(RunReport& r, const std::string& id, Status st, std::vector<Problem> probs) {
    for (auto& c : r.checks)
        if (c.id == id) {
            c.status = st;
            c.problems = probs;
            c.attempts.back().status = st;
            c.attempts.back().problems = probs;
            return;
        }
    FAIL("no check " << id);
}

void down(RunReport& r, const std::string& id, Problem p = Problem::tcp_timeout) {
    set(r, "http:" + id, Status::fail, {p});
}

void nameFails(RunReport& r, const std::string& id, Problem p) {
    set(r, "dns:" + id + ".test", Status::fail, {p});
    set(r, "http:" + id, Status::fail, {p});
}

}  // namespace

TEST_CASE("every check passing is all_ok") {
    auto cfg = municipal();
    auto d = diagnose(healthy(cfg), cfg);
    CHECK(d.domain == Domain::all_ok);
    CHECK(d.systems.empty());
}

TEST_CASE("no link is no_link, whatever the remote checks say") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "link", Status::fail, {Problem::no_carrier});
    down(r, "tes");
    CHECK(diagnose(r, cfg).domain == Domain::no_link);
}

TEST_CASE("a 169.254 address is no_address") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "address", Status::fail, {Problem::link_local_only});
    CHECK(diagnose(r, cfg).domain == Domain::no_address);
}

TEST_CASE("no default route with every system failing is no_gateway") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "gateway", Status::fail, {Problem::no_default_route});
    for (auto id : {"tes", "journal", "intranet", "na", "news"})
        down(r, id, Problem::tcp_unreachable);
    CHECK(diagnose(r, cfg).domain == Domain::no_gateway);
}

TEST_CASE("a silent gateway while systems answer is not blamed") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "gateway", Status::fail, {Problem::gateway_unreachable});
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::all_ok);
    CHECK(d.notes == std::vector<std::string>{"gateway_check_failed_but_systems_answer"});
}

TEST_CASE("a gateway silent to ICMP and ARP with nothing beyond it answering is no_gateway") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "gateway", Status::warn, {Problem::gateway_silent});
    for (auto id : {"tes", "journal", "intranet", "na", "news"})
        down(r, id, Problem::tcp_timeout);
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::no_gateway);
    CHECK(d.notes == std::vector<std::string>{"gateway_silent_and_nothing_beyond_answers"});
}

TEST_CASE("a gateway that filters ICMP is not blamed while anything beyond it answers") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "gateway", Status::warn, {Problem::gateway_silent});
    // Only one outside site answers: the gateway forwards, the internal network is out.
    for (auto id : {"tes", "journal", "intranet", "na"}) down(r, id, Problem::tcp_timeout);
    CHECK(diagnose(r, cfg).domain == Domain::internal_network);
    auto ok = healthy(cfg);
    set(ok, "gateway", Status::warn, {Problem::gateway_silent});
    CHECK(diagnose(ok, cfg).domain == Domain::all_ok);
}

TEST_CASE("a gateway that could not be checked does not turn network_down into no_gateway") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "gateway", Status::warn, {Problem::gateway_unverified});
    for (auto id : {"tes", "journal", "intranet", "na", "news"}) down(r, id);
    CHECK(diagnose(r, cfg).domain == Domain::network_down);
}

TEST_CASE("only TES failing is service_down for tes") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes", Problem::http_server_error);
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::service_down);
    CHECK(d.systems == std::vector<std::string>{"tes"});
}

TEST_CASE("every internal system failing while outside sites work is internal_network") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    for (auto id : {"tes", "journal", "intranet"}) down(r, id);
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::internal_network);
    CHECK(d.systems == std::vector<std::string>{"tes", "journal", "intranet"});
}

TEST_CASE("with TES the only internal system, its failure is service_down, not internal_network") {
    config::Config cfg;
    cfg.systems = {sys("tes", Role::primary), sys("na", Role::outside)};
    auto r = healthy(cfg);
    down(r, "tes");
    CHECK(diagnose(r, cfg).domain == Domain::service_down);
}

TEST_CASE("every outside site failing while internal systems work is internet") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "na");
    down(r, "news");
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::internet);
    CHECK(d.systems == std::vector<std::string>{"na", "news"});
}

TEST_CASE("everything remote failing with link and gateway fine is network_down") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    for (auto id : {"tes", "journal", "intranet", "na", "news"}) down(r, id);
    CHECK(diagnose(r, cfg).domain == Domain::network_down);
}

TEST_CASE("every name failing with answers from the name server is dns") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    for (auto id : {"tes", "journal", "intranet", "na", "news"})
        nameFails(r, id, Problem::dns_servfail);
    CHECK(diagnose(r, cfg).domain == Domain::dns);
}

TEST_CASE("every name failing because no name server answers is network_down") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    for (auto id : {"tes", "journal", "intranet", "na", "news"})
        nameFails(r, id, Problem::dns_timeout);
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::network_down);
    CHECK(d.notes == std::vector<std::string>{"name_servers_silent"});
}

TEST_CASE("TES's name alone not resolving is dns for tes") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    nameFails(r, "tes", Problem::dns_nxdomain);
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::dns);
    CHECK(d.systems == std::vector<std::string>{"tes"});
}

TEST_CASE("a slow TES is service_degraded") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "http:tes", Status::warn, {Problem::slow});
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::service_degraded);
    CHECK(d.systems == std::vector<std::string>{"tes"});
}

TEST_CASE("TES failing once and then working is service_degraded") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "http:tes", Status::warn, {Problem::intermittent, Problem::http_server_error});
    CHECK(diagnose(r, cfg).domain == Domain::service_degraded);
}

TEST_CASE("a certificate that expires soon is a warning but not a degraded service") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "http:tes", Status::warn, {Problem::tls_cert_expiring});
    CHECK(diagnose(r, cfg).domain == Domain::all_ok);
}

TEST_CASE("a wrong clock is clock_skew even when it breaks TLS to a system") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "clock", Status::fail, {Problem::clock_skew});
    down(r, "tes", Problem::tls_cert_not_yet_valid);
    CHECK(diagnose(r, cfg).domain == Domain::clock_skew);
}

TEST_CASE("systems without an endpoint are listed as unconfigured and never pass") {
    auto cfg = municipal();
    cfg.systems[0].url.clear();  // TES left for IT to fill in
    auto r = healthy(cfg);
    auto d = diagnose(r, cfg);
    CHECK(d.unconfigured == std::vector<std::string>{"tes"});
    CHECK(d.per_system[0].state == SystemState::not_configured);
}

TEST_CASE("an outside site down while another works is service_down for that site") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "news");
    auto d = diagnose(r, cfg);
    CHECK(d.domain == Domain::service_down);
    CHECK(d.systems == std::vector<std::string>{"news"});
}

// Maintenance windows and the user's answers refine the diagnosis.

namespace {

MaintenanceSchedule windowFor(const std::string& system, std::chrono::sys_seconds start,
                              std::chrono::sys_seconds end) {
    MaintenanceSchedule s;
    MaintenanceWindow w;
    w.systems = {system};
    w.start = start;
    w.end = end;
    w.uid = "w1";
    s.windows.push_back(w);
    return s;
}

const auto kNoon =
    std::chrono::sys_seconds(std::chrono::seconds(1796122800));  // 2026-12-01 11:00 UTC

}  // namespace

TEST_CASE("TES failing inside its announced window is planned_maintenance until the window ends") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes", Problem::http_maintenance_page);
    auto d = diagnose(r, cfg);
    applyMaintenance(
        d, windowFor("tes", kNoon - std::chrono::hours(2), kNoon + std::chrono::hours(3)), kNoon);
    CHECK(d.domain == Domain::planned_maintenance);
    REQUIRE(d.maintenance_until);
    CHECK(*d.maintenance_until == kNoon + std::chrono::hours(3));
}

TEST_CASE("TES failing after its window has ended is an outage again") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes", Problem::http_server_error);
    auto d = diagnose(r, cfg);
    applyMaintenance(d, windowFor("tes", kNoon - std::chrono::hours(5), kNoon), kNoon);
    CHECK(d.domain == Domain::service_down);
}

TEST_CASE("a window for another system does not excuse TES") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes");
    down(r, "journal");
    auto d = diagnose(r, cfg);
    applyMaintenance(
        d, windowFor("journal", kNoon - std::chrono::hours(1), kNoon + std::chrono::hours(1)),
        kNoon);
    CHECK(d.domain == Domain::service_down);
}

TEST_CASE("login refused while TES answers is account") {
    auto cfg = municipal();
    auto d = diagnose(healthy(cfg), cfg);
    Answers a;
    a.login = "refused";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::account);
    CHECK(d.systems == std::vector<std::string>{"tes"});
}

TEST_CASE("login refused while TES is down stays service_down") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes", Problem::http_server_error);
    auto d = diagnose(r, cfg);
    Answers a;
    a.login = "refused";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::service_down);
}

TEST_CASE("it working for a colleague on this computer is account") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes");
    auto d = diagnose(r, cfg);
    Answers a;
    a.same_computer_colleague = "works";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::account);
}

TEST_CASE("it working on another computer is this_computer") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes");
    auto d = diagnose(r, cfg);
    Answers a;
    a.other_computer = "works";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::this_computer);
}

TEST_CASE("the page not loading here while every check passes is this_computer") {
    auto cfg = municipal();
    auto d = diagnose(healthy(cfg), cfg);
    Answers a;
    a.login = "no_page";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::this_computer);
}

TEST_CASE("answers do not override a cable that is out") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    set(r, "link", Status::fail, {Problem::no_carrier});
    auto d = diagnose(r, cfg);
    Answers a;
    a.other_computer = "works";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::no_link);
}

TEST_CASE("it failing on other computers too keeps the verdict and notes the answer") {
    auto cfg = municipal();
    auto r = healthy(cfg);
    down(r, "tes");
    auto d = diagnose(r, cfg);
    Answers a;
    a.other_computer = "fails";
    applyAnswers(d, a);
    CHECK(d.domain == Domain::service_down);
    CHECK(d.notes == std::vector<std::string>{"answer_fails_elsewhere_too"});
}
