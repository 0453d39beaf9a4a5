#include "agent/cli/api_client.h"

#include "agent/os/local_socket.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "probes/curl_handle.h"

namespace dk {

namespace {

using namespace std::chrono_literals;

// Connecting to a local socket is immediate when an agent listens.
constexpr auto kConnectTimeout = 1000ms;
// Calls that do not wait on purpose; the export writes a whole bundle.
constexpr auto kCallTimeout = 10000ms;
constexpr auto kExportTimeout = 60000ms;
// Added to the waits of run and events, for the answer to come back.
constexpr auto kWaitMargin = 5000ms;
// The largest answer taken: a full history (500 whole reports) fits.
constexpr std::size_t kMaxAnswerBytes = 64u << 20;

// CURLOPT_WRITEFUNCTION: collects the answer; a larger one than the cap stops the transfer.
std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<std::string*>(user);
    const std::size_t len = size * count;
    if (out->size() + len > kMaxAnswerBytes)
        return 0;
    out->append(data, len);
    return len;
}

}  // namespace

ApiClient::ApiClient(std::string socket_path) : socket_path_(std::move(socket_path)) {}

ApiResult ApiClient::call(const char* method, const std::string& target, const std::string& body,
                          std::chrono::milliseconds timeout) const {
    ApiResult result;
    // Only this user's agent is talked to: a socket that another user put in the
    // path (the /tmp fallback) is not.
    std::string why;
    switch (ownSocketAt(socket_path_, &why)) {
        case OwnSocket::missing:
            result.error = "no agent listens on " + socket_path_ + ": " + why;
            return result;
        case OwnSocket::no:
            result.error = socket_path_ + " is not a socket of this user's agent";
            return result;
        case OwnSocket::yes:
            break;
    }

    initCurl();
    std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) {
        result.error = "libcurl could not be started";
        return result;
    }
    CURL* h = curl.get();
    const std::string url = "http://localhost" + target;
    std::unique_ptr<curl_slist, SlistDeleter> headers(
        curl_slist_append(nullptr, "Content-Type: application/json"));
    // No "Expect: 100-continue" round trip for a body.
    if (headers)
        headers.reset(curl_slist_append(headers.release(), "Expect:"));
    std::string received;
    char errbuf[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(h, CURLOPT_PROXY, "");  // never a proxy from the environment
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(kConnectTimeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &received);
    if (std::string_view(method) == "POST") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }

    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        result.connected = rc != CURLE_COULDNT_CONNECT;
        result.error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        return result;
    }
    result.connected = true;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
    result.body = Json::parse(received, nullptr, /*allow_exceptions=*/false);
    if (result.body.is_discarded()) {
        result.body = Json();
        result.error = "the agent's answer (HTTP " + std::to_string(status) + ") is not JSON";
        return result;
    }
    result.ok = status >= 200 && status < 300;
    if (!result.ok) {
        const Json* message = nullptr;
        if (result.body.is_object() && result.body.contains("error") &&
            result.body["error"].is_object() && result.body["error"].contains("message"))
            message = &result.body["error"]["message"];
        result.error = message && message->is_string() ? message->get<std::string>()
                                                       : "HTTP " + std::to_string(status);
    }
    return result;
}

ApiResult ApiClient::report() const {
    return call("GET", "/v1/report", {}, kCallTimeout);
}

ApiResult ApiClient::run(std::chrono::milliseconds wait) const {
    return call("POST", "/v1/run?wait_ms=" + std::to_string(wait.count()), {},
                std::max(wait, 0ms) + kWaitMargin);
}

ApiResult ApiClient::history(int limit, bool full) const {
    return call("GET", "/v1/history?limit=" + std::to_string(limit) + "&full=" + (full ? "1" : "0"),
                {}, kCallTimeout);
}

ApiResult ApiClient::answers(const Answers& answers) const {
    return call("POST", "/v1/answers",
                jsonText(to_json(answers)),
                kCallTimeout);
}

ApiResult ApiClient::events(std::uint64_t since, std::chrono::milliseconds timeout) const {
    return call("GET",
                "/v1/events?since=" + std::to_string(since) +
                    "&timeout_ms=" + std::to_string(timeout.count()),
                {}, std::max(timeout, 0ms) + kWaitMargin);
}

ApiResult ApiClient::exportBundle() const {
    return call("POST", "/v1/export", {}, kExportTimeout);
}

ApiResult ApiClient::health() const {
    return call("GET", "/v1/health", {}, kCallTimeout);
}

}  // namespace dk
