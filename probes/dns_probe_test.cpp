// The per-server part of DnsProbe is real: c-ares asks a real DNS server (the test
// server on 127.0.0.1 or ::1, an ephemeral port). The system resolver is injected:
// ServerResolver asks the same test server and reports like getaddrinfo() would
// (only NXDOMAIN and NODATA distinct, the rest a "temporary failure"), and
// CannedResolver hands out a fixed result.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "probes/dns_probe.h"
#include "tests/support/dns_server.h"
#include "tests/support/netns.h"

using namespace dk;
using namespace std::chrono_literals;
using dk::test::DnsBehaviour;
using dk::test::DnsServer;

namespace {

constexpr auto kMargin = 150ms;  // scheduling slack on a busy test machine
constexpr Millis kSlow{800};     // the default dns_slow threshold

// The system resolver of these tests: the test server's answer, in getaddrinfo()'s terms.
class ServerResolver final : public Resolver {
public:
    explicit ServerResolver(std::string server) : server_(std::move(server)) {}
    ResolveResult resolve(const std::string& host, const Deadline& deadline) override {
        const ServerAnswer s = queryNameServers(host, {server_}, deadline).front();
        ResolveResult r;
        r.ms = std::max(s.a.ms, s.aaaa.ms);
        r.addresses = s.a.addresses;
        r.addresses.insert(r.addresses.end(), s.aaaa.addresses.begin(), s.aaaa.addresses.end());
        r.ok = !r.addresses.empty();
        if (s.outcome() == ServerOutcome::nxdomain) {
            r.problem = Problem::dns_nxdomain;
            r.error = "Name or service not known";
        } else if (s.outcome() == ServerOutcome::no_data) {
            r.problem = Problem::dns_no_data;
            r.error = "No address associated with hostname";
        } else {
            r.problem = Problem::dns_error;
            r.error = "Temporary failure in name resolution";
        }
        return r;
    }

private:
    std::string server_;
};

// A system resolver with a fixed answer; counts how often it is asked.
class CannedResolver final : public Resolver {
public:
    explicit CannedResolver(ResolveResult r) : result_(std::move(r)) {}
    ResolveResult resolve(const std::string&, const Deadline&) override {
        ++calls;
        return result_;
    }
    int calls = 0;

private:
    ResolveResult result_;
};

ResolveResult temporaryFailure() {
    ResolveResult r;
    r.problem = Problem::dns_error;
    r.error = "Temporary failure in name resolution";
    return r;
}

ResolveResult resolvedTo(std::string address) {
    ResolveResult r;
    r.ok = true;
    r.addresses = {std::move(address)};
    return r;
}

// A UDP port on 127.0.0.1 with nothing listening on it.
std::string deadEndpoint() {
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sin;
    bind(fd, reinterpret_cast<sockaddr*>(&sin), len);
    getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
    close(fd);
    return "127.0.0.1:" + std::to_string(ntohs(sin.sin_port));
}

}  // namespace

TEST_CASE("the DNS probe passes with the addresses the name resolves to", "[dns]") {
    // The server knows the name: the system and the server both give its addresses.
    DnsServer dns;
    dns.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3", "2001:db8::3"}));
    ServerResolver system(dns.endpoint());
    auto r = DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(r.status == Status::pass);
    CHECK(r.problems.empty());
    CHECK(r.evidence["system"]["addresses"][0]["address"] == "10.1.2.3");
    CHECK(r.evidence["system"]["addresses"][1]["family"] == "ipv6");
    CHECK(r.evidence["servers"][0]["a"]["addresses"] == Json::array({"10.1.2.3"}));
    CHECK(r.evidence["servers"][0]["aaaa"]["addresses"] == Json::array({"2001:db8::3"}));
}

TEST_CASE("the DNS probe asks each server for A and AAAA once", "[dns]") {
    // No retries hide evidence: one A and one AAAA query reach the server.
    DnsServer dns;
    dns.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3"}));
    CannedResolver system(resolvedTo("10.1.2.3"));
    DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(dns.queries("tes.example.se") == 2);
}

TEST_CASE("the DNS probe fails with dns_nxdomain when the name does not exist", "[dns]") {
    // The server says NXDOMAIN to a name it does not know.
    DnsServer dns;
    ServerResolver system(dns.endpoint());
    auto r = DnsProbe("gone.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_nxdomain});
    CHECK(r.evidence["servers"][0]["outcome"] == "nxdomain");
}

TEST_CASE("the DNS probe fails with dns_no_data when the name has no address", "[dns]") {
    // The name exists but has neither an A nor an AAAA record.
    DnsServer dns;
    dns.on("mail.example.se", DnsBehaviour::answer({}));
    ServerResolver system(dns.endpoint());
    auto r = DnsProbe("mail.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(r.problems == std::vector<Problem>{Problem::dns_no_data});
}

TEST_CASE("the DNS probe names SERVFAIL where the system only says temporary failure", "[dns]") {
    // getaddrinfo() says EAI_AGAIN; the server's own answer says SERVFAIL.
    DnsServer dns;
    dns.on("tes.example.se", DnsBehaviour::servfail());
    ServerResolver system(dns.endpoint());
    auto r = DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_servfail});
    CHECK_THAT(r.error, Catch::StartsWith("Temporary failure in name resolution"));
}

TEST_CASE("the DNS probe fails with dns_refused when the server refuses", "[dns]") {
    // The server will not answer this client.
    DnsServer dns;
    dns.on("tes.example.se", DnsBehaviour::refused());
    ServerResolver system(dns.endpoint());
    auto r = DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(r.problems == std::vector<Problem>{Problem::dns_refused});
}

TEST_CASE("the DNS probe fails with dns_timeout when the server is silent", "[dns]") {
    // The server gets the queries and never answers.
    DnsServer dns;
    dns.on("tes.example.se", DnsBehaviour::silent());
    CannedResolver system(temporaryFailure());
    auto r = DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(300ms));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_timeout});
    CHECK(dns.queries("tes.example.se") == 2);
}

TEST_CASE("the DNS probe returns by its deadline when the server is silent", "[dns]") {
    // Both the system resolver and the server are silent; 300 ms is all it may take.
    DnsServer dns;
    dns.onUnknown(DnsBehaviour::silent());
    ServerResolver system(dns.endpoint());
    const auto start = SteadyClock::now();
    DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(300ms));
    CHECK(SteadyClock::now() - start < 300ms + kMargin);
}

TEST_CASE("the DNS probe warns dns_slow when the answer is slower than the threshold", "[dns]") {
    // The server answers after 150 ms; the threshold is 50 ms.
    DnsServer dns;
    dns.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3"}).after(150ms));
    ServerResolver system(dns.endpoint());
    auto r = DnsProbe("tes.example.se", system, {dns.endpoint()}, 50ms).run(Deadline::in(2s));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_slow});
    CHECK(r.timings_ms["dns"] >= 150);
}

TEST_CASE("the DNS probe warns and names a silent server when another answers", "[dns]") {
    // Two servers configured; the second never answers, the system still resolves.
    DnsServer good;
    DnsServer dead;
    good.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3"}));
    dead.onUnknown(DnsBehaviour::silent());
    ServerResolver system(good.endpoint());
    auto r = DnsProbe("tes.example.se", system, {good.endpoint(), dead.endpoint()}, kSlow)
                 .run(Deadline::in(400ms));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_timeout});
    CHECK(r.evidence["failing_servers"] == Json::array({dead.endpoint()}));
    CHECK_THAT(r.error, Catch::StartsWith(dead.endpoint() + ": "));
}

TEST_CASE("the DNS probe tells a server whose host refuses the port from a silent one", "[dns]") {
    // The port is closed: the host answers with ICMP port unreachable. That is a
    // dead name server on a reachable host (domain dns), not silence (which could
    // be the whole network).
    CannedResolver system(resolvedTo("10.1.2.3"));
    const std::string dead = deadEndpoint();
    auto r = DnsProbe("tes.example.se", system, {dead}, kSlow).run(Deadline::in(1s));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_error});
    CHECK_THAT(r.error, Catch::Contains("connection refused (ICMP port unreachable)"));
    CHECK(r.evidence["failing_servers"] == Json::array({dead}));
    CHECK(r.evidence["servers"][0]["outcome"] == "connection_refused");
}

TEST_CASE("a refused name server port ends both queries as refused, neither as a timeout",
          "[dns]") {
    // On one socket shared by A and AAAA, the AAAA send would take the ICMP error
    // meant for A, and A would wait out its tries and end as a timeout. Each query
    // has its socket, so each hears its own refusal.
    const std::string dead = deadEndpoint();
    const ServerAnswer s = queryNameServers("tes.example.se", {dead}, Deadline::in(3s)).front();
    CHECK(s.a.outcome == ServerOutcome::connection_refused);
    CHECK(s.aaaa.outcome == ServerOutcome::connection_refused);
    CHECK(s.outcome() == ServerOutcome::connection_refused);
}

TEST_CASE("a dead name server on a reachable host is a definite failure, silence is not",
          "[dns]") {
    // The system resolver was answered at once (a refusal), and so was c-ares: an
    // immediate re-probe confirms it. A silent server leaves it to the deadline.
    ResolveResult answered = temporaryFailure();
    answered.answered = true;
    CannedResolver system(answered);
    auto refused = DnsProbe("tes.example.se", system, {deadEndpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(refused.status == Status::fail);
    CHECK(refused.problems == std::vector<Problem>{Problem::dns_error});
    CHECK(refused.definite);
    CHECK(refused.evidence["system"]["answered"] == true);

    DnsServer silent;
    silent.onUnknown(DnsBehaviour::silent());
    auto quiet = DnsProbe("tes.example.se", system, {silent.endpoint()}, kSlow).run(Deadline::in(300ms));
    CHECK(quiet.status == Status::fail);
    CHECK_FALSE(quiet.definite);
}

TEST_CASE("the DNS probe keeps the system's code when the servers disagree", "[dns]") {
    // One server says NXDOMAIN, the other SERVFAIL: neither is the whole story.
    DnsServer first;
    DnsServer second;
    second.on("tes.example.se", DnsBehaviour::servfail());
    CannedResolver system(temporaryFailure());
    auto r = DnsProbe("tes.example.se", system, {first.endpoint(), second.endpoint()}, kSlow)
                 .run(Deadline::in(2s));
    CHECK(r.problems == std::vector<Problem>{Problem::dns_error});
    CHECK(r.error == "Temporary failure in name resolution");
}

TEST_CASE("the DNS probe asks a server on ::1 through its bracketed endpoint", "[dns]") {
    // An IPv6 server with a port: "[::1]:port".
    DnsServer dns({"::1", 0, ""});
    dns.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3"}));
    CannedResolver system(resolvedTo("10.1.2.3"));
    auto r = DnsProbe("tes.example.se", system, {dns.endpoint()}, kSlow).run(Deadline::in(2s));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["servers"][0]["outcome"] == "addresses");
}

TEST_CASE("the DNS probe passes an IP address without resolving it", "[dns]") {
    // A system configured by address needs no name service.
    CannedResolver system(temporaryFailure());
    auto r = DnsProbe("10.1.2.3", system, {"127.0.0.1:1"}, kSlow).run(Deadline::in(1s));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["ip_literal"] == true);
    CHECK(system.calls == 0);
}

TEST_CASE("the DNS probe reports an unusable server address as an error", "[dns]") {
    // A typo in the configured server list.
    CannedResolver system(resolvedTo("10.1.2.3"));
    auto r = DnsProbe("tes.example.se", system, {"not-an-address"}, kSlow).run(Deadline::in(1s));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_error});
}

TEST_CASE("the test DNS server answers on port 53 inside a network namespace", "[dns]") {
    // End-to-end tests serve DNS inside a namespace; here the query comes from inside too.
    DK_NEEDS_NETNS();
    dk::test::NetNs ns;
    DnsServer dns({"127.0.0.1", 53, ns.name()});
    dns.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3"}));
    auto answers = ns.inside(
        [] { return queryNameServers("tes.example.se", {"127.0.0.1"}, Deadline::in(2s)); });
    CHECK(dns.port() == 53);
    CHECK(answers.at(0).a.addresses == std::vector<std::string>{"10.1.2.3"});
}

TEST_CASE("systemNameServers reads this computer's configuration without throwing", "[dns]") {
    // Only reads /etc/resolv.conf; asks nobody.
    std::string error;
    std::vector<std::string> servers;
    CHECK_NOTHROW(servers = systemNameServers(&error));
    CHECK((servers.empty() != error.empty()));
}

TEST_CASE("nameServersFromFile lists the servers of a resolv.conf file", "[dns]") {
    // c-ares reads the file; IPv4 and IPv6 servers come back in file order.
    const std::string path = "/tmp/dk-resolv-" + std::to_string(getpid()) + ".conf";
    std::ofstream(path) << "search example.se\nnameserver 192.0.2.53\nnameserver 2001:db8::53\n";
    std::string error;
    auto servers = nameServersFromFile(path, &error);
    std::remove(path.c_str());
    CHECK(error.empty());
    CHECK(servers == std::vector<std::string>{"192.0.2.53", "2001:db8::53"});
}

TEST_CASE("the DNS servers check fails with no_dns_servers when none is configured", "[dns]") {
    // An empty list: DHCP gave no name server and none is set by hand.
    auto r = DnsServersProbe({}).run(Deadline::in(1s));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector<Problem>{Problem::no_dns_servers});
}

TEST_CASE("the DNS servers check passes and lists the configured servers", "[dns]") {
    // Two servers from resolv.conf.
    auto r = DnsServersProbe({"192.0.2.53", "192.0.2.54"}).run(Deadline::in(1s));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["servers"] == Json::array({"192.0.2.53", "192.0.2.54"}));
}
