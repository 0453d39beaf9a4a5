// The agent's local API, without its transport: one HTTP request in, one JSON
// answer out. The server (api_server.h) carries it over a Unix socket and the
// client (api_client.h) speaks it. Every endpoint maps to one AgentCore call, and
// none takes a host, a URL or a check definition: the API can only make the
// agent run the checks it is configured with.
//
//   GET  /v1/report                          200 the last report | 503 no_report_yet
//   POST /v1/run?wait_ms=N                   200 the report | 202 {"status":"running"}
//   GET  /v1/history?limit=N&full=0|1        200 [summaries or reports, newest first]
//   POST /v1/answers  {"login":"refused"}    200 {"ok":true}
//   GET  /v1/events?since=G&timeout_ms=N     200 {"generation":G2}, G2 > G or G2 == G
//   POST /v1/export                          200 {"path":"..."} | 500 export_failed
//   GET  /v1/health                          200 {"ok":true,"generation":G}
//
// Errors are {"error": {"code": "...", "message": "..."}} with a 4xx for a bad
// request (400, 404, 405 with Allow, 409, 413) and a 5xx for a failure inside.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "agent/resident/agent_core.h"
#include "probes/result.h"

namespace dk {

struct ApiRequest {
    std::string method;  // "GET", "POST", ...: case-sensitive, as HTTP says
    std::string path;    // "/v1/report", without the query
    std::string query;   // the raw query after '?', still percent-encoded
    std::string body;
};

struct ApiResponse {
    int status = 200;
    Json body;
    std::string allow;  // the Allow header of a 405 ("GET" or "POST"), else empty
};

// Limits of the API, shared by the handler, the server and the client.
inline constexpr std::size_t kApiMaxBodyBytes = 16 * 1024;
inline constexpr std::chrono::milliseconds kApiDefaultRunWait{10000};
inline constexpr std::chrono::milliseconds kApiMaxRunWait{30000};
inline constexpr std::chrono::milliseconds kApiDefaultEventsTimeout{30000};
inline constexpr std::chrono::milliseconds kApiMaxEventsTimeout{60000};
inline constexpr int kApiDefaultHistoryLimit = 50;
inline constexpr int kApiMaxHistoryLimit = 500;

// Answers one request by calling `core`. No I/O of its own, and nothing escapes
// as an exception: a core that throws gives a 500.
ApiResponse handleRequest(const ApiRequest& request, AgentCore& core);

// {"error": {"code": code, "message": message}} with `status`.
ApiResponse apiError(int status, std::string code, std::string message);

}  // namespace dk
