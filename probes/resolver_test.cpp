// SystemResolver runs the real getaddrinfo() only for an IP literal (no network);
// everything else goes through an injected lookup function. CachingResolver wraps
// a counting test double.
#include <catch2/catch.hpp>

#include <netdb.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "probes/resolver.h"

using namespace dk;
using namespace std::chrono_literals;

namespace {

constexpr auto kMargin = 150ms;  // scheduling slack on a busy test machine

// A lookup function that fails with `rc` at once.
SystemResolver::LookupFn failingWith(int rc) {
    return [rc](const char*, const addrinfo*, addrinfo**) { return rc; };
}

// A resolver that answers after `delay` (or times out at the caller's deadline)
// and counts how often it is asked.
class SlowCountingResolver final : public Resolver {
public:
    explicit SlowCountingResolver(Millis delay) : delay_(delay) {}
    ResolveResult resolve(const std::string&, const Deadline& deadline) override {
        ++calls;
        const auto start = SteadyClock::now();
        std::this_thread::sleep_until(std::min(start + delay_, deadline.at()));
        ResolveResult r;
        r.ms = msSince(start);
        if (SteadyClock::now() < start + delay_) {
            r.problem = Problem::dns_timeout;
            r.error = "timed out";
            return r;
        }
        r.ok = true;
        r.addresses = {"192.0.2.10"};
        return r;
    }
    std::atomic<int> calls{0};

private:
    Millis delay_;
};

}  // namespace

TEST_CASE("the system resolver returns the address of an IP literal", "[resolver]") {
    // getaddrinfo() answers a literal itself, without asking any server.
    SystemResolver resolver;
    auto r = resolver.resolve("127.0.0.1", Deadline::in(2s));
    REQUIRE(r.ok);
    CHECK(r.addresses == std::vector<std::string>{"127.0.0.1"});
}

TEST_CASE("the system resolver reports an unknown name as dns_nxdomain", "[resolver]") {
    // The lookup says EAI_NONAME ("Name or service not known").
    SystemResolver resolver(failingWith(EAI_NONAME));
    auto r = resolver.resolve("gone.example", Deadline::in(2s));
    CHECK_FALSE(r.ok);
    CHECK(r.problem == Problem::dns_nxdomain);
    CHECK(r.error == gai_strerror(EAI_NONAME));
}

TEST_CASE("the system resolver reports a temporary failure as dns_error in its own words",
          "[resolver]") {
    // EAI_AGAIN means SERVFAIL or silence; only the per-server answers can tell which.
    SystemResolver resolver(failingWith(EAI_AGAIN));
    auto r = resolver.resolve("tes.example", Deadline::in(2s));
    CHECK(r.problem == Problem::dns_error);
    CHECK(r.error == gai_strerror(EAI_AGAIN));
}

TEST_CASE("a lookup that fails at once was answered, one cut off at the deadline was not",
          "[resolver]") {
    // A failure before the resolver's own per-try timeout is an answer (a refusal,
    // an error reply): the runner confirms it at once instead of pausing first.
    SystemResolver quick(failingWith(EAI_AGAIN));
    CHECK(quick.resolve("tes.example", Deadline::in(2s)).answered);
    auto release = std::make_shared<std::promise<void>>();
    std::shared_future<void> released = release->get_future().share();
    SystemResolver hanging([released](const char*, const addrinfo*, addrinfo**) {
        released.wait();
        return EAI_AGAIN;
    });
    auto r = hanging.resolve("tes.example", Deadline::in(100ms));
    CHECK(r.problem == Problem::dns_timeout);
    CHECK_FALSE(r.answered);
    release->set_value();
}

TEST_CASE("the system resolver gives up on a hanging lookup at the deadline", "[resolver]") {
    // The lookup hangs until the test ends; the caller is back with dns_timeout on time.
    auto release = std::make_shared<std::promise<void>>();
    std::shared_future<void> released = release->get_future().share();
    SystemResolver resolver([released](const char*, const addrinfo*, addrinfo**) {
        released.wait();
        return EAI_AGAIN;
    });
    const auto start = SteadyClock::now();
    auto r = resolver.resolve("tes.example", Deadline::in(200ms));
    CHECK(SteadyClock::now() - start < 200ms + kMargin);
    CHECK(r.problem == Problem::dns_timeout);
    release->set_value();  // the abandoned lookup thread now finishes on its own
}

TEST_CASE("the caching resolver does one lookup for concurrent callers", "[resolver]") {
    // Four probes ask for the same host at once; the inner resolver is asked once.
    SlowCountingResolver inner(100ms);
    CachingResolver cache(inner);
    std::vector<std::future<ResolveResult>> callers;
    for (int i = 0; i < 4; ++i)
        callers.push_back(std::async(std::launch::async, [&cache] {
            return cache.resolve("tes.example", Deadline::in(2s));
        }));
    for (auto& c : callers) CHECK(c.get().ok);
    CHECK(inner.calls == 1);
}

TEST_CASE("a caller of the caching resolver stops waiting at its own deadline", "[resolver]") {
    // The shared lookup takes 600 ms; a caller with 100 ms left does not wait for it.
    SlowCountingResolver inner(600ms);
    CachingResolver cache(inner);
    auto first = std::async(std::launch::async,
                            [&cache] { return cache.resolve("tes.example", Deadline::in(2s)); });
    while (inner.calls == 0) std::this_thread::sleep_for(1ms);
    const auto start = SteadyClock::now();
    auto r = cache.resolve("tes.example", Deadline::in(100ms));
    CHECK(SteadyClock::now() - start < 100ms + kMargin);
    CHECK(r.problem == Problem::dns_timeout);
    CHECK(first.get().ok);
    CHECK(inner.calls == 1);
}

TEST_CASE("the caching resolver looks again for a caller with more time than a timed-out lookup",
          "[resolver]") {
    // An HTTP probe with 50 ms left times out; the DNS check with 2 s still gets the answer.
    SlowCountingResolver inner(150ms);
    CachingResolver cache(inner);
    CHECK(cache.resolve("tes.example", Deadline::in(50ms)).problem == Problem::dns_timeout);
    CHECK(cache.resolve("tes.example", Deadline::in(2s)).ok);
    CHECK(inner.calls == 2);
}
