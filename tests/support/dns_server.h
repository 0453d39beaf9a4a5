// A DNS server for tests: a real UDP socket served by a thread of its own, that
// answers each name the way the test says and counts the queries it gets.
//
//   dk::test::DnsServer dns;                         // 127.0.0.1, an ephemeral port
//   dns.on("tes.example.se", DnsBehaviour::answer({"10.1.2.3", "2001:db8::3"}));
//   dns.on("slow.example.se", DnsBehaviour::answer({"10.1.2.4"}).after(300ms));
//   DnsProbe probe("tes.example.se", resolver, {dns.endpoint()}, 800ms);
//
// Unknown names get NXDOMAIN unless onUnknown() says otherwise. UDP only: the
// server never truncates an answer, so no client has a reason to retry over TCP.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dk::test {

// What the server does with the queries for one name.
struct DnsBehaviour {
    enum class Kind {
        answer,    // NOERROR with the addresses of the asked type (none of it: NODATA)
        nxdomain,  // NXDOMAIN
        servfail,  // SERVFAIL
        refused,   // REFUSED
        silent,    // never answers
    };
    Kind kind = Kind::nxdomain;
    std::vector<std::string> addresses;  // for `answer`: IPv4 ones answer A, IPv6 ones AAAA
    std::chrono::milliseconds delay{0};  // how long to wait before replying

    // Throws std::invalid_argument for a string that is not an IP address.
    static DnsBehaviour answer(std::vector<std::string> addresses);
    static DnsBehaviour nxdomain() { return {Kind::nxdomain, {}, {}}; }
    static DnsBehaviour servfail() { return {Kind::servfail, {}, {}}; }
    static DnsBehaviour refused() { return {Kind::refused, {}, {}}; }
    static DnsBehaviour silent() { return {Kind::silent, {}, {}}; }

    // The same reply, sent `d` after the query came (other queries are not held up).
    DnsBehaviour after(std::chrono::milliseconds d) const;
};

struct DnsServerOptions {
    std::string address = "127.0.0.1";  // an IPv4 or IPv6 literal
    uint16_t port = 0;                  // 0: an ephemeral port; see DnsServer::port()
    std::string netns;                  // when set, serve inside /run/netns/<netns>
};

class DnsServer {
public:
    // Binds and starts serving. Throws std::runtime_error when it cannot (no such
    // namespace, address in use, ...).
    explicit DnsServer(DnsServerOptions options = {});
    // Stops the thread and closes the socket.
    ~DnsServer();
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    uint16_t port() const { return port_; }
    // "127.0.0.1:40123" or "[::1]:40123": a server as DnsProbe takes it.
    std::string endpoint() const;

    // Names are matched without regard to case, without a trailing dot.
    void on(const std::string& name, DnsBehaviour behaviour);
    void onUnknown(DnsBehaviour behaviour);
    // How many queries (of any type) came for `name`.
    int queries(const std::string& name) const;

private:
    void serve(int sock);
    // Counts the query and builds its reply; false when there is nothing to send.
    bool handle(const unsigned char* query, size_t len, std::vector<unsigned char>& reply,
                std::chrono::milliseconds& delay);

    DnsServerOptions options_;
    uint16_t port_ = 0;
    int stop_fd_ = -1;  // an eventfd that wakes the serving thread to stop
    std::thread thread_;

    mutable std::mutex mu_;
    std::map<std::string, DnsBehaviour> behaviours_;
    DnsBehaviour unknown_ = DnsBehaviour::nxdomain();
    std::map<std::string, int> counts_;
};

}  // namespace dk::test
