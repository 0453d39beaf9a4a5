#include "result.h"

#include <algorithm>

namespace dk {

std::string_view to_string(Status s) {
    switch (s) {
        case Status::pass:
            return "pass";
        case Status::warn:
            return "warn";
        case Status::fail:
            return "fail";
        case Status::not_run:
            return "not_run";
    }
    return "not_run";
}

std::string_view to_string(Problem p) {
    switch (p) {
#define DK_PROBLEM(name) \
    case Problem::name:  \
        return #name;
        DK_PROBLEM(no_interfaces)
        DK_PROBLEM(no_carrier)
        DK_PROBLEM(no_address)
        DK_PROBLEM(link_local_only)
        DK_PROBLEM(no_default_route)
        DK_PROBLEM(gateway_unreachable)
        DK_PROBLEM(gateway_unverified)
        DK_PROBLEM(gateway_silent)
        DK_PROBLEM(no_dns_servers)
        DK_PROBLEM(dns_nxdomain)
        DK_PROBLEM(dns_no_data)
        DK_PROBLEM(dns_servfail)
        DK_PROBLEM(dns_refused)
        DK_PROBLEM(dns_timeout)
        DK_PROBLEM(dns_error)
        DK_PROBLEM(dns_slow)
        DK_PROBLEM(tcp_refused)
        DK_PROBLEM(tcp_timeout)
        DK_PROBLEM(tcp_unreachable)
        DK_PROBLEM(tcp_error)
        DK_PROBLEM(tls_timeout)
        DK_PROBLEM(tls_handshake_failed)
        DK_PROBLEM(tls_cert_expired)
        DK_PROBLEM(tls_cert_not_yet_valid)
        DK_PROBLEM(tls_cert_untrusted)
        DK_PROBLEM(tls_hostname_mismatch)
        DK_PROBLEM(tls_cert_expiring)
        DK_PROBLEM(http_timeout)
        DK_PROBLEM(http_server_error)
        DK_PROBLEM(http_client_error)
        DK_PROBLEM(http_unexpected_status)
        DK_PROBLEM(http_expected_text_missing)
        DK_PROBLEM(http_maintenance_page)
        DK_PROBLEM(http_too_many_redirects)
        DK_PROBLEM(http_error)
        DK_PROBLEM(proxy_error)
        DK_PROBLEM(slow)
        DK_PROBLEM(intermittent)
        DK_PROBLEM(clock_skew)
        DK_PROBLEM(clock_no_reference)
        DK_PROBLEM(not_configured)
        DK_PROBLEM(skipped_prerequisite)
        DK_PROBLEM(deadline_exceeded)
        DK_PROBLEM(internal_error)
#undef DK_PROBLEM
    }
    return "internal_error";
}

bool ProbeResult::has(Problem p) const {
    return std::find(problems.begin(), problems.end(), p) != problems.end();
}

void ProbeResult::add(Problem p) {
    if (!has(p))
        problems.push_back(p);
}

void ProbeResult::failWith(Problem p, std::string err) {
    status = Status::fail;
    add(p);
    if (!err.empty()) {
        if (!error.empty())
            error += "; ";
        error += err;
    }
}

Json to_json(const ProbeResult& r) {
    Json j;
    j["status"] = std::string(to_string(r.status));
    Json probs = Json::array();
    for (auto p : r.problems) probs.push_back(std::string(to_string(p)));
    j["problems"] = probs;
    if (!r.error.empty())
        j["error"] = r.error;
    j["started_at"] = r.started_at;
    j["duration_ms"] = r.duration_ms;
    Json t = Json::object();
    for (const auto& [k, v] : r.timings_ms) t[k] = v;
    j["timings_ms"] = t;
    j["evidence"] = r.evidence;
    return j;
}

}  // namespace dk
