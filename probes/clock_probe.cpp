#include "clock_probe.h"

#include <curl/curl.h>

#include <cmath>
#include <ctime>

#include "http_probe.h"

namespace dk {

namespace {

// ISO 8601 UTC with milliseconds: 2026-11-25T12:00:00.123Z
std::string isoUtc(long long unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf) + "." + std::to_string(1000 + unix_ms % 1000).substr(1) + "Z";
}

}  // namespace

ClockProbe::ClockProbe(const ProbeResult& reference_http_attempt, std::chrono::seconds warn,
                       std::chrono::seconds fail)
    : warn_(warn), fail_(fail) {
    const Json& ev = reference_http_attempt.evidence;
    system_ = ev.value(kEvidenceSystem, "");
    date_header_ = ev.value(kEvidenceDateHeader, "");
    received_unix_ms_ = ev.value(kEvidenceHeadersReceivedMs, 0LL);
}

void ClockProbe::execute(const Deadline&, ProbeResult& out) {
    out.evidence["system"] = system_;
    if (date_header_.empty() || received_unix_ms_ <= 0) {
        out.add(Problem::clock_no_reference);
        out.error = "the reference answer has no Date header";
        return;
    }
    out.evidence["date_header"] = date_header_;
    const std::time_t server = curl_getdate(date_header_.c_str(), nullptr);
    if (server == -1) {
        out.add(Problem::clock_no_reference);
        out.error = "the Date header cannot be parsed";
        return;
    }
    // The header has whole seconds, so a correct clock shows up to 1 s of skew.
    const double skew =
        (static_cast<double>(server) * 1000.0 - static_cast<double>(received_unix_ms_)) / 1000.0;
    out.evidence["server_time"] = isoUtc(static_cast<long long>(server) * 1000);
    out.evidence["local_time"] = isoUtc(received_unix_ms_);
    out.evidence["skew_seconds"] = skew;
    out.evidence["warn_seconds"] = warn_.count();
    out.evidence["fail_seconds"] = fail_.count();

    const double off = std::abs(skew);
    const std::string text = "the local clock differs from " + system_ + " by " +
                             std::to_string(std::lround(off)) + " s";
    if (off > static_cast<double>(fail_.count())) {
        out.failWith(Problem::clock_skew, text);
    } else if (off > static_cast<double>(warn_.count())) {
        out.status = Status::warn;
        out.add(Problem::clock_skew);
        out.error = text;
    } else {
        out.status = Status::pass;
    }
}

}  // namespace dk
