// A client of the agent's local API (api.h), shared by the command line and
// the tray: no GUI, no exceptions, every call bounded in time. It talks HTTP
// over the Unix socket only (libcurl), so no name is ever resolved.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "agent/resident/api_server.h"
#include "agent/decide/incident.h"
#include "probes/result.h"

namespace dk {

struct ApiResult {
    bool ok = false;         // a 2xx answer with a JSON body
    bool connected = false;  // an agent was reached; false: none listens (run locally instead)
    int status = 0;          // the HTTP status; 0 when no answer came
    Json body;               // the answer, an error's {"error": {...}} included
    std::string error;       // why not ok: the transport's error, or the API's message
};

class ApiClient {
public:
    explicit ApiClient(std::string socket_path = ApiServer::defaultSocketPath());

    // GET /v1/report: the last report (503 before the first run).
    ApiResult report() const;
    // POST /v1/run: the report of a new run, or 202 {"status":"running"} after `wait`.
    ApiResult run(std::chrono::milliseconds wait) const;
    // GET /v1/history: the newest `limit` runs, newest first; `full` for whole reports.
    ApiResult history(int limit, bool full) const;
    // POST /v1/answers: the user's answers to the manual steps (only those given).
    ApiResult answers(const Answers& answers) const;
    // GET /v1/events: waits up to `timeout` for a generation after `since`.
    ApiResult events(std::uint64_t since, std::chrono::milliseconds timeout) const;
    // POST /v1/export: writes the diagnostic bundle; {"path": ...}.
    ApiResult exportBundle() const;
    // GET /v1/health: {"ok": true, "generation": G}.
    ApiResult health() const;

    const std::string& socketPath() const { return socket_path_; }

private:
    ApiResult call(const char* method, const std::string& target, const std::string& body,
                   std::chrono::milliseconds timeout) const;

    std::string socket_path_;
};

}  // namespace dk
