// The exposition format's writing, shared by the metrics of a run (metrics.cpp,
// in the check) and the resident agent's "stopped" file (metrics_file.cpp).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "agent/resident/metrics.h"

namespace dk::metrics {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// A label value in the exposition format: backslash, double quote and line feed
// are escaped; everything else (UTF-8 included) is written as it is.
std::string escapeLabelValue(std::string_view v);

// The shortest text that reads back as the same double; the exposition format's
// spellings for the values that are not numbers.
std::string formatValue(double v);

// Builds the exposition text one metric family at a time: a family's samples
// follow its HELP and TYPE lines without interruption, and a family without
// samples is left out. Every sample gets the workstation's labels first.
class Exposition {
public:
    explicit Exposition(const MetricsLabels& labels)
        : base_("site=\"" + escapeLabelValue(labels.site) + "\",host=\"" +
                escapeLabelValue(labels.host) + "\"") {}

    // Starts a gauge family. `help` is a constant of ours: no backslash, no line feed.
    void gauge(std::string_view name, std::string_view help) {
        name_ = name;
        help_ = help;
        header_written_ = false;
    }

    void sample(Labels extra, double value) {
        if (!header_written_) {
            out_.append("# HELP ").append(name_).append(" ").append(help_).append("\n");
            out_.append("# TYPE ").append(name_).append(" gauge\n");
            header_written_ = true;
        }
        out_.append(name_).append("{").append(base_);
        for (const auto& [label, v] : extra)
            out_.append(",").append(label).append("=\"").append(escapeLabelValue(v)).append("\"");
        out_.append("} ").append(formatValue(value)).append("\n");
    }
    void sample(double value) { sample({}, value); }

    std::string take() { return std::move(out_); }

private:
    std::string base_;
    std::string name_, help_;
    bool header_written_ = false;
    std::string out_;
};

// driftkoll_up: 1 while the agent runs, 0 once it has stopped cleanly.
void upFamily(Exposition& e, bool up);

}  // namespace dk::metrics
