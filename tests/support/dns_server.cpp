#include "tests/support/dns_server.h"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <future>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace dk::test {
namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<unsigned char>;

constexpr size_t kHeaderSize = NS_HFIXEDSZ;  // 12
constexpr uint32_t kTtl = 60;

std::system_error sysError(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

uint16_t get16(const unsigned char* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

void put16(Bytes& b, size_t at, uint16_t v) {
    b[at] = static_cast<unsigned char>(v >> 8);
    b[at + 1] = static_cast<unsigned char>(v & 0xff);
}

void append16(Bytes& b, uint16_t v) {
    b.push_back(static_cast<unsigned char>(v >> 8));
    b.push_back(static_cast<unsigned char>(v & 0xff));
}

void append32(Bytes& b, uint32_t v) {
    append16(b, static_cast<uint16_t>(v >> 16));
    append16(b, static_cast<uint16_t>(v & 0xffff));
}

// One answer record for the question's name: a compression pointer to offset 12.
void appendRecord(Bytes& b, uint16_t type, const void* rdata, uint16_t len) {
    append16(b, static_cast<uint16_t>(0xc000 | kHeaderSize));
    append16(b, type);
    append16(b, ns_c_in);
    append32(b, kTtl);
    append16(b, len);
    const auto* p = static_cast<const unsigned char*>(rdata);
    b.insert(b.end(), p, p + len);
}

int rcodeFor(DnsBehaviour::Kind k) {
    switch (k) {
        case DnsBehaviour::Kind::nxdomain:
            return ns_r_nxdomain;
        case DnsBehaviour::Kind::servfail:
            return ns_r_servfail;
        case DnsBehaviour::Kind::refused:
            return ns_r_refused;
        case DnsBehaviour::Kind::answer:
        case DnsBehaviour::Kind::silent:
            break;
    }
    return ns_r_noerror;
}

// Enters the network namespace /run/netns/<name> for the calling thread.
void enterNetns(const std::string& name) {
    const std::string path = "/run/netns/" + name;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw sysError("open " + path);
    const int rc = setns(fd, CLONE_NEWNET);
    const int saved = errno;
    close(fd);
    if (rc != 0)
        throw std::system_error(saved, std::generic_category(), "setns " + path);
}

// A UDP socket bound to address:port; returns it and the port it got.
std::pair<int, uint16_t> bindUdp(const std::string& address, uint16_t port) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (inet_pton(AF_INET, address.c_str(), &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        len = sizeof *sin;
    } else if (inet_pton(AF_INET6, address.c_str(), &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        len = sizeof *sin6;
    } else {
        throw std::runtime_error("not an IP address: " + address);
    }
    const int sock = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (sock < 0)
        throw sysError("socket");
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if (bind(sock, sa, len) != 0 || getsockname(sock, sa, &len) != 0) {
        const auto err = sysError("bind " + address + ":" + std::to_string(port));
        close(sock);
        throw err;
    }
    return {sock, ntohs(ss.ss_family == AF_INET ? sin->sin_port : sin6->sin6_port)};
}

// A reply held back until its time.
struct Delayed {
    Clock::time_point due;
    sockaddr_storage peer;
    socklen_t peer_len;
    Bytes bytes;
};

}  // namespace

DnsBehaviour DnsBehaviour::answer(std::vector<std::string> addresses) {
    for (const auto& a : addresses) {
        std::array<unsigned char, sizeof(in6_addr)> buf{};
        if (inet_pton(AF_INET, a.c_str(), buf.data()) != 1 &&
            inet_pton(AF_INET6, a.c_str(), buf.data()) != 1)
            throw std::invalid_argument("not an IP address: " + a);
    }
    return {Kind::answer, std::move(addresses), {}};
}

DnsBehaviour DnsBehaviour::after(std::chrono::milliseconds d) const {
    DnsBehaviour b = *this;
    b.delay = d;
    return b;
}

DnsServer::DnsServer(DnsServerOptions options) : options_(std::move(options)) {
    stop_fd_ = eventfd(0, EFD_CLOEXEC);
    if (stop_fd_ < 0)
        throw sysError("eventfd");
    std::promise<uint16_t> ready;
    auto port = ready.get_future();
    // The socket is made on the serving thread: in a namespace, only that thread enters it.
    thread_ = std::thread([this, ready = std::move(ready)]() mutable {
        int sock = -1;
        try {
            if (!options_.netns.empty())
                enterNetns(options_.netns);
            auto [fd, bound] = bindUdp(options_.address, options_.port);
            sock = fd;
            ready.set_value(bound);
        } catch (...) {
            ready.set_exception(std::current_exception());
            return;
        }
        serve(sock);
        close(sock);
    });
    try {
        port_ = port.get();
    } catch (const std::exception& e) {
        thread_.join();
        close(stop_fd_);
        throw std::runtime_error(std::string("test DNS server: ") + e.what());
    }
}

DnsServer::~DnsServer() {
    const uint64_t one = 1;
    if (write(stop_fd_, &one, sizeof one) != sizeof one)
        std::terminate();
    thread_.join();
    close(stop_fd_);
}

std::string DnsServer::endpoint() const {
    const bool v6 = options_.address.find(':') != std::string::npos;
    const std::string port = std::to_string(port_);
    return v6 ? "[" + options_.address + "]:" + port : options_.address + ":" + port;
}

void DnsServer::on(const std::string& name, DnsBehaviour behaviour) {
    std::lock_guard lock(mu_);
    behaviours_[lower(name)] = std::move(behaviour);
}

void DnsServer::onUnknown(DnsBehaviour behaviour) {
    std::lock_guard lock(mu_);
    unknown_ = std::move(behaviour);
}

int DnsServer::queries(const std::string& name) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(lower(name));
    return it == counts_.end() ? 0 : it->second;
}

void DnsServer::serve(int sock) {
    std::vector<Delayed> delayed;
    std::array<unsigned char, 4096> buf{};
    for (;;) {
        int timeout = -1;
        if (!delayed.empty()) {
            auto next = std::min_element(delayed.begin(), delayed.end(),
                                         [](auto& x, auto& y) { return x.due < y.due; });
            auto left = std::chrono::ceil<std::chrono::milliseconds>(next->due - Clock::now());
            timeout = static_cast<int>(std::max<long long>(0, left.count()));
        }
        std::array<pollfd, 2> fds{pollfd{sock, POLLIN, 0}, pollfd{stop_fd_, POLLIN, 0}};
        if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR)
            return;
        if (fds[1].revents)
            return;
        if (fds[0].revents & POLLIN) {
            Delayed d{};
            d.peer_len = sizeof d.peer;
            const ssize_t n = recvfrom(sock, buf.data(), buf.size(), 0,
                                       reinterpret_cast<sockaddr*>(&d.peer), &d.peer_len);
            std::chrono::milliseconds delay{0};
            if (n > 0 && handle(buf.data(), static_cast<size_t>(n), d.bytes, delay)) {
                d.due = Clock::now() + delay;
                delayed.push_back(std::move(d));
            }
        }
        const auto now = Clock::now();
        for (auto it = delayed.begin(); it != delayed.end();) {
            if (it->due > now) {
                ++it;
                continue;
            }
            sendto(sock, it->bytes.data(), it->bytes.size(), 0,
                   reinterpret_cast<const sockaddr*>(&it->peer), it->peer_len);
            it = delayed.erase(it);
        }
    }
}

bool DnsServer::handle(const unsigned char* query, size_t len, Bytes& reply,
                       std::chrono::milliseconds& delay) {
    if (len < kHeaderSize || (query[2] & 0x80) != 0 || get16(query + 4) == 0)
        return false;
    // The question: its name through c-ares, then type and class.
    char* decoded = nullptr;
    long name_len = 0;
    if (ares_expand_name(query + kHeaderSize, query, static_cast<int>(len), &decoded, &name_len) !=
        ARES_SUCCESS)
        return false;
    const std::string name = lower(decoded);
    ares_free_string(decoded);
    const size_t question_end = kHeaderSize + static_cast<size_t>(name_len) + 4;
    if (question_end > len)
        return false;
    const uint16_t qtype = get16(query + question_end - 4);

    DnsBehaviour b;
    {
        std::lock_guard lock(mu_);
        ++counts_[name];
        auto it = behaviours_.find(name);
        b = it == behaviours_.end() ? unknown_ : it->second;
    }
    if (b.kind == DnsBehaviour::Kind::silent)
        return false;

    // Header and question as they came, then the flags and counts of an answer.
    reply.assign(query, query + question_end);
    reply[2] = static_cast<unsigned char>(0x80 | (query[2] & 0x78) | 0x04 | (query[2] & 0x01));
    reply[3] = static_cast<unsigned char>(0x80 | rcodeFor(b.kind));
    put16(reply, 4, 1);
    uint16_t answers = 0;
    for (const auto& a : b.addresses) {
        std::array<unsigned char, sizeof(in6_addr)> rdata{};
        if (qtype == ns_t_a && inet_pton(AF_INET, a.c_str(), rdata.data()) == 1) {
            appendRecord(reply, ns_t_a, rdata.data(), sizeof(in_addr));
            ++answers;
        } else if (qtype == ns_t_aaaa && inet_pton(AF_INET6, a.c_str(), rdata.data()) == 1) {
            appendRecord(reply, ns_t_aaaa, rdata.data(), sizeof(in6_addr));
            ++answers;
        }
    }
    put16(reply, 6, answers);
    put16(reply, 8, 0);
    put16(reply, 10, 0);
    delay = b.delay;
    return true;
}

}  // namespace dk::test
