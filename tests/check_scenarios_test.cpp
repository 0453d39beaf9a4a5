// Whole checks from real network behaviour: the real `driftkoll check --json`
// runs inside a workstation namespace, wired by a veth pair to a namespace that
// plays the municipal network: the default gateway, a DNS server, and HTTPS
// servers for TES, the intranet, another business system and two outside sites.
// Each scenario breaks one thing and asserts the diagnosis and the advice.
//
//   workstation (ws)                       network (net)
//   eth0 10.199.0.2/24  ── veth ──  gw0 10.199.0.1/24 (gateway)
//   default via 10.199.0.1                 lo: 10.199.0.53  DNS
//   resolv.conf: 10.199.0.53                   10.199.1.10  tes.kommun.test
//                                              10.199.1.11  intranet.kommun.test
//                                              10.199.1.12  journal.kommun.test
//                                              10.199.2.10  www.na.test
//                                              10.199.2.11  www.orebro.test
//
// Needs root (namespaces); without it every scenario says it was skipped.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "agent/cli/api_client.h"
#include "tests/support/certs.h"
#include "tests/support/dns_server.h"
#include "tests/support/netns.h"
#include "tests/support/process.h"
#include "tests/support/slowdown.h"
#include "tests/support/tls_server.h"

using namespace std::chrono_literals;
using dk::test::DnsBehaviour;
using dk::test::NetNs;
using dk::test::Reply;
using dk::test::TestServer;
using Json = nlohmann::json;

namespace {

// Every scenario's run deadline and each system's thresholds, stretched by
// DK_TEST_SLOWDOWN: a healthy answer (tens of milliseconds on an idle machine)
// stays below `slow` on a machine several times slower, and a server that waits
// kSlowReply before answering is above `slow` on any machine and leaves 2 s for
// the rest of the check before `timeout`.
const std::chrono::milliseconds kRun = dk::test::scaled(3500ms);
const std::chrono::milliseconds kSlow = dk::test::scaled(800ms);
const std::chrono::milliseconds kSlowReply = dk::test::scaled(1000ms);
const std::chrono::milliseconds kTimeout = dk::test::scaled(3000ms);

struct Site {
    const char* id;
    const char* name;
    const char* role;
    const char* host;
    const char* address;
};

const Site kSites[] = {
    {"tes", "TES", "primary", "tes.kommun.test", "10.199.1.10"},
    {"intranet", "Intranätet", "internal", "intranet.kommun.test", "10.199.1.11"},
    {"journal", "Journalen", "business", "journal.kommun.test", "10.199.1.12"},
    {"na", "www.na.se", "outside", "www.na.test", "10.199.2.10"},
    {"orebro", "orebro.se", "outside", "www.orebro.test", "10.199.2.11"},
};

// The contacts and opening hours of the default profile, so advice is routed as in
// production.
const char* kContacts = R"(
[[contacts]]
id = "tes_support"
name = "Kommunsupport – TES"
phone = "019-21 20 00"
phone_short = "20 00"
menu = ["3", "1"]
email = "vardochstod@orebro.se"
[[contacts.hours]]
days = "mon-fri"
open = "08:00"
close = "16:30"

[[contacts]]
id = "it_support"
name = "Kommunsupport – IT och telefoni"
phone = "019-21 20 00"
menu = ["4"]
email = "it-helpdesk@orebro.se"
municipal_only = true
[[contacts.hours]]
days = "mon-thu"
open = "07:00"
close = "17:00"
breaks = [{ from = "12:00", to = "13:00" }]
[[contacts.hours]]
days = "fri"
open = "07:00"
close = "16:00"
breaks = [{ from = "12:00", to = "13:00" }]

[[contacts]]
id = "oncall"
name = "jourhavande datatekniker"
phone = "019-21 20 00"
phone_short = "20 00"
municipal_only = true
)";

class Lab {
public:
    Lab() {
        using dk::test::sh;
        sh("ip -n " + ws_.name() + " link add name eth0 type veth peer name gw0 netns " +
           net_.name());
        ws_.exec("ip addr add 10.199.0.2/24 dev eth0");
        ws_.exec("ip link set eth0 up");
        ws_.exec("ip route add default via 10.199.0.1");
        ws_.exec("sysctl -qw net.ipv4.ping_group_range='0 2147483647'");
        net_.exec("ip addr add 10.199.0.1/24 dev gw0");
        net_.exec("ip link set gw0 up");
        net_.exec("ip addr add 10.199.0.53/32 dev lo");
        for (const auto& s : kSites)
            net_.exec(std::string("ip addr add ") + s.address + "/32 dev lo");

        // The workstation's resolv.conf, as `ip netns exec` mounts it.
        etc_ = "/etc/netns/" + ws_.name();
        std::filesystem::create_directories(etc_);
        std::ofstream(etc_ + "/resolv.conf") << "nameserver 10.199.0.53\n";
        std::filesystem::create_directories(runtimeDir());
        std::filesystem::permissions(runtimeDir(), std::filesystem::perms::owner_all);

        dns_ = std::make_unique<dk::test::DnsServer>(
            dk::test::DnsServerOptions{"10.199.0.53", 53, net_.name()});
        const auto& cert = dk::test::testCerts().scenario;
        for (const auto& s : kSites) {
            dns_->on(s.host, DnsBehaviour::answer({s.address}));
            servers_[s.id] = std::make_unique<TestServer>(
                dk::test::ServerOptions{cert.cert, cert.key, s.address, 443, net_.name()});
        }
    }

    ~Lab() {
        std::error_code ec;
        std::filesystem::remove_all(etc_, ec);
    }

    NetNs& ws() { return ws_; }
    NetNs& net() { return net_; }
    dk::test::DnsServer& dns() { return *dns_; }
    TestServer& server(const std::string& id) { return *servers_.at(id); }

    // Stops a site's server: its address stays, so connections are refused (RST).
    void stopServer(const std::string& id) { servers_.erase(id); }

    // Serves a site with another certificate from now on.
    void replaceServer(const std::string& id, const dk::test::CertFiles& cert) {
        const Site* site = nullptr;
        for (const auto& s : kSites)
            if (s.id == id)
                site = &s;
        REQUIRE(site);
        servers_.erase(id);
        servers_[id] = std::make_unique<TestServer>(
            dk::test::ServerOptions{cert.cert, cert.key, site->address, 443, net_.name()});
    }

    // Drops every packet the network namespace receives for `dst` (an address or prefix).
    void blackHole(const std::string& dst) {
        if (!nft_) {
            net_.exec("nft add table inet dk");
            net_.exec("nft 'add chain inet dk in { type filter hook input priority 0 ; }'");
            nft_ = true;
        }
        net_.exec("nft add rule inet dk in ip daddr " + dst + " drop");
    }

    // Extra TOML appended to the scenario's config (maintenance windows, feeds).
    void addConfig(const std::string& toml) { extra_config_ += toml; }

    // Writes the scenario's config and returns its path.
    std::string writeConfig(const std::string& organisation = "municipal") {
        // The run's deadline and each system's thresholds, stretched on a slow
        // machine (tests/support/slowdown.h).
        using dk::test::tomlMs;
        std::string cfg = "profile = \"scenario\"\norganisation = \"" + organisation +
                          "\"\n[deadlines]\nrun = \"" + tomlMs(kRun) +
                          "\"\nconfirm_delay = \"100ms\"\n[network]\nca_file = \"" +
                          dk::test::testCerts().ca + "\"\n[clock]\nreference = \"na\"\n";
        for (const auto& s : kSites)
            cfg += std::string("[[systems]]\nid = \"") + s.id + "\"\nname = \"" + s.name +
                   "\"\nrole = \"" + s.role + "\"\nurl = \"https://" + s.host +
                   "/\"\nslow = \"" + tomlMs(kSlow) + "\"\ntimeout = \"" + tomlMs(kTimeout) +
                   "\"\nmaintenance_text = [\"underhåll\"]\n";
        cfg += kContacts;
        cfg += extra_config_;
        const std::string path = etc_ + "/driftkoll.toml";
        std::ofstream(path) << cfg;
        return path;
    }

    // The command line that runs driftkoll with `args` in the workstation, in a clean
    // environment: no proxy settings from the machine running the tests, and the
    // incident, history, cache and API socket kept inside this scenario.
    std::vector<std::string> inWorkstation(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {"/usr/bin/env",
                                         "-u",
                                         "http_proxy",
                                         "-u",
                                         "https_proxy",
                                         "-u",
                                         "HTTPS_PROXY",
                                         "-u",
                                         "all_proxy",
                                         "-u",
                                         "ALL_PROXY",
                                         "-u",
                                         "no_proxy",
                                         "-u",
                                         "NO_PROXY",
                                         "XDG_STATE_HOME=" + etc_ + "/state",
                                         "XDG_CACHE_HOME=" + etc_ + "/cache",
                                         "XDG_RUNTIME_DIR=" + runtimeDir(),
                                         "ip",
                                         "netns",
                                         "exec",
                                         ws_.name(),
                                         DK_DRIFTKOLL_BIN};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    std::string runtimeDir() const { return etc_ + "/run"; }
    // $XDG_STATE_HOME of the programs run in the workstation: history, incident, logs.
    std::string stateDir() const { return etc_ + "/state"; }

    // Runs `driftkoll check --json` in the workstation and returns the report.
    Json check(const std::string& at, const std::string& organisation = "municipal",
               const std::vector<std::string>& answers = {}) {
        std::vector<std::string> args = {"check", "--json", "--config", writeConfig(organisation)};
        if (!at.empty()) {
            args.push_back("--at");
            args.push_back(at);
        }
        for (const auto& a : answers) {
            args.push_back("--answer");
            args.push_back(a);
        }
        last_ = dk::test::runProcess(inWorkstation(args), {}, 20s);
        INFO("stderr: " << last_.err);
        REQUIRE_FALSE(last_.timed_out);
        REQUIRE((last_.exit_code == 0 || last_.exit_code == 1));
        return Json::parse(last_.out);
    }

    const dk::test::ProcessResult& last() const { return last_; }

private:
    NetNs ws_, net_;
    std::string etc_;
    std::unique_ptr<dk::test::DnsServer> dns_;
    std::map<std::string, std::unique_ptr<TestServer>> servers_;
    bool nft_ = false;
    std::string extra_config_;
    dk::test::ProcessResult last_;
};

const char* kWednesdayMorning = "2026-11-25T10:30";
const char* kSaturday = "2026-11-28T14:00";
const char* kTuesdayNight = "2026-12-01T02:00";
const char* kWednesdayEvening = "2026-11-25T19:00";

std::string domainOf(const Json& j) {
    return j["diagnosis"]["domain"];
}
std::string actionOf(const Json& j) {
    return j["advice"]["action"];
}

// The report is in before the run's deadline plus the time to hand it in.
void endedInTime(const Json& j) {
    CHECK(j["run"]["duration_ms"].get<double>() <
          static_cast<double>((kRun + dk::test::scaled(300ms)).count()));
}

}  // namespace

TEST_CASE("scenario: everything works") {
    DK_NEEDS_NETNS();
    Lab lab;
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "all_ok");
    CHECK(actionOf(j) == "none");
    CHECK(lab.last().exit_code == 0);
    for (const auto& c : j["checks"]) CHECK(c["status"] != "fail");
}

TEST_CASE("scenario: cable out gives no_link at once, any time") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.net().exec("ip link set gw0 down");
    for (auto at : {kWednesdayMorning, kTuesdayNight}) {
        auto j = lab.check(at);
        CHECK(domainOf(j) == "no_link");
        CHECK(actionOf(j) == "check_cables");
        // Nothing remote was waited for: far below the deadline.
        CHECK(j["run"]["duration_ms"].get<double>() <
              static_cast<double>(dk::test::scaled(500ms).count()));
    }
    CHECK(lab.server("tes").connections() == 0);
}

TEST_CASE("scenario: only a 169.254 address gives no_address") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.ws().exec("ip addr flush dev eth0");
    lab.ws().exec("ip addr add 169.254.20.30/16 dev eth0");
    auto j = lab.check(kSaturday);
    CHECK(domainOf(j) == "no_address");
    CHECK(actionOf(j) == "restart_computer");
}

TEST_CASE("scenario: no default route gives no_gateway") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.ws().exec("ip route del default");
    auto j = lab.check(kSaturday);
    CHECK(domainOf(j) == "no_gateway");
    endedInTime(j);
}

TEST_CASE("scenario: a silent gateway gives no_gateway within the deadline") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.ws().exec("ip route replace default via 10.199.0.99");
    auto j = lab.check(kSaturday);
    CHECK(domainOf(j) == "no_gateway");
    endedInTime(j);
}

TEST_CASE("scenario: NXDOMAIN for TES only gives dns for tes") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.dns().on("tes.kommun.test", DnsBehaviour::nxdomain());
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "dns");
    CHECK(j["diagnosis"]["systems"] == Json::array({"tes"}));
}

TEST_CASE("scenario: a name server answering SERVFAIL for everything gives dns") {
    DK_NEEDS_NETNS();
    Lab lab;
    for (const auto& s : kSites) lab.dns().on(s.host, DnsBehaviour::servfail());
    auto j = lab.check(kSaturday);
    CHECK(domainOf(j) == "dns");
    CHECK(actionOf(j) == "call_oncall");
}

TEST_CASE("scenario: everything beyond the gateway black-holed gives network_down in time") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.blackHole("10.199.1.0/24");
    lab.blackHole("10.199.2.0/24");
    lab.blackHole("10.199.0.53");
    auto j = lab.check(kWednesdayEvening);
    CHECK(domainOf(j) == "network_down");
    CHECK(actionOf(j) == "call_oncall");
    endedInTime(j);
}

TEST_CASE("scenario: all internal systems down while outside sites work gives internal_network") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.blackHole("10.199.1.0/24");
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "internal_network");
    CHECK(actionOf(j) == "contact_it_support");
    endedInTime(j);
}

TEST_CASE("scenario: outside sites down while internal systems work gives internet") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.blackHole("10.199.2.0/24");
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "internet");
    CHECK(actionOf(j) == "none");
}

TEST_CASE("scenario: TES answering 503 gives service_down, routed by the clock") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.server("tes").setDefaultReply(Reply{503, "Service Unavailable", "text/plain", {}, {}, 0ms});
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "service_down");
    CHECK(j["diagnosis"]["systems"] == Json::array({"tes"}));
    CHECK(actionOf(j) == "contact_tes_support");
    CHECK(actionOf(lab.check(kSaturday)) == "call_oncall");
    CHECK(actionOf(lab.check(kTuesdayNight)) == "call_oncall");
    CHECK(actionOf(lab.check(kWednesdayEvening, "external_provider")) ==
          "contact_own_organisation");
}

TEST_CASE("scenario: TES refusing connections gives service_down with tcp_refused") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.stopServer("tes");
    auto j = lab.check(kSaturday);
    CHECK(domainOf(j) == "service_down");
    for (const auto& c : j["checks"])
        if (c["id"] == "http:tes") {
            CHECK(c["problems"][0] == "tcp_refused");
            CHECK(c["attempts"].size() == 2);  // confirmed by a re-probe
        }
}

TEST_CASE("scenario: TES with an expired certificate gives service_down with the TLS reason") {
    DK_NEEDS_NETNS();
    Lab lab;
    auto j0 = lab.check(kWednesdayMorning);
    REQUIRE(domainOf(j0) == "all_ok");
    // Replace TES's server with one whose certificate has expired.
    lab.replaceServer("tes", dk::test::testCerts().scenario_expired);
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "service_down");
    bool expired = false;
    for (const auto& c : j["checks"])
        if (c["id"] == "http:tes")
            for (const auto& p : c["problems"]) expired |= p == "tls_cert_expired";
    CHECK(expired);
}

TEST_CASE("scenario: TES showing a maintenance page gives service_down") {
    DK_NEEDS_NETNS();
    Lab lab;
    Reply r;
    r.status = 200;
    r.body = "<h1>Planerat UNDERHÅLL pågår</h1>";
    lab.server("tes").setDefaultReply(r);
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "service_down");
}

TEST_CASE("scenario: a slow TES gives service_degraded") {
    DK_NEEDS_NETNS();
    Lab lab;
    Reply r;
    r.delay = kSlowReply;
    lab.server("tes").setDefaultReply(r);
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "service_degraded");
    CHECK(actionOf(j) == "contact_tes_support");
}

TEST_CASE("scenario: a clock two days off gives clock_skew") {
    DK_NEEDS_NETNS();
    Lab lab;
    Reply r;
    r.date = dk::test::httpDate(std::chrono::system_clock::now() + 48h);
    lab.server("na").setDefaultReply(r);
    auto j = lab.check(kWednesdayMorning);
    CHECK(domainOf(j) == "clock_skew");
}

TEST_CASE("scenario: TES down inside an announced window gives planned_maintenance until its end") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.server("tes").setDefaultReply(Reply{503, "Planerat underhåll", "text/plain", {}, {}, 0ms});
    lab.addConfig(
        "[[maintenance.windows]]\nsystems = [\"tes\"]\nstart = 2026-12-01T09:00:00\n"
        "end = 2026-12-01T14:00:00\ntitle = \"Uppgradering av TES\"\n");
    auto j = lab.check("2026-12-01T10:30");
    CHECK(domainOf(j) == "planned_maintenance");
    CHECK(actionOf(j) == "wait_planned_maintenance");
    CHECK(j["advice"]["until"] == "2026-12-01T14:00:00+01:00");
    // After the window the same failure is an outage again.
    CHECK(domainOf(lab.check("2026-12-01T14:30")) == "service_down");
}

TEST_CASE("scenario: the maintenance feed is fetched from the intranet over HTTPS") {
    DK_NEEDS_NETNS();
    Lab lab;
    // IT publishes the Tuesday/Wednesday upgrade window as a recurring iCalendar event.
    Reply feed;
    feed.content_type = "text/calendar";
    feed.body =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kommun//drift//SV\r\n"
        "BEGIN:VEVENT\r\nUID:tes-upgrade@kommun.test\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=Europe/Stockholm:20261103T090000\r\n"
        "DTEND;TZID=Europe/Stockholm:20261103T140000\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=TU,WE\r\nSUMMARY:Uppgradering av TES\r\n"
        "X-DRIFTKOLL-SYSTEMS:tes\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    lab.server("intranet").setReply("/drift.ics", feed);
    lab.server("tes").setDefaultReply(Reply{503, "Service Unavailable", "text/plain", {}, {}, 0ms});
    lab.addConfig("[maintenance]\nics = \"https://intranet.kommun.test/drift.ics\"\n");
    auto j = lab.check("2026-12-02T11:00");  // a Wednesday
    CHECK(j["maintenance"]["feed"]["state"] == "fresh");
    CHECK(domainOf(j) == "planned_maintenance");
    CHECK(j["advice"]["until"] == "2026-12-02T14:00:00+01:00");
    CHECK_FALSE(j["maintenance"]["upcoming"].empty());
    // On a Thursday there is no window: TES is down.
    CHECK(domainOf(lab.check("2026-12-03T11:00")) == "service_down");
}

TEST_CASE("scenario: login refused while TES answers gives account and no on-call") {
    DK_NEEDS_NETNS();
    Lab lab;
    auto j = lab.check("2026-11-25T21:00", "municipal", {"login=refused"});
    CHECK(domainOf(j) == "account");
    CHECK(actionOf(j) == "wait_next_weekday");
    CHECK(j["answers"]["login"] == "refused");
}

TEST_CASE("scenario: TES working on another computer gives this_computer and a restart") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.server("tes").setDefaultReply(Reply{503, "Service Unavailable", "text/plain", {}, {}, 0ms});
    auto j = lab.check("2026-11-28T14:00", "municipal", {"other_computer=works"});
    CHECK(domainOf(j) == "this_computer");
    CHECK(actionOf(j) == "restart_computer");
}

TEST_CASE("scenario: a problem gets a case code that the next run keeps") {
    DK_NEEDS_NETNS();
    Lab lab;
    lab.server("tes").setDefaultReply(Reply{503, "Service Unavailable", "text/plain", {}, {}, 0ms});
    // Runs without --at record the incident.
    auto first = lab.check("");
    auto second = lab.check("");
    REQUIRE(first["incident"].is_object());
    const std::string code = first["incident"]["case_code"];
    CHECK(code.size() == 7);
    CHECK(second["incident"]["case_code"] == code);
    CHECK(second["advice"]["case_code"] == code);
    // When TES answers again the incident is over.
    lab.server("tes").setDefaultReply(Reply{});
    CHECK(lab.check("")["incident"].is_null());
}

// The background agent as it runs at logon: a real `driftkoll agent` process in
// the workstation, asked through its socket like the tray will ask.

namespace {

// Waits until the agent's report says `domain`, following its change notifications.
Json waitForDomain(const std::string& socket, const std::string& domain,
                   std::chrono::milliseconds within) {
    dk::ApiClient client(socket);
    const auto until = std::chrono::steady_clock::now() + within;
    std::uint64_t seen = 0;
    while (std::chrono::steady_clock::now() < until) {
        auto report = client.report();
        if (report.ok && report.body["diagnosis"]["domain"] == domain)
            return report.body;
        auto ev = client.events(seen, 2s);
        if (ev.ok)
            seen = ev.body["generation"].get<std::uint64_t>();
        else
            std::this_thread::sleep_for(100ms);
    }
    return Json();
}

}  // namespace

TEST_CASE("agent: runs at start, answers over its socket, and reacts when the cable is pulled") {
    DK_NEEDS_NETNS();
    Lab lab;
    const std::string config = lab.writeConfig();
    dk::test::Spawned agent(lab.inWorkstation({"agent", "--allow-root", "--config", config}),
                            lab.runtimeDir() + "/agent.log");
    const std::string socket = lab.runtimeDir() + "/driftkoll/api.sock";

    auto first = waitForDomain(socket, "all_ok", dk::test::scaled(15s));
    REQUIRE(first.is_object());

    // `driftkoll status` reads the agent's report (it says so when it has to run locally).
    auto status = dk::test::runProcess(lab.inWorkstation({"status", "--json", "--config", config}));
    CHECK(status.exit_code == 0);
    CHECK(Json::parse(status.out)["diagnosis"]["domain"] == "all_ok");
    CHECK(status.err.find("ingen agent") == std::string::npos);

    // The cable is pulled: netlink tells the agent, which checks again by itself.
    lab.net().exec("ip link set gw0 down");
    auto cut = waitForDomain(socket, "no_link", dk::test::scaled(15s));
    REQUIRE(cut.is_object());
    CHECK(cut["advice"]["action"] == "check_cables");

    // The history holds both runs, readable without the agent.
    auto history = dk::test::runProcess(lab.inWorkstation({"history", "--json"}));
    REQUIRE(history.exit_code == 0);
    CHECK(Json::parse(history.out).size() >= 2);

    // SIGTERM stops it cleanly and removes its socket.
    CHECK(agent.stop(SIGTERM, dk::test::scaled(5s)) == 0);
    CHECK_FALSE(std::filesystem::exists(socket));

    // The bundle for IT is made without a running agent.
    auto bundle = dk::test::runProcess(
        lab.inWorkstation({"export", "--out", lab.runtimeDir(), "--config", config}));
    CHECK(bundle.exit_code == 0);
    CHECK_THAT(bundle.out, Catch::Contains(".zip"));
}

TEST_CASE("agent: status without an agent runs the check itself and says so") {
    DK_NEEDS_NETNS();
    Lab lab;
    auto r = dk::test::runProcess(
        lab.inWorkstation({"status", "--json", "--config", lab.writeConfig()}), {}, 20s);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("ingen agent svarar"));
    CHECK(Json::parse(r.out)["source"] == "local");
}

namespace {

constexpr const char* kFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

// Waits for the report of the next run after generation `after`; null when none came.
Json nextReport(const std::string& socket, std::uint64_t after, std::chrono::milliseconds within) {
    dk::ApiClient client(socket);
    const auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
        auto ev = client.events(after, 2s);
        if (!ev.ok) {
            std::this_thread::sleep_for(100ms);
            continue;
        }
        if (ev.body["generation"].get<std::uint64_t>() > after) {
            auto report = client.report();
            if (report.ok)
                return report.body;
        }
    }
    return Json();
}

std::uint64_t generationNow(const std::string& socket) {
    auto h = dk::ApiClient(socket).health();
    return h.ok ? h.body["generation"].get<std::uint64_t>() : 0;
}

}  // namespace

TEST_CASE("agent: the wall clock set back, on a day, into summer time: same interval, same case") {
    DK_NEEDS_NETNS();
    if (!std::filesystem::exists(kFaketime)) {
        WARN("skipped: libfaketime (Debian package libfaketime) is not installed");
        return;
    }
    Lab lab;
    // Periodic runs every 10 s (the least the config allows) carry the test: a timer
    // on the wall clock would wait an hour after the clock is set back.
    lab.addConfig("[agent]\ninterval = \"10s\"\n");
    const std::string config = lab.writeConfig();
    // The clock is moved for the agent and its checks only, not for the machine:
    // libfaketime reads the offset from a file at every call and leaves the
    // monotonic and boot clocks alone, as a real `date -s` would.
    const std::string offset = lab.runtimeDir() + "/faketime";
    std::ofstream(offset) << "+0\n";
    std::vector<std::string> argv = lab.inWorkstation({"agent", "--allow-root", "--config", config});
    const char* asan = std::getenv("ASAN_OPTIONS");
    // After env's options, with its other assignments.
    const auto assignments = std::find_if(argv.begin(), argv.end(), [](const std::string& a) {
        return a.find('=') != std::string::npos;
    });
    argv.insert(assignments,
                {std::string("LD_PRELOAD=") + kFaketime, "FAKETIME_TIMESTAMP_FILE=" + offset,
                 "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1",
                 // Under ASan the preloaded library comes before ASan's runtime.
                 std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : "") +
                     "verify_asan_link_order=0"});
    // The cable is out from the start, so there is an incident with a case code.
    lab.net().exec("ip link set gw0 down");
    dk::test::Spawned agent(argv, lab.runtimeDir() + "/agent.log");
    const std::string socket = lab.runtimeDir() + "/driftkoll/api.sock";

    const Json before = waitForDomain(socket, "no_link", dk::test::scaled(15s));
    if (!before.is_object()) {
        std::ifstream log(lab.runtimeDir() + "/agent.log");
        FAIL("no no_link report; the agent's output:\n" << log.rdbuf());
    }
    REQUIRE(before["incident"].is_object());
    const std::string code = before["incident"]["case_code"];
    const std::string first_seen = before["incident"]["first_seen"];

    const auto sameCase = [&](const Json& r) {
        CHECK(r["diagnosis"]["domain"] == "no_link");
        CHECK(r["incident"]["case_code"] == code);
        CHECK(r["advice"]["case_code"] == code);
        CHECK(r["incident"]["first_seen"] == first_seen);
    };
    // Moves the agent's clock and returns the report of the second run after the
    // move: the first may have been asked for before it (a network change), the
    // second is a periodic one, timed while the clock was moved.
    const auto jump = [&](const std::string& to) {
        std::ofstream(offset, std::ios::trunc) << to << "\n";
        const Json first = nextReport(socket, generationNow(socket), dk::test::scaled(30s));
        REQUIRE(first.is_object());
        sameCase(first);
        const Json periodic = nextReport(socket, generationNow(socket), dk::test::scaled(30s));
        REQUIRE(periodic.is_object());
        sameCase(periodic);
        return periodic;
    };

    // Set back an hour: the periodic runs still come one interval apart.
    const Json back = jump("-1h");
    CHECK(back["generated_at"].get<std::string>() < before["generated_at"].get<std::string>());
    // On a day: the schedule follows the new date, and the case is the same one.
    const Json ahead = jump("+1d");
    CHECK(ahead["generated_at"].get<std::string>() > before["generated_at"].get<std::string>());
    CHECK(ahead["time"]["weekday"] != before["time"]["weekday"]);
    // To five seconds before summer time starts (02:00 CET on 28 March 2027 is
    // 03:00 CEST): the periodic run is in summer time, on the same case.
    using namespace std::chrono;
    const auto dst = sys_days{year{2027} / March / 28} + 59min + 55s;
    const Json summer =
        jump("+" + std::to_string(duration_cast<seconds>(dst - system_clock::now()).count()));
    CHECK_THAT(summer["time"]["local"].get<std::string>(),
               Catch::StartsWith("2027-03-28T03:00:") && Catch::EndsWith("+02:00"));

    CHECK(agent.stop(SIGTERM, dk::test::scaled(5s)) == 0);
}

TEST_CASE("agent: with its state folder's disk full, verdicts still come and the history resumes") {
    DK_NEEDS_NETNS();
    Lab lab;
    const std::string state = lab.stateDir();
    std::filesystem::create_directories(state);
    if (mount("tmpfs", state.c_str(), "tmpfs", 0, "size=4m,mode=0700") != 0) {
        WARN("skipped: cannot mount a tmpfs: " << std::strerror(errno));
        return;
    }
    struct Unmount {
        std::string dir;
        ~Unmount() { umount2(dir.c_str(), MNT_DETACH); }
    } unmount{state};

    const std::string config = lab.writeConfig();
    const std::string log_path = lab.runtimeDir() + "/agent.log";
    dk::test::Spawned agent(lab.inWorkstation({"agent", "--allow-root", "--config", config}),
                            log_path);
    const std::string socket = lab.runtimeDir() + "/driftkoll/api.sock";
    REQUIRE(waitForDomain(socket, "all_ok", dk::test::scaled(15s)).is_object());
    dk::ApiClient client(socket);
    const auto runGivesVerdict = [&] {
        const auto r = client.run(dk::test::scaled(15s));
        REQUIRE(r.ok);
        CHECK(r.body["diagnosis"]["domain"] == "all_ok");
    };
    const auto agentSaid = [&](const std::string& what) {
        std::ifstream in(log_path);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };

    // The disk fills up (page by page: no room is left for another page).
    {
        std::ofstream filler(state + "/filler", std::ios::binary);
        const std::string page(4096, 'x');
        while (filler.write(page.data(), static_cast<std::streamsize>(page.size())).flush()) {
        }
    }
    // Runs go on and their verdicts reach the API; the history says once that it
    // cannot store them, however many runs there are.
    for (int i = 0; i < 5 && agentSaid("cannot store the run") == 0; ++i) runGivesVerdict();
    REQUIRE(agentSaid("cannot store the run") == 1);
    runGivesVerdict();
    runGivesVerdict();
    CHECK(agentSaid("cannot store the run") == 1);

    // Space returns: the next run is stored, and the agent says so, once.
    std::filesystem::remove(state + "/filler");
    runGivesVerdict();
    CHECK(agentSaid("the history is stored again") == 1);
    CHECK(agent.stop(SIGTERM, dk::test::scaled(5s)) == 0);

    // Nothing is corrupted: the history reads back, with the runs before and after.
    auto history = dk::test::runProcess(lab.inWorkstation({"history", "--json"}));
    REQUIRE(history.exit_code == 0);
    const Json runs = Json::parse(history.out);
    REQUIRE(runs.is_array());
    CHECK(runs.size() >= 2);
    CHECK(agentSaid("corrupt") == 0);
}
