// The menu's windows with text: "Whom do I call now?", the Carelock fault guide,
// planned maintenance, About. The texts come from the agent's helpers
// (contacts.h: the office lines, the on-call and the Carelock slot for this
// moment) and from the last report; the tray adds only headings.
#pragma once

#include <optional>
#include <string>

#include <QString>

#include "agent/decide/texts.h"
#include "tray/report_view.h"

class QWidget;

namespace dk::tray {

// What the tray was started with, for the windows that read the config.
struct TrayContext {
    std::string config_path;        // --config; "" = the user's or system's file, else built-in
    Lang lang = Lang::sv;           // the user's language
    std::optional<std::string> at;  // --at: pretend it is then
};

// "Whom do I call now?": every office line (open, closed, break, next opening),
// the on-call and the Carelock steps for this moment — `driftkoll contacts`.
QString contactsNowText(const TrayContext& ctx);

// The Carelock guide: the steps for this moment first, then every slot.
QString carelockGuideText(const TrayContext& ctx);

// The planned maintenance windows of the last report: now, and the next two weeks.
QString maintenanceText(const ReportView& view);

// A window with a read-only, selectable text, a copy button and a close button.
void showTextWindow(QWidget* parent, const QString& object_name, const QString& title,
                    const QString& text);

}  // namespace dk::tray
