// The clock check on real answers: a plain HTTP server on loopback sends the Date
// header each test sets, and the HTTP probe records it.
#include "probes/clock_probe.h"

#include <catch2/catch.hpp>

#include <optional>

#include "probes/http_probe.h"
#include "tests/support/tls_server.h"

using namespace dk;
using namespace dk::test;
using namespace std::chrono_literals;

namespace {

class LocalhostResolver final : public Resolver {
public:
    ResolveResult resolve(const std::string&, const Deadline&) override {
        ResolveResult r;
        r.ok = true;
        r.addresses = {"127.0.0.1"};
        return r;
    }
};

// An HTTP answer from "tes" whose Date header is `date` (unset: the true time).
ProbeResult answerWithDate(std::optional<std::string> date) {
    TestServer server;
    server.setDefaultReply(Reply{.date = std::move(date)});
    HttpOptions o;
    o.system = "tes";
    o.url = server.url();
    o.environment = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    LocalhostResolver resolver;
    return HttpProbe(o, resolver).run(Deadline::in(2000ms));
}

ProbeResult checkClock(const ProbeResult& reference) {
    return ClockProbe(reference, 60s, 300s).run(Deadline::in(1000ms));
}

std::string offBy(std::chrono::seconds d) {
    return httpDate(std::chrono::system_clock::now() + d);
}

}  // namespace

TEST_CASE("the clock probe fails with clock_skew when the server's Date is two days off",
          "[clock]") {
    // The server says it is the day after tomorrow: the local clock is behind.
    ProbeResult r = checkClock(answerWithDate(offBy(48h)));
    CHECK(r.status == Status::fail);
    CHECK(r.problems == std::vector{Problem::clock_skew});
    CHECK(r.evidence["skew_seconds"].get<double>() == Approx(172800).margin(3));
    CHECK(r.evidence["system"] == "tes");
}

TEST_CASE("the clock probe warns clock_skew when the server's Date is 90 seconds off", "[clock]") {
    // Between the warning (60 s) and the failure (300 s) thresholds, clock ahead.
    ProbeResult r = checkClock(answerWithDate(offBy(-90s)));
    CHECK(r.status == Status::warn);
    CHECK(r.problems == std::vector{Problem::clock_skew});
    CHECK(r.evidence["skew_seconds"].get<double>() == Approx(-90).margin(3));
}

TEST_CASE("the clock probe passes when the server's Date agrees with the local clock", "[clock]") {
    // The server sends the true time.
    ProbeResult r = checkClock(answerWithDate(std::nullopt));
    CHECK(r.status == Status::pass);
    CHECK(std::abs(r.evidence["skew_seconds"].get<double>()) < 3);
}

TEST_CASE("the clock probe does not run without a Date header in the reference answer", "[clock]") {
    // The server leaves the Date header out.
    ProbeResult r = checkClock(answerWithDate(""));
    CHECK(r.status == Status::not_run);
    CHECK(r.problems == std::vector{Problem::clock_no_reference});
}

TEST_CASE("the clock probe does not run when the reference attempt got no answer", "[clock]") {
    // The reference system did not answer at all.
    ProbeResult failed;
    failed.failWith(Problem::tcp_refused, "Connection refused");
    CHECK(checkClock(failed).problems == std::vector{Problem::clock_no_reference});
}

TEST_CASE("the clock probe does not run on an unreadable Date header", "[clock]") {
    // The Date header is not a date.
    ProbeResult r = checkClock(answerWithDate("sometime soon"));
    CHECK(r.status == Status::not_run);
    CHECK(r.problems == std::vector{Problem::clock_no_reference});
}
