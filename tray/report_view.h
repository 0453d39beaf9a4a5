// What the tray shows, taken from one report of the agent (the JSON contract in
// BRIEF.md). Nothing here decides anything about the network or whom to call:
// the verdict, the advice, the steps and the evidence are the report's, read
// field by field. Only the icon's state is derived: from `diagnosis.domain` (how
// bad it is) and `advice.action` (whether the user must do something now).
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "probes/result.h"

namespace dk::tray {

// The icon's four states; each has its own shape as well as its own colour.
enum class TrayState {
    ok,       // every configured check passed
    warning,  // degraded, planned maintenance, an outside site down; or nothing to do now
    fault,    // TES or the network cannot be used, and the advice says what to do now
    unknown,  // no report: the agent does not run, or has not finished its first run
};

// The mark of a step or a check, from its `status`.
enum class Mark {
    pass,     // "pass"
    warn,     // "warn"
    fail,     // "fail"
    not_run,  // "not_run"
    manual,   // "manual": the user answers it (step 4)
    action,   // "action": step 5, what to do now
};

struct CheckView {
    QString id;      // "http:tes"
    QString label;   // "TES", "Nätverkskabel eller Wi-Fi"
    QString status;  // "pass", "warn", "fail", "not_run"
    Mark mark = Mark::not_run;
    QString problems;  // the problem codes in words, in the report's language ("" when none)
    QString error;     // the exact error, "" when none
    QString evidence;  // every attempt: timings, errors, evidence (several lines)
};

struct StepView {
    int number = 0;
    QString title;  // "Steg 1 – Kablar och anslutningar"
    Mark mark = Mark::not_run;
    QList<CheckView> checks;
};

struct ContactView {
    QString name;
    QString phone;
    QString phone_short;  // the internal short number: "20 00"
    QStringList menu;     // {"3", "1"}
    QString email;
};

struct MaintenanceView {
    QString title;
    QString start, end;  // local ISO 8601
    QStringList systems;
};

struct ReportView {
    bool valid = false;  // false: no report (agent not running, nothing run yet)
    TrayState state = TrayState::unknown;
    QString domain;   // diagnosis.domain
    QString action;   // advice.action
    QString verdict;  // diagnosis.summary: the one-line verdict
    QString advice;   // advice.text: the one thing to do now
    QString condition;
    QString next_open;  // advice.next_open.text
    QString note;
    QString say;  // what to say on the phone
    QString case_code;
    bool has_contact = false;
    ContactView contact;
    QList<StepView> steps;
    // The answers to the manual steps in force; "" = not answered.
    QString login, same_computer_colleague, other_computer;
    bool restarted_since_problem = false;
    bool local = false;    // the check ran in the tray, not in the agent
    bool pretend = false;  // the run pretended another time (--at)
    QString time_local;    // time.local
    QString host;
    QList<MaintenanceView> maintenance_active, maintenance_upcoming;
    QString maintenance_warning;
};

// The icon's state for a `diagnosis.domain`. An unknown domain (the contract may
// grow) is a warning: something to look at, not an all clear.
TrayState stateOfDomain(const QString& domain, bool primary_failing);

// Whether an `advice.action` asks the user to do something now: check the cables,
// restart, or call someone. `none` does not, and neither do the two waits
// (`wait_planned_maintenance`, `wait_next_weekday`): nothing the user does now
// changes anything, the window says until when. An action the tray does not know
// (the contract may grow) counts as something to do. "" (no advice) is false.
bool actionAsksTheUser(const QString& action);

// The icon's state for a report: the domain's state, but a fault only when the
// advice also asks the user to do something now; otherwise a warning at most. A
// red icon (and a notification) that asks for nothing would teach people to
// ignore it. Without an action (a report with no advice) the domain decides alone.
// The rule is the tray's on every platform; the notifications follow it.
TrayState stateOf(const QString& domain, bool primary_failing, const QString& action);

ReportView viewOf(const Json& report);

Mark markOf(const QString& status);

// The tooltip: the one-line verdict, or why there is none.
QString tooltipOf(const ReportView& view, bool agent_running);

// The phone menu as words: "tryck 3, sedan 1".
QString menuText(const QStringList& menu);

// A short word for a mark, for screen readers and the text beside the mark.
QString markWord(Mark m);

// A mark as one symbol, for the text of a step: ✓ ! ✗ – ? →
QString markSymbol(Mark m);

}  // namespace dk::tray

Q_DECLARE_METATYPE(dk::tray::ReportView)
