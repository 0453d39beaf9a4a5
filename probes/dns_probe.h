// Name resolution: step 1 "DNS servers configured", and one check per host that
// compares what the system resolver answers with what each name server says when
// asked directly. c-ares reads the configuration and asks the servers; it builds
// and parses every DNS packet.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deadline.h"
#include "probe.h"
#include "resolver.h"

namespace dk {

// The name servers this computer uses, as c-ares reads them from /etc/resolv.conf:
// "192.0.2.53" or "2001:db8::53", and with a port other than 53 "192.0.2.53:5353"
// or "[2001:db8::53]:5353" (the forms DnsProbe takes). On failure: an empty list
// and the reason in *error. Like the system resolver, c-ares falls back to
// 127.0.0.1 when the file names no server, so that is what comes back then.
std::vector<std::string> systemNameServers(std::string* error);
// The same, from another file in resolv.conf format.
std::vector<std::string> nameServersFromFile(const std::string& path, std::string* error);

// How one name server answered.
enum class ServerOutcome {
    addresses,  // at least one address
    nxdomain,   // NXDOMAIN: the name does not exist
    no_data,    // the name exists but has no record of the type asked for
    servfail,   // SERVFAIL: the server could not answer
    refused,    // REFUSED: the server will not answer us
    timeout,    // no answer in time (silence)
    connection_refused,  // the server's host refused the port (ICMP port unreachable)
    error,      // anything else; the error text says what
};

std::string_view to_string(ServerOutcome o);

// One query (A or AAAA) to one server.
struct QueryAnswer {
    ServerOutcome outcome = ServerOutcome::timeout;
    std::vector<std::string> addresses;
    std::string error;  // c-ares's words (ares_strerror), or why we stopped waiting
    double ms = 0;
};

// One server's answers for one name.
struct ServerAnswer {
    std::string server;  // as given
    QueryAnswer a;
    QueryAnswer aaaa;

    // The server's verdict on the name: `addresses` when either query gave one;
    // otherwise a failure of either query rather than NXDOMAIN or NODATA — a
    // definite one (SERVFAIL, REFUSED, an error) rather than a timeout; otherwise
    // the A answer's.
    ServerOutcome outcome() const;
};

// Asks every server for the A and AAAA records of `host`, all at once, up to three
// tries each within the deadline (no search domains), and returns by the deadline: a server still silent then is
// a `timeout`. The answers come in the order of `servers`.
std::vector<ServerAnswer> queryNameServers(const std::string& host,
                                           const std::vector<std::string>& servers,
                                           const Deadline& deadline);

// Step 1 "DNS servers configured". Fails with no_dns_servers when the list is empty.
class DnsServersProbe final : public Probe {
public:
    explicit DnsServersProbe(std::vector<std::string> servers) : servers_(std::move(servers)) {}

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    std::vector<std::string> servers_;
};

// Resolves `host` through `system` (what applications see) and, at the same time,
// asks each of `servers` directly.
//   pass: the system resolver answered in time;
//   warn: it answered, but slower than `slow_threshold` (dns_slow), or some servers
//         gave no address (their codes, e.g. dns_timeout, and the servers named);
//   fail: it did not answer. The code comes from the servers when they all agree
//         (all NXDOMAIN: dns_nxdomain, all silent: dns_timeout, ...), otherwise
//         from the system resolver.
// An IP address as `host` needs no resolving and passes.
class DnsProbe final : public Probe {
public:
    DnsProbe(std::string host, Resolver& system, std::vector<std::string> servers,
             Millis slow_threshold)
        : host_(std::move(host)),
          system_(system),
          servers_(std::move(servers)),
          slow_threshold_(slow_threshold) {}

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    std::string host_;
    Resolver& system_;
    std::vector<std::string> servers_;
    Millis slow_threshold_;
};

}  // namespace dk
