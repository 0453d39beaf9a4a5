// libFuzzer entry point: arbitrary bytes as a web server's whole answer (status
// line, headers, body) to the real HTTP probe (probes/http_probe.h) over a
// loopback socket, then its result into the clock probe, as a run does. Nothing
// may crash, hang, leak or throw, and:
//   - the attempt ends with a verdict: pass, warn or fail, never internal_error;
//   - a pass has a status the probe accepts, and no maintenance text on the page;
//   - the caller gets at most body_limit bytes of the page, and only on a pass;
//   - the results turn into JSON that can be written out (invalid UTF-8 replaced,
//     as the history and the API write it).
// The last byte of the input picks the probe's settings (see Settings); the rest
// is the answer, sent to every request of the attempt (redirects included).
// Seed corpus: tests/fuzz/corpus/http_probe_fuzz.
//
// Redirects may point anywhere, so the process first moves into a network
// namespace of its own with only loopback, and every name resolves to 127.0.0.1.
// Without the privilege for that namespace the probe does not follow redirects.
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "probes/clock_probe.h"
#include "probes/http_probe.h"

namespace {

using namespace std::chrono_literals;

[[noreturn]] void fail(const char* what, const dk::Json& result) {
    std::fprintf(stderr, "http_probe_fuzz: %s\n%s\n", what,
                 result.dump(2, ' ', false, dk::Json::error_handler_t::replace).c_str());
    std::abort();
}

bool writeFile(const char* path, const std::string& text) {
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

// Moves the process into a new network namespace (a new user namespace too when
// not root) and brings its loopback up. Must run before any thread starts.
bool isolateNetwork() {
    if (::unshare(CLONE_NEWNET) != 0) {
        const uid_t uid = ::geteuid();
        const gid_t gid = ::getegid();
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
            return false;
        // Keep this user's id inside, so that crash files are written as the user.
        if (!writeFile("/proc/self/setgroups", "deny") ||
            !writeFile("/proc/self/uid_map",
                       std::to_string(uid) + " " + std::to_string(uid) + " 1") ||
            !writeFile("/proc/self/gid_map",
                       std::to_string(gid) + " " + std::to_string(gid) + " 1"))
            return false;
    }
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return false;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    bool up = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    up = up && ::ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    ::close(s);
    return up;
}

// Every name is this machine.
class LoopbackResolver final : public dk::Resolver {
public:
    dk::ResolveResult resolve(const std::string&, const dk::Deadline&) override {
        dk::ResolveResult r;
        r.ok = true;
        r.addresses = {"127.0.0.1"};
        return r;
    }
};

// A server on 127.0.0.1 that answers every connection with the same bytes: it
// reads the request's head, writes the answer, and closes its side.
class AnswerServer {
public:
    AnswerServer() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(fd_, 16) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            std::perror("http_probe_fuzz: loopback server");
            std::abort();
        }
        port_ = ntohs(addr.sin_port);
        std::thread([this] { serve(); }).detach();
    }

    int port() const { return port_; }

    void setAnswer(std::string_view answer) {
        const std::lock_guard lock(mutex_);
        answer_.assign(answer);
    }

private:
    void serve() {
        for (;;) {
            const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0)
                continue;
            const timeval timeout{2, 0};
            ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            ::setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
            // The request's head: closing with it unread would reset the connection.
            std::string request;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
                const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0)
                    break;
                request.append(buf, static_cast<std::size_t>(n));
            }
            std::string answer;
            {
                const std::lock_guard lock(mutex_);
                answer = answer_;
            }
            for (std::size_t sent = 0; sent < answer.size();) {
                const ssize_t n =
                    ::send(c, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
                if (n <= 0)
                    break;
                sent += static_cast<std::size_t>(n);
            }
            ::shutdown(c, SHUT_WR);
            // Until the probe closes its side, which it does at the end of its request.
            while (::recv(c, buf, sizeof buf, 0) > 0) {
            }
            ::close(c);
        }
    }

    int fd_ = -1;
    int port_ = 0;
    std::mutex mutex_;
    std::string answer_;
};

bool g_isolated = false;
AnswerServer* g_server = nullptr;
LoopbackResolver* g_resolver = nullptr;

// The bits of the input's last byte.
enum Settings : std::uint8_t {
    kExpectText = 1 << 0,      // the page must contain "Logga in"
    kAcceptStatus = 1 << 1,    // accept 200 and 401 only
    kSmallBodyLimit = 1 << 2,  // read at most 64 bytes of the page
    kNoRedirects = 1 << 3,     // do not follow redirects
    kOnBody = 1 << 4,          // hand the page to the caller (the maintenance feed's way)
};

bool accepted(const dk::HttpOptions& o, long status) {
    if (o.accept_status.empty())
        return status >= 200 && status <= 299;
    for (const int s : o.accept_status)
        if (s == status)
            return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    g_isolated = isolateNetwork();
    if (!g_isolated)
        std::fprintf(stderr,
                     "http_probe_fuzz: no network namespace of its own (needs root or user "
                     "namespaces): redirects are not followed\n");
    g_server = new AnswerServer();
    g_resolver = new LoopbackResolver();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > (1u << 20))
        return 0;
    const std::uint8_t settings = data[size - 1];
    g_server->setAnswer(std::string_view(reinterpret_cast<const char*>(data), size - 1));

    dk::HttpOptions o;
    o.system = "tes";
    o.url = "http://127.0.0.1:" + std::to_string(g_server->port()) + "/login";
    o.maintenance_text = {"Planerat underhåll", "maintenance"};
    if (settings & kExpectText)
        o.expect_text = "Logga in";
    if (settings & kAcceptStatus)
        o.accept_status = {200, 401};
    if (settings & kSmallBodyLimit)
        o.body_limit = 64;
    o.follow_redirects = g_isolated && (settings & kNoRedirects) == 0;
    o.max_redirects = 3;
    o.timeout = 3000ms;
    o.environment = [](const std::string&) { return std::optional<std::string>{}; };
    bool body_seen = false;
    std::size_t body_size = 0;
    if (settings & kOnBody) {
        o.on_body = [&](const std::string& body, bool) {
            body_seen = true;
            body_size = body.size();
        };
    }
    const std::size_t body_limit = o.body_limit;
    dk::HttpProbe probe(o, *g_resolver);
    const dk::ProbeResult r = probe.run(dk::Deadline::in(5s));
    const dk::Json json = dk::to_json(r);

    if (r.status == dk::Status::not_run || r.has(dk::Problem::internal_error))
        fail("the attempt ended without a verdict", json);
    const bool passed = r.status == dk::Status::pass || r.status == dk::Status::warn;
    if (passed) {
        if (!accepted(o, r.evidence.value("status_code", 0L)))
            fail("a pass with a status the probe does not accept", json);
        if (r.evidence.contains("maintenance_text_found"))
            fail("a pass on a maintenance page", json);
    }
    if (body_seen && (!passed || body_size > body_limit))
        fail("the caller got the page of a failed answer, or more than body_limit", json);

    const dk::ProbeResult clock = dk::ClockProbe(r, 60s, 300s).run(dk::Deadline::in(1s));
    if (clock.has(dk::Problem::internal_error))
        fail("the clock check failed inside", dk::to_json(clock));
    // The history and the API write reports this way.
    for (const dk::Json& j : {json, dk::to_json(clock)})
        if (j.dump(-1, ' ', false, dk::Json::error_handler_t::replace).empty())
            fail("a result wrote out as nothing", j);
    return 0;
}
