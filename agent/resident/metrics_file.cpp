#include <charconv>
#include <cmath>

#include "agent/os/files.h"
#include "agent/resident/metrics.h"
#include "agent/resident/metrics_exposition.h"

namespace dk {

namespace metrics {

std::string escapeLabelValue(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string formatValue(double v) {
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

void upFamily(Exposition& e, bool up) {
    e.gauge("driftkoll_up", "1 while the agent runs, 0 once it has stopped cleanly.");
    e.sample(up ? 1 : 0);
}

}  // namespace metrics

std::string stoppedMetricsText(const MetricsLabels& labels) {
    metrics::Exposition e(labels);
    metrics::upFamily(e, false);
    return e.take();
}

bool writeTextfile(const std::string& path, const std::string& text, std::string* err) {
    // 0644: the collector may run as another user. The temporary is not named
    // *.prom, so the collector never reads a half-written file.
    std::string why;
    if (writeFileAtomic(path, text, 0644, &why))
        return true;
    if (err)
        *err = "cannot write the metrics file " + path + ": " + why;
    return false;
}

}  // namespace dk
