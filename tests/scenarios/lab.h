// A small municipal network in network namespaces, for the scenario harness:
// a workstation, a router with its default gateway, and a core network behind the
// router's uplink with the name server (dnsmasq from Debian), the HTTPS servers of
// TES, the TES-app backend, the intranet, another business system, two outside
// sites, and a web proxy. Certificates come from the test CA (tests/support/certs.h).
//
//   workstation (ws)           router                            core
//   eth0 10.198.0.2/24 ─veth─ gw0 10.198.0.1/24
//   default via 10.198.0.1    up0 10.198.9.1/30 ─── veth ─── dn0 10.198.9.2/30
//   resolv.conf 10.198.3.53   forwards, default via .9.2      lo: 10.198.3.53  dnsmasq
//                                                                 10.198.3.54  upstream DNS
//                                                                 10.198.1.10  tes.kommun.test
//                                                                 10.198.1.11  tesapp.kommun.test
//                                                                 10.198.1.12  intranet.kommun.test
//                                                                 10.198.1.13  journal.kommun.test
//                                                                 10.198.2.10  www.na.test
//                                                                 10.198.2.11  www.orebro.test
//                                                                 10.198.4.80
//                                                                 proxy.kommun.test:3128
//
// dnsmasq answers every name itself (--address and --local: its IPv4 address, and
// no data for AAAA), without a cache, so each run sees the name server as it is
// now. Names can be switched to NXDOMAIN or to forwarding to the upstream DNS
// server (tests/support/dns_server.h, which can delay or fail), and dnsmasq can be
// stopped.
//
// The lab starts healthy; a scenario breaks one thing through the fault methods
// and then runs `driftkoll check --json --at …` in the workstation (check()).
// Everything is torn down by the destructor, also when a scenario fails.
// Needs root; the namespaces are dk::test::NetNs (named after the test's pid), so
// labs of test programs running side by side never meet.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/certs.h"
#include "tests/support/connect_proxy.h"
#include "tests/support/dns_server.h"
#include "tests/support/netns.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tls_server.h"

namespace dk::scenarios {

using Json = nlohmann::json;

// One configured system and the server standing in for it.
struct Site {
    const char* id;
    const char* name;
    const char* role;  // primary | business | internal | outside
    const char* host;
    const char* address;
};

// TES, the TES-app backend, the intranet, another business system, two outside sites.
extern const std::vector<Site> kSites;

// The deadlines of a run's configuration: the whole run, and per system.
struct Timing {
    std::chrono::milliseconds run{2500};
    std::chrono::milliseconds system_timeout{2000};
};
// Every scenario's, unless its row says otherwise: short, so that the whole table
// runs quickly, and long enough for one slow answer.
constexpr Timing kDefaultTiming{};
// The threshold above which a system that answers is slow; the same for every row.
constexpr std::chrono::milliseconds kSystemSlow{800};

// Who uses the workstation (`organisation` in the configuration).
enum class Organisation { municipal, external_provider };

// How dnsmasq answers a name.
enum class DnsAnswer {
    address,   // the site's address (the default)
    nxdomain,  // NXDOMAIN: the name does not exist
    upstream,  // forwarded to the upstream server, which answers as upstream() says
};

// One `driftkoll check` in the workstation.
struct CheckRun {
    Json report;  // the parsed --json output; null when it did not parse
    dk::test::ProcessResult process;
};

class Lab {
public:
    // Builds the network, starts dnsmasq, the servers and the proxy. Throws
    // std::runtime_error when something cannot be set up.
    Lab();
    ~Lab();
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;

    dk::test::NetNs& ws() { return ws_; }
    dk::test::NetNs& router() { return router_; }
    dk::test::NetNs& core() { return core_; }

    // --- faults -------------------------------------------------------------

    // The workstation's cable is out: the router's end of the link goes down.
    void pullCable();
    // The router drops everything that reaches its LAN port, ARP included.
    void silenceGateway();
    // The gateway answered a moment ago, then went silent: the workstation's
    // neighbour entry for it is stale (it keeps the learnt link address), and the
    // router drops everything from the LAN, ARP included.
    void silenceGatewayAfterItAnswered();
    // The router answers ARP and forwards, but drops ICMP echo requests to itself.
    void gatewayFiltersPing();
    // The router forwards nothing: everything beyond the gateway is a black hole.
    void dropBeyondGateway();
    // The uplink loses the first packet of every flow from the workstation: each
    // connection's SYN, each resolver socket's first query. Retransmissions pass.
    // Loss with a fixed pattern, so that every run sees the same evidence (random
    // loss, with netem or nftables' numgen, gives a different verdict per run: a
    // run where no probe happens to lose a packet is rightly all_ok).
    void uplinkLoss();
    // The core drops every packet it receives that matches `match`, an nftables
    // match such as "ip daddr 10.198.1.0/24" or "ip daddr 10.198.3.53 udp dport 53".
    void blackHole(const std::string& match);

    // The server standing in for system `id`, to change its replies or mode.
    dk::test::TestServer& server(const std::string& id);
    // Stops the server of `id`: its address stays, so connections are refused (RST).
    void stopServer(const std::string& id);
    // Serves `id` with another certificate from now on.
    void replaceServer(const std::string& id, const dk::test::CertFiles& cert);
    // Every server's Date header says this time from now on.
    void setServerDate(std::chrono::system_clock::time_point date);

    // dnsmasq answers `host` this way from now on (dnsmasq is restarted).
    void dnsAnswer(const std::string& host, DnsAnswer how);
    // dnsmasq is gone: every query gets ICMP port unreachable from the name
    // server's host.
    void stopDns();
    // The upstream DNS server that names set to DnsAnswer::upstream are forwarded to.
    // It answers every site's name with its address until told otherwise.
    dk::test::DnsServer& upstream() { return *upstream_; }

    // The network requires the proxy for the outside sites: the core drops what the
    // workstation sends to them directly. Only the proxy reaches them.
    void requireProxyForOutside();
    // The workstation's configuration names the proxy (outside sites go through it,
    // the municipality's own names do not).
    void configureProxy();
    // The proxy server is gone: its port refuses connections.
    void stopProxy();
    int proxyTunnels() const;

    // TOML appended to the configuration (maintenance windows, other settings).
    void addConfig(const std::string& toml) { extra_config_ += toml; }

    // --- runs ---------------------------------------------------------------

    // Writes the configuration for `org` with the deadlines of `timing` and runs
    // `driftkoll check --json --at AT` in the workstation, in a clean environment
    // (no proxy variables from the machine running the tests, state and cache
    // inside the lab). Safe to call from several threads at once: each call writes
    // a configuration file of its own, and a run with --at never changes the
    // incident the runs share.
    CheckRun check(const std::string& at, Organisation org, const Timing& timing = kDefaultTiming);

    // Where the lab keeps its files (configuration, state, logs).
    std::string dir() const { return dir_.str(); }

private:
    void startDns();
    std::string writeConfig(Organisation org, const Timing& timing);

    dk::test::NetNs ws_, router_, core_;
    dk::test::TempDir dir_{"scenario"};
    std::string etc_;  // /etc/netns/<ws>: the workstation's resolv.conf
    std::unique_ptr<dk::test::DnsServer> upstream_;
    std::unique_ptr<dk::test::Spawned> dnsmasq_;
    std::map<std::string, DnsAnswer> dns_answers_;
    std::map<std::string, std::unique_ptr<dk::test::TestServer>> servers_;
    std::unique_ptr<dk::test::ConnectProxy> proxy_;
    bool proxy_configured_ = false;
    bool nft_core_ = false;
    bool nft_router_ = false;
    std::string extra_config_;
    std::atomic<int> configs_written_{0};
};

// True when dnsmasq is installed (scripts/setup.sh installs it); else `why` says so.
bool dnsmasqAvailable(std::string* why);

}  // namespace dk::scenarios
