// Routine step 2 at its lowest layer: can this computer open a TCP connection to
// host:port? For systems configured as host + port (no URL).
//
// The host's addresses come from the Resolver it is given (an IP literal needs no
// lookup). They are tried in the resolver's order until one connects or the
// deadline comes; each gets an equal share of the time left, so that a black-holed
// first address cannot use up the time of a working second one. The connect goes
// through libcurl (CURLOPT_CONNECT_ONLY on the numeric address, no proxy): no
// socket code of our own, and the same error reporting as the HTTP probe.
//
// Evidence: host, port, dns {addresses} (after a lookup), attempts [{address,
// family, ms, error}], and address/family of the connection made.
// Timings: dns (after a lookup), connect (of the connection made).
// Problems: tcp_refused, tcp_timeout, tcp_unreachable, tcp_error (each distinct
// failure among the attempts, in order), or the resolver's dns_* code.
#pragma once

#include <cstdint>
#include <string>

#include "probe.h"
#include "resolver.h"

namespace dk {

class TcpProbe final : public Probe {
public:
    TcpProbe(std::string host, std::uint16_t port, Resolver& resolver);

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    std::string host_;
    std::uint16_t port_;
    Resolver& resolver_;
};

// The problem code for the errno of a failed connect(): ECONNREFUSED → tcp_refused,
// ETIMEDOUT → tcp_timeout, no route / network down → tcp_unreachable, else tcp_error.
Problem connectProblem(long os_errno);

// "ipv6" for a textual IPv6 address, "ipv4" otherwise.
const char* addressFamily(const std::string& address);

}  // namespace dk
