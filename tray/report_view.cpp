#include "tray/report_view.h"

#include <QCoreApplication>

#include <map>
#include <set>
#include <string>

#include "agent/decide/texts.h"

namespace dk::tray {

namespace {

// A string member, or "" when it is missing, null or not a string.
QString str(const Json& j, const char* key) {
    if (!j.is_object())
        return {};
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

const Json& member(const Json& j, const char* key) {
    static const Json null;
    if (!j.is_object())
        return null;
    auto it = j.find(key);
    return it == j.end() ? null : *it;
}

QStringList strings(const Json& j) {
    QStringList out;
    if (j.is_array())
        for (const auto& v : j)
            if (v.is_string())
                out << QString::fromStdString(v.get<std::string>());
    return out;
}

QString ms(double v) {
    return QString::number(v, 'f', v < 10 ? 1 : 0) + QStringLiteral(" ms");
}

// Every attempt of a check, as lines for IT: status, duration, per-phase
// timings, the exact error, and the evidence as the agent recorded it.
QString evidenceText(const Json& check) {
    QStringList lines;
    const Json& attempts = member(check, "attempts");
    int n = 0;
    if (attempts.is_array()) {
        for (const auto& a : attempts) {
            ++n;
            QString head = QCoreApplication::translate("dk::tray::ReportView", "Försök %1: %2")
                               .arg(n)
                               .arg(str(a, "status"));
            const Json& d = member(a, "duration_ms");
            if (d.is_number())
                head += QStringLiteral(" · ") + ms(d.get<double>());
            const QString started = str(a, "started_at");
            if (!started.isEmpty())
                head += QStringLiteral(" · ") + started;
            lines << head;
            const Json& t = member(a, "timings_ms");
            if (t.is_object() && !t.empty()) {
                QStringList phases;
                for (const char* phase : {"dns", "connect", "tls", "first_byte"}) {
                    const Json& v = member(t, phase);
                    if (v.is_number())
                        phases << QString::fromLatin1(phase) + QStringLiteral(" ") +
                                      ms(v.get<double>());
                }
                for (auto it = t.begin(); it != t.end(); ++it) {
                    const std::string& k = it.key();
                    if (k != "dns" && k != "connect" && k != "tls" && k != "first_byte" &&
                        it->is_number())
                        phases << QString::fromStdString(k) + QStringLiteral(" ") +
                                      ms(it->get<double>());
                }
                lines << QStringLiteral("  ") +
                             QCoreApplication::translate("dk::tray::ReportView", "tider: ") +
                             phases.join(QStringLiteral(", "));
            }
            const QStringList problems = strings(member(a, "problems"));
            if (!problems.isEmpty())
                lines << QStringLiteral("  ") +
                             QCoreApplication::translate("dk::tray::ReportView", "problem: ") +
                             problems.join(QStringLiteral(", "));
            const QString error = str(a, "error");
            if (!error.isEmpty())
                lines << QStringLiteral("  ") +
                             QCoreApplication::translate("dk::tray::ReportView", "fel: ") + error;
            const Json& ev = member(a, "evidence");
            if (ev.is_object() && !ev.empty()) {
                lines << QStringLiteral("  ") +
                             QCoreApplication::translate("dk::tray::ReportView", "underlag:");
                const QString dumped = QString::fromStdString(ev.dump(2));
                for (const QString& l : dumped.split(QLatin1Char('\n')))
                    lines << QStringLiteral("    ") + l;
            }
        }
    }
    if (n == 0)
        lines << QCoreApplication::translate("dk::tray::ReportView", "Inga försök registrerade.");
    return lines.join(QLatin1Char('\n'));
}

// Whether a system that the diagnosis names as failing is the primary one: the
// report checks the primary system (TES) in step 2, the others in step 3.
bool primaryAmong(const Json& report, const QStringList& systems) {
    const Json& checks = member(report, "checks");
    if (!checks.is_array())
        return false;
    for (const auto& c : checks) {
        const Json& step = member(c, "step");
        if (!step.is_number_integer() || step.get<int>() != 2 || str(c, "kind") == u"clock")
            continue;
        const QString system = str(c, "system");
        if (!system.isEmpty() && systems.contains(system))
            return true;
    }
    return false;
}

// A report's problem codes in words, by the agent's own phrases (texts.h).
QString problemWords(const QStringList& codes, Lang lang) {
    static const std::map<std::string, Problem> by_code = [] {
        std::map<std::string, Problem> m;
        for (int i = 0; i <= static_cast<int>(Problem::internal_error); ++i) {
            const auto p = static_cast<Problem>(i);
            m.emplace(std::string(to_string(p)), p);
        }
        return m;
    }();
    QStringList words;
    for (const QString& code : codes) {
        auto it = by_code.find(code.toStdString());
        words << (it == by_code.end() ? code
                                      : QString::fromStdString(problemText(it->second, lang)));
    }
    return words.join(QStringLiteral("; "));
}

}  // namespace

Mark markOf(const QString& status) {
    if (status == u"pass")
        return Mark::pass;
    if (status == u"warn")
        return Mark::warn;
    if (status == u"fail")
        return Mark::fail;
    if (status == u"manual")
        return Mark::manual;
    if (status == u"action")
        return Mark::action;
    return Mark::not_run;
}

TrayState stateOfDomain(const QString& domain, bool primary_failing) {
    if (domain.isEmpty())
        return TrayState::unknown;
    if (domain == u"all_ok")
        return TrayState::ok;
    if (domain == u"service_degraded" || domain == u"planned_maintenance" || domain == u"internet")
        return TrayState::warning;
    // One business system down while TES works is worth a look, not an alarm.
    if (domain == u"service_down")
        return primary_failing ? TrayState::fault : TrayState::warning;
    static const std::set<QString> faults = {
        QStringLiteral("no_link"),      QStringLiteral("no_address"),
        QStringLiteral("no_gateway"),   QStringLiteral("dns"),
        QStringLiteral("network_down"), QStringLiteral("internal_network"),
        QStringLiteral("clock_skew"),   QStringLiteral("this_computer"),
        QStringLiteral("account")};
    return faults.count(domain) ? TrayState::fault : TrayState::warning;
}

bool actionAsksTheUser(const QString& action) {
    if (action.isEmpty())
        return false;
    static const std::set<QString> nothing_now = {QStringLiteral("none"),
                                                  QStringLiteral("wait_planned_maintenance"),
                                                  QStringLiteral("wait_next_weekday")};
    return nothing_now.count(action) == 0;
}

TrayState stateOf(const QString& domain, bool primary_failing, const QString& action) {
    const TrayState by_domain = stateOfDomain(domain, primary_failing);
    if (by_domain != TrayState::fault || action.isEmpty())
        return by_domain;
    return actionAsksTheUser(action) ? TrayState::fault : TrayState::warning;
}

ReportView viewOf(const Json& report) {
    ReportView v;
    if (!report.is_object() || !member(report, "diagnosis").is_object())
        return v;
    v.valid = true;
    const Json& diag = member(report, "diagnosis");
    const Json& adv = member(report, "advice");
    v.domain = str(diag, "domain");
    const QStringList failing = strings(member(diag, "systems"));
    v.verdict = str(diag, "summary");
    v.action = str(adv, "action");
    v.state = stateOf(v.domain, primaryAmong(report, failing), v.action);
    v.advice = str(adv, "text");
    v.condition = str(adv, "condition");
    v.next_open = str(member(adv, "next_open"), "text");
    v.note = str(adv, "note");
    v.say = str(adv, "say");
    v.case_code = str(adv, "case_code");
    const Json& contact = member(adv, "contact");
    if (contact.is_object()) {
        v.has_contact = true;
        v.contact.name = str(contact, "name");
        v.contact.phone = str(contact, "phone");
        v.contact.phone_short = str(contact, "phone_short");
        v.contact.menu = strings(member(contact, "menu"));
        v.contact.email = str(contact, "email");
    }
    v.local = str(report, "source") == u"local";
    const Json& time = member(report, "time");
    v.time_local = str(time, "local");
    v.pretend = member(time, "pretend").is_boolean() && member(time, "pretend").get<bool>();
    v.host = str(member(report, "host"), "name");

    const Lang lang = str(adv, "lang") == QLatin1String("en") ? Lang::en : Lang::sv;
    // The checks by id, for the steps that list them.
    std::map<QString, CheckView> checks;
    const Json& cj = member(report, "checks");
    if (cj.is_array()) {
        for (const auto& c : cj) {
            CheckView cv;
            cv.id = str(c, "id");
            cv.label = str(c, "label");
            cv.status = str(c, "status");
            cv.mark = markOf(cv.status);
            cv.error = str(c, "error");
            if (cv.mark != Mark::pass)
                cv.problems = problemWords(strings(member(c, "problems")), lang);
            cv.evidence = evidenceText(c);
            checks[cv.id] = cv;
        }
    }
    const Json& steps = member(report, "steps");
    if (steps.is_array()) {
        for (const auto& s : steps) {
            StepView sv;
            const Json& n = member(s, "step");
            sv.number = n.is_number_integer() ? n.get<int>() : 0;
            sv.title = str(s, "title");
            sv.mark = markOf(str(s, "status"));
            for (const QString& id : strings(member(s, "checks"))) {
                auto it = checks.find(id);
                if (it != checks.end())
                    sv.checks << it->second;
            }
            const Json& answers = member(s, "answers");
            if (sv.number == 2) {
                v.login = str(answers, "login");
                const Json& r = member(s, "restarted_since_problem");
                v.restarted_since_problem = r.is_boolean() && r.get<bool>();
            }
            if (sv.number == 4) {
                v.same_computer_colleague = str(answers, "same_computer_colleague");
                v.other_computer = str(answers, "other_computer");
            }
            v.steps << sv;
        }
    }

    const Json& maint = member(report, "maintenance");
    auto windows = [](const Json& a) {
        QList<MaintenanceView> out;
        if (a.is_array())
            for (const auto& w : a)
                out << MaintenanceView{str(w, "title"), str(w, "start"), str(w, "end"),
                                       strings(member(w, "systems"))};
        return out;
    };
    v.maintenance_active = windows(member(maint, "active"));
    v.maintenance_upcoming = windows(member(maint, "upcoming"));
    v.maintenance_warning = str(member(maint, "feed"), "warning");
    return v;
}

QString tooltipOf(const ReportView& view, bool agent_running) {
    QString tip = QStringLiteral("driftkoll – ");
    if (view.valid)
        return tip + view.verdict;
    if (!agent_running)
        return tip +
               QCoreApplication::translate("dk::tray::ReportView",
                                           "Agenten körs inte, så ingen kontroll har gjorts ännu.");
    return tip +
           QCoreApplication::translate("dk::tray::ReportView", "Väntar på den första kontrollen.");
}

QString menuText(const QStringList& menu) {
    if (menu.isEmpty())
        return {};
    return QCoreApplication::translate("dk::tray::ReportView", "tryck %1")
        .arg(menu.join(QCoreApplication::translate("dk::tray::ReportView", ", sedan ")));
}

QString markWord(Mark m) {
    switch (m) {
        case Mark::pass:
            return QCoreApplication::translate("dk::tray::ReportView", "fungerar");
        case Mark::warn:
            return QCoreApplication::translate("dk::tray::ReportView", "varning");
        case Mark::fail:
            return QCoreApplication::translate("dk::tray::ReportView", "fungerar inte");
        case Mark::not_run:
            return QCoreApplication::translate("dk::tray::ReportView", "inte kontrollerat");
        case Mark::manual:
            return QCoreApplication::translate("dk::tray::ReportView", "din fråga");
        case Mark::action:
            return QCoreApplication::translate("dk::tray::ReportView", "gör så här");
    }
    return {};
}

QString markSymbol(Mark m) {
    switch (m) {
        case Mark::pass:
            return QStringLiteral("✓");
        case Mark::warn:
            return QStringLiteral("!");
        case Mark::fail:
            return QStringLiteral("✗");
        case Mark::not_run:
            return QStringLiteral("–");
        case Mark::manual:
            return QStringLiteral("?");
        case Mark::action:
            return QStringLiteral("→");
    }
    return {};
}

}  // namespace dk::tray
