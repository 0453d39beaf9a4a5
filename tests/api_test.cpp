// The local API: handleRequest() against a stand-in core that counts its calls,
// then the real server and client over a Unix socket in a temporary directory.
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "agent/resident/api.h"
#include "agent/cli/api_client.h"
#include "agent/resident/api_server.h"
#include "tests/support/temp_dir.h"

using namespace dk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using dk::test::TempDir;

namespace {

// A core that does what the test sets up and remembers what it was asked.
class FakeCore final : public AgentCore {
public:
    std::optional<Json> report;
    Json run_report = Json{{"diagnosis", {{"domain", "all_ok"}}}};
    std::chrono::milliseconds run_takes{0};  // a run longer than the wait gives nullopt
    Json history_answer = Json::array();
    std::optional<std::string> answers_refusal;
    Bundle bundle{"/home/anna/driftkoll-K7M-4QX.zip", ""};
    bool throws = false;

    std::atomic<int> report_calls{0}, run_calls{0}, history_calls{0}, answers_calls{0},
        generation_calls{0}, wait_calls{0}, export_calls{0};

    std::optional<Json> lastReport() override {
        ++report_calls;
        if (throws)
            throw std::runtime_error("the history database is locked");
        return report;
    }
    std::optional<Json> runNow(std::chrono::milliseconds wait) override {
        ++run_calls;
        setLast([&] { last_wait = wait; });
        if (run_takes > wait) {
            std::this_thread::sleep_for(wait);
            return std::nullopt;
        }
        std::this_thread::sleep_for(run_takes);
        return run_report;
    }
    Json history(int limit, bool full) override {
        ++history_calls;
        setLast([&] {
            last_limit = limit;
            last_full = full;
        });
        return history_answer;
    }
    std::optional<std::string> setAnswers(const Answers& answers) override {
        ++answers_calls;
        setLast([&] { last_answers = answers; });
        return answers_refusal;
    }
    std::uint64_t generation() override {
        ++generation_calls;
        const std::lock_guard lock(mutex_);
        return generation_;
    }
    std::uint64_t waitForChange(std::uint64_t seen, std::chrono::milliseconds timeout) override {
        ++wait_calls;
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return generation_ > seen || cancelled_; });
        return generation_;
    }
    void cancelWaits() override {
        {
            const std::lock_guard lock(mutex_);
            cancelled_ = true;
        }
        changed_.notify_all();
    }
    Bundle exportBundle() override {
        ++export_calls;
        return bundle;
    }

    // A run finished.
    void bump() {
        {
            const std::lock_guard lock(mutex_);
            ++generation_;
        }
        changed_.notify_all();
    }
    int calls() const {
        return report_calls + run_calls + history_calls + answers_calls + generation_calls +
               wait_calls + export_calls;
    }

    // What the last calls were given; read once the call has returned.
    std::chrono::milliseconds last_wait{-1};
    int last_limit = 0;
    bool last_full = false;
    Answers last_answers;

private:
    template <class F>
    void setLast(F f) {
        const std::lock_guard lock(mutex_);
        f();
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t generation_ = 7;
    bool cancelled_ = false;
};

ApiResponse call(FakeCore& core, std::string method, std::string path, std::string query = "",
                 std::string body = "") {
    return handleRequest({std::move(method), std::move(path), std::move(query), std::move(body)},
                         core);
}

std::string errorCode(const ApiResponse& r) {
    return r.body.at("error").at("code").get<std::string>();
}

sockaddr_un unixAddress(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

// Leaves a socket file at `path` that nobody listens on, as a killed agent would.
void leaveStaleSocket(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    const auto addr = unixAddress(path);
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    ::close(fd);
}

// Sends `request` as it is and reads the answer until the server closes.
std::string rawExchange(const std::string& path, const std::string& request) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    const timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const auto addr = unixAddress(path);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    std::size_t sent = 0;
    while (sent < request.size()) {
        const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    char buf[4096];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

int statusOf(const std::string& raw_answer) {
    // "HTTP/1.1 413 Request Entity Too Large"
    if (raw_answer.size() < 12 || raw_answer.compare(0, 5, "HTTP/") != 0)
        return 0;
    return std::atoi(raw_answer.c_str() + 9);
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The real server for a FakeCore, on a socket in a fresh temporary directory.
struct Served {
    TempDir dir;
    FakeCore core;
    std::string socket_path = (dir / "run" / "api.sock").string();
    std::unique_ptr<ApiServer> server;
    ApiClient client{socket_path};

    Served() {
        std::string err;
        server = ApiServer::start(socket_path, core, &err);
        INFO(err);
        REQUIRE(server);
    }
};

}  // namespace

// ---- handleRequest ------------------------------------------------------------

TEST_CASE("GET /v1/report answers the last report") {
    FakeCore core;
    core.report = Json{{"diagnosis", {{"domain", "service_down"}}}};
    const auto r = call(core, "GET", "/v1/report");
    CHECK(r.status == 200);
    CHECK(r.body == *core.report);
    CHECK(core.report_calls == 1);
}

TEST_CASE("GET /v1/report answers 503 no_report_yet before the first run") {
    FakeCore core;
    const auto r = call(core, "GET", "/v1/report");
    CHECK(r.status == 503);
    CHECK(errorCode(r) == "no_report_yet");
    CHECK(r.body["error"]["message"].is_string());
}

TEST_CASE("POST /v1/run answers the report of the run it asked for") {
    FakeCore core;
    const auto r = call(core, "POST", "/v1/run", "wait_ms=250");
    CHECK(r.status == 200);
    CHECK(r.body == core.run_report);
    CHECK(core.run_calls == 1);
    CHECK(core.last_wait == 250ms);
}

TEST_CASE("POST /v1/run answers 202 running when the wait runs out") {
    FakeCore core;
    core.run_takes = 10s;
    const auto r = call(core, "POST", "/v1/run", "wait_ms=0");
    CHECK(r.status == 202);
    CHECK(r.body == Json{{"status", "running"}});
}

TEST_CASE("POST /v1/run waits 10 s when wait_ms is not given") {
    FakeCore core;
    CHECK(call(core, "POST", "/v1/run").status == 200);
    CHECK(core.last_wait == 10000ms);
}

TEST_CASE("POST /v1/run takes wait_ms percent-encoded, as the URI parser decodes it") {
    FakeCore core;
    CHECK(call(core, "POST", "/v1/run", "wait_ms=%31%30").status == 200);
    CHECK(core.last_wait == 10ms);
}

TEST_CASE("POST /v1/run refuses a wait_ms that is not a whole number from 0 to 30000") {
    const std::string query =
        GENERATE(as<std::string>{}, "wait_ms=-1", "wait_ms=30001", "wait_ms=abc",
                 "wait_ms=", "wait_ms", "wait_ms=1e3", "wait_ms=+5", "wait_ms=%205", "wait_ms=5%20",
                 "wait_ms=0x10", "wait_ms=99999999999999999999999");
    FakeCore core;
    const auto r = call(core, "POST", "/v1/run", query);
    INFO(query);
    CHECK(r.status == 400);
    CHECK(errorCode(r) == "bad_parameter");
    CHECK(core.run_calls == 0);
}

TEST_CASE("GET /v1/history asks for 50 summaries when limit and full are not given") {
    FakeCore core;
    core.history_answer = Json::array({Json{{"domain", "all_ok"}}});
    const auto r = call(core, "GET", "/v1/history");
    CHECK(r.status == 200);
    CHECK(r.body == core.history_answer);
    CHECK(core.last_limit == 50);
    CHECK_FALSE(core.last_full);
}

TEST_CASE("GET /v1/history passes limit and full on") {
    FakeCore core;
    CHECK(call(core, "GET", "/v1/history", "limit=500&full=1").status == 200);
    CHECK(core.last_limit == 500);
    CHECK(core.last_full);
}

TEST_CASE("GET /v1/history refuses a limit outside 1..500 and a full other than 0 or 1") {
    const std::string query = GENERATE(as<std::string>{}, "limit=0", "limit=501", "limit=-3",
                                       "limit=ten", "full=2", "full=true", "full=");
    FakeCore core;
    const auto r = call(core, "GET", "/v1/history", query);
    INFO(query);
    CHECK(r.status == 400);
    CHECK(core.history_calls == 0);
}

TEST_CASE("POST /v1/answers hands the answers to the core") {
    FakeCore core;
    const auto r = call(core, "POST", "/v1/answers", "",
                        R"({"login": "refused", "same_computer_colleague": "fails",
                            "other_computer": "works"})");
    CHECK(r.status == 200);
    CHECK(r.body == Json{{"ok", true}});
    CHECK(core.answers_calls == 1);
    CHECK(core.last_answers == Answers{"refused", "fails", "works"});
}

TEST_CASE("POST /v1/answers refuses bodies that are not an object of known answers") {
    const std::string body = GENERATE(
        as<std::string>{}, "", "not json", "[]", R"("login")", "{}", R"({"login": "maybe"})",
        R"({"login": 1})", R"({"login": null})", R"({"login": ["refused"]})",
        R"({"password": "hunter2"})", R"({"login=refused": ""})", R"({"login": "refused=no_page"})",
        R"({"login": "refused", "host": "evil.example"})", "{\"login\": \"\xff\"}");
    FakeCore core;
    const auto r = call(core, "POST", "/v1/answers", "", body);
    INFO(body);
    CHECK(r.status == 400);
    CHECK(r.body["error"]["code"].is_string());
    CHECK(core.answers_calls == 0);
}

TEST_CASE("POST /v1/answers answers 409 when the core cannot take the answers") {
    FakeCore core;
    core.answers_refusal = "det finns inget pågående fel / there is no ongoing problem";
    const auto r = call(core, "POST", "/v1/answers", "", R"({"other_computer": "fails"})");
    CHECK(r.status == 409);
    CHECK(errorCode(r) == "answers_not_taken");
    CHECK(r.body["error"]["message"] == *core.answers_refusal);
}

TEST_CASE("POST /v1/answers refuses a body over 16 KiB with 413") {
    FakeCore core;
    const std::string body = R"({"login": ")" + std::string(17 * 1024, 'x') + R"("})";
    const auto r = call(core, "POST", "/v1/answers", "", body);
    CHECK(r.status == 413);
    CHECK(core.answers_calls == 0);
}

TEST_CASE("GET /v1/events answers a newer generation at once") {
    FakeCore core;
    core.bump();
    const auto start = std::chrono::steady_clock::now();
    const auto r = call(core, "GET", "/v1/events", "since=7&timeout_ms=60000");
    CHECK(secondsSince(start) < 1.0);
    CHECK(r.status == 200);
    CHECK(r.body == Json{{"generation", 8}});
}

TEST_CASE("GET /v1/events answers the same generation when nothing changes before the timeout") {
    FakeCore core;
    const auto start = std::chrono::steady_clock::now();
    const auto r = call(core, "GET", "/v1/events", "since=7&timeout_ms=100");
    CHECK(secondsSince(start) >= 0.09);
    CHECK(r.status == 200);
    CHECK(r.body == Json{{"generation", 7}});
}

TEST_CASE(
    "GET /v1/events answers the current generation at once for a since from before a "
    "restart") {
    FakeCore core;
    const auto r = call(core, "GET", "/v1/events", "since=1000&timeout_ms=60000");
    CHECK(r.status == 200);
    CHECK(r.body == Json{{"generation", 7}});
    CHECK(core.wait_calls == 0);
}

TEST_CASE("GET /v1/events requires since and refuses a timeout_ms above 60000") {
    FakeCore core;
    const auto missing = call(core, "GET", "/v1/events", "timeout_ms=10");
    CHECK(missing.status == 400);
    CHECK(errorCode(missing) == "missing_parameter");
    const auto too_long = call(core, "GET", "/v1/events", "since=7&timeout_ms=60001");
    CHECK(too_long.status == 400);
    CHECK(errorCode(too_long) == "bad_parameter");
    CHECK(core.wait_calls == 0);
}

TEST_CASE("POST /v1/export answers the bundle's path") {
    FakeCore core;
    const auto r = call(core, "POST", "/v1/export");
    CHECK(r.status == 200);
    CHECK(r.body == Json{{"path", core.bundle.path}});
}

TEST_CASE("POST /v1/export answers 500 with the error when the bundle cannot be written") {
    FakeCore core;
    core.bundle = {"", "disken är full / the disk is full"};
    const auto r = call(core, "POST", "/v1/export");
    CHECK(r.status == 500);
    CHECK(errorCode(r) == "export_failed");
    CHECK(r.body["error"]["message"] == core.bundle.error);
}

TEST_CASE("GET /v1/health answers ok and the generation") {
    FakeCore core;
    const auto r = call(core, "GET", "/v1/health");
    CHECK(r.status == 200);
    CHECK(r.body == Json{{"ok", true}, {"generation", 7}});
}

TEST_CASE("a wrong method answers 405 naming the allowed one in Allow") {
    const auto [path, method, allow] = GENERATE(table<std::string, std::string, std::string>({
        {"/v1/report", "POST", "GET"},
        {"/v1/run", "GET", "POST"},
        {"/v1/history", "DELETE", "GET"},
        {"/v1/answers", "PUT", "POST"},
        {"/v1/events", "POST", "GET"},
        {"/v1/export", "GET", "POST"},
        {"/v1/health", "get", "GET"},
        {"/v1/health", "HEAD", "GET"},
    }));
    FakeCore core;
    const auto r = call(core, method, path);
    INFO(method << " " << path);
    CHECK(r.status == 405);
    CHECK(r.allow == allow);
    CHECK(errorCode(r) == "method_not_allowed");
    CHECK(core.calls() == 0);
}

TEST_CASE("an unknown path answers 404") {
    const std::string path = GENERATE(as<std::string>{}, "", "/", "/v1", "/v1/", "/v1/report/",
                                      "/v2/report", "/V1/REPORT", "/v1/../v1/report",
                                      "/v1/%72eport", "/v1/probe", "http://localhost/v1/report");
    FakeCore core;
    const auto r = call(core, "GET", path);
    INFO(path);
    CHECK(r.status == 404);
    CHECK(errorCode(r) == "not_found");
    CHECK(core.calls() == 0);
}

TEST_CASE("unknown, repeated or malformed query parameters are refused and reach no core call") {
    const auto [method, path, query] = GENERATE(table<std::string, std::string, std::string>({
        {"GET", "/v1/report", "x=1"},
        {"POST", "/v1/run", "host=evil.example"},
        {"POST", "/v1/run", "url=http://evil.example/"},
        {"POST", "/v1/run", "check=tes&wait_ms=10"},
        {"POST", "/v1/run", "wait_ms=1&wait_ms=2"},
        {"GET", "/v1/history", "limit=%zz"},
        {"GET", "/v1/history", "limit=5%"},
        {"GET", "/v1/health", "&"},
        {"GET", "/v1/events", "since=1&since=2"},
        {"POST", "/v1/export", "path=/etc/passwd"},
    }));
    FakeCore core;
    const auto r = call(core, method, path, query);
    INFO(method << " " << path << "?" << query);
    CHECK(r.status == 400);
    CHECK(core.calls() == 0);
}

TEST_CASE("a body on an endpoint that takes none is refused with 400") {
    FakeCore core;
    const auto r = call(core, "POST", "/v1/run", "", R"({"target": "evil.example"})");
    CHECK(r.status == 400);
    CHECK(errorCode(r) == "unexpected_body");
    CHECK(core.calls() == 0);
}

TEST_CASE("a core that throws gives a 500 with a JSON error instead of an exception") {
    FakeCore core;
    core.throws = true;
    const auto r = call(core, "GET", "/v1/report");
    CHECK(r.status == 500);
    CHECK(errorCode(r) == "internal_error");
}

// ---- the server and the client over a Unix socket -----------------------------

TEST_CASE("the client reads the last report over the socket") {
    Served s;
    s.core.report = Json{{"diagnosis", {{"domain", "service_down"}, {"systems", {"tes"}}}}};
    const auto r = s.client.report();
    CHECK(r.ok);
    CHECK(r.connected);
    CHECK(r.status == 200);
    CHECK(r.body == *s.core.report);
}

TEST_CASE("the client passes an API error on as its status and message") {
    Served s;
    const auto r = s.client.report();
    CHECK_FALSE(r.ok);
    CHECK(r.connected);
    CHECK(r.status == 503);
    CHECK(r.body["error"]["code"] == "no_report_yet");
    CHECK(r.error == r.body["error"]["message"].get<std::string>());
}

TEST_CASE("the client's run returns the report when the run ends within the wait") {
    Served s;
    s.core.run_takes = 100ms;
    const auto r = s.client.run(5s);
    CHECK(r.ok);
    CHECK(r.status == 200);
    CHECK(r.body == s.core.run_report);
    CHECK(s.core.last_wait == 5s);
}

TEST_CASE("the client's run gets 202 running when the wait runs out") {
    Served s;
    s.core.run_takes = 10s;
    const auto start = std::chrono::steady_clock::now();
    const auto r = s.client.run(200ms);
    CHECK(secondsSince(start) < 2.0);
    CHECK(r.ok);
    CHECK(r.status == 202);
    CHECK(r.body == Json{{"status", "running"}});
}

TEST_CASE("answers sent by the client reach the core") {
    Served s;
    Answers a;
    a.login = "refused";
    a.other_computer = "works";
    const auto r = s.client.answers(a);
    CHECK(r.ok);
    CHECK(r.body == Json{{"ok", true}});
    CHECK(s.core.last_answers == a);
}

TEST_CASE("the client's history, export and health reach the core") {
    Served s;
    s.core.history_answer = Json::array({Json{{"case_code", "K7M-4QX"}}});
    const auto history = s.client.history(3, true);
    CHECK(history.ok);
    CHECK(history.body == s.core.history_answer);
    CHECK(s.core.last_limit == 3);
    CHECK(s.core.last_full);
    const auto bundle = s.client.exportBundle();
    CHECK(bundle.ok);
    CHECK(bundle.body == Json{{"path", s.core.bundle.path}});
    const auto health = s.client.health();
    CHECK(health.ok);
    CHECK(health.body == Json{{"ok", true}, {"generation", 7}});
}

TEST_CASE("a long-poll wakes as soon as a run finishes") {
    Served s;
    std::thread runner([&] {
        std::this_thread::sleep_for(200ms);
        s.core.bump();
    });
    const auto start = std::chrono::steady_clock::now();
    const auto r = s.client.events(7, 30s);
    runner.join();
    CHECK(secondsSince(start) < 5.0);
    CHECK(r.ok);
    CHECK(r.body == Json{{"generation", 8}});
}

TEST_CASE("a long-poll that sees no change answers the same generation at its timeout") {
    Served s;
    const auto start = std::chrono::steady_clock::now();
    const auto r = s.client.events(7, 700ms);
    const double took = secondsSince(start);
    CHECK(took >= 0.65);
    CHECK(took < 3.0);
    CHECK(r.ok);
    CHECK(r.body == Json{{"generation", 7}});
}

TEST_CASE("a wrong method over the socket gets 405 with its Allow header and a JSON body") {
    Served s;
    const auto answer =
        rawExchange(s.socket_path, "DELETE /v1/report HTTP/1.1\r\nHost: localhost\r\n\r\n");
    CHECK(statusOf(answer) == 405);
    CHECK(answer.find("\r\nAllow: GET\r\n") != std::string::npos);
    CHECK(answer.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
    CHECK(answer.find(R"("code":"method_not_allowed")") != std::string::npos);
}

TEST_CASE("an oversized Content-Length is refused with 413 before the body is read") {
    Served s;
    const auto start = std::chrono::steady_clock::now();
    // The body never comes: a server that waited for it would time out instead.
    const auto answer = rawExchange(s.socket_path,
                                    "POST /v1/answers HTTP/1.1\r\nHost: localhost\r\n"
                                    "Content-Type: application/json\r\n"
                                    "Content-Length: 1000000\r\n\r\n");
    CHECK(statusOf(answer) == 413);
    CHECK(answer.find("body_too_large") != std::string::npos);
    CHECK(secondsSince(start) < 2.0);
    CHECK(s.core.answers_calls == 0);
}

TEST_CASE("an oversized chunked body is refused with 413 once it passes the cap") {
    Served s;
    const std::string chunk(16 * 1024, 'x');
    const auto answer =
        rawExchange(s.socket_path,
                    "POST /v1/answers HTTP/1.1\r\nHost: localhost\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"
                    "4000\r\n" +
                        chunk + "\r\n10\r\n" + std::string(16, 'y') + "\r\n0\r\n\r\n");
    CHECK(statusOf(answer) == 413);
    CHECK(s.core.answers_calls == 0);
}

TEST_CASE("a chunked body within the cap is read whole") {
    Served s;
    const std::string body = R"({"login": "no_page"})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size());
    const auto answer = rawExchange(s.socket_path,
                                    "POST /v1/answers HTTP/1.1\r\nHost: localhost\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n" +
                                        std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
    CHECK(statusOf(answer) == 200);
    CHECK(s.core.last_answers.login == "no_page");
}

TEST_CASE("a malformed request gets a 4xx and the server goes on serving") {
    Served s;
    const std::string garbage =
        GENERATE(as<std::string>{}, "\x16\x03\x01\x02\x01\xfc\x03\x03\r\n\r\n", "GET\r\n\r\n",
                 "POST /v1/answers HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                 "POST /v1/answers HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                 "GET /v1/health HTTP/1.1\r\n" + std::string(300, 'X') + ": y\r\n\r\n");
    const int status = statusOf(rawExchange(s.socket_path, garbage));
    CHECK(status >= 400);
    CHECK(status < 500);
    CHECK(s.client.health().ok);
}

TEST_CASE("a Content-Length that Poco cannot parse closes that connection only") {
    Served s;
    // Poco's request parser throws before any handler runs: no answer, no crash.
    const auto answer =
        rawExchange(s.socket_path, "POST /v1/answers HTTP/1.1\r\nContent-Length: ten\r\n\r\n{}");
    CHECK(answer.empty());
    CHECK(s.core.answers_calls == 0);
    CHECK(s.client.health().ok);
}

TEST_CASE("the socket is 0600 in a directory the server made 0700") {
    Served s;
    struct stat st {};
    REQUIRE(::lstat(s.socket_path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0600);
    REQUIRE(::lstat((s.dir / "run").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
}

TEST_CASE("a stale socket left by an agent that is gone is replaced") {
    TempDir dir;
    const std::string path = (dir / "api.sock").string();
    leaveStaleSocket(path);
    FakeCore core;
    std::string err;
    const auto server = ApiServer::start(path, core, &err);
    INFO(err);
    REQUIRE(server);
    CHECK(ApiClient(path).health().ok);
}

TEST_CASE("a socket another agent still listens on is not taken over") {
    Served s;
    FakeCore other;
    std::string err;
    CHECK_FALSE(ApiServer::start(s.socket_path, other, &err));
    CHECK(err.find("already listens") != std::string::npos);
    CHECK(s.client.health().ok);
}

TEST_CASE("a file that is not a socket at the socket path is left alone") {
    TempDir dir;
    const auto path = dir / "api.sock";
    std::ofstream(path) << "notes";
    FakeCore core;
    std::string err;
    CHECK_FALSE(ApiServer::start(path.string(), core, &err));
    CHECK(err.find("not a socket") != std::string::npos);
    std::ifstream in(path);
    std::string text;
    in >> text;
    CHECK(text == "notes");
}

TEST_CASE("a socket directory that other users may write to is refused") {
    TempDir dir;
    const auto shared = dir / "shared";
    REQUIRE(::mkdir(shared.c_str(), 0700) == 0);
    REQUIRE(::chmod(shared.c_str(), 0777) == 0);
    FakeCore core;
    std::string err;
    CHECK_FALSE(ApiServer::start((shared / "api.sock").string(), core, &err));
    CHECK(err.find("written by other users") != std::string::npos);
}

TEST_CASE("a connection from another user is refused with 403") {
    if (::geteuid() != 0) {
        WARN("skipped: switching to another user needs root");
        return;
    }
    Served s;
    // Open the file-system layer on purpose, to show that the peer check holds alone.
    REQUIRE(::chmod(s.dir.path().c_str(), 0755) == 0);
    REQUIRE(::chmod((s.dir / "run").c_str(), 0755) == 0);
    REQUIRE(::chmod(s.socket_path.c_str(), 0666) == 0);

    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const auto addr = unixAddress(s.socket_path);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Only async-signal-safe calls here: the parent has threads.
        ::close(pipe_fds[0]);
        const gid_t nogroup = 65534;
        if (::setgroups(1, &nogroup) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(2);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
            ::_exit(3);
        static const char request[] = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
        if (::write(fd, request, sizeof request - 1) != static_cast<ssize_t>(sizeof request - 1))
            ::_exit(4);
        char answer[64] = {};
        const auto n = ::read(fd, answer, sizeof answer);
        if (n > 0 && ::write(pipe_fds[1], answer, static_cast<std::size_t>(n)) != n)
            ::_exit(5);
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    char answer[65] = {};
    const auto n = ::read(pipe_fds[0], answer, sizeof answer - 1);
    ::close(pipe_fds[0]);
    int wstatus = 0;
    REQUIRE(::waitpid(child, &wstatus, 0) == child);
    REQUIRE(WIFEXITED(wstatus));
    REQUIRE(WEXITSTATUS(wstatus) == 0);
    REQUIRE(n > 0);
    CHECK(statusOf(answer) == 403);
    CHECK(s.core.calls() == 0);
}

TEST_CASE("the client reports connected=false quickly when no agent listens") {
    const bool stale = GENERATE(false, true);  // no socket file, or one nobody listens on
    TempDir dir;
    const std::string path = (dir / "api.sock").string();
    if (stale)
        leaveStaleSocket(path);
    const auto start = std::chrono::steady_clock::now();
    const auto r = ApiClient(path).health();
    INFO(path << ": " << r.error);
    CHECK(secondsSince(start) < 0.5);
    CHECK_FALSE(r.connected);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.error.empty());
}

TEST_CASE("stopping the server is prompt even while a long-poll waits") {
    Served s;
    std::thread poller([&] { s.client.events(7, 60s); });
    for (int i = 0; i < 200 && s.core.wait_calls == 0; ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(s.core.wait_calls > 0);
    const auto start = std::chrono::steady_clock::now();
    s.server->stop();
    CHECK(secondsSince(start) < 2.0);
    poller.join();
}

TEST_CASE("stopping the server removes its socket and ends the service") {
    Served s;
    s.server->stop();
    CHECK_FALSE(fs::exists(fs::symlink_status(s.socket_path)));
    CHECK_FALSE(s.client.health().connected);
}

TEST_CASE("the default socket path lies in XDG_RUNTIME_DIR, else in /tmp by uid") {
    const char* saved = std::getenv("XDG_RUNTIME_DIR");
    const std::optional<std::string> old = saved ? std::optional<std::string>(saved) : std::nullopt;
    ::setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
    CHECK(ApiServer::defaultSocketPath() == "/run/user/1000/driftkoll/api.sock");
    ::setenv("XDG_RUNTIME_DIR", "relative/dir", 1);
    const std::string fallback = "/tmp/driftkoll-" + std::to_string(::geteuid()) + "/api.sock";
    CHECK(ApiServer::defaultSocketPath() == fallback);
    ::unsetenv("XDG_RUNTIME_DIR");
    CHECK(ApiServer::defaultSocketPath() == fallback);
    if (old)
        ::setenv("XDG_RUNTIME_DIR", old->c_str(), 1);
}
