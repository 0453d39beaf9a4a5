// Name resolution as the applications on this computer see it (the system
// resolver), with a hard deadline. The system resolver cannot be cancelled, so a
// lookup runs on its own thread, and a lookup that outlives the deadline is
// abandoned: its thread finishes on its own and touches only state it owns.
// Other probes never resolve names themselves: they ask a Resolver, and the
// runner hands them one per-run CachingResolver so that one host is looked up
// once per run and no cache lives between runs.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "deadline.h"
#include "result.h"

struct addrinfo;

namespace dk {

struct ResolveResult {
    bool ok = false;
    std::vector<std::string> addresses;    // textual, in the order the resolver gave them
    Problem problem = Problem::dns_error;  // when !ok: dns_nxdomain, dns_timeout, ...
    std::string error;                     // the resolver's own words
    double ms = 0;                         // how long the lookup took (or waited)
    // When !ok: the failure was an answer (every try of the system resolver was
    // answered or refused at once), not silence. A lookup that failed before the
    // resolver's own per-try timeout could not have waited one out.
    bool answered = false;
};

class Resolver {
public:
    virtual ~Resolver() = default;
    // MUST NOT throw. MUST return by the deadline.
    virtual ResolveResult resolve(const std::string& host, const Deadline& deadline) = 0;
};

// getaddrinfo() on a thread of its own; abandoned at the deadline.
class SystemResolver final : public Resolver {
public:
    // getaddrinfo() without the service argument. The list it returns is released
    // with freeaddrinfo(), so a replacement that succeeds must get it from getaddrinfo().
    using LookupFn = std::function<int(const char* host, const addrinfo* hints, addrinfo** out)>;

    SystemResolver();
    // For tests: a lookup that is slow, hangs or fails on purpose.
    explicit SystemResolver(LookupFn lookup) : lookup_(std::move(lookup)) {}

    ResolveResult resolve(const std::string& host, const Deadline& deadline) override;

private:
    LookupFn lookup_;
};

// One lookup per host per run; concurrent callers for the same host share it, and
// each stops waiting at its own deadline. Only a lookup that timed out at a deadline
// earlier than a caller's is started again, for that caller (an HTTP probe with a
// short timeout must not cut short the DNS check that has the whole run).
class CachingResolver final : public Resolver {
public:
    explicit CachingResolver(Resolver& inner) : inner_(inner) {}
    ResolveResult resolve(const std::string& host, const Deadline& deadline) override;

private:
    struct Lookup {
        std::shared_future<ResolveResult> result;
        SteadyClock::time_point deadline;  // the deadline the lookup was started with
    };
    Resolver& inner_;
    std::mutex mu_;
    std::map<std::string, Lookup> lookups_;
};

}  // namespace dk
