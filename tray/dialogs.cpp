#include "tray/dialogs.h"

#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialog>
#include <QHBoxLayout>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <cstdio>
#include <sstream>

#include "agent/cli/agent_commands.h"
#include "agent/decide/calendar.h"
#include "agent/decide/contacts.h"
#include "agent/decide/local_time.h"
#include "tray/state_icon.h"

namespace dk::tray {

namespace {

struct Loaded {
    std::optional<config::Config> cfg;
    std::optional<LocalTime> now;
    QString error;
};

Loaded load(const TrayContext& ctx) {
    Loaded l;
    std::ostringstream err;
    l.cfg = loadConfigOrReport(ctx.config_path, err);
    if (!l.cfg) {
        l.error = QString::fromStdString(err.str());
        return l;
    }
    TimeError terr;
    l.now = ctx.at ? parseLocal(*ctx.at, l.cfg->timezone, &terr) : nowLocal(l.cfg->timezone, &terr);
    if (!l.now)
        l.error = QString::fromStdString(terr.message);
    return l;
}

QString hhmm(const config::TimeOfDay& t) {
    return QStringLiteral("%1:%2")
        .arg(t.minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(t.minutes % 60, 2, 10, QLatin1Char('0'));
}

QString daysText(config::CarelockDays d) {
    switch (d) {
        case config::CarelockDays::vardag:
            return QCoreApplication::translate("dk::tray::Dialogs", "Vardagar");
        case config::CarelockDays::helg:
            return QCoreApplication::translate("dk::tray::Dialogs", "Helger");
        case config::CarelockDays::alla:
            return QCoreApplication::translate("dk::tray::Dialogs", "Alla dagar");
    }
    return {};
}

QString stepText(const config::CarelockStep& s, Lang lang) {
    QString t = QString::fromStdString(lang == Lang::en && !s.text_en.empty() ? s.text_en : s.text);
    if (!s.phones.empty()) {
        QStringList phones;
        for (const auto& p : s.phones) phones << QString::fromStdString(p);
        t += QStringLiteral("\n      ") +
             QCoreApplication::translate("dk::tray::Dialogs", "Tel: %1")
                 .arg(phones.join(QCoreApplication::translate("dk::tray::Dialogs", " eller ")));
    }
    return t;
}

QString when(const QString& iso) {
    QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    return t.isValid() ? QLocale().toString(t, QStringLiteral("ddd d MMM HH:mm")) : iso;
}

}  // namespace

QString contactsNowText(const TrayContext& ctx) {
    Loaded l = load(ctx);
    if (!l.error.isEmpty())
        return QCoreApplication::translate("dk::tray::Dialogs",
                                           "Kontaktuppgifterna kunde inte läsas:\n%1")
            .arg(l.error);
    SwedishCalendar cal(l.cfg->holidays);
    return QString::fromStdString(contactsText(contactsNow(*l.cfg, *l.now, cal), ctx.lang));
}

QString carelockGuideText(const TrayContext& ctx) {
    Loaded l = load(ctx);
    if (!l.error.isEmpty())
        return QCoreApplication::translate("dk::tray::Dialogs",
                                           "Carelock-guiden kunde inte läsas:\n%1")
            .arg(l.error);
    if (l.cfg->carelock.slots.empty())
        return QCoreApplication::translate("dk::tray::Dialogs",
                                           "Ingen Carelock-guide är inställd.");
    SwedishCalendar cal(l.cfg->holidays);
    const CarelockNow now = carelockNow(l.cfg->carelock, *l.now, cal);
    QStringList out;
    if (now.slot) {
        out << QCoreApplication::translate("dk::tray::Dialogs", "Fel på Carelock just nu (%1–%2):")
                   .arg(hhmm(now.slot->from), hhmm(now.slot->to));
        int n = 1;
        for (const auto& s : now.slot->steps)
            out << QStringLiteral("  %1. ").arg(n++) + stepText(s, ctx.lang);
        out << QString();
    }
    out << QCoreApplication::translate("dk::tray::Dialogs", "Hela guiden:");
    for (const auto& slot : l.cfg->carelock.slots) {
        out << QString()
            << daysText(slot.days) + QStringLiteral(" ") + hhmm(slot.from) + QStringLiteral("–") +
                   hhmm(slot.to) + QLatin1Char(':');
        int n = 1;
        for (const auto& s : slot.steps)
            out << QStringLiteral("  %1. ").arg(n++) + stepText(s, ctx.lang);
    }
    return out.join(QLatin1Char('\n'));
}

QString maintenanceText(const ReportView& view) {
    if (!view.valid)
        return QCoreApplication::translate(
            "dk::tray::Dialogs",
            "Ingen kontroll har gjorts ännu, så planerat underhåll är inte känt.");
    auto list = [](const QList<MaintenanceView>& windows) {
        QStringList out;
        for (const auto& w : windows) {
            QString line =
                QStringLiteral("  • ") + when(w.start) + QStringLiteral(" – ") + when(w.end);
            if (!w.title.isEmpty())
                line += QStringLiteral(": ") + w.title;
            if (!w.systems.isEmpty())
                line +=
                    QStringLiteral(" (") + w.systems.join(QStringLiteral(", ")) + QLatin1Char(')');
            out << line;
        }
        return out;
    };
    QStringList out;
    out << QCoreApplication::translate("dk::tray::Dialogs", "Pågår nu:");
    out << (view.maintenance_active.isEmpty()
                ? QStringList{QCoreApplication::translate("dk::tray::Dialogs",
                                                          "  Inget planerat underhåll.")}
                : list(view.maintenance_active));
    out << QString()
        << QCoreApplication::translate("dk::tray::Dialogs", "De kommande två veckorna:");
    out << (view.maintenance_upcoming.isEmpty()
                ? QStringList{QCoreApplication::translate("dk::tray::Dialogs",
                                                          "  Inget planerat underhåll.")}
                : list(view.maintenance_upcoming));
    if (!view.maintenance_warning.isEmpty())
        out << QString()
            << QCoreApplication::translate("dk::tray::Dialogs", "Obs: %1")
                   .arg(view.maintenance_warning);
    return out.join(QLatin1Char('\n'));
}

void showTextWindow(QWidget* parent, const QString& object_name, const QString& title,
                    const QString& text) {
    auto* d = new QDialog(parent);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setObjectName(object_name);
    d->setWindowTitle(title);
    d->setAccessibleName(title);
    d->setWindowIcon(stateIcon(TrayState::unknown));
    auto* view = new QPlainTextEdit(text);
    view->setObjectName(QStringLiteral("text"));
    view->setAccessibleName(title);
    view->setReadOnly(true);
    QFont f = view->font();
    f.setPointSizeF(f.pointSizeF() * 1.1);
    view->setFont(f);
    auto* copy = new QPushButton(QCoreApplication::translate("dk::tray::Dialogs", "Kopiera"));
    copy->setAutoDefault(false);
    auto* close = new QPushButton(QCoreApplication::translate("dk::tray::Dialogs", "Stäng"));
    close->setDefault(true);
    QObject::connect(copy, &QPushButton::clicked, d,
                     [text] { QApplication::clipboard()->setText(text); });
    QObject::connect(close, &QPushButton::clicked, d, &QDialog::accept);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(copy);
    buttons->addWidget(close);
    auto* l = new QVBoxLayout(d);
    l->addWidget(view, 1);
    l->addLayout(buttons);
    d->resize(d->fontMetrics().averageCharWidth() * 80, d->fontMetrics().height() * 28);
    d->show();
    d->raise();
    d->activateWindow();
}

}  // namespace dk::tray
