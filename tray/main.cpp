// driftkoll-tray: the tray icon over the agent's local API.
//
//   driftkoll-tray [--config FILE] [--lang sv|en] [--show] [--no-tray]
//                  [--socket PATH] [--driftkoll PROGRAM] [--at TIME] [--dump-texts FILE]
//
// Swedish by default; English when the locale is English (LANG=en_*) or with --lang en.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

#include "agent/version.h"
#include "tray/tray_app.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("driftkoll"));
    QApplication::setApplicationName(QStringLiteral("driftkoll-tray"));
    QApplication::setApplicationVersion(QString::fromLatin1(dk::kVersion));
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "driftkoll – kontrollerar varför TES inte fungerar och säger vem du ska ringa.\n"
        "driftkoll – checks why TES does not work and tells you whom to call."));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption config(QStringLiteral("config"),
                              QStringLiteral("Konfigurationsfil / Configuration file (TOML)"),
                              QStringLiteral("FILE"));
    QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("Språk / Language: sv | en"),
                            QStringLiteral("LANG"));
    QCommandLineOption show(QStringLiteral("show"),
                            QStringLiteral("Visa läget direkt / Open the status window at start"));
    QCommandLineOption no_tray(QStringLiteral("no-tray"),
                               QStringLiteral("Ett litet fönster i stället för en ikon / "
                                              "A small window instead of a tray icon"));
    QCommandLineOption socket(QStringLiteral("socket"),
                              QStringLiteral("Agentens API / The agent's API socket"),
                              QStringLiteral("PATH"));
    QCommandLineOption driftkoll(QStringLiteral("driftkoll"),
                                 QStringLiteral("Programmet driftkoll, för att starta agenten / "
                                                "The driftkoll program, to start the agent"),
                                 QStringLiteral("PROGRAM"));
    QCommandLineOption at(QStringLiteral("at"),
                          QStringLiteral("Låtsas att det är denna lokala tid; kontrollerna görs "
                                         "då här, utan agent / Pretend it is this local time; "
                                         "the checks then run here, without the agent"),
                          QStringLiteral("TIME"));
    QCommandLineOption dump(QStringLiteral("dump-texts"),
                            QStringLiteral("Skriv fönstrets texter (JSON) hit / Write the "
                                           "window's texts (JSON) here"),
                            QStringLiteral("FILE"));
    p.addOptions({config, lang, show, no_tray, socket, driftkoll, at, dump});
    p.process(app);

    // The language: --lang, else the locale (English for en_*), else Swedish.
    dk::Lang language = QLocale().language() == QLocale::English ? dk::Lang::en : dk::Lang::sv;
    if (p.isSet(lang)) {
        auto l = dk::parseLang(p.value(lang).toStdString());
        if (!l) {
            std::fputs("driftkoll-tray: --lang måste vara sv eller en / --lang must be sv or en\n",
                       stderr);
            return 2;
        }
        language = *l;
    }
    QTranslator translator;
    if (language == dk::Lang::en) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::Sweden));
        if (translator.load(QStringLiteral(":/i18n/driftkoll-tray_en.qm")))
            QApplication::installTranslator(&translator);
    } else {
        QLocale::setDefault(QLocale(QLocale::Swedish, QLocale::Sweden));
    }

    dk::tray::TrayOptions o;
    o.context.config_path = p.value(config).toStdString();
    o.context.lang = language;
    if (p.isSet(at))
        o.context.at = p.value(at).toStdString();
    o.show_window = p.isSet(show);
    o.no_tray = p.isSet(no_tray);
    o.dump_texts = p.value(dump);

    dk::tray::ControllerOptions c;
    c.socket_path = p.value(socket).toStdString();
    // The agent cannot pretend another time: with --at every check runs here.
    c.use_agent = !p.isSet(at);
    c.local_check = dk::tray::makeLocalCheck(o.context.config_path, language, o.context.at);
    c.local_export = dk::tray::makeLocalExport(o.context.config_path);
    c.start_agent =
        dk::tray::makeAgentStarter(p.value(driftkoll).toStdString(), o.context.config_path);

    dk::tray::TrayApp tray(std::move(o), std::move(c));
    tray.start();
    return QApplication::exec();
}
