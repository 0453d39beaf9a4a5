// The tray itself: the icon with its menu (or, where the desktop has no system
// tray, a small window), the status window, the menu's windows, and the desktop
// notifications. Everything shown comes from the Controller's report.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

#include "tray/controller.h"
#include "tray/dialogs.h"
#include "tray/notifications.h"

class QAction;
class QLabel;
class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace dk::tray {

class StatusWindow;

struct TrayOptions {
    TrayContext context;
    bool show_window = false;  // open the status window at start
    bool no_tray = false;      // the small window even where a system tray exists
    QString dump_texts;        // write the window's texts (JSON) here after every change
};

class TrayApp : public QObject {
    Q_OBJECT
public:
    TrayApp(TrayOptions options, ControllerOptions controller);
    ~TrayApp() override;

    void start();

    Controller& controller() { return *controller_; }
    StatusWindow& window() { return *window_; }
    QMenu& menu() { return *menu_; }
    // The small window, when there is no system tray (after start()); nullptr otherwise.
    QWidget* fallbackWindow() { return fallback_; }
    // The state the icon shows: unknown while the agent is away (and the report
    // is not from a check in this process).
    TrayState iconState() const;
    QString toolTip() const;
    bool quiet() const { return quiet_; }
    void setQuiet(bool quiet);

    void showStatus();

private:
    void onReport(const ReportView& view);
    void refreshIcon();
    void buildMenu();
    void buildFallback();
    void createTray();
    void writeDump();
    void notify(const QString& title, const QString& text, bool fault);

    TrayOptions options_;
    std::unique_ptr<Controller> controller_;
    std::unique_ptr<StatusWindow> window_;
    std::unique_ptr<QMenu> menu_;
    QSystemTrayIcon* tray_ = nullptr;
    QWidget* fallback_ = nullptr;
    QLabel* fallback_icon_ = nullptr;
    QLabel* fallback_text_ = nullptr;
    QAction* quiet_action_ = nullptr;
    NotificationPolicy policy_;
    bool quiet_ = false;
    bool export_from_menu_ = false;
};

}  // namespace dk::tray
