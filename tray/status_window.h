// The status window: the verdict and the one action to take now at the top, in
// large calm text with the number to call; the routine's steps 1-5 with a mark
// per step and check and the evidence one click away; the questions of steps 2
// and 4; the case code; and the buttons. Everything it shows comes from the
// controller's report (report_view.h); it decides nothing itself.
#pragma once

#include <QString>
#include <QWidget>

#include "probes/result.h"
#include "tray/report_view.h"

class QFrame;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace dk::tray {

class Controller;

class StatusWindow : public QWidget {
    Q_OBJECT
public:
    explicit StatusWindow(Controller& controller, QWidget* parent = nullptr);

    // What the window shows now, as JSON: for the tests and `--dump-texts`.
    Json texts() const;
    // The pre-filled e-mail to the support line that the advice names; "" when
    // the advice names no line that is open with an address.
    QString mailtoUrl() const;

Q_SIGNALS:
    // The texts changed (a new report, the agent came or went, busy or not).
    void textsChanged();

private:
    void showReport(const ReportView& view);
    void showAgent();
    void showBusy(bool busy);
    void showEvidence(QTreeWidgetItem* item);
    void answer(const char* key, const char* value);
    void updateEnabled();

    Controller& controller_;
    ReportView view_;
    bool exporting_ = false;
    QString checked_line_;  // "Kontrollerat … – av agenten.": the status line when idle

    QLabel* icon_;
    QLabel* verdict_;
    QLabel* advice_;
    QFrame* call_box_;
    QLabel* phone_;
    QPushButton* copy_phone_;
    QLabel* phone_menu_;
    QLabel* condition_;
    QLabel* next_open_;
    QLabel* note_;
    QLabel* say_;
    QLabel* case_code_;
    QPushButton* copy_case_code_;
    QFrame* agent_banner_;
    QLabel* agent_text_;
    QPushButton* start_agent_;
    QTreeWidget* steps_;
    QPlainTextEdit* evidence_;
    QLabel* restart_hint_;
    QPushButton* login_refused_;
    QPushButton* login_no_page_;
    QPushButton* colleague_works_;
    QPushButton* colleague_fails_;
    QPushButton* other_works_;
    QPushButton* other_fails_;
    QPushButton* check_again_;
    QProgressBar* progress_;
    QPushButton* export_;
    QPushButton* email_;
    QLabel* status_line_;
};

}  // namespace dk::tray
