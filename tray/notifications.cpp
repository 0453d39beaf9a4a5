#include "tray/notifications.h"

#include <algorithm>
#include <utility>

namespace dk::tray {

NotificationPolicy::NotificationPolicy(Clock clock, std::chrono::seconds min_interval)
    : clock_(std::move(clock)), min_interval_(min_interval) {}

QString NotificationPolicy::incidentKey(const ReportView& view) {
    if (!view.case_code.isEmpty())
        return view.case_code;
    return QStringLiteral("domain:") + view.domain;
}

bool NotificationPolicy::announced(const QString& incident) const {
    return std::find(announced_.begin(), announced_.end(), incident) != announced_.end();
}

void NotificationPolicy::remember(const QString& incident) {
    announced_.push_back(incident);
    while (announced_.size() > kRemembered) announced_.pop_front();
}

QStringList NotificationPolicy::announced() const {
    return QStringList(announced_.begin(), announced_.end());
}

void NotificationPolicy::restore(const QStringList& announced) {
    for (const QString& a : announced)
        if (!this->announced(a))
            remember(a);
}

NotifyDecision NotificationPolicy::consider(TrayState state, const QString& incident, bool quiet,
                                            bool presenting) {
    if (state != TrayState::fault)
        return NotifyDecision::not_a_fault;
    if (announced(incident))
        return NotifyDecision::same_incident;
    if (quiet) {
        // Asked for quiet: this incident is not announced later either.
        remember(incident);
        return NotifyDecision::quiet;
    }
    if (presenting)
        return NotifyDecision::presenting;
    const auto now = clock_();
    if (last_shown_ && now - *last_shown_ < min_interval_)
        return NotifyDecision::rate_limited;
    last_shown_ = now;
    remember(incident);
    return NotifyDecision::show;
}

}  // namespace dk::tray
