#include "agent/resident/api.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

namespace dk {

namespace {

using Params = std::map<std::string, std::string, std::less<>>;

// One endpoint: its path, the one method it takes, the query parameters it
// accepts, and whether it reads a body.
struct Route {
    std::string_view path;
    std::string_view method;
    std::array<std::string_view, 2> params;  // "" = unused slot
    bool takes_body;
    ApiResponse (*handle)(const Params& params, const std::string& body, AgentCore& core);
};

ApiResponse ok(Json body) {
    return {200, std::move(body), {}};
}

// Reads the whole-number parameter `name` into `out`, which keeps its value when
// the parameter is absent. Digits only; outside [min, max] is a 400.
std::optional<ApiResponse> readNumber(const Params& params, std::string_view name,
                                      std::uint64_t min, std::uint64_t max, std::uint64_t& out) {
    const auto it = params.find(name);
    if (it == params.end())
        return std::nullopt;
    const std::string& text = it->second;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const bool digits_only = !text.empty() && text.front() >= '0' && text.front() <= '9';
    if (!digits_only || ec != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max)
        return apiError(400, "bad_parameter",
                        std::string(name) + " must be a whole number from " + std::to_string(min) +
                            " to " + std::to_string(max));
    out = value;
    return std::nullopt;
}

ApiResponse getReport(const Params&, const std::string&, AgentCore& core) {
    if (auto report = core.lastReport())
        return ok(std::move(*report));
    return apiError(503, "no_report_yet", "no run has finished yet");
}

ApiResponse postRun(const Params& params, const std::string&, AgentCore& core) {
    std::uint64_t wait_ms = kApiDefaultRunWait.count();
    if (auto bad = readNumber(params, "wait_ms", 0, kApiMaxRunWait.count(), wait_ms))
        return *bad;
    if (auto report = core.runNow(std::chrono::milliseconds(wait_ms)))
        return ok(std::move(*report));
    return {202, Json{{"status", "running"}}, {}};
}

ApiResponse getHistory(const Params& params, const std::string&, AgentCore& core) {
    std::uint64_t limit = kApiDefaultHistoryLimit;
    std::uint64_t full = 0;
    if (auto bad = readNumber(params, "limit", 1, kApiMaxHistoryLimit, limit))
        return *bad;
    if (auto bad = readNumber(params, "full", 0, 1, full))
        return *bad;
    return ok(core.history(static_cast<int>(limit), full == 1));
}

ApiResponse postAnswers(const Params&, const std::string& body, AgentCore& core) {
    const Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return apiError(400, "bad_json", "the body is not JSON");
    if (!j.is_object() || j.empty())
        return apiError(400, "bad_answers",
                        "the body must be an object of answers, e.g. {\"login\": \"refused\"}");
    Answers answers;
    for (const auto& [key, value] : j.items()) {
        // applyAnswer splits KEY=VALUE at the first '=': a key holding one is no key.
        if (key.find('=') != std::string::npos)
            return apiError(400, "bad_answers", "unknown answer key");
        if (!value.is_string())
            return apiError(400, "bad_answers", "answer values are strings");
        if (auto bad = applyAnswer(answers, key + "=" + value.get<std::string>()))
            return apiError(400, "bad_answers", std::move(*bad));
    }
    if (auto refused = core.setAnswers(answers))
        return apiError(409, "answers_not_taken", std::move(*refused));
    return ok(Json{{"ok", true}});
}

ApiResponse getEvents(const Params& params, const std::string&, AgentCore& core) {
    if (params.find("since") == params.end())
        return apiError(400, "missing_parameter", "since (the last generation seen) is required");
    std::uint64_t since = 0;
    std::uint64_t timeout_ms = kApiDefaultEventsTimeout.count();
    if (auto bad = readNumber(params, "since", 0, std::numeric_limits<std::uint64_t>::max(), since))
        return *bad;
    if (auto bad = readNumber(params, "timeout_ms", 0, kApiMaxEventsTimeout.count(), timeout_ms))
        return *bad;
    // A generation from the future was seen before the agent restarted: answer at
    // once with the current one, so that the client starts over from it.
    const std::uint64_t current = core.generation();
    if (since > current)
        return ok(Json{{"generation", current}});
    return ok(
        Json{{"generation", core.waitForChange(since, std::chrono::milliseconds(timeout_ms))}});
}

ApiResponse postExport(const Params&, const std::string&, AgentCore& core) {
    auto bundle = core.exportBundle();
    if (!bundle.error.empty() || bundle.path.empty())
        return apiError(500, "export_failed",
                        bundle.error.empty() ? "the bundle was not written" : bundle.error);
    return ok(Json{{"path", std::move(bundle.path)}});
}

ApiResponse getHealth(const Params&, const std::string&, AgentCore& core) {
    return ok(Json{{"ok", true}, {"generation", core.generation()}});
}

constexpr std::array<Route, 7> kRoutes{{
    {"/v1/report", "GET", {}, false, getReport},
    {"/v1/run", "POST", {"wait_ms"}, false, postRun},
    {"/v1/history", "GET", {"limit", "full"}, false, getHistory},
    {"/v1/answers", "POST", {}, true, postAnswers},
    {"/v1/events", "GET", {"since", "timeout_ms"}, false, getEvents},
    {"/v1/export", "POST", {}, false, postExport},
    {"/v1/health", "GET", {}, false, getHealth},
}};

// Splits the query with Poco's parser, taking only the route's parameters, each once.
std::optional<ApiResponse> parseQuery(const std::string& raw, const Route& route, Params& out) {
    Poco::URI::QueryParameters pairs;
    try {
        Poco::URI uri;
        uri.setRawQuery(raw);
        pairs = uri.getQueryParameters();
    } catch (const Poco::Exception&) {
        return apiError(400, "bad_query", "the query string is not well-formed");
    }
    for (auto& [name, value] : pairs) {
        const bool known = !name.empty() && std::find(route.params.begin(), route.params.end(),
                                                      name) != route.params.end();
        if (!known)
            return apiError(400, "unknown_parameter",
                            std::string(route.path) + " takes no such query parameter");
        if (!out.emplace(std::move(name), std::move(value)).second)
            return apiError(400, "repeated_parameter",
                            std::string(route.path) + " takes each query parameter once");
    }
    return std::nullopt;
}

ApiResponse dispatch(const ApiRequest& request, AgentCore& core) {
    const auto route = std::find_if(kRoutes.begin(), kRoutes.end(),
                                    [&](const Route& r) { return r.path == request.path; });
    if (route == kRoutes.end())
        return apiError(404, "not_found", "no such endpoint; the API lives under /v1/");
    if (route->method != request.method) {
        auto r = apiError(405, "method_not_allowed",
                          std::string(route->path) + " takes " + std::string(route->method));
        r.allow = route->method;
        return r;
    }
    Params params;
    if (auto bad = parseQuery(request.query, *route, params))
        return *bad;
    if (!route->takes_body && !request.body.empty())
        return apiError(400, "unexpected_body", std::string(route->path) + " takes no body");
    if (request.body.size() > kApiMaxBodyBytes)
        return apiError(413, "body_too_large",
                        "the body is larger than " + std::to_string(kApiMaxBodyBytes) + " bytes");
    return route->handle(params, request.body, core);
}

}  // namespace

ApiResponse apiError(int status, std::string code, std::string message) {
    return {
        status, Json{{"error", {{"code", std::move(code)}, {"message", std::move(message)}}}}, {}};
}

ApiResponse handleRequest(const ApiRequest& request, AgentCore& core) {
    try {
        return dispatch(request, core);
    } catch (const std::exception& e) {
        return apiError(500, "internal_error", e.what());
    } catch (...) {
        return apiError(500, "internal_error", "unexpected failure inside the agent");
    }
}

}  // namespace dk
