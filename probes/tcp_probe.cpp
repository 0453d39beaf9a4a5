#include "tcp_probe.h"

#include "platform/socket_api.h"
#include <curl/curl.h>

#include <cerrno>
#include <memory>
#include <system_error>

#include "probes/curl_handle.h"

namespace dk {

namespace {

struct Attempt {
    bool connected = false;
    Problem problem = Problem::tcp_error;
    std::string error;
    double ms = 0;
};

// One connect to one numeric address, bounded by `timeout_ms`.
Attempt connectTo(const std::string& address, std::uint16_t port, long long timeout_ms) {
    Attempt a;
    std::unique_ptr<CURL, EasyDeleter> h(curl_easy_init());
    if (!h) {
        a.error = "curl_easy_init failed";
        return a;
    }
    // A scoped IPv6 address (fe80::1%eth0) needs its '%' escaped inside a URL.
    std::string host = address;
    if (auto pct = host.find('%'); pct != std::string::npos)
        host.insert(pct + 1, "25");
    if (address.find(':') != std::string::npos)
        host = "[" + host + "]";
    const std::string url = "http://" + host + ":" + std::to_string(port) + "/";

    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.get(), CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(h.get(), CURLOPT_PROXY, "");  // a TCP check never goes through a proxy
    curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.get(), CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h.get(), CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);

    auto start = SteadyClock::now();
    CURLcode rc = curl_easy_perform(h.get());
    a.ms = msSince(start);
    if (rc == CURLE_OK) {
        curl_off_t connect_us = 0;
        curl_easy_getinfo(h.get(), CURLINFO_CONNECT_TIME_T, &connect_us);
        a.connected = true;
        a.ms = static_cast<double>(connect_us) / 1000.0;
        return a;
    }
    long os_errno = 0;
    curl_easy_getinfo(h.get(), CURLINFO_OS_ERRNO, &os_errno);
    a.problem = rc == CURLE_OPERATION_TIMEDOUT ? Problem::tcp_timeout : connectProblem(os_errno);
    a.error = os_errno != 0 ? std::system_category().message(static_cast<int>(os_errno))
                            : std::string(*errbuf ? errbuf : curl_easy_strerror(rc));
    return a;
}

}  // namespace

Problem connectProblem(long os_errno) {
    switch (os_errno) {
        case ECONNREFUSED:
            return Problem::tcp_refused;
        case ETIMEDOUT:
            return Problem::tcp_timeout;
        case ENETUNREACH:
        case EHOSTUNREACH:
        case ENETDOWN:
        case EHOSTDOWN:
        case EADDRNOTAVAIL:
            return Problem::tcp_unreachable;
        default:
            return Problem::tcp_error;
    }
}

const char* addressFamily(const std::string& address) {
    return address.find(':') != std::string::npos ? "ipv6" : "ipv4";
}

TcpProbe::TcpProbe(std::string host, std::uint16_t port, Resolver& resolver)
    : host_(std::move(host)), port_(port), resolver_(resolver) {}

void TcpProbe::execute(const Deadline& deadline, ProbeResult& out) {
    initCurl();
    out.evidence["host"] = host_;
    out.evidence["port"] = port_;

    std::vector<std::string> addresses;
    unsigned char buf[16];
    if (inet_pton(AF_INET, host_.c_str(), buf) == 1 ||
        inet_pton(AF_INET6, host_.c_str(), buf) == 1) {
        addresses.push_back(host_);
    } else {
        auto start = SteadyClock::now();
        ResolveResult rr = resolver_.resolve(host_, deadline);
        out.timings_ms["dns"] = msSince(start);
        out.evidence["dns"] = {{"addresses", rr.addresses}};
        if (!rr.ok) {
            out.failWith(rr.problem, rr.error);
            out.definite = rr.answered;
            return;
        }
        if (rr.addresses.empty()) {
            out.failWith(Problem::dns_no_data, host_ + " has no address");
            return;
        }
        addresses = rr.addresses;
    }

    Json attempts = Json::array();
    bool all_refused = true;  // every address refused at once: an answer, not silence
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const long long share =
            deadline.remainingMs() / static_cast<long long>(addresses.size() - i);
        if (share <= 0)
            break;
        Attempt a = connectTo(addresses[i], port_, share);
        Json entry = {
            {"address", addresses[i]}, {"family", addressFamily(addresses[i])}, {"ms", a.ms}};
        if (!a.connected)
            entry["error"] = a.error;
        attempts.push_back(entry);
        if (a.connected) {
            out.evidence["attempts"] = attempts;
            out.evidence["address"] = addresses[i];
            out.evidence["family"] = addressFamily(addresses[i]);
            out.timings_ms["connect"] = a.ms;
            out.status = Status::pass;
            return;
        }
        out.failWith(a.problem, addresses[i] + ": " + a.error);
        all_refused = all_refused && a.problem == Problem::tcp_refused;
    }
    out.evidence["attempts"] = attempts;
    out.definite = !attempts.empty() && all_refused;
    if (attempts.empty())
        out.failWith(Problem::deadline_exceeded, "no time left to connect");
}

}  // namespace dk
