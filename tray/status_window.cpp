#include "tray/status_window.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "agent/decide/incident.h"
#include "tray/controller.h"
#include "tray/state_icon.h"

namespace dk::tray {

namespace {

constexpr int kEvidenceRole = Qt::UserRole + 1;

QString markName(Mark m) {
    switch (m) {
        case Mark::pass:
            return QStringLiteral("pass");
        case Mark::warn:
            return QStringLiteral("warn");
        case Mark::fail:
            return QStringLiteral("fail");
        case Mark::not_run:
            return QStringLiteral("not_run");
        case Mark::manual:
            return QStringLiteral("manual");
        case Mark::action:
            return QStringLiteral("action");
    }
    return {};
}

QString stateKey(TrayState s) {
    switch (s) {
        case TrayState::ok:
            return QStringLiteral("ok");
        case TrayState::warning:
            return QStringLiteral("warning");
        case TrayState::fault:
            return QStringLiteral("fault");
        case TrayState::unknown:
            return QStringLiteral("unknown");
    }
    return {};
}

QLabel* textLabel(const QString& name, double scale = 1.0, bool bold = false) {
    auto* l = new QLabel;
    l->setObjectName(name);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont f = l->font();
    if (scale != 1.0)
        f.setPointSizeF(f.pointSizeF() * scale);
    f.setBold(bold);
    l->setFont(f);
    return l;
}

QPushButton* button(const QString& name, const QString& text, const QString& accessible = {}) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setAccessibleName(accessible.isEmpty() ? text : accessible);
    b->setAutoDefault(false);
    return b;
}

QPushButton* choice(const QString& name, const QString& text, const QString& accessible) {
    QPushButton* b = button(name, text, accessible);
    b->setCheckable(true);
    return b;
}

void setShown(QWidget* w, const QString& text) {
    if (auto* l = qobject_cast<QLabel*>(w))
        l->setText(text);
    w->setVisible(!text.isEmpty());
}

std::string s(const QString& q) {
    return q.toStdString();
}

// "2026-11-28T19:00:00+01:00" as "lördag 28 november 19:00", in the user's language.
QString whenText(const QString& iso) {
    QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    if (!t.isValid())
        return iso;
    return QLocale().toString(t, QStringLiteral("dddd d MMMM HH:mm"));
}

QString answerWord(const QString& a) {
    if (a == u"works")
        return StatusWindow::tr("fungerar");
    if (a == u"fails")
        return StatusWindow::tr("fungerar inte");
    if (a == u"refused")
        return StatusWindow::tr("lösenordet nekas");
    if (a == u"no_page")
        return StatusWindow::tr("inloggningssidan kommer inte upp");
    return StatusWindow::tr("inte besvarat");
}

}  // namespace

StatusWindow::StatusWindow(Controller& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    setObjectName(QStringLiteral("statusWindow"));
    setWindowTitle(tr("driftkoll – läget just nu"));
    setAccessibleName(tr("driftkoll – läget just nu"));
    setWindowIcon(stateIcon(TrayState::unknown));

    // The answer, at the top.
    icon_ = new QLabel;
    icon_->setObjectName(QStringLiteral("stateIcon"));
    verdict_ = textLabel(QStringLiteral("verdict"), 1.5, true);
    verdict_->setAccessibleName(tr("Bedömning"));
    advice_ = textLabel(QStringLiteral("advice"), 1.2);
    advice_->setAccessibleName(tr("Gör så här nu"));

    phone_ = textLabel(QStringLiteral("phone"), 1.7, true);
    phone_->setAccessibleName(tr("Nummer att ringa"));
    copy_phone_ = button(QStringLiteral("copyPhone"), tr("Kopiera numret"));
    phone_menu_ = textLabel(QStringLiteral("phoneMenu"), 1.1);
    condition_ = textLabel(QStringLiteral("condition"), 1.1, true);
    condition_->setAccessibleName(tr("Villkor"));
    call_box_ = new QFrame;
    call_box_->setObjectName(QStringLiteral("callBox"));
    call_box_->setFrameShape(QFrame::StyledPanel);
    {
        auto* l = new QVBoxLayout(call_box_);
        auto* row = new QHBoxLayout;
        row->addWidget(phone_, 1);
        row->addWidget(copy_phone_, 0, Qt::AlignVCenter);
        l->addLayout(row);
        l->addWidget(phone_menu_);
        l->addWidget(condition_);
    }
    next_open_ = textLabel(QStringLiteral("nextOpen"));
    note_ = textLabel(QStringLiteral("note"));
    say_ = textLabel(QStringLiteral("say"));
    say_->setAccessibleName(tr("Vad du säger i telefon"));

    case_code_ = textLabel(QStringLiteral("caseCode"), 1.2, true);
    case_code_->setAccessibleName(tr("Ärendekod"));
    copy_case_code_ = button(QStringLiteral("copyCaseCode"), tr("Kopiera ärendekoden"));
    auto* case_row = new QHBoxLayout;
    auto* case_caption = new QLabel(tr("Ärendekod:"));
    case_caption->setBuddy(copy_case_code_);
    case_row->addWidget(case_caption);
    case_row->addWidget(case_code_);
    case_row->addWidget(copy_case_code_);
    case_row->addStretch(1);
    auto* case_box = new QWidget;
    case_box->setObjectName(QStringLiteral("caseBox"));
    case_box->setLayout(case_row);

    agent_banner_ = new QFrame;
    agent_banner_->setObjectName(QStringLiteral("agentBanner"));
    agent_banner_->setFrameShape(QFrame::StyledPanel);
    agent_text_ = textLabel(QStringLiteral("agentText"));
    start_agent_ = button(QStringLiteral("startAgent"), tr("Starta agenten"));
    {
        auto* l = new QHBoxLayout(agent_banner_);
        l->addWidget(agent_text_, 1);
        l->addWidget(start_agent_);
    }

    auto* top = new QHBoxLayout;
    top->addWidget(icon_, 0, Qt::AlignTop);
    auto* top_text = new QVBoxLayout;
    top_text->addWidget(verdict_);
    top_text->addWidget(advice_);
    top->addLayout(top_text, 1);

    // The routine's steps, and the evidence of what is selected.
    steps_ = new QTreeWidget;
    steps_->setObjectName(QStringLiteral("steps"));
    steps_->setAccessibleName(tr("Rutinens steg och kontroller"));
    steps_->setColumnCount(2);
    steps_->setHeaderLabels({tr("Steg och kontroll"), tr("Resultat")});
    steps_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    steps_->header()->setStretchLastSection(true);
    steps_->setRootIsDecorated(true);
    steps_->setUniformRowHeights(false);
    steps_->setWordWrap(true);
    evidence_ = new QPlainTextEdit;
    evidence_->setObjectName(QStringLiteral("evidence"));
    evidence_->setAccessibleName(tr("Underlag för IT"));
    evidence_->setReadOnly(true);
    evidence_->setPlaceholderText(
        tr("Välj ett steg eller en kontroll för att se underlaget "
           "(tider och fel)."));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    evidence_->setFont(mono);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(steps_);
    split->addWidget(evidence_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    steps_->setMinimumHeight(fontMetrics().height() * 12);
    evidence_->setMinimumHeight(fontMetrics().height() * 5);

    // The manual steps.
    restart_hint_ = textLabel(QStringLiteral("restartHint"));
    login_refused_ = choice(QStringLiteral("loginRefused"), tr("Lösenordet nekas"),
                            tr("Steg 2: lösenordet nekas"));
    login_no_page_ = choice(QStringLiteral("loginNoPage"), tr("Inloggningssidan kommer inte upp"),
                            tr("Steg 2: inloggningssidan kommer inte upp"));
    colleague_works_ = choice(QStringLiteral("colleagueWorks"), tr("Ja, det fungerar"),
                              tr("Steg 4: för en kollega på den här datorn fungerar det"));
    colleague_fails_ = choice(QStringLiteral("colleagueFails"), tr("Nej"),
                              tr("Steg 4: för en kollega på den här datorn fungerar det inte"));
    other_works_ = choice(QStringLiteral("otherWorks"), tr("Ja, det fungerar"),
                          tr("Steg 4: på en annan dator fungerar det"));
    other_fails_ = choice(QStringLiteral("otherFails"), tr("Nej"),
                          tr("Steg 4: på en annan dator fungerar det inte"));
    auto* manual = new QGroupBox(tr("Dina svar"));
    manual->setObjectName(QStringLiteral("manualSteps"));
    {
        auto* l = new QGridLayout(manual);
        auto question = [](const QString& text) {
            auto* q = new QLabel(text);
            q->setWordWrap(true);
            return q;
        };
        l->addWidget(question(tr("Steg 2: Starta om datorn och försök logga in igen. "
                                 "Vad händer?")),
                     0, 0);
        l->addWidget(login_refused_, 0, 1);
        l->addWidget(login_no_page_, 0, 2);
        l->addWidget(restart_hint_, 1, 0, 1, 3);
        l->addWidget(question(tr("Steg 4: Fungerar det för en kollega på den här datorn?")), 2, 0);
        l->addWidget(colleague_works_, 2, 1);
        l->addWidget(colleague_fails_, 2, 2);
        l->addWidget(question(tr("Steg 4: Fungerar det på en annan dator?")), 3, 0);
        l->addWidget(other_works_, 3, 1);
        l->addWidget(other_fails_, 3, 2);
        l->setColumnStretch(0, 1);
    }

    // The buttons.
    check_again_ = button(QStringLiteral("checkAgain"), tr("Kontrollera igen"));
    progress_ = new QProgressBar;
    progress_->setObjectName(QStringLiteral("progress"));
    progress_->setAccessibleName(tr("Kontrollen pågår"));
    progress_->setRange(0, 0);
    progress_->setMaximumWidth(160);
    progress_->setTextVisible(false);
    progress_->hide();
    export_ = button(QStringLiteral("exportBundle"), tr("Spara underlag för IT"));
    email_ = button(QStringLiteral("emailSupport"), tr("Skicka e-post till supporten"));
    auto* close = button(QStringLiteral("close"), tr("Stäng"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(check_again_);
    buttons->addWidget(progress_);
    buttons->addWidget(export_);
    buttons->addWidget(email_);
    buttons->addStretch(1);
    buttons->addWidget(close);
    status_line_ = textLabel(QStringLiteral("statusLine"));

    auto* content = new QWidget;
    auto* v = new QVBoxLayout(content);
    v->setSpacing(fontMetrics().height() / 2);
    v->addWidget(agent_banner_);
    v->addLayout(top);
    v->addWidget(call_box_);
    v->addWidget(next_open_);
    v->addWidget(note_);
    v->addWidget(say_);
    v->addWidget(case_box);
    v->addWidget(manual);
    v->addWidget(split, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->addWidget(scroll, 1);
    outer->addLayout(buttons);
    outer->addWidget(status_line_);

    // Keyboard order: the answer, then what to do with it, then the details.
    setTabOrder(copy_phone_, copy_case_code_);
    setTabOrder(copy_case_code_, check_again_);
    setTabOrder(check_again_, export_);
    setTabOrder(export_, email_);
    setTabOrder(email_, steps_);
    setTabOrder(steps_, evidence_);
    setTabOrder(evidence_, login_refused_);

    connect(copy_phone_, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(phone_->text());
        status_line_->setText(tr("Numret är kopierat."));
    });
    connect(copy_case_code_, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(case_code_->text());
        status_line_->setText(tr("Ärendekoden är kopierad."));
    });
    connect(check_again_, &QPushButton::clicked, &controller_, &Controller::checkNow);
    connect(start_agent_, &QPushButton::clicked, this, [this] {
        start_agent_->setEnabled(false);
        status_line_->setText(tr("Agenten startas …"));
        controller_.startAgent();
    });
    connect(export_, &QPushButton::clicked, this, [this] {
        exporting_ = true;
        status_line_->setText(tr("Underlaget för IT sparas …"));
        updateEnabled();
        controller_.exportBundle();
    });
    connect(email_, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl(mailtoUrl())); });
    connect(close, &QPushButton::clicked, this, &QWidget::close);
    connect(steps_, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* item) { showEvidence(item); });
    connect(login_refused_, &QPushButton::clicked, this, [this] { answer("login", "refused"); });
    connect(login_no_page_, &QPushButton::clicked, this, [this] { answer("login", "no_page"); });
    connect(colleague_works_, &QPushButton::clicked, this,
            [this] { answer("same_computer_colleague", "works"); });
    connect(colleague_fails_, &QPushButton::clicked, this,
            [this] { answer("same_computer_colleague", "fails"); });
    connect(other_works_, &QPushButton::clicked, this,
            [this] { answer("other_computer", "works"); });
    connect(other_fails_, &QPushButton::clicked, this,
            [this] { answer("other_computer", "fails"); });

    connect(&controller_, &Controller::reportChanged, this, &StatusWindow::showReport);
    connect(&controller_, &Controller::agentChanged, this, [this] { showAgent(); });
    connect(&controller_, &Controller::busyChanged, this, &StatusWindow::showBusy);
    connect(&controller_, &Controller::message, this, [this](const QString& text) {
        status_line_->setText(text);
        Q_EMIT textsChanged();
    });
    connect(&controller_, &Controller::startAgentFinished, this,
            [this](bool ok, const QString& what) {
                start_agent_->setEnabled(true);
                status_line_->setText(ok ? tr("Agenten startas: %1").arg(what)
                                         : tr("Agenten kunde inte startas: %1").arg(what));
            });
    connect(&controller_, &Controller::answersFinished, this,
            [this](bool ok, const QString& error) {
                status_line_->setText(ok ? tr("Svaret är skickat – bedömningen uppdateras.")
                                         : tr("Svaret kunde inte skickas: %1").arg(error));
            });
    connect(&controller_, &Controller::exportFinished, this,
            [this](const QString& path, const QString& error) {
                exporting_ = false;
                updateEnabled();
                if (error.isEmpty())
                    status_line_->setText(tr("Underlaget för IT är sparat i %1").arg(path));
                else
                    status_line_->setText(tr("Underlaget kunde inte sparas: %1").arg(error));
                Q_EMIT textsChanged();
            });

    // Room for everything at once where the screen allows; scrolls where it does not (200%).
    QSize want(fontMetrics().height() * 56, fontMetrics().height() * 58);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        want = want.boundedTo(screen->availableSize() * 0.92);
    resize(want);
    showReport(controller_.view());
    showAgent();
}

void StatusWindow::showReport(const ReportView& view) {
    view_ = view;
    const int icon = fontMetrics().height() * 3;
    icon_->setPixmap(stateIcon(view.state).pixmap(QSize(icon, icon), devicePixelRatioF()));
    icon_->setAccessibleName(stateName(view.state));
    setWindowIcon(stateIcon(view.state));

    if (!view.valid) {
        verdict_->setText(controller_.agentRunning() == false
                              ? tr("Ingen kontroll ännu – agenten körs inte.")
                              : tr("Väntar på den första kontrollen …"));
        advice_->setText(tr("Tryck på ”Kontrollera igen” för att kontrollera nu."));
    } else {
        verdict_->setText(view.verdict);
        advice_->setText(view.advice);
    }

    // The number to call now, with the phone menu and the condition.
    if (view.valid && view.has_contact && !view.contact.phone.isEmpty()) {
        QString phone = view.contact.phone;
        phone_->setText(phone);
        QStringList how;
        if (!view.contact.name.isEmpty())
            how << view.contact.name;
        if (!view.contact.menu.isEmpty())
            how << menuText(view.contact.menu);
        if (!view.contact.phone_short.isEmpty())
            how << tr("internt %1").arg(view.contact.phone_short);
        phone_menu_->setText(how.join(QStringLiteral(" · ")));
        setShown(condition_,
                 view.condition.isEmpty()
                     ? QString()
                     : view.condition.left(1).toUpper() + view.condition.mid(1) + QLatin1Char('.'));
        call_box_->show();
    } else {
        phone_->clear();
        phone_menu_->clear();
        condition_->clear();
        call_box_->hide();
    }
    setShown(next_open_,
             view.next_open.isEmpty() ? QString() : tr("Supporten öppnar %1.").arg(view.next_open));
    setShown(note_, view.note);
    setShown(say_, view.say);
    case_code_->setText(view.case_code);
    case_code_->parentWidget()->setVisible(!view.case_code.isEmpty());

    // The steps, each with its checks and their evidence.
    const QString selected =
        steps_->currentItem() ? steps_->currentItem()->data(0, Qt::UserRole).toString() : QString();
    steps_->clear();
    QTreeWidgetItem* reselect = nullptr;
    for (const StepView& st : view.steps) {
        auto* item = new QTreeWidgetItem(steps_);
        item->setText(0, st.title);
        item->setIcon(0, markIcon(st.mark));
        item->setText(1, markWord(st.mark));
        item->setData(0, Qt::UserRole, QStringLiteral("step:%1").arg(st.number));
        item->setData(0, Qt::AccessibleTextRole,
                      st.title + QStringLiteral(": ") + markWord(st.mark));
        QStringList evidence;
        for (const CheckView& c : st.checks) {
            auto* child = new QTreeWidgetItem(item);
            child->setText(0, c.label);
            child->setIcon(0, markIcon(c.mark));
            QString result = markWord(c.mark);
            if (!c.problems.isEmpty())
                result += QStringLiteral(" – ") + c.problems;
            child->setText(1, result);
            child->setToolTip(1, result);
            child->setData(0, Qt::UserRole, QStringLiteral("check:") + c.id);
            child->setData(0, kEvidenceRole, c.label + QLatin1Char('\n') + c.evidence);
            child->setData(0, Qt::AccessibleTextRole, c.label + QStringLiteral(": ") + result);
            evidence << c.label + QStringLiteral(": ") + result;
            if (child->data(0, Qt::UserRole).toString() == selected)
                reselect = child;
        }
        if (st.number == 2) {
            auto* child = new QTreeWidgetItem(item);
            child->setText(0, tr("Omstartad sedan felet började"));
            child->setText(1, view.restarted_since_problem ? tr("ja") : tr("nej"));
            auto* login = new QTreeWidgetItem(item);
            login->setText(0, tr("Inloggning efter omstart (ditt svar)"));
            login->setText(1, answerWord(view.login));
        }
        if (st.number == 4) {
            auto* a = new QTreeWidgetItem(item);
            a->setText(0, tr("Kollega på samma dator (ditt svar)"));
            a->setText(1, answerWord(view.same_computer_colleague));
            auto* b = new QTreeWidgetItem(item);
            b->setText(0, tr("En annan dator (ditt svar)"));
            b->setText(1, answerWord(view.other_computer));
        }
        if (st.number == 5) {
            auto* a = new QTreeWidgetItem(item);
            a->setText(0, view.advice);
            a->setData(0, Qt::AccessibleTextRole, view.advice);
        }
        item->setData(0, kEvidenceRole, evidence.join(QLatin1Char('\n')));
        item->setExpanded(st.mark == Mark::fail || st.mark == Mark::warn);
        if (item->data(0, Qt::UserRole).toString() == selected)
            reselect = item;
    }
    if (reselect)
        steps_->setCurrentItem(reselect);
    else
        evidence_->clear();

    // The answers in force, as the buttons' state.
    login_refused_->setChecked(view.login == u"refused");
    login_no_page_->setChecked(view.login == u"no_page");
    colleague_works_->setChecked(view.same_computer_colleague == u"works");
    colleague_fails_->setChecked(view.same_computer_colleague == u"fails");
    other_works_->setChecked(view.other_computer == u"works");
    other_fails_->setChecked(view.other_computer == u"fails");
    setShown(restart_hint_, view.valid && view.state != TrayState::ok &&
                                    !view.restarted_since_problem && !view.case_code.isEmpty()
                                ? tr("Datorn har inte startats om sedan felet började.")
                                : QString());

    QString when;
    if (view.valid) {
        when = tr("Kontrollerat %1").arg(whenText(view.time_local));
        if (view.pretend)
            when += tr(" (låtsad tid)");
        when += view.local ? tr(" – här, utan agent.") : tr(" – av agenten.");
    }
    checked_line_ = when;
    if (!controller_.busy())
        status_line_->setText(when);
    updateEnabled();
    Q_EMIT textsChanged();
}

void StatusWindow::showAgent() {
    const bool down = controller_.usesAgent() && controller_.agentRunning() == false;
    agent_text_->setText(
        tr("Agenten körs inte, så ingenting bevakas just nu. Du kan starta den, "
           "eller kontrollera här med ”Kontrollera igen”."));
    agent_banner_->setVisible(down);
    start_agent_->setEnabled(down);
    if (!view_.valid)
        showReport(view_);
    else
        Q_EMIT textsChanged();
}

void StatusWindow::showBusy(bool busy) {
    progress_->setVisible(busy);
    status_line_->setText(busy ? tr("Kontrollerar …") : checked_line_);
    updateEnabled();
    Q_EMIT textsChanged();
}

void StatusWindow::updateEnabled() {
    const bool busy = controller_.busy();
    check_again_->setEnabled(!busy);
    check_again_->setText(busy ? tr("Kontrollerar …") : tr("Kontrollera igen"));
    for (QPushButton* b : {login_refused_, login_no_page_, colleague_works_, colleague_fails_,
                           other_works_, other_fails_})
        b->setEnabled(!busy);
    export_->setEnabled(!exporting_);
    const bool mail = !mailtoUrl().isEmpty();
    email_->setEnabled(mail);
    email_->setVisible(mail);
    if (mail)
        email_->setToolTip(
            tr("E-post till %1 med ärendekoden och sammanfattningen").arg(view_.contact.email));
    copy_phone_->setEnabled(!phone_->text().isEmpty());
    copy_case_code_->setEnabled(!view_.case_code.isEmpty());
}

void StatusWindow::showEvidence(QTreeWidgetItem* item) {
    evidence_->setPlainText(item ? item->data(0, kEvidenceRole).toString() : QString());
}

void StatusWindow::answer(const char* key, const char* value) {
    Answers a;
    const std::string v = value;
    const std::string k = key;
    if (k == "login")
        a.login = v;
    else if (k == "same_computer_colleague")
        a.same_computer_colleague = v;
    else
        a.other_computer = v;
    controller_.sendAnswers(a);
}

QString StatusWindow::mailtoUrl() const {
    // Only while the line the advice names is open: that is when it is advised.
    if (!view_.valid || !view_.has_contact || view_.contact.email.isEmpty() ||
        (view_.action != u"contact_tes_support" && view_.action != u"contact_it_support"))
        return {};
    QString subject = tr("driftkoll: %1").arg(view_.verdict);
    if (!view_.case_code.isEmpty())
        subject = tr("driftkoll, ärendekod %1: %2").arg(view_.case_code, view_.verdict);
    QStringList body;
    body << view_.verdict;
    if (!view_.case_code.isEmpty())
        body << tr("Ärendekod: %1").arg(view_.case_code);
    body << tr("Dator: %1").arg(view_.host) << tr("Kontrollerat: %1").arg(view_.time_local)
         << QString();
    for (const StepView& st : view_.steps) {
        body << markSymbol(st.mark) + QLatin1Char(' ') + st.title;
        for (const CheckView& c : st.checks)
            if (c.mark == Mark::fail || c.mark == Mark::warn)
                body << QStringLiteral("    ") + markSymbol(c.mark) + QLatin1Char(' ') + c.label +
                            (c.error.isEmpty() ? QString() : QStringLiteral(": ") + c.error);
    }
    const auto enc = [](const QString& t) {
        return QString::fromLatin1(QUrl::toPercentEncoding(t));
    };
    return QStringLiteral("mailto:") + view_.contact.email + QStringLiteral("?subject=") +
           enc(subject) + QStringLiteral("&body=") + enc(body.join(QLatin1Char('\n')));
}

Json StatusWindow::texts() const {
    Json j;
    j["state"] = s(stateKey(view_.state));
    j["valid"] = view_.valid;
    j["verdict"] = s(verdict_->text());
    j["advice"] = s(advice_->text());
    j["phone"] = s(phone_->text());
    j["phone_menu"] = s(phone_menu_->text());
    j["condition"] = s(condition_->text());
    j["next_open"] = s(next_open_->text());
    j["say"] = s(say_->text());
    j["case_code"] = s(case_code_->text());
    Json steps = Json::array();
    for (int i = 0; i < steps_->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = steps_->topLevelItem(i);
        Json checks = Json::array();
        const StepView* st = i < view_.steps.size() ? &view_.steps[i] : nullptr;
        if (st)
            for (const CheckView& c : st->checks)
                checks.push_back({{"id", s(c.id)}, {"mark", s(markName(c.mark))}});
        steps.push_back({{"title", s(item->text(0))},
                         {"mark", st ? s(markName(st->mark)) : ""},
                         {"result", s(item->text(1))},
                         {"checks", checks}});
    }
    j["steps"] = steps;
    j["check_enabled"] = check_again_->isEnabled();
    j["busy"] = controller_.busy();
    j["answers_enabled"] = login_refused_->isEnabled();
    j["email_enabled"] = email_->isEnabled();
    j["export_enabled"] = export_->isEnabled();
    j["agent_banner"] = !agent_banner_->isHidden();
    j["start_agent_enabled"] = start_agent_->isEnabled();
    j["status_line"] = s(status_line_->text());
    j["answers"] = {{"login", s(view_.login)},
                    {"same_computer_colleague", s(view_.same_computer_colleague)},
                    {"other_computer", s(view_.other_computer)}};
    j["tooltip"] = s(tooltipOf(view_, controller_.agentRunning() != false));
    return j;
}

}  // namespace dk::tray
