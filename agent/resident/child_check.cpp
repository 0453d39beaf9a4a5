#include "agent/resident/child_check.h"

#include <utility>

#include "agent/os/run_program.h"

namespace dk {

namespace {

// The last lines of what a child wrote to stderr: enough to see why it failed,
// never the whole of a runaway stream.
std::string tail(const std::string& text, std::size_t max = 2000) {
    std::string t = text;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    if (t.size() > max)
        t = "…" + t.substr(t.size() - max);
    return t;
}

}  // namespace

CheckFn childProcessCheck(std::string program, std::chrono::milliseconds margin) {
    return [program = std::move(program), margin](const CheckJob& job) {
        CheckDone done;
        ProgramRun run;
        run.argv = {program, "agent-run"};
        run.input = jsonText(jobToJson(job));
        run.timeout = job.config.run_deadline + margin;
        ProgramResult r = runProgram(run);
        done.log = tail(r.err);
        if (!r.ok()) {
            done.error = "the check process (" + program + ") " + r.describe();
            return done;
        }
        Json report = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
        if (report.is_discarded() || !report.is_object() || r.truncated) {
            done.error = "the check process (" + program + ") wrote no report that can be read";
            return done;
        }
        done.report = std::move(report);
        return done;
    };
}

ConfigFn childProcessConfig(std::string program) {
    return [program = std::move(program)](const std::string& path) {
        ProgramRun run;
        run.argv = {program, "agent-config"};
        if (!path.empty()) {
            run.argv.emplace_back("--config");
            run.argv.push_back(path);
        }
        run.timeout = std::chrono::seconds(30);
        ProgramResult r = runProgram(run);
        // Exit code 1 is a configuration with errors: the JSON says which.
        std::string why;
        if (r.started && !r.timed_out && (r.exit_code == 0 || r.exit_code == 1)) {
            const Json j = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
            if (!j.is_discarded())
                if (std::optional<ConfigLoad> load = configLoadFromJson(j, &why))
                    return *load;
        }
        ConfigLoad failed;
        const std::string said = tail(r.err);
        failed.errors.push_back("the configuration could not be loaded: " + program + " " +
                                r.describe() + (why.empty() ? "" : ": " + why) +
                                (said.empty() ? "" : ": " + said));
        return failed;
    };
}

AgentCore::Bundle childProcessExport(const std::string& program, const std::string& config_path,
                                     const std::string& out_dir, Lang lang) {
    ProgramRun run;
    run.argv = {program, "export", "--json", "--out", out_dir, "--lang",
                lang == Lang::en ? "en" : "sv"};
    if (!config_path.empty()) {
        run.argv.emplace_back("--config");
        run.argv.push_back(config_path);
    }
    run.timeout = std::chrono::seconds(60);
    ProgramResult r = runProgram(run);
    const Json j = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (r.ok() && j.is_object() && j.contains("path") && j["path"].is_string())
        return {j["path"].get<std::string>(), ""};
    const std::string why = tail(r.err);
    return {"", "diagnostikpaketet kunde inte skrivas / the diagnostic bundle could not be "
                "written: " +
                    (why.empty() ? r.describe() : why)};
}

}  // namespace dk
