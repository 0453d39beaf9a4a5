// The scenario harness: one fault per row, set up once in a fresh lab (lab.h),
// then the real `driftkoll check --json --at …` runs in the workstation at every
// moment below, as a municipal employee and as an external provider. Each run
// must give the row's diagnosis.domain and, for that moment, advice.action, and
// end within its deadline. On a mismatch the whole JSON report is printed.
//
// The expected actions are BRIEF.md's routing written out (kTesLine, kItLine, …),
// never computed by driftkoll's own advice code.
//
// Adding a scenario: one row in scenarios() — a name, the fault as a lambda on the
// Lab, the domain, the routing row, and optionally the systems named by the
// diagnosis, a tighter time bound, or other deadlines than the table's. Each row
// is its own ctest test, `scenarios/<name>`, labelled `scenarios`.
//
// Needs root (namespaces) and dnsmasq; without them every scenario says it was
// skipped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/scenarios/lab.h"
#include "tests/support/slowdown.h"

namespace dk::scenarios {
namespace {

using namespace std::chrono_literals;
using dk::test::Reply;

// --- moments ----------------------------------------------------------------

struct Moment {
    const char* name;
    const char* at;  // --at, local time in Europe/Stockholm
    Organisation organisation;
};

constexpr std::size_t kMomentCount = 8;

// Both office lines open; both closed on a weekday evening, at night, at a weekend,
// on a public holiday and on a closed eve. An external provider on a weekday
// (the TES line is theirs too) and in the evening (the on-call is not).
const std::array<Moment, kMomentCount> kMoments = {{
    {"weekday day (Wed 10:30)", "2026-11-25T10:30", Organisation::municipal},
    {"weekday evening (Wed 19:00)", "2026-11-25T19:00", Organisation::municipal},
    {"night (Tue 02:00)", "2026-12-01T02:00", Organisation::municipal},
    {"weekend (Sat 14:00)", "2026-11-28T14:00", Organisation::municipal},
    {"holiday (Christmas Day 10:30)", "2026-12-25T10:30", Organisation::municipal},
    {"closed eve (Midsummer Eve 10:30)", "2026-06-19T10:30", Organisation::municipal},
    {"external provider on a weekday (Wed 10:30)", "2026-11-25T10:30",
     Organisation::external_provider},
    {"external provider in the evening (Wed 19:00)", "2026-11-25T19:00",
     Organisation::external_provider},
}};

// --- routing: BRIEF.md's "whom to call" by moment ---------------------------

// advice.action at each moment of kMoments, in order.
using Routing = std::array<const char*, kMomentCount>;

constexpr Routing every(const char* action) {
    return {action, action, action, action, action, action, action, action};
}

// Nothing to do: it works, or only outside sites fail (TES is not affected).
constexpr Routing kNothing = every("none");
constexpr Routing kCheckCables = every("check_cables");
// No address, no gateway, a wrong clock: a restart can mend it, and has not been
// tried since the problem began.
constexpr Routing kRestart = every("restart_computer");
constexpr Routing kWaitMaintenance = every("wait_planned_maintenance");
// clang-format off
// A business system down: the TES line while it is open (also for external
// providers), else the on-call if urgent; an external provider's own organisation
// when the on-call would be the answer.
constexpr Routing kTesLine = {
    /* weekday day, evening, night  */ "contact_tes_support", "call_oncall", "call_oncall",
    /* weekend, holiday, closed eve */ "call_oncall", "call_oncall", "call_oncall",
    /* external: weekday, evening   */ "contact_tes_support", "contact_own_organisation"};
// A business system only slow: the TES line while it is open, else it can wait for
// the next weekday.
constexpr Routing kTesLineCanWait = {
    /* weekday day, evening      */ "contact_tes_support", "wait_next_weekday",
    /* night, weekend, holiday   */ "wait_next_weekday", "wait_next_weekday", "wait_next_weekday",
    /* closed eve                */ "wait_next_weekday",
    /* external: weekday, evening */ "contact_tes_support", "contact_own_organisation"};
// The network (name resolution, the internal network, everything): the IT line
// while it is open, else the on-call if urgent. The IT line is for municipal
// employees only, so an external provider gets the open TES line, and in the
// evening their own organisation.
constexpr Routing kItLine = {
    /* weekday day, evening, night  */ "contact_it_support", "call_oncall", "call_oncall",
    /* weekend, holiday, closed eve */ "call_oncall", "call_oncall", "call_oncall",
    /* external: weekday, evening   */ "contact_tes_support", "contact_own_organisation"};
// clang-format on

// --- the faults -------------------------------------------------------------

using Systems = std::vector<std::string>;
const Systems kInternal = {"tes", "tes_app", "intranet", "journal"};
const Systems kOutside = {"na", "orebro"};
const Systems kEverything = {"tes", "tes_app", "intranet", "journal", "na", "orebro"};

struct Scenario {
    std::string name;                  // the fault; the test is scenarios/<name>
    std::function<void(Lab&)> fault;   // breaks one thing, once, before the runs
    std::string domain;                // diagnosis.domain at every moment
    Routing action;                    // advice.action by moment
    std::optional<Systems> systems{};  // diagnosis.systems, when the row says
    // A tighter bound on run.duration_ms than the deadline (a verdict that needs
    // nothing remote comes at once).
    std::optional<std::chrono::milliseconds> within{};
    // Other deadlines than the table's (kDefaultTiming), for a fault that makes
    // everything take longer than those allow.
    std::optional<Timing> timing{};
};

// Nothing remote is waited for: the verdict comes at once.
constexpr std::chrono::milliseconds kAtOnce{500};

// For the rows whose servers answer slowly on purpose: 1 s of the server's own delay,
// and 2.5 s more within each system's timeout for everything else a check does.
constexpr Timing kSlowRow{std::chrono::milliseconds(4000), std::chrono::milliseconds(3500)};

Reply status(int code, std::string body = "") {
    Reply r;
    r.status = code;
    r.body = std::move(body);
    r.content_type = "text/plain; charset=utf-8";
    return r;
}

// A reply after `delay` (in an idle machine's terms, like every time in the table:
// stretched by DK_TEST_SLOWDOWN with the thresholds it is set against).
Reply after(std::chrono::milliseconds delay) {
    Reply r;
    r.delay = dk::test::scaled(delay);
    return r;
}

// A window of one hour either side of every moment, for TES and the TES app.
std::string windowsAroundEveryMoment() {
    std::string toml;
    for (const auto& m : kMoments) {
        const std::string day(m.at, 10);
        const int hour = std::stoi(std::string(m.at + 11, 2));
        auto clock = [](int h) { return (h < 10 ? "0" : "") + std::to_string(h) + ":00:00"; };
        toml += "[[maintenance.windows]]\nsystems = [\"tes\", \"tes_app\"]\nstart = " + day + "T" +
                clock(std::max(hour - 1, 0)) + "\nend = " + day + "T" +
                clock(std::min(hour + 1, 23)) + "\ntitle = \"Uppgradering av TES\"\n";
    }
    return toml;
}

// One row per fault, in the order of the routine's steps.
const std::vector<Scenario>& scenarios() {
    static const std::vector<Scenario> table = {
        // Controls: the lab itself is healthy, with and without the proxy.
        {"everything works", [](Lab&) {}, "all_ok", kNothing},
        {"everything works through the required proxy",
         [](Lab& l) {
             l.requireProxyForOutside();
             l.configureProxy();
         },
         "all_ok", kNothing},

        // Step 1: this computer's own connection.
        {"cable out", [](Lab& l) { l.pullCable(); }, "no_link", kCheckCables, std::nullopt,
         kAtOnce},
        {"link up without an address", [](Lab& l) { l.ws().exec("ip -4 addr flush dev eth0"); },
         "no_address", kRestart, std::nullopt, kAtOnce},
        {"only a 169.254 address",
         [](Lab& l) {
             l.ws().exec("ip -4 addr flush dev eth0");
             l.ws().exec("ip addr add 169.254.20.30/16 dev eth0");
         },
         "no_address", kRestart, std::nullopt, kAtOnce},
        {"no default route", [](Lab& l) { l.ws().exec("ip route del default"); }, "no_gateway",
         kRestart},
        {"gateway silent", [](Lab& l) { l.silenceGateway(); }, "no_gateway", kRestart},
        // It answered a moment ago, so the neighbour table still holds its address.
        {"gateway silent after it answered", [](Lab& l) { l.silenceGatewayAfterItAnswered(); },
         "no_gateway", kRestart},
        // Answers ARP and forwards, drops pings to itself: nothing is wrong.
        {"gateway filters ping", [](Lab& l) { l.gatewayFiltersPing(); }, "all_ok", kNothing},

        // Name resolution (dnsmasq on the core network).
        // dnsmasq is gone; its host answers the queries with ICMP port unreachable.
        {"DNS server dead", [](Lab& l) { l.stopDns(); }, "dns", kItLine, kEverything},
        // Silence from the only name server, and nothing else reached: the checks
        // cannot tell a dead name server from a dead network behind the gateway.
        {"DNS server silent", [](Lab& l) { l.blackHole("udp dport 53"); }, "network_down", kItLine,
         kEverything},
        // Every answer takes 1.2 s (above dns_slow and the systems' threshold, within
        // their timeout): every system works, slowly. Not 1 s: the system resolver
        // asks again after 1 s (RES_OPTIONS timeout:1), and an answer arriving just
        // then races the retry. kSlowRow leaves 2.3 s for the rest of each check
        // (TLS, the page) however busy the machine is.
        {"DNS server slow",
         [](Lab& l) {
             for (const auto& s : kSites) {
                 l.upstream().on(s.host, dk::test::DnsBehaviour::answer({s.address})
                                             .after(dk::test::scaled(1200ms)));
                 l.dnsAnswer(s.host, DnsAnswer::upstream);
             }
         },
         "service_degraded", kTesLineCanWait, kEverything, std::nullopt, kSlowRow},
        {"DNS server failing every name",
         [](Lab& l) {
             for (const auto& s : kSites) {
                 l.upstream().on(s.host, dk::test::DnsBehaviour::servfail());
                 l.dnsAnswer(s.host, DnsAnswer::upstream);
             }
         },
         "dns", kItLine, kEverything},
        {"NXDOMAIN for TES only",
         [](Lab& l) { l.dnsAnswer("tes.kommun.test", DnsAnswer::nxdomain); }, "dns", kItLine,
         Systems{"tes"}},

        // Step 2: TES itself.
        {"TES refusing connections", [](Lab& l) { l.stopServer("tes"); }, "service_down", kTesLine,
         Systems{"tes"}},
        {"TES answering 503", [](Lab& l) { l.server("tes").setDefaultReply(status(503)); },
         "service_down", kTesLine, Systems{"tes"}},
        {"TES stalled mid-TLS",
         [](Lab& l) { l.server("tes").setMode(dk::test::Mode::stall_mid_handshake); },
         "service_down", kTesLine, Systems{"tes"}},
        {"TES stalled after the TLS handshake",
         [](Lab& l) { l.server("tes").setMode(dk::test::Mode::stall_after_handshake); },
         "service_down", kTesLine, Systems{"tes"}},
        {"TES with an expired certificate",
         [](Lab& l) { l.replaceServer("tes", dk::test::testCerts().scenario_expired); },
         "service_down", kTesLine, Systems{"tes"}},
        {"TES with a certificate for another host",
         [](Lab& l) { l.replaceServer("tes", dk::test::testCerts().wrong_host); }, "service_down",
         kTesLine, Systems{"tes"}},
        // Slower than its threshold (800 ms) on any machine, since the server waits
        // 1 s before it answers, and within its timeout with room (kSlowRow: 2.5 s)
        // for a loaded machine's TLS handshake.
        {"TES very slow", [](Lab& l) { l.server("tes").setDefaultReply(after(1000ms)); },
         "service_degraded", kTesLineCanWait, Systems{"tes"}, std::nullopt, kSlowRow},
        {"TES slower than its timeout", [](Lab& l) { l.server("tes").setDefaultReply(after(5s)); },
         "service_down", kTesLine, Systems{"tes"}},
        // A maintenance page outside any announced window is an outage.
        {"TES showing a maintenance page",
         [](Lab& l) {
             l.server("tes").setDefaultReply(
                 status(200, "<h1>Planerat underhåll pågår</h1><p>TES är stängt.</p>"));
         },
         "service_down", kTesLine, Systems{"tes"}},
        {"TES down inside an announced window",
         [](Lab& l) {
             l.server("tes").setDefaultReply(status(503, "Planerat underhåll"));
             l.addConfig(windowsAroundEveryMoment());
         },
         "planned_maintenance", kWaitMaintenance, Systems{"tes"}},
        {"TES-app backend down", [](Lab& l) { l.stopServer("tes_app"); }, "service_down", kTesLine,
         Systems{"tes_app"}},

        // Step 3: the scope.
        {"all internal systems down", [](Lab& l) { l.blackHole("ip daddr 10.198.1.0/24"); },
         "internal_network", kItLine, kInternal},
        {"outside sites down", [](Lab& l) { l.blackHole("ip daddr 10.198.2.0/24"); }, "internet",
         kNothing, kOutside},
        {"everything beyond the gateway down", [](Lab& l) { l.dropBeyondGateway(); },
         "network_down", kItLine, kEverything},
        // The router's uplink is cut: the router answers "host unreachable" for
        // everything behind it, the name server included.
        {"uplink cut at the router", [](Lab& l) { l.router().exec("ip link set up0 down"); },
         "network_down", kItLine, kEverything},
        // Packet loss on the uplink: every lookup and every connection loses its first
        // packet and gets through on the retransmission (Lab::uplinkLoss). Everything
        // works, slowly. A lost packet costs about 1 s: the system resolver asks again
        // after 1 s (RES_OPTIONS timeout:1), TCP sends its SYN again after 1 s. Each
        // system then takes about 2.2 s (name 1 s, connection 1 s, TLS and the page),
        // over the table's 2 s timeout: with it the first attempt times out while
        // connecting and the confirmation, with its own lost lookup, is cut off by the
        // run's deadline. So this row gives each system 4 s (about 1.8 s to spare on a
        // loaded machine; the threshold of 800 ms stays far below) and the run 6 s (2 s
        // after the systems' timeout, as in the table's other rows a timeout well inside
        // the deadline). The runs still take about 2.2 s each.
        {"packet loss on the uplink", [](Lab& l) { l.uplinkLoss(); }, "service_degraded",
         kTesLineCanWait, kEverything, std::nullopt, Timing{6000ms, 4000ms}},

        // The clock: every server's Date header is two days ahead of this computer.
        {"clock two days off",
         [](Lab& l) { l.setServerDate(std::chrono::system_clock::now() + 48h); }, "clock_skew",
         kRestart},

        // The proxy that the network requires for the outside sites.
        {"required proxy not running",
         [](Lab& l) {
             l.requireProxyForOutside();
             l.configureProxy();
             l.stopProxy();
         },
         "internet", kNothing, kOutside},
        {"required proxy missing from the settings", [](Lab& l) { l.requireProxyForOutside(); },
         "internet", kNothing, kOutside},
    };
    return table;
}

// --- running a row ----------------------------------------------------------

// Time for the runner to hand in and assemble the report after the deadline.
constexpr std::chrono::milliseconds kReportMargin{300};
// And for the process to start (config, libraries) and print: about 50 ms on an
// idle machine. The bound is a wall-clock window on purpose — it catches a process
// that lingers after its report (threads cut off at the deadline must not hold the
// exit) — and leaves room for a machine many times slower.
constexpr std::chrono::milliseconds kProcessMargin{2000};
// How many of a row's runs go at once: two processes doing six HTTPS checks each
// keep a healthy answer several times below the slow threshold on two cores.
constexpr std::size_t kRunsAtOnce = 2;

std::string joined(const Json& systems) {
    std::string out;
    for (const auto& s : systems) out += (out.empty() ? "" : ",") + s.get<std::string>();
    return out;
}

void runScenario(const Scenario& s) {
    DK_NEEDS_NETNS();
    std::string why;
    if (!dnsmasqAvailable(&why)) {
        WARN("skipped: " << why);
        return;
    }
    Lab lab;
    s.fault(lab);
    const Timing timing = s.timing.value_or(kDefaultTiming);
    // The moments change only the advice, never what the probes meet, so their runs
    // go kRunsAtOnce at a time: a row that waits out its deadline costs four
    // deadlines, not eight.
    std::vector<CheckRun> runs(kMoments.size());
    for (std::size_t first = 0; first < kMoments.size(); first += kRunsAtOnce) {
        std::vector<std::thread> batch;
        for (std::size_t i = first; i < std::min(first + kRunsAtOnce, kMoments.size()); ++i)
            batch.emplace_back([&, i] {
                runs[i] = lab.check(kMoments[i].at, kMoments[i].organisation, timing);
            });
        for (auto& t : batch) t.join();
    }
    for (std::size_t i = 0; i < kMoments.size(); ++i) {
        const Moment& m = kMoments[i];
        const CheckRun& run = runs[i];
        const Json& j = run.report;
        INFO("scenario: " << s.name);
        INFO("moment: " << m.name << " (--at " << m.at << ")");
        INFO("exit code " << run.process.exit_code << ", wall " << run.process.wall_ms
                          << " ms, stderr: " << run.process.err);
        INFO("report: " << (j.is_null() ? run.process.out : j.dump(2)));
        REQUIRE_FALSE(run.process.timed_out);
        REQUIRE(j.is_object());
        CHECK((run.process.exit_code == (s.domain == "all_ok" ? 0 : 1)));
        CHECK(j["diagnosis"]["domain"] == s.domain);
        CHECK(j["advice"]["action"] == s.action[i]);
        if (s.systems) {
            Json want = Json::array();
            for (const auto& id : *s.systems) want.push_back(id);
            CHECK(joined(j["diagnosis"]["systems"]) == joined(want));
        }
        using dk::test::scaled;
        const double duration = j["run"]["duration_ms"].get<double>();
        CHECK(duration < static_cast<double>(scaled(timing.run + kReportMargin).count()));
        CHECK(run.process.wall_ms <
              static_cast<double>(scaled(timing.run + kReportMargin + kProcessMargin).count()));
        if (s.within)
            CHECK(duration < static_cast<double>(scaled(*s.within).count()));
    }
}

// Registers one Catch test case per row.
class ScenarioInvoker final : public Catch::ITestInvoker {
public:
    explicit ScenarioInvoker(const Scenario& s) : scenario_(s) {}
    void invoke() const override { runScenario(scenario_); }

private:
    const Scenario& scenario_;
};

const bool kRegistered = [] {
    for (const auto& s : scenarios()) {
        // Catch keeps the invoker and copies the name and tags.
        static std::vector<std::unique_ptr<Catch::AutoReg>> keep;
        keep.push_back(std::make_unique<Catch::AutoReg>(new ScenarioInvoker(s),
                                                        CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                                                        Catch::NameAndTags{s.name, "[scenarios]"}));
    }
    return true;
}();

}  // namespace
}  // namespace dk::scenarios
