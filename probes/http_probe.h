// Routine steps 2 and 3 at the wire: does a system's page answer, correctly and
// in time? One attempt walks DNS → TCP → TLS → HTTP status → page content and
// times every phase.
//
// How it talks to the network:
//   - Names are resolved by the Resolver it is given, never by curl (curl's
//     threaded resolver can block on cleanup): the addresses reach curl through
//     CURLOPT_RESOLVE, for the target and for the proxy. IP literals need no lookup.
//   - Redirects are followed by the probe itself, hop by hop, so that every host is
//     resolved the same way; each hop is recorded, a repeated URL or more than
//     `max_redirects` hops end the attempt.
//   - Nothing is cached between attempts: a fresh easy handle per request, fresh
//     connections, no DNS or CA cache.
//   - No credentials ever: none from the URL, the proxy URL, .netrc or cookies.
//   - The proxy is decided by chooseProxy() (proxy.h) and set explicitly.
//   - The page is read up to `body_limit` only to search for texts. Page content
//     never enters the evidence (it may hold patient data).
//
// Evidence describes the final request; `redirects` lists the hops before it:
//   system, url, proxy {url, source, reason}, dns {host, addresses},
//   proxy_dns {host, addresses}, address, port, family ("ipv4"/"ipv6"),
//   http_version, status_code, redirects [{url, status, location}], redirect_loop,
//   content_type, body_bytes, body_truncated, maintenance_text_found,
//   expected_text_found, date_header, headers_received_unix_ms,
//   tls {verified, verify_result, error_depth, subject, issuer, not_before,
//   not_after, days_to_expiry, hostname_match, ca_file_error}, os_error,
//   curl_code, slow_threshold_ms.
//   URLs in the evidence have no credentials, query or fragment.
// Timings (ms, summed over the hops): dns (our own lookups), connect (TCP),
// tls (handshake), first_byte (request sent → first byte of the answer), total
// (the whole attempt, wall clock).
// Problems: the resolver's dns_*; tcp_refused/timeout/unreachable/error;
// tls_timeout (stalled before the handshake finished), tls_cert_expired,
// tls_cert_not_yet_valid, tls_cert_untrusted, tls_hostname_mismatch,
// tls_handshake_failed; http_timeout (stalled after connecting), http_server_error
// (5xx), http_client_error (4xx), http_unexpected_status, http_maintenance_page,
// http_expected_text_missing, http_too_many_redirects; proxy_error; http_error
// (anything else: see `error`); deadline_exceeded (no time left to start);
// not_configured (not_run: no URL). Warnings on a pass: slow, tls_cert_expiring.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "probe.h"
#include "proxy.h"
#include "resolver.h"

namespace dk {

inline constexpr std::size_t kDefaultBodyLimit = 512 * 1024;  // bytes searched for texts
inline constexpr int kDefaultMaxRedirects = 10;

// Evidence keys that other probes read (the clock check).
inline constexpr const char* kEvidenceSystem = "system";
inline constexpr const char* kEvidenceDateHeader = "date_header";
inline constexpr const char* kEvidenceHeadersReceivedMs = "headers_received_unix_ms";

struct HttpOptions {
    std::string system;                         // the system's id, for the evidence: "tes"
    std::string url;                            // http(s) URL to request
    std::vector<int> accept_status;             // accepted final status codes; empty = 200-299
    std::string expect_text;                    // the page must contain this (case-insensitive)
    std::vector<std::string> maintenance_text;  // any of these marks a maintenance page
                                                // (case-insensitive, å/ä/ö included)
    Millis slow{1500};                          // a pass slower than this is a `slow` warning
    Millis timeout{3000};                       // the attempt's own limit, within the deadline
    bool follow_redirects = true;
    int max_redirects = kDefaultMaxRedirects;
    ProxySettings proxy;                           // explicit proxy/no_proxy; empty = environment
    EnvLookup environment = processEnvironment();  // where proxy variables are read
    std::string ca_file;             // extra trusted CA certificates (PEM), added to the
                                     // system's; for internal certificates
    int cert_expiry_warn_days = 14;  // a certificate expiring sooner is a warning
    std::size_t body_limit = kDefaultBodyLimit;
    // For a caller that needs the document itself (the maintenance feed): called
    // with the final answer's body (at most body_limit bytes) and whether it was cut
    // off, when the answer passed. Never used for the systems' pages.
    std::function<void(const std::string& body, bool truncated)> on_body;
};

class HttpProbe final : public Probe {
public:
    HttpProbe(HttpOptions options, Resolver& resolver);

protected:
    void execute(const Deadline& deadline, ProbeResult& out) override;

private:
    struct Hop;
    // One request to `url`. False when it failed (the failure is already in `out`).
    bool request(const std::string& url, const Deadline& attempt, bool first, Hop& hop,
                 ProbeResult& out);
    // Judges the final answer: status, maintenance text, expected text.
    void judgeAnswer(const Hop& hop, ProbeResult& out) const;

    HttpOptions options_;
    Resolver& resolver_;
};

// Lower-cases ASCII and the Latin-1 letters À–Þ (Å Ä Ö É Ü ...) of UTF-8 text, so
// that "UNDERHÅLL" and "underhåll" compare equal. Other bytes are left as they are.
std::string foldCase(std::string_view utf8);

// The page as the texts are searched in it: a body whose `content_type` declares
// charset ISO-8859-1, ISO-8859-15, latin1 or windows-1252 is converted to UTF-8 byte
// by byte; any other body is returned as it is.
std::string bodyAsUtf8(const std::string& body, const std::string& content_type);

}  // namespace dk
