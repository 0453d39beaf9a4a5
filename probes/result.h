// The value every probe returns. Nothing escapes a probe as an exception:
// a probe that cannot do its work says so in its result.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dk {

using Json = nlohmann::ordered_json;

// The JSON text of `j` (`indent` -1: one line). Text from servers (headers, pages)
// may hold bytes that are not UTF-8: they become U+FFFD instead of an exception,
// so a report is always written whole.
inline std::string jsonText(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// The outcome of one check. "Could not run" is not "failed".
enum class Status {
    pass,     // the check did what it should
    warn,     // it worked, but something is off (slow, only sometimes, cert expiring soon)
    fail,     // it did not work
    not_run,  // it was not attempted (not configured, or a prerequisite failed)
};

std::string_view to_string(Status s);

// Problem codes. Stable identifiers: they appear in the JSON report and in IT tooling.
enum class Problem {
    // link
    no_interfaces,  // no network interface other than loopback exists
    no_carrier,     // interfaces exist but none has link (cable out, Wi-Fi off)
    // address
    no_address,       // link up, but no usable IPv4/IPv6 address
    link_local_only,  // only 169.254.x.x / fe80:: addresses: DHCP did not answer
    // gateway
    no_default_route,     // the routing table has no default route
    gateway_unreachable,  // the default gateway does not answer (neighbour FAILED, no echo reply)
    gateway_unverified,   // neither the neighbour table nor ICMP could tell whether it answers
    gateway_silent,       // no echo reply, and the neighbour entry is not confirmed lately
    // dns
    no_dns_servers,  // no name server is configured
    dns_nxdomain,    // the name does not exist (NXDOMAIN)
    dns_no_data,     // the name exists but has no address record
    dns_servfail,    // the server failed to answer (SERVFAIL)
    dns_refused,     // the server refused the query (REFUSED)
    dns_timeout,     // the server did not answer in time (silence)
    dns_error,       // any other resolver error (see the error text)
    dns_slow,        // answered, but slower than the threshold
    // tcp
    tcp_refused,      // connection refused (RST): host up, nothing listening
    tcp_timeout,      // no answer to the connection attempt (black hole)
    tcp_unreachable,  // host or network unreachable (ICMP error / no route)
    tcp_error,        // any other connect error
    // tls
    tls_timeout,             // the TLS handshake did not finish in time
    tls_handshake_failed,    // the TLS handshake failed for a reason other than the certificate
    tls_cert_expired,        // the server certificate has expired
    tls_cert_not_yet_valid,  // the certificate is not valid yet (often: the local clock is wrong)
    tls_cert_untrusted,      // the certificate chain is not trusted
    tls_hostname_mismatch,   // the certificate does not name this host
    tls_cert_expiring,       // the certificate expires soon (warning)
    // http
    http_timeout,                // connected, but no complete answer in time (stalled server)
    http_server_error,           // status 5xx
    http_client_error,           // status 4xx (other than the accepted ones)
    http_unexpected_status,      // any other status outside the accepted list
    http_expected_text_missing,  // the page loaded but lacks the expected text
    http_maintenance_page,       // the page says the system is under maintenance
    http_too_many_redirects,     // the redirect chain did not end
    http_error,                  // any other transfer error (see the error text)
    proxy_error,                 // the proxy refused or failed the request
    slow,                        // worked, but slower than the system's threshold
    intermittent,                // failed once, then worked on the confirmation re-probe
    // clock
    clock_skew,          // the local clock differs from the server's Date header
    clock_no_reference,  // no usable Date header to compare against
    // general
    not_configured,        // the endpoint is not set in the configuration
    skipped_prerequisite,  // not attempted because a check it depends on failed
    deadline_exceeded,     // the run's deadline came before the check finished
    internal_error,        // a bug or unexpected exception inside driftkoll
};

std::string_view to_string(Problem p);

// One attempt of one probe. A check may hold several (the confirmation re-probe).
struct ProbeResult {
    Status status = Status::not_run;
    std::vector<Problem> problems;
    std::string error;                         // the exact error, as the lower layer said it
    Json evidence = Json::object();            // probe-specific facts (addresses, codes, ...)
    std::map<std::string, double> timings_ms;  // phase -> milliseconds (dns, connect, tls, ...)
    std::string started_at;                    // ISO 8601 UTC with milliseconds
    double duration_ms = 0;
    // A failure that came as an answer at once, not as silence: a refusal (TCP RST,
    // ICMP port unreachable, ECONNREFUSED on a name server's socket) or a name
    // server's error reply. One immediate re-probe confirms it; only silence waits.
    bool definite = false;

    bool has(Problem p) const;
    void add(Problem p);
    // Convenience for probes: set status fail, add the problem and the error text.
    void failWith(Problem p, std::string err);
};

Json to_json(const ProbeResult& r);

}  // namespace dk
