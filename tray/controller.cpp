#include "tray/controller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "agent/cli/agent_commands.h"
#include "agent/cli/api_client.h"
#include "agent/resident/api_server.h"
#include "agent/check/check.h"
#include "agent/resident/export.h"
#include "agent/decide/local_time.h"
#include "agent/resident/logging.h"
#include "agent/check/report.h"
#include "agent/gather/runner.h"
#include "agent/os/run_program.h"

namespace dk::tray {

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

// Runs a program (looked up in $PATH) and waits for it: whether it exited with 0.
// runProgram, not QProcess: this runs on a thread without a Qt event loop.
bool runsOk(const QString& program, std::vector<std::string> args) {
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty())
        return false;
    ProgramRun run;
    run.argv = {path.toStdString()};
    run.argv.insert(run.argv.end(), args.begin(), args.end());
    run.timeout = std::chrono::seconds(10);
    return runProgram(run).ok();
}

}  // namespace

// What the controller shares with the threads it starts. The threads hold it
// alive; `owner` is cleared (under `mu`) when the controller goes, so a result
// that comes later is dropped instead of delivered to nothing.
struct Controller::Shared {
    explicit Shared(std::string socket) : client(std::move(socket)) {}

    std::mutex mu;
    std::condition_variable cv;
    Controller* owner = nullptr;
    bool stop = false;
    bool wake = false;  // look for the agent again now
    const ApiClient client;

    // Runs `f` on the controller's thread, if the controller still exists then.
    template <typename F>
    void post(F f) {
        const std::lock_guard lock(mu);
        if (!owner)
            return;
        Controller* o = owner;
        QMetaObject::invokeMethod(
            o, [o, f = std::move(f)]() mutable { f(*o); }, Qt::QueuedConnection);
    }

    // Sleeps for `d`, or until stopped or woken. False when stopped.
    bool sleep(std::chrono::milliseconds d) {
        std::unique_lock lock(mu);
        cv.wait_for(lock, d, [&] { return stop || wake; });
        wake = false;
        return !stop;
    }

    bool stopped() {
        const std::lock_guard lock(mu);
        return stop;
    }
};

std::function<LocalReport(const Answers&)> makeLocalCheck(std::string config_path, Lang lang,
                                                          std::optional<std::string> at) {
    return [config_path, lang, at](const Answers& answers) {
        std::ostringstream err;
        auto cfg = loadConfigOrReport(config_path, err);
        if (!cfg)
            return LocalReport{Json(), err.str()};
        CheckRequest req;
        req.lang = lang;
        req.answers = answers;
        if (at) {
            TimeError terr;
            req.at = parseLocal(*at, cfg->timezone, &terr);
            if (!req.at)
                return LocalReport{Json(), terr.message};
            // As `driftkoll check --at`: the incident is read, never changed.
            req.record = false;
        }
        Outcome o = performCheck(*cfg, systemRunnerDeps(), req);
        Json j = reportJson(o, *cfg, lang);
        j["source"] = "local";
        return LocalReport{std::move(j), {}};
    };
}

std::function<BundleResult()> makeLocalExport(std::string config_path) {
    return [config_path] {
        std::ostringstream ignore;
        auto cfg = loadConfigOrReport(config_path, ignore);
        ExportOptions e;
        e.out_path = defaultCacheDir();
        e.log_dir = defaultLogDir();
        e.config = cfg ? &*cfg : nullptr;
        ExportResult r = dk::exportBundle(e);
        return BundleResult{r.path, r.error};
    };
}

std::function<std::pair<bool, std::string>()> makeAgentStarter(std::string driftkoll_program,
                                                               std::string config_path) {
    return [driftkoll_program, config_path]() -> std::pair<bool, std::string> {
        // The user unit first (packaging/driftkoll-agent.service.in): restarts and sandbox.
        // Not with a --config of the tray's own: the unit reads the usual files.
        if (config_path.empty() &&
            runsOk(QStringLiteral("systemctl"),
                   {"--user", "--no-block", "start", "driftkoll-agent.service"}))
            return {true, "systemctl --user start driftkoll-agent.service"};
        QString program = QString::fromStdString(driftkoll_program);
        if (program.isEmpty()) {
            const QString beside =
                QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("driftkoll"));
            program = QFileInfo(beside).isExecutable()
                          ? beside
                          : QStandardPaths::findExecutable(QStringLiteral("driftkoll"));
        }
        if (program.isEmpty())
            return {false, "driftkoll: not found"};
        QStringList args{QStringLiteral("agent")};
        if (!config_path.empty())
            args << QStringLiteral("--config") << QString::fromStdString(config_path);
        if (!QProcess::startDetached(program, args))
            return {false, program.toStdString() + " agent: could not be started"};
        return {true, program.toStdString() + " agent"};
    };
}

Controller::Controller(ControllerOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
    if (!options_.local_check)
        options_.local_check = makeLocalCheck({}, Lang::sv, std::nullopt);
    if (!options_.local_export)
        options_.local_export = makeLocalExport({});
    if (!options_.start_agent)
        options_.start_agent = makeAgentStarter({}, {});
    shared_ = std::make_shared<Shared>(options_.socket_path.empty() ? ApiServer::defaultSocketPath()
                                                                    : options_.socket_path);
    shared_->owner = this;
    busy_timer_.setSingleShot(true);
    busy_timer_.setInterval(static_cast<int>(options_.busy_timeout.count()));
    connect(&busy_timer_, &QTimer::timeout, this, [this] {
        awaiting_report_ = false;
        setBusy(false);
    });
}

Controller::~Controller() {
    const std::lock_guard lock(shared_->mu);
    shared_->owner = nullptr;
    shared_->stop = true;
    shared_->cv.notify_all();
}

const std::string& Controller::socketPath() const {
    return shared_->client.socketPath();
}

void Controller::start() {
    if (!options_.use_agent) {
        checkNow();
        return;
    }
    // The watcher: the first report, then one long-poll after another.
    std::thread([s = shared_, retry = options_.retry_delay, poll = options_.events_timeout] {
        bool have = false;  // the report of generation `since` has been fetched
        std::uint64_t since = 0;
        while (!s->stopped()) {
            if (!have) {
                ApiResult h = s->client.health();
                if (!h.connected) {
                    s->post([why = q(h.error)](Controller& c) { c.setAgent(false, why); });
                    if (!s->sleep(retry))
                        return;
                    continue;
                }
                if (h.ok && h.body.contains("generation") && h.body["generation"].is_number())
                    since = h.body["generation"].get<std::uint64_t>();
                ApiResult r = s->client.report();
                s->post([r](Controller& c) {
                    c.setAgent(true, {});
                    if (r.ok)
                        c.setReport(r.body);
                });
                have = true;
                continue;
            }
            ApiResult e = s->client.events(since, poll);
            if (!e.connected || !e.ok) {
                have = false;
                if (!e.connected)
                    s->post([why = q(e.error)](Controller& c) { c.setAgent(false, why); });
                if (!s->sleep(retry))
                    return;
                continue;
            }
            std::uint64_t g = since;
            if (e.body.contains("generation") && e.body["generation"].is_number())
                g = e.body["generation"].get<std::uint64_t>();
            if (g == since)
                continue;  // the long-poll ran out: nothing new
            since = g;     // newer, or lower after the agent restarted
            ApiResult r = s->client.report();
            if (r.ok)
                s->post([r](Controller& c) { c.setReport(r.body); });
        }
    }).detach();
}

void Controller::setAgent(bool running, const QString& why) {
    if (agent_running_ == running)
        return;
    agent_running_ = running;
    Q_EMIT agentChanged(running, why);
}

void Controller::setReport(const Json& report) {
    report_ = report;
    view_ = viewOf(report);
    if (awaiting_report_) {
        awaiting_report_ = false;
        setBusy(false);
    }
    Q_EMIT reportChanged(view_);
}

void Controller::setBusy(bool busy) {
    if (busy)
        busy_timer_.start();
    else
        busy_timer_.stop();
    if (busy_ == busy)
        return;
    busy_ = busy;
    Q_EMIT busyChanged(busy);
}

void Controller::runLocal() {
    setBusy(true);
    awaiting_report_ = false;
    std::thread([s = shared_, check = options_.local_check, answers = local_answers_] {
        LocalReport r = check(answers);
        s->post([r](Controller& c) {
            if (!r.error.empty())
                Q_EMIT c.message(QCoreApplication::translate("dk::tray::Controller",
                                                             "Kontrollen kunde inte göras: %1")
                                     .arg(q(r.error)));
            else
                c.setReport(r.report);
            c.setBusy(false);
        });
    }).detach();
}

void Controller::checkNow() {
    if (busy_)
        return;
    if (!options_.use_agent || agent_running_ != true) {
        if (options_.use_agent)
            Q_EMIT message(QCoreApplication::translate(
                "dk::tray::Controller", "Ingen agent svarar – kontrollen görs nu, här."));
        runLocal();
        return;
    }
    setBusy(true);
    awaiting_report_ = true;
    std::thread([s = shared_, wait = options_.run_wait] {
        ApiResult r = s->client.run(wait);
        s->post([r](Controller& c) {
            if (!r.connected) {
                c.setAgent(false, q(r.error));
                Q_EMIT c.message(QCoreApplication::translate(
                    "dk::tray::Controller", "Agenten svarar inte – kontrollen görs nu, här."));
                c.runLocal();
                return;
            }
            if (r.ok && r.status == 200) {
                c.setReport(r.body);
                return;
            }
            if (r.ok)  // 202: still running; the long-poll brings the report
                return;
            Q_EMIT c.message(QCoreApplication::translate("dk::tray::Controller",
                                                         "Agenten kunde inte köra kontrollen: %1")
                                 .arg(q(r.error)));
            c.awaiting_report_ = false;
            c.setBusy(false);
        });
    }).detach();
}

void Controller::sendAnswers(const Answers& answers) {
    // The answers in force here too, for a later check without the agent.
    if (answers.login)
        local_answers_.login = answers.login;
    if (answers.same_computer_colleague)
        local_answers_.same_computer_colleague = answers.same_computer_colleague;
    if (answers.other_computer)
        local_answers_.other_computer = answers.other_computer;
    if (!options_.use_agent || agent_running_ != true) {
        Q_EMIT answersFinished(true, {});
        runLocal();
        return;
    }
    setBusy(true);
    awaiting_report_ = true;
    std::thread([s = shared_, answers] {
        ApiResult r = s->client.answers(answers);
        s->post([r](Controller& c) {
            if (!r.connected) {
                c.setAgent(false, q(r.error));
                Q_EMIT c.answersFinished(true, {});
                c.runLocal();
                return;
            }
            if (!r.ok) {
                c.awaiting_report_ = false;
                c.setBusy(false);
                Q_EMIT c.answersFinished(false, q(r.error));
                return;
            }
            // The agent runs the check again at once; the long-poll brings the verdict.
            Q_EMIT c.answersFinished(true, {});
        });
    }).detach();
}

void Controller::exportBundle() {
    const bool agent = options_.use_agent && agent_running_ == true;
    std::thread([s = shared_, agent, local = options_.local_export] {
        BundleResult b;
        if (agent) {
            ApiResult r = s->client.exportBundle();
            if (r.ok && r.body.contains("path") && r.body["path"].is_string())
                b.path = r.body["path"].get<std::string>();
            else if (r.connected)
                b.error = r.error;
            else
                b = local();
        } else {
            b = local();
        }
        s->post([b](Controller& c) { Q_EMIT c.exportFinished(q(b.path), q(b.error)); });
    }).detach();
}

void Controller::startAgent() {
    std::thread([s = shared_, start = options_.start_agent] {
        auto [ok, what] = start();
        s->post([ok, what](Controller& c) { Q_EMIT c.startAgentFinished(ok, q(what)); });
        // The agent needs a moment to listen; the watcher looks again now and then.
        for (int i = 0; i < 3 && ok; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            const std::lock_guard lock(s->mu);
            s->wake = true;
            s->cv.notify_all();
        }
    }).detach();
}

}  // namespace dk::tray
