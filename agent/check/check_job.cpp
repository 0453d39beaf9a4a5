#include "agent/check/check_job.h"

#include "agent/check/json_path.h"

namespace dk {

namespace {

const std::string* text(const Json& obj, const char* key) {
    const Json* v = jsonAt(obj, {key});
    return v && v->is_string() ? v->get_ptr<const std::string*>() : nullptr;
}

std::optional<long long> integer(const Json& obj, const char* key) {
    const Json* v = jsonAt(obj, {key});
    if (!v || !v->is_number_integer())
        return std::nullopt;
    return v->get<long long>();
}

bool strings(const Json& obj, const char* key, std::vector<std::string>& out) {
    const Json* v = jsonAt(obj, {key});
    if (!v || !v->is_array())
        return false;
    for (const Json& s : *v) {
        if (!s.is_string())
            return false;
        out.push_back(s.get<std::string>());
    }
    return true;
}

Json agentConfigJson(const AgentConfig& c) {
    return {{"file", c.file},
            {"source", c.source},
            {"profile", c.profile},
            {"text", c.text},
            {"run_deadline_ms", c.run_deadline.count()},
            {"agent",
             {{"interval_ms", c.agent.interval.count()},
              {"debounce_ms", c.agent.debounce.count()},
              {"history_max_runs", c.agent.history_max_runs},
              {"history_max_age_ms", c.agent.history_max_age.count()},
              {"metrics_textfile", c.agent.metrics_textfile},
              {"site", c.agent.site}}}};
}

std::optional<AgentConfig> agentConfigFromJson(const Json& j) {
    AgentConfig c;
    const std::string *file = text(j, "file"), *source = text(j, "source"),
                      *profile = text(j, "profile"), *toml = text(j, "text");
    const Json* agent = jsonAt(j, {"agent"});
    const auto deadline = integer(j, "run_deadline_ms");
    if (!file || !source || !profile || !toml || !agent || !deadline)
        return std::nullopt;
    const auto interval = integer(*agent, "interval_ms");
    const auto debounce = integer(*agent, "debounce_ms");
    const auto max_runs = integer(*agent, "history_max_runs");
    const auto max_age = integer(*agent, "history_max_age_ms");
    const std::string *metrics = text(*agent, "metrics_textfile"), *site = text(*agent, "site");
    if (!interval || !debounce || !max_runs || !max_age || !metrics || !site)
        return std::nullopt;
    c.file = *file;
    c.source = *source;
    c.profile = *profile;
    c.text = *toml;
    c.run_deadline = std::chrono::milliseconds(*deadline);
    c.agent.interval = std::chrono::milliseconds(*interval);
    c.agent.debounce = std::chrono::milliseconds(*debounce);
    c.agent.history_max_runs = static_cast<int>(*max_runs);
    c.agent.history_max_age = std::chrono::milliseconds(*max_age);
    c.agent.metrics_textfile = *metrics;
    c.agent.site = *site;
    return c;
}

}  // namespace

Json jobToJson(const CheckJob& job) {
    return {{"config", agentConfigJson(job.config)},
            {"answers", to_json(job.answers)},
            {"lang", job.lang == Lang::en ? "en" : "sv"},
            {"state_path", job.state_path},
            {"cache_dir", job.cache_dir},
            {"metrics",
             {{"path", job.metrics_path},
              {"site", job.metrics_site},
              {"host", job.metrics_host}}}};
}

std::optional<CheckJob> jobFromJson(const Json& j, std::string* err) {
    auto fail = [&](std::string why) -> std::optional<CheckJob> {
        *err = "the check job " + std::move(why);
        return std::nullopt;
    };
    if (!j.is_object())
        return fail("is not a JSON object");
    CheckJob job;
    const Json* cfg = jsonAt(j, {"config"});
    std::optional<AgentConfig> config = cfg ? agentConfigFromJson(*cfg) : std::nullopt;
    if (!config)
        return fail("has no whole config");
    const std::string* lang = text(j, "lang");
    const auto parsed_lang = lang ? parseLang(*lang) : std::nullopt;
    if (!parsed_lang)
        return fail("has no lang (sv or en)");
    const std::string* state = text(j, "state_path");
    const std::string* cache = text(j, "cache_dir");
    if (!state || state->empty() || !cache)
        return fail("has no state_path and cache_dir");
    const Json* metrics = jsonAt(j, {"metrics"});
    const std::string* m_path = metrics ? text(*metrics, "path") : nullptr;
    const std::string* m_site = metrics ? text(*metrics, "site") : nullptr;
    const std::string* m_host = metrics ? text(*metrics, "host") : nullptr;
    if (!m_path || !m_site || !m_host)
        return fail("has no metrics.path, metrics.site and metrics.host");
    const Json* answers = jsonAt(j, {"answers"});
    if (!answers || !answers->is_object())
        return fail("has no answers object");
    for (const auto& [key, value] : answers->items()) {
        if (!value.is_string() || key.find('=') != std::string::npos)
            return fail("has a bad answer: " + key);
        if (auto bad = applyAnswer(job.answers, key + "=" + value.get<std::string>()))
            return fail("has a bad answer: " + *bad);
    }
    job.config = std::move(*config);
    job.lang = *parsed_lang;
    job.state_path = *state;
    job.cache_dir = *cache;
    job.metrics_path = *m_path;
    job.metrics_site = *m_site;
    job.metrics_host = *m_host;
    return job;
}

Json configLoadToJson(const ConfigLoad& load) {
    return {{"ok", load.config.has_value()},
            {"config", load.config ? agentConfigJson(*load.config) : Json()},
            {"errors", load.errors},
            {"warnings", load.warnings}};
}

std::optional<ConfigLoad> configLoadFromJson(const Json& j, std::string* err) {
    ConfigLoad load;
    const Json* ok = jsonAt(j, {"ok"});
    const Json* cfg = jsonAt(j, {"config"});
    if (!ok || !ok->is_boolean() || !cfg || !strings(j, "errors", load.errors) ||
        !strings(j, "warnings", load.warnings)) {
        *err = "the configuration's load result is not whole";
        return std::nullopt;
    }
    if (ok->get<bool>()) {
        load.config = agentConfigFromJson(*cfg);
        if (!load.config) {
            *err = "the loaded configuration is not whole";
            return std::nullopt;
        }
    }
    return load;
}

}  // namespace dk
