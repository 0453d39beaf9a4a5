// The TCP probe against real sockets on loopback. Only name resolution is canned.
#include "probes/tcp_probe.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/support/tls_server.h"

using namespace dk;
using namespace dk::test;
using namespace std::chrono_literals;

namespace {

// Serves the addresses it was given; every other name does not exist.
class CannedResolver final : public Resolver {
public:
    explicit CannedResolver(std::map<std::string, std::vector<std::string>> names)
        : names_(std::move(names)) {}
    ResolveResult resolve(const std::string& host, const Deadline&) override {
        ResolveResult r;
        if (auto it = names_.find(host); it != names_.end()) {
            r.ok = true;
            r.addresses = it->second;
        } else {
            r.problem = Problem::dns_nxdomain;
            r.error = host + ": Name or service not known";
        }
        return r;
    }

private:
    std::map<std::string, std::vector<std::string>> names_;
};

ProbeResult probe(const std::string& host, std::uint16_t port,
                  CannedResolver resolver = CannedResolver({})) {
    return TcpProbe(host, port, resolver).run(Deadline::in(2000ms));
}

}  // namespace

TEST_CASE("the TCP probe passes on a listening port and records address, family and connect time",
          "[tcp]") {
    // An IP literal: no lookup at all.
    TestServer server;
    ProbeResult r = probe("127.0.0.1", server.port());
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["address"] == "127.0.0.1");
    CHECK(r.evidence["family"] == "ipv4");
    CHECK(r.timings_ms["connect"] > 0);
    CHECK(r.timings_ms.count("dns") == 0);
}

TEST_CASE("the TCP probe fails with tcp_refused on a closed port", "[tcp]") {
    // Nothing listens there: the host answers with a reset.
    std::uint16_t port = TestServer().port();
    ProbeResult r = probe("127.0.0.1", port);
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::tcp_refused});
    CHECK(r.evidence["attempts"][0]["error"] == "Connection refused");
    CHECK(r.definite);  // an answer (RST), not silence: confirmed at once
}

TEST_CASE("the TCP probe tries each resolved address in order until one connects", "[tcp]") {
    // The name has two addresses; the server listens on the second only.
    TestServer server;
    ProbeResult r = probe("tes.test", server.port(),
                          CannedResolver({{"tes.test", {"127.0.0.2", "127.0.0.1"}}}));
    CHECK(r.status == Status::pass);
    REQUIRE(r.evidence["attempts"].size() == 2);
    CHECK(r.evidence["attempts"][0]["error"] == "Connection refused");
    CHECK(r.evidence["address"] == "127.0.0.1");
    CHECK(r.timings_ms.count("dns") == 1);
}

TEST_CASE("the TCP probe fails with the resolver's code for a name that does not exist", "[tcp]") {
    // NXDOMAIN: no connection is attempted.
    ProbeResult r = probe("nowhere.test", 443);
    CHECK(r.problems == std::vector{Problem::dns_nxdomain});
    CHECK(r.evidence.count("attempts") == 0);
}
