#include "resolver.h"

#include "platform/socket_api.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>

namespace dk {
namespace {

// The textual form of one address from getaddrinfo() ("" for other families).
std::string addressText(const addrinfo& ai) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (ai.ai_family == AF_INET) {
        sockaddr_in sin{};
        std::memcpy(&sin, ai.ai_addr, std::min<size_t>(ai.ai_addrlen, sizeof sin));
        inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof buf);
    } else if (ai.ai_family == AF_INET6) {
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, ai.ai_addr, std::min<size_t>(ai.ai_addrlen, sizeof sin6));
        inet_ntop(AF_INET6, &sin6.sin6_addr, buf, sizeof buf);
    }
    return buf;
}

ResolveResult failure(Problem p, std::string error, double ms) {
    ResolveResult r;
    r.problem = p;
    r.error = std::move(error);
    r.ms = ms;
    return r;
}

// getaddrinfo()'s answer as a ResolveResult.
ResolveResult fromGetaddrinfo(int rc, int saved_errno, const addrinfo* list, double ms) {
    switch (rc) {
        case 0:
            break;
        case EAI_NONAME:
            return failure(Problem::dns_nxdomain, gai_strerror(rc), ms);
#ifdef EAI_NODATA
        case EAI_NODATA:
            return failure(Problem::dns_no_data, gai_strerror(rc), ms);
#endif
        case EAI_SYSTEM:
            return failure(
                Problem::dns_error,
                std::string(gai_strerror(rc)) + ": " + std::generic_category().message(saved_errno),
                ms);
        default:
            // EAI_AGAIN ("Temporary failure in name resolution") lands here too: a
            // SERVFAIL or no answer at all. The per-server answers tell which.
            return failure(Problem::dns_error, gai_strerror(rc), ms);
    }
    ResolveResult r;
    r.ms = ms;
    for (const addrinfo* ai = list; ai; ai = ai->ai_next) {
        std::string text = addressText(*ai);
        if (!text.empty() &&
            std::find(r.addresses.begin(), r.addresses.end(), text) == r.addresses.end())
            r.addresses.push_back(std::move(text));
    }
    if (r.addresses.empty())
        return failure(Problem::dns_no_data, "no address in the answer", ms);
    r.ok = true;
    return r;
}

// How long the system resolver waits for one try, as it reads resolv.conf and
// RES_OPTIONS (glibc: `options timeout:`); 0 when it cannot be read.
double perTryTimeoutMs() {
    static const double ms = [] {
        struct __res_state state {};
        if (res_ninit(&state) != 0)
            return 0.0;
        const double t = state.retrans * 1000.0;
        res_nclose(&state);
        return t;
    }();
    return ms;
}

// One blocking lookup, as the system resolver does it.
ResolveResult lookupNow(const SystemResolver::LookupFn& lookup, const std::string& host) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;      // both families
    hints.ai_socktype = SOCK_STREAM;  // one entry per address
    hints.ai_flags = 0;               // no AI_ADDRCONFIG: ask for both whatever the local addresses
    addrinfo* list = nullptr;
    const auto start = SteadyClock::now();
    errno = 0;
    const int rc = lookup(host.c_str(), &hints, &list);
    const int saved_errno = errno;
    ResolveResult r = fromGetaddrinfo(rc, saved_errno, list, msSince(start));
    if (list)
        freeaddrinfo(list);
    // Failed before one try could time out: every try was answered (an error
    // reply, a refusal), none waited out.
    r.answered = !r.ok && r.ms < perTryTimeoutMs();
    return r;
}

ResolveResult timedOut(SteadyClock::time_point start, const char* what) {
    const double ms = msSince(start);
    return failure(Problem::dns_timeout,
                   std::string(what) + " within " + std::to_string(std::llround(ms)) + " ms", ms);
}

// A resolver that throws breaks its contract; the caller still gets a value.
ResolveResult resolveGuarded(Resolver& r, const std::string& host, const Deadline& deadline) {
    try {
        return r.resolve(host, deadline);
    } catch (const std::exception& e) {
        return failure(Problem::dns_error, std::string("unexpected exception: ") + e.what(), 0);
    } catch (...) {
        return failure(Problem::dns_error, "unexpected exception", 0);
    }
}

}  // namespace

SystemResolver::SystemResolver()
    : lookup_([](const char* host, const addrinfo* hints, addrinfo** out) {
          return ::getaddrinfo(host, nullptr, hints, out);
      }) {}

ResolveResult SystemResolver::resolve(const std::string& host, const Deadline& deadline) {
    const auto start = SteadyClock::now();
    if (deadline.expired())
        return failure(Problem::dns_timeout, "the deadline had passed before the lookup began", 0);
    try {
        std::promise<ResolveResult> promise;
        std::future<ResolveResult> answer = promise.get_future();
        // The thread owns all it touches: its own copies of the name and of the lookup
        // function, and the promise, whose state it shares with `answer`. When the
        // caller gives up at the deadline, the thread finishes on its own and its
        // answer is dropped with that shared state.
        std::thread([promise = std::move(promise), host, lookup = lookup_]() mutable {
            try {
                promise.set_value(lookupNow(lookup, host));
            } catch (...) {
                promise.set_exception(std::current_exception());
            }
        }).detach();
        if (answer.wait_until(deadline.at()) == std::future_status::ready)
            return answer.get();
    } catch (const std::exception& e) {
        return failure(Problem::dns_error, std::string("lookup failed: ") + e.what(),
                       msSince(start));
    } catch (...) {
        return failure(Problem::dns_error, "lookup failed", msSince(start));
    }
    return timedOut(start, "no answer from the system resolver");
}

ResolveResult CachingResolver::resolve(const std::string& host, const Deadline& deadline) {
    const auto start = SteadyClock::now();
    // A shared lookup that gave up at an earlier deadline than ours is worth one more try.
    auto endedTooSoon = [&deadline](const Lookup& l) {
        if (l.result.wait_for(Millis(0)) != std::future_status::ready)
            return false;
        const ResolveResult& r = l.result.get();
        return !r.ok && r.problem == Problem::dns_timeout && l.deadline < deadline.at() &&
               !deadline.expired();
    };
    for (;;) {
        std::promise<ResolveResult> mine;
        Lookup shared;
        bool own = false;
        {
            std::lock_guard lock(mu_);
            auto it = lookups_.find(host);
            if (it == lookups_.end() || endedTooSoon(it->second)) {
                shared = Lookup{mine.get_future().share(), deadline.at()};
                lookups_[host] = shared;
                own = true;
            } else {
                shared = it->second;
            }
        }
        if (own) {
            ResolveResult r = resolveGuarded(inner_, host, deadline);
            mine.set_value(r);
            return r;
        }
        if (shared.result.wait_until(deadline.at()) != std::future_status::ready)
            return timedOut(start, "the shared lookup did not finish");
        if (!endedTooSoon(shared))
            return shared.result.get();
    }
}

}  // namespace dk
