// The tray's models and window, with Qt Test on the offscreen platform. The
// reports in data/ are real ones, made by `driftkoll check --json` in the lab
// network (scripts/lib/lab.sh). The controller talks to a real ApiServer on a
// socket in a temporary directory, with a stand-in core behind it, so every
// click goes over the same HTTP as with the agent.
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTranslator>
#include <QTreeWidget>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/resident/agent_core.h"
#include "agent/resident/api_server.h"
#include "tests/support/temp_dir.h"
#include "tray/controller.h"
#include "tray/dialogs.h"
#include "tray/notifications.h"
#include "tray/report_view.h"
#include "tray/state_icon.h"
#include "tray/status_window.h"
#include "tray/tray_app.h"

using namespace dk;
using namespace dk::tray;
using namespace std::chrono_literals;

namespace {

Json loadReport(const char* name) {
    QFile f(QStringLiteral(DK_TRAY_DATA "/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test report %s", name);
    return Json::parse(f.readAll().toStdString());
}

QString q(const Json& j) {
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

// A core that serves what the test sets and remembers what it was asked.
class FakeCore final : public AgentCore {
public:
    std::optional<Json> lastReport() override {
        const std::lock_guard lock(mu_);
        return report_;
    }
    std::optional<Json> runNow(std::chrono::milliseconds wait) override {
        ++run_calls;
        std::this_thread::sleep_for(std::min(wait, run_takes));
        if (run_takes > wait)
            return std::nullopt;
        finishRun(next_run_);
        return lastReport();
    }
    Json history(int, bool) override { return Json::array(); }
    std::optional<std::string> setAnswers(const Answers& answers) override {
        ++answers_calls;
        {
            const std::lock_guard lock(mu_);
            last_answers = answers;
        }
        // As the agent: the answers are taken and a run follows at once.
        if (after_answers_)
            finishRun(*after_answers_);
        return std::nullopt;
    }
    std::uint64_t generation() override {
        const std::lock_guard lock(mu_);
        return generation_;
    }
    std::uint64_t waitForChange(std::uint64_t seen, std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, timeout, [&] { return generation_ > seen || cancelled_; });
        return generation_;
    }
    void cancelWaits() override {
        {
            const std::lock_guard lock(mu_);
            cancelled_ = true;
        }
        cv_.notify_all();
    }
    Bundle exportBundle() override {
        ++export_calls;
        return {"/home/anna/.cache/driftkoll/driftkoll-vm-20261128T1900.zip", ""};
    }

    // A run finished with `report`.
    void finishRun(const Json& report) {
        {
            const std::lock_guard lock(mu_);
            report_ = report;
            ++generation_;
        }
        cv_.notify_all();
    }
    void setNextRun(Json r) { next_run_ = std::move(r); }
    void setAfterAnswers(Json r) { after_answers_ = std::move(r); }
    Answers answers() {
        const std::lock_guard lock(mu_);
        return last_answers;
    }

    std::chrono::milliseconds run_takes{0};
    std::atomic<int> run_calls{0}, answers_calls{0}, export_calls{0};

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::optional<Json> report_;
    Json next_run_;
    std::optional<Json> after_answers_;
    Answers last_answers;
    std::uint64_t generation_ = 1;
    bool cancelled_ = false;
};

// A real API server on a socket in a temporary directory, with a FakeCore.
struct Agent {
    test::TempDir dir{"tray"};
    FakeCore core;
    std::unique_ptr<ApiServer> server;
    std::string socket = (dir / "api.sock").string();

    explicit Agent(std::optional<Json> report) {
        if (report)
            core.finishRun(*report);
        std::string err;
        server = ApiServer::start(socket, core, &err);
        if (!server)
            qFatal("the API server did not start: %s", err.c_str());
    }
    ~Agent() { server->stop(); }
};

// Options for a controller that never touches this machine's network.
struct Stand {
    std::atomic<int> local_checks{0}, agent_starts{0};
    Json local_report;

    ControllerOptions options(const std::string& socket) {
        ControllerOptions o;
        o.socket_path = socket;
        o.retry_delay = 200ms;
        o.events_timeout = 2000ms;
        o.local_check = [this](const Answers&) {
            ++local_checks;
            Json j = local_report;
            j["source"] = "local";
            return LocalReport{j, {}};
        };
        o.local_export = [] { return BundleResult{"/tmp/local-bundle.zip", {}}; };
        o.start_agent = [this] {
            ++agent_starts;
            return std::pair<bool, std::string>{true, "systemctl --user start"};
        };
        return o;
    }
};

template <typename W>
W* find(QWidget& w, const char* name) {
    W* child = w.findChild<W*>(QString::fromLatin1(name));
    if (!child)
        qFatal("no widget %s", name);
    return child;
}

QString text(QWidget& w, const char* name) {
    return find<QLabel>(w, name)->text();
}

}  // namespace

class TrayTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The icon: fault for TES or the network, warning for the rest, unknown without a report.
    void iconStateFollowsTheDomain() {
        QCOMPARE(stateOfDomain(QStringLiteral("all_ok"), false), TrayState::ok);
        for (const char* d : {"no_link", "no_address", "no_gateway", "dns", "network_down",
                              "internal_network", "clock_skew", "this_computer", "account"})
            QCOMPARE(stateOfDomain(QString::fromLatin1(d), false), TrayState::fault);
        for (const char* d :
             {"service_degraded", "planned_maintenance", "internet", "a_domain_added_later"})
            QCOMPARE(stateOfDomain(QString::fromLatin1(d), false), TrayState::warning);
        QCOMPARE(stateOfDomain(QString(), false), TrayState::unknown);

        QCOMPARE(viewOf(loadReport("all_ok.json")).state, TrayState::ok);
        QCOMPARE(viewOf(loadReport("no_link.json")).state, TrayState::fault);
        QCOMPARE(viewOf(loadReport("tes_down_saturday.json")).state, TrayState::fault);
        QCOMPARE(viewOf(Json()).state, TrayState::unknown);
        QVERIFY(!viewOf(Json()).valid);
    }

    // Another business system down while TES works: a warning, not a fault.
    void aSystemOtherThanTesDownIsAWarning() {
        Json r = loadReport("tes_down_saturday.json");
        r["diagnosis"]["systems"] = {"intranet"};
        QCOMPARE(viewOf(r).state, TrayState::warning);
    }

    // The icon is red only when the advice asks the user to do something now; a report
    // that asks nothing (all the outside sites down, or a wait) is a warning at most.
    void faultOnlyWhenThereIsSomethingToDo() {
        for (const char* a : {"check_cables", "restart_computer", "contact_tes_support",
                              "contact_it_support", "call_oncall", "contact_own_organisation",
                              "an_action_added_later"}) {
            QVERIFY2(actionAsksTheUser(QString::fromLatin1(a)), a);
            QCOMPARE(stateOf(QStringLiteral("network_down"), false, QString::fromLatin1(a)),
                     TrayState::fault);
        }
        for (const char* a : {"none", "wait_planned_maintenance", "wait_next_weekday", ""})
            QVERIFY2(!actionAsksTheUser(QString::fromLatin1(a)), a);
        for (const char* a : {"none", "wait_planned_maintenance", "wait_next_weekday"})
            for (const char* d : {"no_link", "dns", "network_down", "account", "service_down"})
                QCOMPARE(stateOf(QString::fromLatin1(d), true, QString::fromLatin1(a)),
                         TrayState::warning);
        // Never above what the domain says; all fine stays fine; no report stays unknown.
        QCOMPARE(stateOf(QStringLiteral("service_degraded"), false,
                         QStringLiteral("contact_tes_support")),
                 TrayState::warning);
        QCOMPARE(stateOf(QStringLiteral("service_down"), false, QStringLiteral("call_oncall")),
                 TrayState::warning);
        QCOMPARE(stateOf(QStringLiteral("all_ok"), false, QStringLiteral("none")), TrayState::ok);
        QCOMPARE(stateOf(QString(), false, QString()), TrayState::unknown);
        // A report without advice: the domain alone.
        QCOMPARE(stateOf(QStringLiteral("no_link"), false, QString()), TrayState::fault);

        // Real reports: something to do now is a fault.
        QCOMPARE(viewOf(loadReport("no_link.json")).state, TrayState::fault);             // cables
        QCOMPARE(viewOf(loadReport("tes_down_wednesday.json")).state, TrayState::fault);  // TES line
        QCOMPARE(viewOf(loadReport("tes_down_saturday.json")).state, TrayState::fault);   // on-call
        // Login refused on a Saturday evening: the on-call cannot help, wait for Monday.
        const ReportView refused = viewOf(loadReport("login_refused_saturday.json"));
        QCOMPARE(refused.domain, QStringLiteral("account"));
        QCOMPARE(refused.action, QStringLiteral("wait_next_weekday"));
        QCOMPARE(refused.state, TrayState::warning);
        // Only the outside sites fail: "Du behöver inte göra något".
        const Json outside = loadReport("outside_down.json");
        QCOMPARE(viewOf(outside).domain, QStringLiteral("internet"));
        QCOMPARE(viewOf(outside).action, QStringLiteral("none"));
        QCOMPARE(viewOf(outside).state, TrayState::warning);
        // The same when the outside sites' names are not found (`dns`, a fault by domain).
        Json by_name = outside;
        by_name["diagnosis"]["domain"] = "dns";
        QCOMPARE(stateOfDomain(QStringLiteral("dns"), false), TrayState::fault);
        QCOMPARE(viewOf(by_name).state, TrayState::warning);
    }

    // A notification only for a report that asks the user to do something; an incident
    // that first asked nothing is announced when it does (the line opens on Monday).
    void notificationsOnlyWhenThereIsSomethingToDo() {
        auto now = std::chrono::system_clock::time_point{} + 1000h;
        NotificationPolicy p([&] { return now; });
        auto consider = [&](const Json& report) {
            const ReportView v = viewOf(report);
            return p.consider(v.state, NotificationPolicy::incidentKey(v), false, false);
        };
        const Json outside = loadReport("outside_down.json");
        QCOMPARE(consider(outside), NotifyDecision::not_a_fault);
        Json by_name = outside;
        by_name["diagnosis"]["domain"] = "dns";
        QCOMPARE(consider(by_name), NotifyDecision::not_a_fault);
        const Json refused = loadReport("login_refused_saturday.json");
        QCOMPARE(consider(refused), NotifyDecision::not_a_fault);
        now += 1h;
        Json monday = refused;
        monday["advice"]["action"] = "contact_tes_support";
        QCOMPARE(consider(monday), NotifyDecision::show);
        now += 1h;
        QCOMPARE(consider(loadReport("tes_down_saturday.json")), NotifyDecision::show);
    }

    // Every text the window shows is the report's own field.
    void viewReadsTheReportFieldByField() {
        const Json r = loadReport("tes_down_saturday.json");
        const ReportView v = viewOf(r);
        QVERIFY(v.valid);
        QCOMPARE(v.domain, QStringLiteral("service_down"));
        QCOMPARE(v.action, QStringLiteral("call_oncall"));
        QCOMPARE(v.verdict, q(r["diagnosis"]["summary"]));
        QCOMPARE(v.advice, q(r["advice"]["text"]));
        QCOMPARE(v.condition, q(r["advice"]["condition"]));
        QCOMPARE(v.contact.phone, q(r["advice"]["contact"]["phone"]));
        QCOMPARE(v.case_code, q(r["advice"]["case_code"]));
        QVERIFY(!v.case_code.isEmpty());
        QCOMPARE(v.steps.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(v.steps[i].number, i + 1);
            QCOMPARE(v.steps[i].title, q(r["steps"][i]["title"]));
            QCOMPARE(v.steps[i].mark, markOf(q(r["steps"][i]["status"])));
        }
        // TES's check, with its exact error and its timings, in step 2.
        const CheckView* tes = nullptr;
        for (const CheckView& c : v.steps[1].checks)
            if (c.id == u"http:tes")
                tes = &c;
        QVERIFY(tes);
        QCOMPARE(tes->mark, Mark::fail);
        for (const auto& check : r["checks"])
            if (check["id"] == "http:tes") {
                QCOMPARE(tes->error, q(check["error"]));
                QVERIFY(tes->evidence.contains(q(check["error"])));
            }
        QVERIFY(tes->evidence.contains(QStringLiteral("dns ")));
        QVERIFY(tes->evidence.contains(QStringLiteral("tcp_timeout")));
    }

    // The four states differ without colour: in black and white (shape and symbol) no two are
    // alike.
    void statesDifferInShapeNotOnlyColour() {
        const TrayState states[] = {TrayState::ok, TrayState::warning, TrayState::fault,
                                    TrayState::unknown};
        for (int size : {22, 44}) {
            // What a monochrome panel shows: transparent, dark or light, per pixel.
            std::vector<int> mono[4];
            for (int i = 0; i < 4; ++i) {
                const QImage img = stateImage(states[i], size);
                for (int y = 0; y < size; ++y)
                    for (int x = 0; x < size; ++x) {
                        const QColor c = img.pixelColor(x, y);
                        mono[i].push_back(c.alpha() < 128 ? 0 : (qGray(c.rgb()) < 140 ? 1 : 2));
                    }
            }
            for (int a = 0; a < 4; ++a)
                for (int b = a + 1; b < 4; ++b) {
                    int differ = 0;
                    for (std::size_t p = 0; p < mono[a].size(); ++p)
                        differ += mono[a][p] != mono[b][p];
                    QVERIFY2(differ > size * size / 20,
                             qPrintable(QStringLiteral("states %1 and %2 differ in %3 pixels")
                                            .arg(a)
                                            .arg(b)
                                            .arg(differ)));
                }
        }
        // And the icon paints at any size.
        QCOMPARE(stateIcon(TrayState::fault).pixmap(QSize(64, 64)).size(), QSize(64, 64));
    }

    // A fault is announced once per incident; nothing else is.
    void notificationsOnlyForANewFault() {
        auto now = std::chrono::system_clock::time_point{} + 1000h;
        NotificationPolicy p([&] { return now; });
        QCOMPARE(p.consider(TrayState::ok, QStringLiteral("domain:all_ok"), false, false),
                 NotifyDecision::not_a_fault);
        QCOMPARE(p.consider(TrayState::warning, QStringLiteral("K1"), false, false),
                 NotifyDecision::not_a_fault);
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K1"), false, false),
                 NotifyDecision::show);
        now += 1h;
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K1"), false, false),
                 NotifyDecision::same_incident);
    }

    // Two incidents in quick succession: the second waits out the interval.
    void notificationsAreRateLimited() {
        auto now = std::chrono::system_clock::time_point{} + 1000h;
        NotificationPolicy p([&] { return now; }, 10min);
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K1"), false, false),
                 NotifyDecision::show);
        now += 3min;
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K2"), false, false),
                 NotifyDecision::rate_limited);
        now += 8min;
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K2"), false, false),
                 NotifyDecision::show);
    }

    // Quiet silences the incident for good; a presentation only postpones it.
    void quietAndPresentingHoldNotificationsBack() {
        auto now = std::chrono::system_clock::time_point{} + 1000h;
        NotificationPolicy p([&] { return now; });
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K1"), true, false),
                 NotifyDecision::quiet);
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K1"), false, false),
                 NotifyDecision::same_incident);
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K2"), false, true),
                 NotifyDecision::presenting);
        QCOMPARE(p.consider(TrayState::fault, QStringLiteral("K2"), false, false),
                 NotifyDecision::show);
        // A tray started again remembers what was announced.
        NotificationPolicy again([&] { return now; });
        again.restore(p.announced());
        QCOMPARE(again.consider(TrayState::fault, QStringLiteral("K2"), false, false),
                 NotifyDecision::same_incident);
        QCOMPARE(again.consider(TrayState::fault, QStringLiteral("K3"), false, false),
                 NotifyDecision::show);
    }

    // The window over the agent's socket: the verdict, the number, the condition,
    // the case code and the step marks are the report's.
    void windowShowsTheAgentsReport() {
        const Json r = loadReport("tes_down_saturday.json");
        Agent agent(r);
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        c.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.view().valid, 5000);
        QCOMPARE(c.agentRunning(), std::optional<bool>(true));
        QCOMPARE(text(w, "verdict"), q(r["diagnosis"]["summary"]));
        QCOMPARE(text(w, "advice"), q(r["advice"]["text"]));
        QCOMPARE(text(w, "phone"), QStringLiteral("019-21 20 00"));
        QVERIFY(text(w, "phoneMenu").contains(q(r["advice"]["contact"]["name"])));
        QVERIFY(text(w, "condition").contains(q(r["advice"]["condition"]).mid(1)));
        QCOMPARE(text(w, "caseCode"), q(r["advice"]["case_code"]));
        const Json t = w.texts();
        QCOMPARE(q(t["state"]), QStringLiteral("fault"));
        for (int i = 0; i < 5; ++i) QCOMPARE(q(t["steps"][i]["mark"]), q(r["steps"][i]["status"]));
        auto* tree = find<QTreeWidget>(w, "steps");
        QCOMPARE(tree->topLevelItemCount(), 5);
        QCOMPARE(tree->topLevelItem(1)->text(0), q(r["steps"][1]["title"]));
        QCOMPARE(tree->topLevelItem(1)->text(1), markWord(Mark::fail));
        // The evidence is one click away: select TES's check.
        QTreeWidgetItem* tes = nullptr;
        for (int i = 0; i < tree->topLevelItem(1)->childCount(); ++i)
            if (tree->topLevelItem(1)->child(i)->text(0) == u"TES")
                tes = tree->topLevelItem(1)->child(i);
        QVERIFY(tes);
        QCOMPARE(tes->text(1).left(markWord(Mark::fail).size()), markWord(Mark::fail));
        tree->setCurrentItem(tes);
        const QString evidence = find<QPlainTextEdit>(w, "evidence")->toPlainText();
        QVERIFY2(evidence.contains(QStringLiteral("Connection timed out")), qPrintable(evidence));
        // Saturday evening: no office line is open, so no e-mail.
        QVERIFY(!find<QPushButton>(w, "emailSupport")->isEnabled());
        QVERIFY(find<QPushButton>(w, "checkAgain")->isEnabled());
        QVERIFY(find<QWidget>(w, "agentBanner")->isHidden());
    }

    // While the TES line is open, a pre-filled e-mail to its address.
    void emailOnlyWhileTheSupportLineIsOpen() {
        const Json r = loadReport("tes_down_wednesday.json");
        Agent agent(r);
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        c.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.view().valid, 5000);
        QCOMPARE(q(r["advice"]["action"]), QStringLiteral("contact_tes_support"));
        QVERIFY(find<QPushButton>(w, "emailSupport")->isEnabled());
        const QString mail = w.mailtoUrl();
        QVERIFY(mail.startsWith(QStringLiteral("mailto:vardochstod@orebro.se?subject=")));
        QVERIFY(mail.contains(q(r["advice"]["case_code"])));
        // An all-clear has no one to write to.
        agent.core.finishRun(loadReport("all_ok.json"));
        QTRY_COMPARE_WITH_TIMEOUT(c.view().state, TrayState::ok, 5000);
        QVERIFY(!find<QPushButton>(w, "emailSupport")->isEnabled());
        QVERIFY(w.mailtoUrl().isEmpty());
        QVERIFY(!find<QPushButton>(w, "copyCaseCode")->isEnabled());
    }

    // A new run in the agent reaches the window through the long-poll, unasked.
    void longPollBringsNewReports() {
        Agent agent(loadReport("all_ok.json"));
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        c.start();
        QTRY_COMPARE_WITH_TIMEOUT(c.view().state, TrayState::ok, 5000);
        const Json cable = loadReport("no_link.json");
        agent.core.finishRun(cable);
        QTRY_COMPARE_WITH_TIMEOUT(text(w, "verdict"), q(cable["diagnosis"]["summary"]), 5000);
        QCOMPARE(q(w.texts()["steps"][0]["mark"]), QStringLiteral("fail"));
        QVERIFY(find<QWidget>(w, "callBox")->isHidden());  // no one to call: check the cable
    }

    // The answers of steps 2 and 4 go to the agent, and the new verdict follows.
    void manualAnswersGoToTheAgent() {
        Json before = loadReport("tes_down_saturday.json");
        Agent agent(before);
        Json after = before;
        after["diagnosis"]["domain"] = "this_computer";
        after["diagnosis"]["summary"] = "Felet verkar sitta i den här datorn.";
        after["advice"]["text"] = "Starta om datorn.";
        after["steps"][3]["answers"]["other_computer"] = "works";
        agent.core.setAfterAnswers(after);
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        c.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.view().valid, 5000);

        QTest::mouseClick(find<QPushButton>(w, "otherWorks"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(agent.core.answers_calls.load(), 1, 5000);
        QCOMPARE(agent.core.answers().other_computer, std::optional<std::string>("works"));
        QVERIFY(!agent.core.answers().login);
        QTRY_COMPARE_WITH_TIMEOUT(text(w, "verdict"),
                                  QStringLiteral("Felet verkar sitta i den här datorn."), 5000);
        QCOMPARE(text(w, "advice"), QStringLiteral("Starta om datorn."));
        QVERIFY(find<QPushButton>(w, "otherWorks")->isChecked());
        QVERIFY(!find<QPushButton>(w, "otherFails")->isChecked());

        QTest::mouseClick(find<QPushButton>(w, "loginRefused"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(agent.core.answers_calls.load(), 2, 5000);
        QCOMPARE(agent.core.answers().login, std::optional<std::string>("refused"));
    }

    // "Check again": disabled with a progress bar while the agent runs, then the report.
    void checkAgainShowsProgressWhileRunning() {
        Agent agent(loadReport("all_ok.json"));
        agent.core.run_takes = 800ms;
        agent.core.setNextRun(loadReport("no_link.json"));
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        w.show();
        c.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.view().valid, 5000);
        auto* again = find<QPushButton>(w, "checkAgain");
        QTest::mouseClick(again, Qt::LeftButton);
        QVERIFY(!again->isEnabled());
        QVERIFY(find<QProgressBar>(w, "progress")->isVisible());
        QVERIFY(!find<QPushButton>(w, "loginRefused")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(again->isEnabled(), 5000);
        QVERIFY(!find<QProgressBar>(w, "progress")->isVisible());
        QCOMPARE(agent.core.run_calls.load(), 1);
        QCOMPARE(c.view().domain, QStringLiteral("no_link"));
        QCOMPARE(stand.local_checks.load(), 0);
    }

    // The bundle for IT: the window says where the file went.
    void exportSaysWhereTheFileWent() {
        Agent agent(loadReport("no_link.json"));
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        c.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.agentRunning() == true, 5000);
        QTest::mouseClick(find<QPushButton>(w, "exportBundle"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(agent.core.export_calls.load(), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            text(w, "statusLine").contains(QStringLiteral("driftkoll-vm-20261128T1900.zip")), 5000);
        QVERIFY(find<QPushButton>(w, "exportBundle")->isEnabled());
    }

    // The number and the case code go to the clipboard.
    void copyButtonsCopyNumberAndCaseCode() {
        const Json r = loadReport("tes_down_saturday.json");
        Agent agent(r);
        Stand stand;
        Controller c(stand.options(agent.socket));
        StatusWindow w(c);
        c.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.view().valid, 5000);
        QTest::mouseClick(find<QPushButton>(w, "copyPhone"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("019-21 20 00"));
        QTest::mouseClick(find<QPushButton>(w, "copyCaseCode"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), q(r["advice"]["case_code"]));
    }

    // No agent: the window says so, offers to start it, and checks in-process.
    void withoutAnAgentTheTrayChecksItself() {
        test::TempDir dir("tray-none");
        Stand stand;
        stand.local_report = loadReport("no_link.json");
        Controller c(stand.options((dir / "api.sock").string()));
        StatusWindow w(c);
        c.start();
        QTRY_COMPARE_WITH_TIMEOUT(c.agentRunning(), std::optional<bool>(false), 5000);
        QVERIFY(!find<QWidget>(w, "agentBanner")->isHidden());
        QVERIFY(find<QPushButton>(w, "startAgent")->isEnabled());
        QVERIFY(!c.view().valid);
        QCOMPARE(
            tooltipOf(c.view(), false),
            QStringLiteral("driftkoll – Agenten körs inte, så ingen kontroll har gjorts ännu."));

        QTest::mouseClick(find<QPushButton>(w, "checkAgain"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(c.view().valid, 5000);
        QCOMPARE(stand.local_checks.load(), 1);
        QVERIFY(c.view().local);
        QCOMPARE(text(w, "verdict"), q(stand.local_report["diagnosis"]["summary"]));
        QTRY_VERIFY_WITH_TIMEOUT(text(w, "statusLine").contains(QStringLiteral("utan agent")),
                                 5000);

        QTest::mouseClick(find<QPushButton>(w, "startAgent"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stand.agent_starts.load(), 1, 5000);
    }

    // "Start the agent" without the user unit: `driftkoll agent` started detached,
    // with the tray's own config.
    void startingTheAgentRunsDriftkollAgent() {
        test::TempDir dir("tray-start");
        const QString program = QString::fromStdString((dir / "driftkoll").string());
        const QString args = QString::fromStdString((dir / "args").string());
        {
            QFile f(program);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("#!/bin/sh\necho \"$@\" > %1.new && mv %1.new %1\n")
                        .arg(args)
                        .toUtf8());
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        }
        auto start = makeAgentStarter(program.toStdString(), "/etc/driftkoll-test.toml");
        auto [ok, what] = start();
        QVERIFY2(ok, what.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(args), 5000);
        QFile f(args);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()).trimmed(),
                 QStringLiteral("agent --config /etc/driftkoll-test.toml"));
        // A program that is not there is said so, not pretended.
        auto missing = makeAgentStarter((dir / "nothing").string(), "/etc/driftkoll-test.toml");
        QVERIFY(!missing().first);
    }

    // The agent comes up later: the watcher finds it and the banner goes.
    void theTrayFindsAnAgentThatStartsLater() {
        test::TempDir dir("tray-later");
        Stand stand;
        const std::string socket = (dir / "api.sock").string();
        Controller c(stand.options(socket));
        StatusWindow w(c);
        c.start();
        QTRY_COMPARE_WITH_TIMEOUT(c.agentRunning(), std::optional<bool>(false), 5000);
        FakeCore core;
        core.finishRun(loadReport("all_ok.json"));
        std::string err;
        auto server = ApiServer::start(socket, core, &err);
        QVERIFY(server);
        QTRY_COMPARE_WITH_TIMEOUT(c.agentRunning(), std::optional<bool>(true), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(c.view().state, TrayState::ok, 5000);
        QVERIFY(find<QWidget>(w, "agentBanner")->isHidden());
        server->stop();
    }

    // The menu of the issue, in its order, and the small window where no tray exists.
    void menuAndFallbackWindow() {
        test::TempDir dir("tray-menu");
        Stand stand;
        TrayOptions o;
        o.no_tray = true;
        TrayApp app(o, stand.options((dir / "api.sock").string()));
        QStringList names;
        for (QAction* a : app.menu().actions())
            if (!a->isSeparator())
                names << a->objectName();
        QCOMPARE(names,
                 (QStringList{QStringLiteral("actionCheckNow"), QStringLiteral("actionShowStatus"),
                              QStringLiteral("actionWhomToCall"), QStringLiteral("actionCarelock"),
                              QStringLiteral("actionMaintenance"), QStringLiteral("actionExport"),
                              QStringLiteral("actionQuiet"), QStringLiteral("actionAbout"),
                              QStringLiteral("actionQuit")}));
        app.start();
        QVERIFY(app.fallbackWindow());
        QVERIFY(app.fallbackWindow()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(app.iconState(), TrayState::unknown, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(app.controller().agentRunning() == false, 5000);
        QVERIFY(app.toolTip().contains(QStringLiteral("Agenten körs inte")));
        // Quiet is a setting that stays.
        app.setQuiet(true);
        QVERIFY(QSettings().value(QStringLiteral("notifications/quiet")).toBool());
        app.setQuiet(false);
    }

    // "Whom do I call now?" and the Carelock guide are the agent's, for that moment.
    void whomToCallAndCarelockComeFromTheAgent() {
        TrayContext saturday{"", Lang::sv, std::string("2026-11-28T19:00")};
        const QString who = contactsNowText(saturday);
        QVERIFY2(who.contains(QStringLiteral("Jourhavande datatekniker")), qPrintable(who));
        QVERIFY(who.contains(QStringLiteral("STÄNGT")));
        const QString lock = carelockGuideText(saturday);
        const QString now = lock.section(QStringLiteral("Hela guiden:"), 0, 0);
        QVERIFY2(now.contains(QStringLiteral("019-21 49 44")), qPrintable(lock));
        QVERIFY(!now.contains(QStringLiteral("019-21 36 06")));
        TrayContext wednesday{"", Lang::sv, std::string("2026-12-02T10:30")};
        QVERIFY(carelockGuideText(wednesday)
                    .section(QStringLiteral("Hela guiden:"), 0, 0)
                    .contains(QStringLiteral("019-21 36 06")));
    }

    // English by translation: the tray's own words, from the embedded .qm.
    void englishByLocale() {
        QTranslator en;
        QVERIFY(en.load(QStringLiteral(":/i18n/driftkoll-tray_en.qm")));
        QCoreApplication::installTranslator(&en);
        QCOMPARE(StatusWindow::tr("Kontrollera igen"), QStringLiteral("Check again"));
        QCOMPARE(markWord(Mark::fail), QStringLiteral("does not work"));
        QCOMPARE(stateName(TrayState::fault), QStringLiteral("Fault"));
        QCoreApplication::removeTranslator(&en);
        QCOMPARE(StatusWindow::tr("Kontrollera igen"), QStringLiteral("Kontrollera igen"));
    }
};

QTEST_MAIN(TrayTest)
#include "tray_test.moc"
