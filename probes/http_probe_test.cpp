// The HTTP probe against real HTTP/HTTPS servers on 127.0.0.1, with certificates
// made by the test. Only name resolution is canned: the names below map to
// loopback, every other name does not exist.
#include "probes/http_probe.h"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/certs.h"
#include "tests/support/tls_server.h"

using namespace dk;
using namespace dk::test;
using namespace std::chrono_literals;

namespace {

class LoopbackResolver final : public Resolver {
public:
    explicit LoopbackResolver(std::string address = "127.0.0.1") : address_(std::move(address)) {}
    ResolveResult resolve(const std::string& host, const Deadline&) override {
        asked.push_back(host);
        ResolveResult r;
        if (host == "localhost" || host == "proxy.test") {
            r.ok = true;
            r.addresses = {address_};
        } else {
            r.problem = Problem::dns_nxdomain;
            r.error = host + ": Name or service not known";
        }
        return r;
    }
    std::vector<std::string> asked;

private:
    std::string address_;
};

TestServer httpsServer(const CertFiles& files) {
    return TestServer(ServerOptions{.cert_file = files.cert, .key_file = files.key});
}

// A probe of `url` that trusts the test CA and ignores the environment's proxies.
HttpOptions optionsFor(const std::string& url) {
    HttpOptions o;
    o.system = "tes";
    o.url = url;
    o.ca_file = testCerts().ca;
    o.environment = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    return o;
}

ProbeResult probe(HttpOptions o, Millis deadline = 3000ms) {
    LoopbackResolver resolver;
    return HttpProbe(std::move(o), resolver).run(Deadline::in(deadline));
}

std::uint16_t closedPort() {
    TestServer s;  // bound, then closed: nothing listens there any more
    return s.port();
}

}  // namespace

TEST_CASE("the HTTP probe passes a 200 HTTPS answer with a valid certificate and times every phase",
          "[http]") {
    // The normal case: TES is up.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.body = "<h1>Logga in</h1>", .delay = 20ms});
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.status == Status::pass);
    for (const char* phase : {"dns", "connect", "tls", "first_byte", "total"}) {
        INFO(phase);
        CHECK(r.timings_ms[phase] > 0);
    }
    CHECK(r.evidence["status_code"] == 200);
    CHECK(r.evidence["address"] == "127.0.0.1");
    CHECK(r.evidence["family"] == "ipv4");
    CHECK(r.evidence["proxy"]["url"].is_null());
    CHECK(r.evidence["tls"]["verified"] == true);
    CHECK(r.evidence["tls"]["not_after"].get<std::string>().size() == 20);
    const int days = r.evidence["tls"]["days_to_expiry"];
    CHECK((days == 59 || days == 60));  // 60 days from when the test made it
}

TEST_CASE(
    "the HTTP probe connects to the address the resolver gave, never to one of curl's own lookup",
    "[http]") {
    // The server listens on 127.0.0.2 only, where the system would never put localhost.
    TestServer server(ServerOptions{.cert_file = testCerts().valid.cert,
                                    .key_file = testCerts().valid.key,
                                    .address = "127.0.0.2"});
    LoopbackResolver resolver("127.0.0.2");
    ProbeResult r = HttpProbe(optionsFor(server.url()), resolver).run(Deadline::in(3000ms));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["address"] == "127.0.0.2");
    CHECK(resolver.asked == std::vector<std::string>{"localhost"});
}

TEST_CASE("the HTTP probe connects to an IPv6 literal directly and reports ipv6", "[http]") {
    // No lookup for an IP address in the URL.
    TestServer server(ServerOptions{.address = "::1"});
    LoopbackResolver resolver;
    ProbeResult r =
        HttpProbe(optionsFor(server.url("/", "[::1]")), resolver).run(Deadline::in(3000ms));
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["address"] == "::1");
    CHECK(r.evidence["family"] == "ipv6");
    CHECK(resolver.asked.empty());
    CHECK(r.timings_ms.count("dns") == 0);
}

TEST_CASE("the HTTP probe fails with http_server_error on a 503", "[http]") {
    // TES answers, but with "service unavailable".
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.status = 503, .body = "Service Unavailable"});
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::http_server_error});
    CHECK(r.evidence["status_code"] == 503);
}

TEST_CASE("the HTTP probe fails with http_client_error on a 404", "[http]") {
    // The configured login path does not exist.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.status = 404, .body = "Not Found"});
    CHECK(probe(optionsFor(server.url())).problems == std::vector{Problem::http_client_error});
}

TEST_CASE("the HTTP probe passes a status in the accept list", "[http]") {
    // A login endpoint that answers 401 until the user signs in is configured as fine.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.status = 401, .body = "Unauthorized"});
    HttpOptions o = optionsFor(server.url());
    o.accept_status = {401};
    CHECK(probe(o).status == Status::pass);
}

TEST_CASE("the HTTP probe fails with http_maintenance_page whatever the case of å, ä and ö",
          "[http]") {
    // The page says "UNDERHÅLL PÅGÅR" with status 200; the config says "underhåll".
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.body = "<h1>UNDERHÅLL PÅGÅR</h1>"});
    HttpOptions o = optionsFor(server.url());
    o.maintenance_text = {"planerat avbrott", "underhåll"};
    ProbeResult r = probe(o);
    CHECK(r.problems == std::vector{Problem::http_maintenance_page});
    CHECK(r.evidence["maintenance_text_found"] == "underhåll");
}

TEST_CASE("the HTTP probe recognises a maintenance page in ISO-8859-1", "[http]") {
    // An older server sends Latin-1: "Underhåll" with å as the single byte 0xE5.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(
        Reply{.body = "<p>Underh\xE5ll</p>", .content_type = "text/html; charset=ISO-8859-1"});
    HttpOptions o = optionsFor(server.url());
    o.maintenance_text = {"UNDERHÅLL"};
    CHECK(probe(o).problems == std::vector{Problem::http_maintenance_page});
}

TEST_CASE("the HTTP probe fails with http_expected_text_missing when the page lacks the text",
          "[http]") {
    // The server answers 200, but not with the TES login page.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.body = "<h1>Default web site</h1>"});
    HttpOptions o = optionsFor(server.url());
    o.expect_text = "Logga in";
    ProbeResult r = probe(o);
    CHECK(r.problems == std::vector{Problem::http_expected_text_missing});
    CHECK(r.evidence["expected_text_found"] == false);
}

TEST_CASE("the HTTP probe warns slow when the answer is slower than the threshold", "[http]") {
    // TES answers after 300 ms; the system's threshold is 100 ms.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.delay = 300ms});
    HttpOptions o = optionsFor(server.url());
    o.slow = 100ms;
    ProbeResult r = probe(o);
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector{Problem::slow});
}

TEST_CASE("the HTTP probe fails with tls_cert_expired and reports the notAfter", "[http]") {
    // The server's certificate expired yesterday.
    TestServer server = httpsServer(testCerts().expired);
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.problems == std::vector{Problem::tls_cert_expired});
    CHECK(r.evidence["tls"]["not_after"].get<std::string>().size() == 20);
    CHECK(r.evidence["tls"]["days_to_expiry"] == -1);
    CHECK(r.evidence["tls"]["verified"] == false);
    CHECK(server.requests() == 0);
}

TEST_CASE("the HTTP probe fails with tls_hostname_mismatch on a certificate for another name",
          "[http]") {
    // The certificate is trusted and current, but names only other.invalid.
    TestServer server = httpsServer(testCerts().wrong_host);
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.problems == std::vector{Problem::tls_hostname_mismatch});
    CHECK(r.evidence["tls"]["hostname_match"] == false);
    CHECK_FALSE(r.evidence["tls"]["not_after"].get<std::string>().empty());
}

TEST_CASE("the HTTP probe fails with tls_cert_untrusted on a self-signed certificate", "[http]") {
    // Right name, right dates, but no trusted CA signed it.
    TestServer server = httpsServer(testCerts().self_signed);
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.problems == std::vector{Problem::tls_cert_untrusted});
    CHECK_FALSE(r.evidence["tls"]["not_after"].get<std::string>().empty());
}

TEST_CASE("the HTTP probe fails with tls_cert_not_yet_valid on a certificate valid from tomorrow",
          "[http]") {
    // Valid from tomorrow: what a computer whose clock is behind would see.
    TestServer server = httpsServer(testCerts().not_yet_valid);
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.problems == std::vector{Problem::tls_cert_not_yet_valid});
    CHECK_FALSE(r.evidence["tls"]["not_after"].get<std::string>().empty());
}

TEST_CASE("the HTTP probe warns tls_cert_expiring within the warning days", "[http]") {
    // It expires in 3 days; the warning starts 14 days ahead.
    TestServer server = httpsServer(testCerts().expiring_soon);
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector{Problem::tls_cert_expiring});
    const int days = r.evidence["tls"]["days_to_expiry"];
    CHECK((days == 2 || days == 3));  // 3 days from when the test made it
}

TEST_CASE(
    "the HTTP probe fails with tls_timeout by the deadline when the server stalls before the "
    "handshake",
    "[http]") {
    // The server accepts the connection and never reads from it.
    TestServer server = httpsServer(testCerts().valid);
    server.setMode(Mode::stall_before_handshake);
    ProbeResult r = probe(optionsFor(server.url()), 600ms);
    CHECK(r.problems == std::vector{Problem::tls_timeout});
    CHECK(r.duration_ms < 600 + 200);
}

TEST_CASE(
    "the HTTP probe fails with http_timeout by the deadline when the server stalls after the "
    "handshake",
    "[http]") {
    // The handshake completes, then the request is never answered.
    TestServer server = httpsServer(testCerts().valid);
    server.setMode(Mode::stall_after_handshake);
    ProbeResult r = probe(optionsFor(server.url()), 600ms);
    CHECK(r.problems == std::vector{Problem::http_timeout});
    CHECK(r.duration_ms < 600 + 200);
}

TEST_CASE("the HTTP probe stops at the system's own timeout when it is shorter than the deadline",
          "[http]") {
    // A plain HTTP server that never answers; timeout 300 ms inside a 3 s deadline.
    TestServer server;
    server.setMode(Mode::stall_after_handshake);
    HttpOptions o = optionsFor(server.url());
    o.timeout = 300ms;
    ProbeResult r = probe(o, 3000ms);
    CHECK(r.problems == std::vector{Problem::http_timeout});
    CHECK(r.duration_ms < 300 + 200);
    CHECK_FALSE(r.definite);  // silence: the confirmation waits
}

TEST_CASE("the HTTP probe fails with tcp_refused on a closed port", "[http]") {
    // Nothing listens on the port: the host answers with a reset.
    ProbeResult r = probe(optionsFor("https://localhost:" + std::to_string(closedPort()) + "/"));
    CHECK(r.problems == std::vector{Problem::tcp_refused});
    CHECK(r.evidence["os_error"] == "Connection refused");
    CHECK(r.definite);  // an answer (RST), not silence: confirmed at once
}

TEST_CASE("the trust store read once per process keeps each extra CA file to its own probes",
          "[http]") {
    // The trust stores are shared between transfers, one per extra CA file: a probe
    // without the test CA must not trust what an earlier one with it trusted.
    TestServer server = httpsServer(testCerts().valid);
    CHECK(probe(optionsFor(server.url())).status == Status::pass);
    HttpOptions without = optionsFor(server.url());
    without.ca_file.clear();
    ProbeResult r = probe(without);
    CHECK(r.problems == std::vector{Problem::tls_cert_untrusted});
    CHECK(probe(optionsFor(server.url())).status == Status::pass);
    HttpOptions unreadable = optionsFor(server.url());
    unreadable.ca_file = "/nonexistent/ca.pem";
    ProbeResult u = probe(unreadable);
    CHECK(u.problems == std::vector{Problem::tls_cert_untrusted});
    CHECK(u.evidence["tls"]["ca_file_error"] == "cannot load CA certificates from /nonexistent/ca.pem");
}

TEST_CASE("the HTTP probe fails with the resolver's code for a name that does not exist",
          "[http]") {
    // The resolver says NXDOMAIN; the probe stops there.
    ProbeResult r = probe(optionsFor("https://nowhere.test/"));
    CHECK(r.problems == std::vector{Problem::dns_nxdomain});
    CHECK(r.evidence["dns"]["host"] == "nowhere.test");
}

TEST_CASE(
    "the HTTP probe fails with tls_handshake_failed when the server closes during the handshake",
    "[http]") {
    // It accepts the connection and closes it at once.
    TestServer server = httpsServer(testCerts().valid);
    server.setMode(Mode::close_at_once);
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.problems == std::vector{Problem::tls_handshake_failed});
    CHECK_FALSE(r.error.empty());
}

TEST_CASE("the HTTP probe follows redirects and records every hop", "[http]") {
    // / → /login → /login/start, which answers 200.
    TestServer server = httpsServer(testCerts().valid);
    server.setReply("/", redirectTo("/login"));
    server.setReply("/login", redirectTo(server.url("/login/start"), 301));
    ProbeResult r = probe(optionsFor(server.url("/?session=abc")));
    CHECK(r.status == Status::pass);
    const Json& hops = r.evidence["redirects"];
    REQUIRE(hops.size() == 2);
    CHECK(hops[0]["url"] == server.url("/"));  // the query is not recorded
    CHECK(hops[0]["status"] == 302);
    CHECK(hops[0]["location"] == server.url("/login"));
    CHECK(hops[1]["status"] == 301);
    CHECK(hops[1]["location"] == server.url("/login/start"));
    CHECK(server.requests() == 3);
}

TEST_CASE("the HTTP probe fails with http_too_many_redirects on a redirect loop", "[http]") {
    // /loop redirects to itself.
    TestServer server = httpsServer(testCerts().valid);
    server.setReply("/loop", redirectTo("/loop"));
    ProbeResult r = probe(optionsFor(server.url("/loop")));
    CHECK(r.problems == std::vector{Problem::http_too_many_redirects});
    CHECK(r.evidence["redirect_loop"] == true);
}

TEST_CASE("the HTTP probe does not follow a redirect when following is off", "[http]") {
    // The 302 itself is the final answer, and 302 is not accepted.
    TestServer server = httpsServer(testCerts().valid);
    server.setReply("/", redirectTo("/login"));
    HttpOptions o = optionsFor(server.url());
    o.follow_redirects = false;
    CHECK(probe(o).problems == std::vector{Problem::http_unexpected_status});
    CHECK(server.requests() == 1);
}

TEST_CASE("the HTTP probe fails with proxy_error when the configured proxy's port is closed",
          "[http]") {
    // The configuration names a proxy that does not listen.
    TestServer server = httpsServer(testCerts().valid);
    HttpOptions o = optionsFor(server.url());
    const std::string proxy = "http://127.0.0.1:" + std::to_string(closedPort());
    o.proxy.proxy = proxy;
    ProbeResult r = probe(o);
    CHECK(r.problems == std::vector{Problem::proxy_error});
    CHECK(r.evidence["proxy"]["url"] == proxy);
    CHECK(r.evidence["proxy"]["source"] == "config");
    CHECK(server.connections() == 0);
}

TEST_CASE(
    "the HTTP probe resolves the proxy's name through the resolver and leaves the target's to the "
    "proxy",
    "[http]") {
    // proxy.test maps to loopback in the test resolver; nothing listens there.
    TestServer server = httpsServer(testCerts().valid);
    HttpOptions o = optionsFor(server.url());
    o.proxy.proxy = "proxy.test:" + std::to_string(closedPort());
    LoopbackResolver resolver;
    ProbeResult r = HttpProbe(o, resolver).run(Deadline::in(3000ms));
    CHECK(r.problems == std::vector{Problem::proxy_error});
    CHECK(resolver.asked == std::vector<std::string>{"proxy.test"});
    CHECK(r.evidence["proxy_dns"]["addresses"] == Json::array({"127.0.0.1"}));
}

TEST_CASE("the HTTP probe goes direct to a host in the environment's no_proxy list", "[http]") {
    // The environment points at a dead proxy, but exempts localhost.
    TestServer server = httpsServer(testCerts().valid);
    HttpOptions o = optionsFor(server.url());
    o.environment = [](const std::string& name) -> std::optional<std::string> {
        if (name == "https_proxy")
            return "http://127.0.0.1:9";
        if (name == "no_proxy")
            return "localhost";
        return std::nullopt;
    };
    ProbeResult r = probe(o);
    CHECK(r.status == Status::pass);
    CHECK(r.evidence["proxy"]["source"] == "env:no_proxy");
}

TEST_CASE("the HTTP probe never puts the page body in the evidence", "[http]") {
    // The page holds what could be patient data.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(
        Reply{.status = 500, .body = "<td>Brukare 19121212-1212, Storgatan 1</td>"});
    HttpOptions o = optionsFor(server.url());
    o.expect_text = "Logga in";
    ProbeResult r = probe(o);
    const std::string report = to_json(r).dump();
    CHECK(report.find("19121212") == std::string::npos);
    CHECK(report.find("Storgatan") == std::string::npos);
    CHECK(r.evidence["body_bytes"] == 43);
}

TEST_CASE("the HTTP probe sends the driftkoll User-Agent and no credentials", "[http]") {
    // A URL with a user name and password: they are never sent, nor recorded.
    TestServer server = httpsServer(testCerts().valid);
    ProbeResult r =
        probe(optionsFor("https://anna:hemligt@localhost:" + std::to_string(server.port()) + "/"));
    CHECK(r.status == Status::pass);
    const std::string request = server.lastRequest();
    CHECK(request.find("User-Agent: driftkoll/") != std::string::npos);
    CHECK(request.find("Authorization") == std::string::npos);
    CHECK(to_json(r).dump().find("hemligt") == std::string::npos);
}

TEST_CASE("the HTTP probe records the Date header and the local time it arrived", "[http]") {
    // The clock check compares the two.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.date = "Wed, 25 Nov 2026 12:00:00 GMT"});
    ProbeResult r = probe(optionsFor(server.url()));
    CHECK(r.evidence[kEvidenceDateHeader] == "Wed, 25 Nov 2026 12:00:00 GMT");
    CHECK(r.evidence[kEvidenceHeadersReceivedMs].get<long long>() > 0);
}

TEST_CASE("the HTTP probe hands the body to a caller that asks for it, and says when it was cut",
          "[http]") {
    // The maintenance feed is fetched through the probe: its text is wanted, up to a cap.
    TestServer server = httpsServer(testCerts().valid);
    server.setDefaultReply(Reply{.body = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"});
    std::string got;
    bool truncated = true;
    HttpOptions o = optionsFor(server.url());
    o.on_body = [&](const std::string& body, bool cut) {
        got = body;
        truncated = cut;
    };
    CHECK(probe(o).status == Status::pass);
    CHECK(got == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    CHECK_FALSE(truncated);

    o.body_limit = 10;
    CHECK(probe(o).status == Status::pass);
    CHECK(got == "BEGIN:VCAL");
    CHECK(truncated);
}
