// The tray's link to the agent: reports, runs, answers and the bundle through the
// GUI-free ApiClient (agent/cli/api_client.h), each call on a thread of its own so
// that the window never waits; the results come back to the GUI thread as
// signals. A watcher thread long-polls GET /v1/events and fetches the report
// when a run has finished, and notices when the agent goes away or comes back.
//
// Without an agent the same buttons still work: the check runs in this process
// as `driftkoll status` does it (performCheck on the same config), and the
// bundle is written as `driftkoll export` writes it. The functions that do that
// are options, so the tests give stand-ins that never touch the network.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "agent/decide/incident.h"
#include "agent/decide/texts.h"
#include "probes/result.h"
#include "tray/report_view.h"

namespace dk::tray {

// A report made in this process: the JSON, or why there is none.
struct LocalReport {
    Json report;
    std::string error;
};

// Where a bundle went, or why it could not be made.
struct BundleResult {
    std::string path;
    std::string error;
};

struct ControllerOptions {
    std::string socket_path;  // "" = ApiServer::defaultSocketPath()
    // false: never ask the agent; every check runs here (`--at`: the agent cannot pretend).
    bool use_agent = true;
    // The check in this process, with the answers given so far. MAY block; it is
    // called on a thread of its own. Unset: makeLocalCheck({}, Lang::sv, {}).
    std::function<LocalReport(const Answers&)> local_check;
    // The bundle without an agent. Unset: makeLocalExport({}).
    std::function<BundleResult()> local_export;
    // Starts the agent: {started, what was done}. Unset: makeAgentStarter({}, {}).
    std::function<std::pair<bool, std::string>()> start_agent;
    std::chrono::milliseconds run_wait{15000};        // POST /v1/run waits this long
    std::chrono::milliseconds events_timeout{25000};  // one long-poll
    std::chrono::milliseconds retry_delay{5000};      // no agent: ask again after this
    std::chrono::milliseconds busy_timeout{45000};    // "checking" ends at the latest then
};

// performCheck with the config at `config_path` ("" = the user's or system's file,
// else the built-in profile) in `lang`, pretending it is `at` when given (then
// the incident is read, never written) — `driftkoll status`'s local check.
std::function<LocalReport(const Answers&)> makeLocalCheck(std::string config_path, Lang lang,
                                                          std::optional<std::string> at);
// exportBundle() into the cache folder, as the agent writes it.
std::function<BundleResult()> makeLocalExport(std::string config_path);
// `systemctl --user start driftkoll-agent.service`, else `<driftkoll> agent`
// started detached (`driftkoll_program` "" = next to this program, else $PATH).
std::function<std::pair<bool, std::string>()> makeAgentStarter(std::string driftkoll_program,
                                                               std::string config_path);

class Controller : public QObject {
    Q_OBJECT
public:
    explicit Controller(ControllerOptions options, QObject* parent = nullptr);
    // Never waits for a call in flight: their results are dropped.
    ~Controller() override;

    // Starts watching the agent (or runs the first local check).
    void start();

    // Asks for a new run now (or runs the check here without an agent).
    void checkNow();
    // Sends the user's answers to the manual steps; the verdict follows.
    void sendAnswers(const Answers& answers);
    // Writes the diagnostic bundle for IT.
    void exportBundle();
    // Starts the agent, and looks for it again at once.
    void startAgent();

    bool busy() const { return busy_; }
    // nullopt until the agent has been asked once.
    std::optional<bool> agentRunning() const { return agent_running_; }
    bool usesAgent() const { return options_.use_agent; }
    const Json& lastReport() const { return report_; }
    const ReportView& view() const { return view_; }
    const std::string& socketPath() const;

Q_SIGNALS:
    void reportChanged(const dk::tray::ReportView& view);
    void agentChanged(bool running, const QString& why);
    void busyChanged(bool busy);
    void exportFinished(const QString& path, const QString& error);
    void answersFinished(bool ok, const QString& error);
    void startAgentFinished(bool ok, const QString& what);
    // A short line for the window's status bar: what just happened.
    void message(const QString& text);

private:
    struct Shared;

    void setReport(const Json& report);
    void setBusy(bool busy);
    void setAgent(bool running, const QString& why);
    void runLocal();

    ControllerOptions options_;
    std::shared_ptr<Shared> shared_;
    Json report_;
    ReportView view_;
    std::optional<bool> agent_running_;
    bool busy_ = false;
    bool awaiting_report_ = false;  // busy until the next report comes
    Answers local_answers_;         // the answers for checks in this process
    QTimer busy_timer_;
};

}  // namespace dk::tray
