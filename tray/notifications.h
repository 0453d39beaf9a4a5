// When the tray may show a desktop notification. Only a turn to a fault is worth
// one — and a report is a fault only when its advice asks the user to do something
// now (stateOf in report_view.h), so nothing is announced that asks for nothing; the same incident (its case code) is never announced twice; at most one
// notification per `min_interval`; none while the user asked for quiet or is
// presenting. The clock is injected, so the rules are tested without waiting.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

#include <QString>
#include <QStringList>

#include "tray/report_view.h"

namespace dk::tray {

enum class NotifyDecision {
    show,           // show it now
    not_a_fault,    // the state is not a fault (nothing wrong, or nothing to do now)
    same_incident,  // this incident was announced (or silenced) already
    rate_limited,   // another notification was shown less than min_interval ago
    quiet,          // the user asked for quiet: this incident stays silent
    presenting,     // a fullscreen window: asked again with the next report
};

class NotificationPolicy {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // How long after one notification the next may come.
    static constexpr std::chrono::minutes kDefaultMinInterval{10};
    // How many incidents are remembered.
    static constexpr std::size_t kRemembered = 32;

    explicit NotificationPolicy(Clock clock = &std::chrono::system_clock::now,
                                std::chrono::seconds min_interval = kDefaultMinInterval);

    // Called for every new report. `incident` identifies the problem: its case code,
    // or the domain when there is none. A `show` is remembered, so the caller must
    // show it.
    NotifyDecision consider(TrayState state, const QString& incident, bool quiet, bool presenting);

    // The incidents announced (or silenced) so far, oldest first, so that a restarted
    // tray does not announce them again; and taking such a list back.
    QStringList announced() const;
    void restore(const QStringList& announced);

    // The key of a report's incident.
    static QString incidentKey(const ReportView& view);

private:
    bool announced(const QString& incident) const;
    void remember(const QString& incident);

    Clock clock_;
    std::chrono::seconds min_interval_;
    std::optional<std::chrono::system_clock::time_point> last_shown_;
    std::deque<QString> announced_;  // newest last
};

}  // namespace dk::tray
