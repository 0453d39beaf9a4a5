// libFuzzer entry point: arbitrary requests into the local API's handler
// (agent/resident/api.h), which must never crash, hang, leak or throw, and must always
// answer a status with a JSON body that can be written out; every error a
// well-formed {"error": {"code", "message"}}. The input is split into method,
// path, query and body.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "agent/resident/api.h"

namespace {

// A core that answers at once: the handler's waits must not stall the fuzzer.
class InstantCore final : public dk::AgentCore {
public:
    std::optional<dk::Json> lastReport() override { return report(); }
    std::optional<dk::Json> runNow(std::chrono::milliseconds wait) override {
        if (wait.count() % 2 == 0)
            return std::nullopt;
        return report();
    }
    dk::Json history(int limit, bool full) override {
        return dk::Json::array({dk::Json{{"limit", limit}, {"full", full}}});
    }
    std::optional<std::string> setAnswers(const dk::Answers& answers) override {
        if (answers.login == "no_page")
            return "no incident";
        return std::nullopt;
    }
    std::uint64_t generation() override { return 7; }
    std::uint64_t waitForChange(std::uint64_t seen, std::chrono::milliseconds) override {
        return seen < 7 ? 7 : seen;
    }
    void cancelWaits() override {}
    Bundle exportBundle() override { return {"/tmp/bundle.zip", ""}; }

private:
    static dk::Json report() { return dk::Json{{"diagnosis", {{"domain", "all_ok"}}}}; }
};

// The endpoints' methods and paths, and one slot for an arbitrary string each:
// choosing from them lets the fuzzer reach every handler (seeds: tests/fuzz/corpus/api_fuzz).
constexpr std::array<std::string_view, 3> kMethods{"GET", "POST", "PUT"};
constexpr std::array<std::string_view, 7> kPaths{"/v1/report",  "/v1/run",    "/v1/history",
                                                 "/v1/answers", "/v1/events", "/v1/export",
                                                 "/v1/health"};

constexpr std::array<std::string_view, 3> kAnswerKeys{"login", "same_computer_colleague",
                                                      "other_computer"};
constexpr std::array<std::string_view, 4> kAnswerValues{"refused", "no_page", "works", "fails"};

template <std::size_t N>
std::string pick(FuzzedDataProvider& in, const std::array<std::string_view, N>& known) {
    const auto i = in.ConsumeIntegralInRange<std::size_t>(0, N);
    return i < N ? std::string(known[i]) : in.ConsumeRandomLengthString(64);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    dk::ApiRequest request;
    request.method = pick(in, kMethods);
    request.path = pick(in, kPaths);
    request.query = in.ConsumeRandomLengthString(256);
    if (in.ConsumeBool()) {
        request.body = in.ConsumeRemainingBytesAsString();
    } else {
        // Answers as the client sends them: a JSON object of up to four pairs.
        dk::Json answers = dk::Json::object();
        for (int n = in.ConsumeIntegralInRange(0, 4); n > 0; --n)
            answers[pick(in, kAnswerKeys)] = pick(in, kAnswerValues);
        request.body = answers.dump(-1, ' ', false, dk::Json::error_handler_t::replace);
    }

    InstantCore core;
    const dk::ApiResponse response = dk::handleRequest(request, core);
    if (response.status < 200 || response.status > 599)
        std::abort();
    if (response.status >= 400) {
        const auto& error = response.body.at("error");
        if (!error.at("code").is_string() || !error.at("message").is_string())
            std::abort();
    }
    if (response.status == 405 && response.allow.empty())
        std::abort();
    // The server writes the body out this way: it must not throw.
    const std::string text = response.body.dump(-1, ' ', false, dk::Json::error_handler_t::replace);
    if (text.empty())
        std::abort();
    return 0;
}
