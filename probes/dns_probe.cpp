#include "dns_probe.h"

#include <ares.h>
#include "platform/socket_api.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <future>
#include <memory>
#include <optional>
#include <system_error>
#include <type_traits>

namespace dk {
namespace {

constexpr int kMaxAddresses = 32;  // per query; more than any real answer holds

// ares_library_init() is not thread-safe in c-ares 1.18: it runs once, here.
int caresReady() {
    static const int status = ares_library_init(ARES_LIB_INIT_ALL);
    return status;
}

struct ChannelDeleter {
    void operator()(ares_channel c) const { ares_destroy(c); }
};
using Channel = std::unique_ptr<std::remove_pointer_t<ares_channel>, ChannelDeleter>;

std::string caresError(const char* what, int status) {
    return std::string(what) + ": " + ares_strerror(status);
}

// ---- the configured servers ----

std::string serverText(const ares_addr_port_node& n) {
    char buf[INET6_ADDRSTRLEN] = {};
    const bool v4 = n.family == AF_INET;
    const void* addr = v4 ? static_cast<const void*>(&n.addr.addr4) : &n.addr.addr6;
    ares_inet_ntop(n.family, addr, buf, sizeof buf);
    if (n.udp_port == 0 || n.udp_port == NAMESERVER_PORT)
        return buf;
    const std::string port = std::to_string(n.udp_port);
    return v4 ? std::string(buf) + ":" + port : "[" + std::string(buf) + "]:" + port;
}

// `path` null: the system's file.
std::vector<std::string> readNameServers(const std::string* path, std::string* error) {
    auto fail = [error](std::string why) {
        if (error)
            *error = std::move(why);
        return std::vector<std::string>{};
    };
    if (int rc = caresReady(); rc != ARES_SUCCESS)
        return fail(caresError("c-ares", rc));
    ares_options opts{};
    int mask = 0;
    std::string file;
    if (path) {
        file = *path;
        opts.resolvconf_path = file.data();  // c-ares keeps its own copy
        mask |= ARES_OPT_RESOLVCONF;
    }
    ares_channel raw = nullptr;
    int rc = ares_init_options(&raw, &opts, mask);
    if (rc != ARES_SUCCESS)
        return fail(caresError("reading the resolver configuration", rc));
    Channel channel(raw);
    ares_addr_port_node* list = nullptr;
    rc = ares_get_servers_ports(channel.get(), &list);
    if (rc != ARES_SUCCESS)
        return fail(caresError("listing the name servers", rc));
    std::vector<std::string> servers;
    for (const ares_addr_port_node* n = list; n; n = n->next) servers.push_back(serverText(*n));
    ares_free_data(list);
    return servers;
}

// ---- asking the servers ----

// What the sockets of one query's channel saw. A refusal (ICMP port unreachable:
// ECONNREFUSED on the connected UDP socket) is an answer: the query ends at once,
// and c-ares sends no further try.
struct Wire {
    bool refused = false;
};

// c-ares's socket calls, through which a refusal is seen and no try follows it.
ares_socket_t wireSocket(int domain, int type, int protocol, void* /*user*/) {
    return ::socket(domain, type | SOCK_CLOEXEC, protocol);
}
int wireClose(ares_socket_t fd, void* /*user*/) {
    return ::close(fd);
}
int wireConnect(ares_socket_t fd, const struct sockaddr* addr, ares_socklen_t len, void* /*user*/) {
    return ::connect(fd, addr, len);
}
ares_ssize_t wireRecvfrom(ares_socket_t fd, void* buf, size_t len, int flags,
                          struct sockaddr* from, ares_socklen_t* from_len, void* user) {
    const ares_ssize_t n = ::recvfrom(fd, buf, len, flags, from, from_len);
    if (n < 0 && errno == ECONNREFUSED)
        static_cast<Wire*>(user)->refused = true;
    return n;
}
ares_ssize_t wireSendv(ares_socket_t fd, const struct iovec* vec, int count, void* user) {
    auto* wire = static_cast<Wire*>(user);
    if (wire->refused) {
        errno = ECONNREFUSED;  // the server's host said no: no further try
        return -1;
    }
    const ares_ssize_t n = ::writev(fd, vec, count);
    if (n < 0 && errno == ECONNREFUSED)
        wire->refused = true;
    return n;
}
const ares_socket_functions kWire = {wireSocket, wireClose, wireConnect, wireRecvfrom, wireSendv};

// One query in flight, on a channel of its own, and where its answer goes. Its own
// channel means its own socket: on a socket shared by the A and AAAA queries the
// second send takes the ICMP error meant for the first, which then waits out its
// timeout. The channel is declared last so that it is destroyed first, while the
// query's state lives.
struct Pending {
    QueryAnswer* out = nullptr;
    int type = ns_t_a;
    SteadyClock::time_point start;
    bool done = false;
    Wire wire;
    Channel channel;
};

// One server's two queries.
struct ServerQuery {
    Pending a;
    Pending aaaa;

    bool pending() const { return !a.done || !aaaa.done; }
};

int parseAddresses(int type, const unsigned char* abuf, int alen, std::vector<std::string>& out) {
    char text[INET6_ADDRSTRLEN];
    int n = kMaxAddresses;
    if (type == ns_t_a) {
        std::array<ares_addrttl, kMaxAddresses> rr{};
        const int rc = ares_parse_a_reply(abuf, alen, nullptr, rr.data(), &n);
        if (rc != ARES_SUCCESS)
            return rc;
        for (int i = 0; i < n; ++i) {
            ares_inet_ntop(AF_INET, &rr[static_cast<size_t>(i)].ipaddr, text, sizeof text);
            out.emplace_back(text);
        }
    } else {
        std::array<ares_addr6ttl, kMaxAddresses> rr{};
        const int rc = ares_parse_aaaa_reply(abuf, alen, nullptr, rr.data(), &n);
        if (rc != ARES_SUCCESS)
            return rc;
        for (int i = 0; i < n; ++i) {
            ares_inet_ntop(AF_INET6, &rr[static_cast<size_t>(i)].ip6addr, text, sizeof text);
            out.emplace_back(text);
        }
    }
    return out.empty() ? ARES_ENODATA : ARES_SUCCESS;
}

void classify(int status, QueryAnswer& out) {
    switch (status) {
        case ARES_SUCCESS:
            out.outcome = ServerOutcome::addresses;
            return;
        case ARES_ECANCELLED:    // we cancelled it at the deadline
        case ARES_EDESTRUCTION:  // the channel went away before an answer came
            out.outcome = ServerOutcome::timeout;
            out.error = "no answer before the deadline";
            return;
        case ARES_ENOTFOUND:
            out.outcome = ServerOutcome::nxdomain;
            break;
        case ARES_ENODATA:
            out.outcome = ServerOutcome::no_data;
            break;
        case ARES_ESERVFAIL:
            out.outcome = ServerOutcome::servfail;
            break;
        case ARES_EREFUSED:
            out.outcome = ServerOutcome::refused;
            break;
        case ARES_ETIMEOUT:
            out.outcome = ServerOutcome::timeout;
            break;
        default:
            out.outcome = ServerOutcome::error;
            break;
    }
    out.error = ares_strerror(status);
}

// c-ares calls this once per query. Nothing may escape into C.
void onAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    auto& q = *static_cast<Pending*>(arg);
    q.done = true;
    try {
        q.out->ms = msSince(q.start);
        if (status == ARES_SUCCESS)
            status = parseAddresses(q.type, abuf, alen, q.out->addresses);
        if (status != ARES_SUCCESS && q.wire.refused) {
            q.out->outcome = ServerOutcome::connection_refused;
            q.out->error = "connection refused (ICMP port unreachable): nothing answers on the "
                           "name server's port";
            return;
        }
        classify(status, *q.out);
    } catch (...) {
        q.out->outcome = ServerOutcome::error;
        q.out->error = "could not record the answer";
    }
}

// Tries per query: a lost packet (a lossy uplink) is asked again within the
// deadline instead of ending as silence. c-ares doubles the wait of each try, so
// the first waits 1/7 of the time left, the second 2/7 and the third 4/7.
constexpr int kTries = 3;
constexpr long long kTryTimeSlices = 7;
constexpr long long kMinTryMs = 100;

// A channel that sends to `server` only and is done within `timeout_ms`. An
// answer to an earlier try that comes late still counts (same query id).
int openChannel(const std::string& server, long long timeout_ms, Wire& wire, Channel& out) {
    if (server.empty() || server.find(',') != std::string::npos)
        return ARES_EBADSTR;
    ares_options opts{};
    opts.flags = ARES_FLAG_NOCHECKRESP;  // hand SERVFAIL and REFUSED to us, not to another try
    const bool room = timeout_ms >= kMinTryMs * kTryTimeSlices;
    opts.tries = room ? kTries : 1;
    opts.timeout = static_cast<int>(
        std::clamp<long long>(room ? timeout_ms / kTryTimeSlices : timeout_ms, 1, INT_MAX));
    ares_channel raw = nullptr;
    const int rc =
        ares_init_options(&raw, &opts, ARES_OPT_FLAGS | ARES_OPT_TRIES | ARES_OPT_TIMEOUTMS);
    if (rc != ARES_SUCCESS)
        return rc;
    out.reset(raw);
    ares_set_socket_functions(raw, &kWire, &wire);
    return ares_set_servers_ports_csv(raw, server.c_str());
}

long long ceilMs(const timeval& tv) {
    return static_cast<long long>(tv.tv_sec) * 1000 + (tv.tv_usec + 999) / 1000;
}

// Every query of every server.
std::vector<Pending*> each(std::vector<std::unique_ptr<ServerQuery>>& queries) {
    std::vector<Pending*> all;
    for (auto& q : queries) {
        all.push_back(&q->a);
        all.push_back(&q->aaaa);
    }
    return all;
}

// Drives every channel until all queries have answered or the deadline comes.
void runChannels(std::vector<std::unique_ptr<ServerQuery>>& queries, const Deadline& deadline) {
    for (;;) {
        const long long left = deadline.remainingMs();
        timeval limit{static_cast<time_t>(left / 1000),
                      static_cast<suseconds_t>(left % 1000 * 1000)};
        long long wait_ms = left;
        std::vector<pollfd> fds;
        std::vector<ares_channel> owners;  // the channel of each entry in fds
        bool any = false;
        for (Pending* q : each(queries)) {
            if (q->done)
                continue;
            any = true;
            std::array<ares_socket_t, ARES_GETSOCK_MAXNUM> socks{};
            const int bits = ares_getsock(q->channel.get(), socks.data(), ARES_GETSOCK_MAXNUM);
            for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
                short events = 0;
                if (ARES_GETSOCK_READABLE(bits, i))
                    events |= POLLIN;
                if (ARES_GETSOCK_WRITABLE(bits, i))
                    events |= POLLOUT;
                if (events == 0)
                    continue;
                fds.push_back(pollfd{socks[static_cast<size_t>(i)], events, 0});
                owners.push_back(q->channel.get());
            }
            timeval tv{};
            wait_ms = std::min(wait_ms, ceilMs(*ares_timeout(q->channel.get(), &limit, &tv)));
        }
        if (!any || deadline.expired())
            return;
        if (poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "poll");
        for (size_t i = 0; i < fds.size(); ++i) {
            const short ev = fds[i].revents;
            if (ev == 0)
                continue;
            ares_process_fd(owners[i],
                            (ev & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD,
                            (ev & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD);
        }
        // Let each channel end the queries whose own timeout has passed.
        for (Pending* q : each(queries))
            if (!q->done)
                ares_process_fd(q->channel.get(), ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    }
}

// ---- the verdict ----

Problem problemFor(ServerOutcome o) {
    switch (o) {
        case ServerOutcome::nxdomain:
            return Problem::dns_nxdomain;
        case ServerOutcome::no_data:
            return Problem::dns_no_data;
        case ServerOutcome::servfail:
            return Problem::dns_servfail;
        case ServerOutcome::refused:
            return Problem::dns_refused;
        case ServerOutcome::timeout:
            return Problem::dns_timeout;
        case ServerOutcome::connection_refused:  // no server there: the name cannot resolve
        case ServerOutcome::addresses:
        case ServerOutcome::error:
            break;
    }
    return Problem::dns_error;
}

// The error text behind a server's verdict.
const std::string& verdictError(const ServerAnswer& s) {
    return s.a.outcome == s.outcome() ? s.a.error : s.aaaa.error;
}

// The failure every server agrees on, if they all gave the same one.
std::optional<ServerOutcome> agreedFailure(const std::vector<ServerAnswer>& servers) {
    if (servers.empty())
        return std::nullopt;
    const ServerOutcome first = servers.front().outcome();
    if (first == ServerOutcome::addresses)
        return std::nullopt;
    for (const auto& s : servers)
        if (s.outcome() != first)
            return std::nullopt;
    return first;
}

bool isIpLiteral(const std::string& host) {
    in6_addr buf{};
    return inet_pton(AF_INET, host.c_str(), &buf) == 1 ||
           inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

const char* family(const std::string& address) {
    return address.find(':') == std::string::npos ? "ipv4" : "ipv6";
}

Json queryEvidence(const QueryAnswer& q) {
    Json j;
    j["outcome"] = std::string(to_string(q.outcome));
    j["addresses"] = q.addresses;
    if (!q.error.empty())
        j["error"] = q.error;
    j["ms"] = q.ms;
    return j;
}

Json serverEvidence(const ServerAnswer& s) {
    Json j;
    j["server"] = s.server;
    j["outcome"] = std::string(to_string(s.outcome()));
    j["ms"] = std::max(s.a.ms, s.aaaa.ms);
    j["a"] = queryEvidence(s.a);
    j["aaaa"] = queryEvidence(s.aaaa);
    return j;
}

Json systemEvidence(const ResolveResult& r) {
    Json j;
    j["ok"] = r.ok;
    Json addresses = Json::array();
    for (const auto& a : r.addresses) addresses.push_back({{"address", a}, {"family", family(a)}});
    j["addresses"] = addresses;
    j["ms"] = r.ms;
    if (!r.ok) {
        j["problem"] = std::string(to_string(r.problem));
        j["error"] = r.error;
        j["answered"] = r.answered;  // an answer (error reply, refusal), not silence
    }
    return j;
}

void appendError(ProbeResult& out, const std::string& text) {
    if (!out.error.empty())
        out.error += "; ";
    out.error += text;
}

}  // namespace

std::vector<std::string> systemNameServers(std::string* error) {
    return readNameServers(nullptr, error);
}

std::vector<std::string> nameServersFromFile(const std::string& path, std::string* error) {
    return readNameServers(&path, error);
}

std::string_view to_string(ServerOutcome o) {
    switch (o) {
        case ServerOutcome::addresses:
            return "addresses";
        case ServerOutcome::nxdomain:
            return "nxdomain";
        case ServerOutcome::no_data:
            return "no_data";
        case ServerOutcome::servfail:
            return "servfail";
        case ServerOutcome::refused:
            return "refused";
        case ServerOutcome::timeout:
            return "timeout";
        case ServerOutcome::connection_refused:
            return "connection_refused";
        case ServerOutcome::error:
            return "error";
    }
    return "error";
}

ServerOutcome ServerAnswer::outcome() const {
    if (a.outcome == ServerOutcome::addresses || aaaa.outcome == ServerOutcome::addresses)
        return ServerOutcome::addresses;
    auto isFailure = [](ServerOutcome o) {
        return o != ServerOutcome::nxdomain && o != ServerOutcome::no_data;
    };
    // A definite failure (SERVFAIL, REFUSED, the server's host refusing the port)
    // says more than silence: the host is there.
    for (ServerOutcome o : {a.outcome, aaaa.outcome})
        if (isFailure(o) && o != ServerOutcome::timeout)
            return o;
    if (isFailure(a.outcome))
        return a.outcome;
    if (isFailure(aaaa.outcome))
        return aaaa.outcome;
    return a.outcome;
}

std::vector<ServerAnswer> queryNameServers(const std::string& host,
                                           const std::vector<std::string>& servers,
                                           const Deadline& deadline) {
    // Sized once: the queries below point into it.
    std::vector<ServerAnswer> answers(servers.size());
    const int ready = caresReady();
    std::vector<std::unique_ptr<ServerQuery>> queries;
    for (size_t i = 0; i < servers.size(); ++i) {
        ServerAnswer& answer = answers[i];
        answer.server = servers[i];
        auto q = std::make_unique<ServerQuery>();
        int rc = ready;
        for (Pending* p : {&q->a, &q->aaaa})
            if (rc == ARES_SUCCESS)
                rc = openChannel(servers[i], deadline.remainingMs(), p->wire, p->channel);
        if (rc != ARES_SUCCESS) {
            for (QueryAnswer* qa : {&answer.a, &answer.aaaa}) {
                qa->outcome = ServerOutcome::error;
                qa->error = caresError("cannot ask this server", rc);
            }
            continue;
        }
        q->a.out = &answer.a;
        q->a.type = ns_t_a;
        q->aaaa.out = &answer.aaaa;
        q->aaaa.type = ns_t_aaaa;
        for (Pending* p : {&q->a, &q->aaaa}) {
            p->start = SteadyClock::now();
            ares_query(p->channel.get(), host.c_str(), ns_c_in, p->type, onAnswer, p);
        }
        queries.push_back(std::move(q));
    }
    runChannels(queries, deadline);
    // Whatever is still waiting ends now, as a timeout.
    for (Pending* p : each(queries))
        if (!p->done)
            ares_cancel(p->channel.get());
    return answers;
}

void DnsServersProbe::execute(const Deadline& /*deadline*/, ProbeResult& out) {
    out.evidence["servers"] = servers_;
    if (servers_.empty()) {
        out.failWith(Problem::no_dns_servers, "no name server is configured");
        return;
    }
    out.status = Status::pass;
}

void DnsProbe::execute(const Deadline& deadline, ProbeResult& out) {
    out.evidence["host"] = host_;
    if (isIpLiteral(host_)) {
        out.status = Status::pass;
        out.evidence["ip_literal"] = true;
        out.evidence["note"] = "the host is an IP address: there is no name to resolve";
        return;
    }

    // The system resolver and the servers are asked at the same time.
    auto system = std::async(std::launch::async,
                             [this, &deadline] { return system_.resolve(host_, deadline); });
    const std::vector<ServerAnswer> servers = queryNameServers(host_, servers_, deadline);
    const ResolveResult sys = system.get();

    out.timings_ms["dns"] = sys.ms;
    out.evidence["system"] = systemEvidence(sys);
    Json list = Json::array();
    for (const auto& s : servers) list.push_back(serverEvidence(s));
    out.evidence["servers"] = list;

    if (!sys.ok) {
        // An answer, not silence, when the system resolver was answered and no server
        // stayed silent: then one immediate re-probe confirms it.
        out.definite = sys.answered && std::none_of(servers.begin(), servers.end(),
                                                    [](const ServerAnswer& s) {
                                                        return s.outcome() == ServerOutcome::timeout;
                                                    });
        // The servers' own answers are the more precise source when they agree.
        if (auto agreed = agreedFailure(servers)) {
            out.failWith(problemFor(*agreed), sys.error);
            appendError(out, "every name server: " + std::string(to_string(*agreed)) + " (" +
                                 verdictError(servers.front()) + ")");
        } else {
            out.failWith(sys.problem, sys.error);
        }
        return;
    }

    out.status = Status::pass;
    if (sys.ms > static_cast<double>(slow_threshold_.count())) {
        out.status = Status::warn;
        out.add(Problem::dns_slow);
        appendError(out, "the system resolver took " + std::to_string(std::llround(sys.ms)) +
                             " ms (threshold " + std::to_string(slow_threshold_.count()) + " ms)");
    }
    Json failing = Json::array();
    for (const auto& s : servers) {
        if (s.outcome() == ServerOutcome::addresses)
            continue;
        out.status = Status::warn;
        out.add(problemFor(s.outcome()));
        failing.push_back(s.server);
        appendError(out, s.server + ": " + verdictError(s));
    }
    if (!failing.empty())
        out.evidence["failing_servers"] = failing;
}

}  // namespace dk
