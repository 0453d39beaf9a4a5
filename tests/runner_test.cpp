// The runner against real HTTPS servers on loopback (certificates made by the
// test) and a real DNS server; only the local network stack and the system
// resolver are replaced, so that no test touches this machine's own network.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "agent/gather/runner.h"
#include "tests/support/certs.h"
#include "tests/support/dns_server.h"
#include "tests/support/fakes.h"
#include "tests/support/tls_server.h"

using namespace dk;
using namespace std::chrono_literals;
using dk::test::FakeNet;
using dk::test::MapResolver;
using dk::test::Mode;
using dk::test::Reply;
using dk::test::SilentPinger;
using dk::test::TestServer;

namespace {

struct Rig {
    std::shared_ptr<MapResolver> resolver = std::make_shared<MapResolver>();
    dk::test::DnsServer dns;
    TestServer https{{dk::test::testCerts().valid.cert, dk::test::testCerts().valid.key}};
    config::Config cfg;

    explicit Rig(int systems = 1) {
        dns.on("localhost", dk::test::DnsBehaviour::answer({"127.0.0.1"}));
        cfg.deadlines.run = 2000ms;
        cfg.network.ca_file = dk::test::testCerts().ca;
        cfg.clock.reference.clear();
        for (int i = 0; i < systems; ++i) {
            config::System s;
            s.id = "sys" + std::to_string(i);
            s.name = s.id;
            s.role = i == 0 ? config::Role::primary : config::Role::business;
            s.url = https.url("/s" + std::to_string(i));
            s.timeout = 1500ms;
            cfg.systems.push_back(s);
        }
    }

    RunnerDeps deps(bool carrier = true) {
        RunnerDeps d;
        d.net = std::make_shared<FakeNet>(carrier);
        d.pinger = std::make_shared<SilentPinger>();
        d.resolver = resolver;
        auto ep = dns.endpoint();
        d.name_servers = [ep](std::string*) { return std::vector<std::string>{ep}; };
        return d;
    }
};

}  // namespace

TEST_CASE("with no link the runner attempts nothing remote and says why") {
    Rig rig;
    auto rep = runChecks(rig.cfg, rig.deps(/*carrier=*/false));
    CHECK(rep.find("link")->status == Status::fail);
    CHECK(rep.find("http:sys0")->status == Status::not_run);
    CHECK(rep.find("http:sys0")->has(Problem::skipped_prerequisite));
    CHECK(rep.find("gateway")->status == Status::not_run);
    CHECK(rig.https.connections() == 0);
    CHECK(rig.resolver->calls == 0);
}

TEST_CASE("a healthy system passes with one lookup per host and one attempt") {
    Rig rig(2);  // two systems on the same host
    auto rep = runChecks(rig.cfg, rig.deps());
    CHECK(rep.find("http:sys0")->status == Status::pass);
    CHECK(rep.find("http:sys1")->status == Status::pass);
    CHECK(rep.find("dns:localhost")->status == Status::pass);
    CHECK(rep.find("http:sys0")->attempts.size() == 1);
    CHECK(rig.resolver->calls == 1);
    CHECK_FALSE(rep.deadline_hit);
}

TEST_CASE("black-holed systems cost one deadline in total, not one per system") {
    Rig rig(4);
    rig.https.setMode(Mode::stall_before_handshake);
    rig.cfg.deadlines.run = 1000ms;
    for (auto& s : rig.cfg.systems) s.timeout = 800ms;
    auto rep = runChecks(rig.cfg, rig.deps());
    for (int i = 0; i < 4; ++i)
        CHECK(rep.find("http:sys" + std::to_string(i))->has(Problem::tls_timeout));
    // Four stalls of 800 ms each, one after another, would take 3.2 s.
    CHECK(rep.duration_ms < 1000 + 400);
}

TEST_CASE("a failure is confirmed by a second attempt and both attempts are kept") {
    Rig rig;
    rig.https.setDefaultReply(Reply{503, "Service Unavailable", "text/plain", {}, {}, 0ms});
    auto rep = runChecks(rig.cfg, rig.deps());
    const Check* c = rep.find("http:sys0");
    CHECK(c->status == Status::fail);
    CHECK(c->has(Problem::http_server_error));
    REQUIRE(c->attempts.size() == 2);
    CHECK(c->attempts[0].status == Status::fail);
    CHECK(c->attempts[1].status == Status::fail);
}

TEST_CASE("a failure that the confirmation does not repeat is reported as intermittent") {
    Rig rig;
    // The first lookup points at an address nobody listens on, the fresh one at the server.
    rig.resolver->answers = {"127.0.0.2", "127.0.0.1"};
    rig.cfg.systems[0].url = rig.https.url("/", "localhost");
    auto rep = runChecks(rig.cfg, rig.deps());
    const Check* c = rep.find("http:sys0");
    CHECK(c->status == Status::warn);
    CHECK(c->has(Problem::intermittent));
    CHECK(c->has(Problem::tcp_refused));
    REQUIRE(c->attempts.size() == 2);
    CHECK(c->attempts[0].status == Status::fail);
    CHECK(c->attempts[1].status == Status::pass);
}

TEST_CASE("a refused connection is confirmed at once, without the pause silence gets") {
    // The pause before a confirmation (5 s) does not fit in the run (1.5 s): only a
    // failure that came as an answer, a refusal, is re-probed; both attempts are kept.
    Rig rig;
    rig.cfg.deadlines.run = 1500ms;
    rig.cfg.deadlines.confirm_delay = 5000ms;
    config::System tcp;
    tcp.id = "closed";
    tcp.name = "closed";
    tcp.role = config::Role::business;
    tcp.host = "127.0.0.1";
    tcp.port = dk::test::TestServer().port();  // bound, then closed: nothing listens
    tcp.timeout = 1000ms;
    rig.cfg.systems.push_back(tcp);
    rig.https.setMode(Mode::stall_before_handshake);
    rig.cfg.systems[0].timeout = 300ms;
    auto rep = runChecks(rig.cfg, rig.deps());
    const Check* refused = rep.find("tcp:closed");
    CHECK(refused->has(Problem::tcp_refused));
    REQUIRE(refused->attempts.size() == 2);
    CHECK(refused->attempts[1].has(Problem::tcp_refused));
    const Check* silent = rep.find("http:sys0");
    CHECK(silent->has(Problem::tls_timeout));
    CHECK(silent->attempts.size() == 1);
}

TEST_CASE("a lookup that ignores its deadline cannot hold the run past it") {
    Rig rig;
    rig.resolver->hang = 3000ms;
    rig.cfg.deadlines.run = 500ms;
    auto rep = runChecks(rig.cfg, rig.deps());
    // Whichever check asked first is stuck in the lookup and is cut off at the
    // deadline; the other gives up waiting for the shared lookup at its own.
    const Check* dns = rep.find("dns:localhost");
    const Check* http = rep.find("http:sys0");
    CHECK(dns->status == Status::fail);
    CHECK(http->status == Status::fail);
    CHECK((dns->has(Problem::deadline_exceeded) || http->has(Problem::deadline_exceeded)));
    CHECK(rep.deadline_hit);
    CHECK(rep.duration_ms < 500 + 400);
}

TEST_CASE("a system without an endpoint is not configured and never passes") {
    Rig rig;
    config::System tes;
    tes.id = "tes";
    tes.role = config::Role::primary;
    rig.cfg.systems.push_back(tes);
    auto rep = runChecks(rig.cfg, rig.deps());
    const Check* c = rep.find("http:tes");
    REQUIRE(c);
    CHECK(c->status == Status::not_run);
    CHECK(c->has(Problem::not_configured));
}

TEST_CASE("the clock check compares with the reference system's Date header") {
    Rig rig;
    Reply r;
    r.date = dk::test::httpDate(std::chrono::system_clock::now() - 48h);
    rig.https.setDefaultReply(r);
    rig.cfg.clock.reference = "sys0";
    auto rep = runChecks(rig.cfg, rig.deps());
    const Check* c = rep.find("clock");
    CHECK(c->status == Status::fail);
    CHECK(c->has(Problem::clock_skew));
}

TEST_CASE("name servers come from the system unless the config names them") {
    Rig rig;
    auto rep = runChecks(rig.cfg, rig.deps());
    CHECK(rep.find("dns_servers")->status == Status::pass);
    CHECK(rig.dns.queries("localhost") > 0);
}
