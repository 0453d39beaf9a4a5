// A forwarding proxy for tests: it answers `CONNECT host:port` by opening a TCP
// connection to host:port and relaying bytes both ways until either side closes,
// as an HTTPS client expects of an HTTP proxy. Nothing else is served (other
// methods get 405), nothing is inspected, no credentials are asked for.
//
//   dk::test::ConnectProxy proxy({"10.198.4.80", 3128, lab.core().name()});
//   // config: [network] proxy = "http://10.198.4.80:3128"
//
// Like TestServer it binds inside a named network namespace when told to, serves
// each connection on a thread of its own, and stops promptly in its destructor
// even while tunnels are open. It never looks a name up (the test program's own
// resolver would ask this machine's name servers): a target is a numeric IPv4
// address or a name in `hosts`; anything else gets 502.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace dk::test {

struct ProxyOptions {
    std::string address = "127.0.0.1";           // numeric IPv4 address to bind
    std::uint16_t port = 0;                      // 0 = an ephemeral port
    std::string netns{};                         // bind inside /run/netns/<netns>; empty = here
    std::map<std::string, std::string> hosts{};  // name -> numeric IPv4 address, for targets
};

class ConnectProxy {
public:
    // Listens before it returns. Throws std::runtime_error when it cannot.
    explicit ConnectProxy(ProxyOptions options = {});
    ~ConnectProxy();
    ConnectProxy(const ConnectProxy&) = delete;
    ConnectProxy& operator=(const ConnectProxy&) = delete;

    std::uint16_t port() const;
    int tunnels() const;  // CONNECT requests answered with 200

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dk::test
