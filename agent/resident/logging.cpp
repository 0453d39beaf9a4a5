#include "agent/resident/logging.h"


#include <filesystem>
#include <functional>
#include <system_error>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>

#include "agent/check/incident_store.h"
#include "agent/os/log_sink.h"

namespace dk {

namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%e%z [%l] %v";
constexpr std::chrono::seconds kRetry{60};

// Writes all of `text` to stderr, ignoring failures: this is the last resort.
void toStderr(const std::string& text) noexcept {
    writeAllToStderr(text);
}

// A sink that never throws: the real sink is made by `make_` (again, at most once
// per kRetry, when making it failed) and its failures go to SinkFailures.
class GuardedSink final : public spdlog::sinks::sink {
public:
    GuardedSink(std::string name, std::function<spdlog::sink_ptr()> make,
                std::shared_ptr<SinkFailures> failures)
        : name_(std::move(name)), make_(std::move(make)), failures_(std::move(failures)) {
        std::lock_guard lock(mu_);
        ready();
    }

    void log(const spdlog::details::log_msg& msg) override {
        std::lock_guard lock(mu_);
        if (!ready())
            return;
        guarded([&] { inner_->log(msg); });
    }

    void flush() override {
        std::lock_guard lock(mu_);
        if (inner_)
            guarded([&] { inner_->flush(); });
    }

    void set_pattern(const std::string& pattern) override {
        set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern));
    }

    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        std::lock_guard lock(mu_);
        formatter_ = std::move(formatter);
        if (inner_)
            guarded([&] { inner_->set_formatter(formatter_->clone()); });
    }

private:
    // Whether the real sink exists, making it when it is time to try. Under mu_.
    bool ready() {
        if (inner_)
            return true;
        const auto now = std::chrono::steady_clock::now();
        if (now < next_try_)
            return false;
        next_try_ = now + kRetry;
        guarded([&] {
            spdlog::sink_ptr made = make_();
            if (formatter_)
                made->set_formatter(formatter_->clone());
            inner_ = std::move(made);
        });
        return inner_ != nullptr;
    }

    template <class F>
    void guarded(F f) noexcept {
        try {
            f();
        } catch (const std::exception& e) {
            failures_->report(name_, e.what());
        } catch (...) {
            failures_->report(name_, "unknown error");
        }
    }

    std::mutex mu_;
    std::string name_;
    std::function<spdlog::sink_ptr()> make_;
    std::shared_ptr<SinkFailures> failures_;
    spdlog::sink_ptr inner_;
    std::unique_ptr<spdlog::formatter> formatter_;
    std::chrono::steady_clock::time_point next_try_{};
};

}  // namespace

void SinkFailures::report(std::string_view sink, std::string_view what) noexcept {
    const std::uint64_t total = ++count_;
    try {
        std::lock_guard lock(mu_);
        const auto now = std::chrono::steady_clock::now();
        if (now < next_report_)
            return;
        next_report_ = now + interval_;
        std::string line = "driftkoll: log (";
        line.append(sink).append(") failed: ").append(what);
        if (const std::uint64_t since = total - reported_; since > 1)
            line += " (" + std::to_string(since) + " failures since the last report)";
        line += "\n";
        reported_ = total;
        toStderr(line);
    } catch (...) {
        // Out of memory while reporting a log failure: the count above still stands.
    }
}

AgentLog makeAgentLog(const LogOptions& options) {
    AgentLog out;
    out.failures = std::make_shared<SinkFailures>();
    std::vector<spdlog::sink_ptr> sinks;
    if (!options.dir.empty()) {
        const std::string dir = options.dir;
        const std::size_t max_bytes = options.max_file_bytes;
        const std::size_t rotated = options.max_rotated;
        sinks.push_back(std::make_shared<GuardedSink>(
            "file",
            [dir, max_bytes, rotated]() -> spdlog::sink_ptr {
                std::error_code ec;
                std::filesystem::create_directories(dir, ec);
                std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                             std::filesystem::perm_options::replace, ec);
                return std::make_shared<spdlog::sinks::rotating_file_sink_st>(
                    dir + "/driftkoll.log", max_bytes, rotated);
            },
            out.failures));
    }
    if (options.journal && journalAvailable()) {
        sinks.push_back(std::make_shared<GuardedSink>(
            "journal",
            [] { return std::make_shared<spdlog::sinks::systemd_sink_st>("driftkoll", false); },
            out.failures));
    }
    if (options.console) {
        sinks.push_back(std::make_shared<GuardedSink>(
            "stderr", [] { return std::make_shared<spdlog::sinks::stderr_sink_st>(); },
            out.failures));
    }
    out.logger = std::make_shared<spdlog::logger>("driftkoll", sinks.begin(), sinks.end());
    out.logger->set_pattern(kPattern);
    out.logger->set_level(spdlog::level::info);
    out.logger->flush_on(spdlog::level::trace);
    std::shared_ptr<SinkFailures> failures = out.failures;
    out.logger->set_error_handler(
        [failures](const std::string& what) { failures->report("logger", what); });
    return out;
}

std::string defaultLogDir() {
    return (std::filesystem::path(IncidentStore::defaultPath()).parent_path() / "log").string();
}

bool journalAvailable() {
    return journalSocketWritable();
}

}  // namespace dk
