#include <catch2/catch.hpp>

#include "probes/result.h"

using namespace dk;

TEST_CASE("statuses and problem codes print as their stable identifiers", "[result]") {
    // The JSON report and IT tooling rely on these exact strings.
    CHECK(to_string(Status::warn) == "warn");
    CHECK(to_string(Status::not_run) == "not_run");
    CHECK(to_string(Problem::dns_nxdomain) == "dns_nxdomain");
    CHECK(to_string(Problem::no_dns_servers) == "no_dns_servers");
}

TEST_CASE("a problem added twice is listed once", "[result]") {
    // Two servers both time out: the result says dns_timeout once.
    ProbeResult r;
    r.add(Problem::dns_timeout);
    r.add(Problem::dns_timeout);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_timeout});
    CHECK(r.has(Problem::dns_timeout));
    CHECK_FALSE(r.has(Problem::dns_slow));
}

TEST_CASE("failWith sets fail and joins the error texts", "[result]") {
    // Two failures in one probe keep both exact errors, in order.
    ProbeResult r;
    r.failWith(Problem::dns_error, "Temporary failure in name resolution");
    r.failWith(Problem::dns_servfail, "Server failed");
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector<Problem>{Problem::dns_error, Problem::dns_servfail});
    CHECK(r.error == "Temporary failure in name resolution; Server failed");
}

TEST_CASE("a result becomes JSON with its problems as strings", "[result]") {
    // The report's shape for one attempt.
    ProbeResult r;
    r.failWith(Problem::no_dns_servers, "no name server is configured");
    r.timings_ms["dns"] = 12.5;
    const Json j = to_json(r);
    CHECK(j["status"] == "fail");
    CHECK(j["problems"] == Json::array({"no_dns_servers"}));
    CHECK(j["error"] == "no name server is configured");
    CHECK(j["timings_ms"]["dns"] == 12.5);
}
