#include "tray/tray_app.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "agent/version.h"
#include "tray/presentation.h"
#include "tray/state_icon.h"
#include "tray/status_window.h"

namespace dk::tray {

namespace {

constexpr const char* kQuietKey = "notifications/quiet";
// The incidents already announced, kept across restarts of the tray.
constexpr const char* kAnnouncedKey = "notifications/announced";
// Without a system tray at start, how long and how often to look for one.
constexpr int kTrayWait = 60000;  // ms
constexpr int kTrayWaitStep = 2000;

}  // namespace

TrayApp::TrayApp(TrayOptions options, ControllerOptions controller)
    : options_(std::move(options)),
      controller_(std::make_unique<Controller>(std::move(controller))) {
    window_ = std::make_unique<StatusWindow>(*controller_);
    quiet_ = QSettings().value(QString::fromLatin1(kQuietKey), false).toBool();
    policy_.restore(QSettings().value(QString::fromLatin1(kAnnouncedKey)).toStringList());
    buildMenu();
    connect(controller_.get(), &Controller::reportChanged, this, &TrayApp::onReport);
    connect(controller_.get(), &Controller::agentChanged, this, [this] { refreshIcon(); });
    connect(controller_.get(), &Controller::exportFinished, this,
            [this](const QString& path, const QString& error) {
                if (!export_from_menu_)
                    return;
                export_from_menu_ = false;
                notify(tr("Underlag för IT"),
                       error.isEmpty() ? tr("Sparat i %1").arg(path)
                                       : tr("Kunde inte sparas: %1").arg(error),
                       !error.isEmpty());
            });
    connect(window_.get(), &StatusWindow::textsChanged, this, &TrayApp::writeDump);
    refreshIcon();
}

TrayApp::~TrayApp() {
    // Before the menu they use goes.
    delete tray_;
    delete fallback_;
}

void TrayApp::createTray() {
    tray_ = new QSystemTrayIcon(this);
    tray_->setContextMenu(menu_.get());
    connect(tray_, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                    showStatus();
            });
    connect(tray_, &QSystemTrayIcon::messageClicked, this, &TrayApp::showStatus);
    refreshIcon();
    tray_->show();
}

void TrayApp::start() {
    if (!options_.no_tray && QSystemTrayIcon::isSystemTrayAvailable()) {
        createTray();
    } else {
        buildFallback();
        refreshIcon();
        fallback_->show();
        if (!options_.no_tray) {
            // At logon the panel may come after the tray: look for it a while longer.
            auto* timer = new QTimer(this);
            timer->setInterval(kTrayWaitStep);
            connect(timer, &QTimer::timeout, this, [this, timer, tries = 0]() mutable {
                if (QSystemTrayIcon::isSystemTrayAvailable()) {
                    createTray();
                    fallback_->hide();
                    timer->deleteLater();
                } else if (++tries * kTrayWaitStep >= kTrayWait) {
                    timer->deleteLater();
                }
            });
            timer->start();
        }
    }
    controller_->start();
    if (options_.show_window)
        showStatus();
    writeDump();
}

TrayState TrayApp::iconState() const {
    const ReportView& v = controller_->view();
    if (controller_->usesAgent() && controller_->agentRunning() == false && !v.local)
        return TrayState::unknown;
    return v.valid ? v.state : TrayState::unknown;
}

QString TrayApp::toolTip() const {
    const ReportView& v = controller_->view();
    if (controller_->usesAgent() && controller_->agentRunning() == false && !v.local) {
        ReportView none;
        return tooltipOf(none, false);
    }
    return tooltipOf(v, controller_->agentRunning() != false);
}

void TrayApp::setQuiet(bool quiet) {
    quiet_ = quiet;
    QSettings().setValue(QString::fromLatin1(kQuietKey), quiet);
    if (quiet_action_ && quiet_action_->isChecked() != quiet)
        quiet_action_->setChecked(quiet);
}

void TrayApp::showStatus() {
    window_->show();
    window_->raise();
    window_->activateWindow();
}

void TrayApp::onReport(const ReportView& view) {
    refreshIcon();
    const NotifyDecision d =
        policy_.consider(view.state, NotificationPolicy::incidentKey(view), quiet_,
                         view.state == TrayState::fault && !quiet_ && userIsPresenting());
    if (d == NotifyDecision::show || d == NotifyDecision::quiet)
        QSettings().setValue(QString::fromLatin1(kAnnouncedKey), policy_.announced());
    if (d == NotifyDecision::show) {
        QString text = view.advice;
        if (view.has_contact && !view.contact.phone.isEmpty())
            text += QLatin1Char('\n') + tr("Ring %1").arg(view.contact.phone);
        notify(view.verdict, text, true);
    }
}

void TrayApp::notify(const QString& title, const QString& text, bool fault) {
    if (tray_ && QSystemTrayIcon::supportsMessages())
        tray_->showMessage(title, text,
                           fault ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information, 15000);
    else if (fallback_)
        QApplication::alert(fallback_);
}

void TrayApp::refreshIcon() {
    const TrayState state = iconState();
    const QIcon icon = stateIcon(state);
    const QString tip = toolTip();
    if (tray_) {
        tray_->setIcon(icon);
        tray_->setToolTip(tip);
    }
    if (fallback_) {
        fallback_->setWindowIcon(icon);
        const int size = fallback_->fontMetrics().height() * 2;
        fallback_icon_->setPixmap(icon.pixmap(QSize(size, size), fallback_->devicePixelRatioF()));
        fallback_icon_->setAccessibleName(stateName(state));
        fallback_text_->setText(tip.mid(tip.indexOf(QStringLiteral(" – ")) + 3));
    }
    QApplication::setWindowIcon(icon);
    writeDump();
}

void TrayApp::buildMenu() {
    menu_ = std::make_unique<QMenu>();
    menu_->setObjectName(QStringLiteral("trayMenu"));
    auto add = [this](const char* name, const QString& text, auto slot) {
        QAction* a = menu_->addAction(text);
        a->setObjectName(QString::fromLatin1(name));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add("actionCheckNow", tr("&Kontrollera nu"), [this] {
        controller_->checkNow();
        showStatus();
    });
    add("actionShowStatus", tr("&Visa läget"), [this] { showStatus(); });
    menu_->addSeparator();
    add("actionWhomToCall", tr("Vem &ringer jag nu?"), [this] {
        showTextWindow(nullptr, QStringLiteral("whomToCall"), tr("Vem ringer jag nu?"),
                       contactsNowText(options_.context));
    });
    add("actionCarelock", tr("&Carelock – felanmälan"), [this] {
        showTextWindow(nullptr, QStringLiteral("carelockGuide"), tr("Carelock – felanmälan"),
                       carelockGuideText(options_.context));
    });
    add("actionMaintenance", tr("&Planerat underhåll"), [this] {
        showTextWindow(nullptr, QStringLiteral("maintenance"), tr("Planerat underhåll"),
                       maintenanceText(controller_->view()));
    });
    menu_->addSeparator();
    add("actionExport", tr("&Spara underlag för IT"), [this] {
        export_from_menu_ = true;
        controller_->exportBundle();
    });
    quiet_action_ = add("actionQuiet", tr("&Tyst läge (inga aviseringar)"),
                        [this](bool checked) { setQuiet(checked); });
    quiet_action_->setCheckable(true);
    quiet_action_->setChecked(quiet_);
    add("actionAbout", tr("&Om driftkoll"), [this] {
        QString agent = controller_->agentRunning() == true
                            ? tr("körs")
                            : (controller_->usesAgent() ? tr("körs inte") : tr("används inte"));
        const QString text =
            tr("driftkoll %1\n\nKontrollerar nätverket och verksamhetssystemen och säger vem "
               "du ska ringa när TES inte fungerar.\n\nAgenten: %2\nAgentens gränssnitt: %3\n"
               "Konfiguration: %4")
                .arg(QString::fromLatin1(kVersion), agent,
                     QString::fromStdString(controller_->socketPath()),
                     options_.context.config_path.empty()
                         ? tr("användarens eller systemets fil, annars den inbyggda profilen")
                         : QString::fromStdString(options_.context.config_path));
        showTextWindow(nullptr, QStringLiteral("about"), tr("Om driftkoll"), text);
    });
    menu_->addSeparator();
    add("actionQuit", tr("&Avsluta"), [] { QApplication::quit(); });
}

void TrayApp::buildFallback() {
    // No system tray on this desktop: a small window does the icon's work.
    auto* w = new QWidget;
    w->setAttribute(Qt::WA_DeleteOnClose, false);
    w->setObjectName(QStringLiteral("fallbackWindow"));
    w->setWindowTitle(tr("driftkoll"));
    w->setAccessibleName(tr("driftkoll – läget"));
    fallback_icon_ = new QLabel;
    fallback_icon_->setObjectName(QStringLiteral("fallbackIcon"));
    fallback_text_ = new QLabel;
    fallback_text_->setObjectName(QStringLiteral("fallbackText"));
    fallback_text_->setWordWrap(true);
    auto* show = new QPushButton(tr("Visa läget"));
    show->setObjectName(QStringLiteral("fallbackShow"));
    auto* more = new QToolButton;
    more->setText(tr("Meny"));
    more->setAccessibleName(tr("Meny"));
    more->setMenu(menu_.get());
    more->setPopupMode(QToolButton::InstantPopup);
    connect(show, &QPushButton::clicked, this, &TrayApp::showStatus);
    auto* row = new QHBoxLayout;
    row->addWidget(show);
    row->addWidget(more);
    row->addStretch(1);
    auto* top = new QHBoxLayout;
    top->addWidget(fallback_icon_, 0, Qt::AlignTop);
    top->addWidget(fallback_text_, 1);
    auto* l = new QVBoxLayout(w);
    l->addLayout(top);
    l->addLayout(row);
    w->resize(w->fontMetrics().averageCharWidth() * 48, w->sizeHint().height());
    fallback_ = w;
}

void TrayApp::writeDump() {
    if (options_.dump_texts.isEmpty() || !window_)
        return;
    Json j = window_->texts();
    j["icon_state"] = [&] {
        switch (iconState()) {
            case TrayState::ok:
                return "ok";
            case TrayState::warning:
                return "warning";
            case TrayState::fault:
                return "fault";
            case TrayState::unknown:
                return "unknown";
        }
        return "unknown";
    }();
    j["tray_tooltip"] = toolTip().toStdString();
    j["system_tray"] = tray_ != nullptr;
    QSaveFile f(options_.dump_texts);
    if (!f.open(QIODevice::WriteOnly))
        return;
    const std::string text = j.dump(2) + "\n";
    f.write(text.data(), static_cast<qint64>(text.size()));
    f.commit();
}

}  // namespace dk::tray
