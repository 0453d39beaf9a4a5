#include "agent/resident/export.h"

#include "agent/os/files.h"
#include "agent/check/json_path.h"

#include <ares.h>
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <Poco/DateTime.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

#include "agent/resident/export_summary.h"
#include "agent/resident/history.h"
#include "agent/check/incident_store.h"
#include "agent/os/system_facts.h"
#include "agent/decide/texts.h"
#include "agent/version.h"
#include "config/loader.h"
#include "probes/dns_probe.h"
#include "probes/net_state.h"
#include "probes/proxy.h"

namespace dk {

namespace fs = std::filesystem;

namespace {

// Each log file goes in with at most its last this many bytes.
constexpr std::size_t kMaxLogBytes = 1 << 20;
// An incident file is a few hundred bytes; anything much larger is not one.
constexpr std::size_t kMaxIncidentBytes = 1 << 20;

// The proxy variables that curl reads, and the bypass lists.
constexpr const char* kProxyVariables[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                           "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

struct BundleFile {
    std::string name;  // the entry name in the zip: "reports/001-20261128T130211Z.json"
    std::string data;
};

// The current UTC time, as ISO 8601 ("2026-11-28T14:00:00Z") and as a file name
// takes it ("20261128T140000Z").
struct UtcNow {
    std::string iso, compact;
};

UtcNow utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char iso[32], compact[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::strftime(compact, sizeof compact, "%Y%m%dT%H%M%SZ", &tm);
    return {iso, compact};
}

// `s` with every character that does not belong in a file name replaced by '_'.
std::string safeFileName(const std::string& s) {
    std::string out;
    for (char c : s)
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'
                   ? c
                   : '_';
    if (out.empty() || out.find_first_not_of('.') == std::string::npos)
        return "unknown";
    return out;
}

// "2026-11-28T13:02:11.123Z" -> "20261128T130211Z".
std::string compactTime(const std::string& iso) {
    std::string out;
    for (char c : iso.substr(0, iso.find('.'))) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += c;
    }
    if (out.empty())
        return "unknown";
    return out.back() == 'Z' ? out : out + "Z";
}

std::string dumpJson(const Json& j) {
    return jsonText(j, 2) + "\n";
}

// ---- secrets ------------------------------------------------------------

// Which secret parts `url` holds, as curl parses it: user name, password, login
// options, query, fragment. A URL without a scheme is read as http, the way curl
// reads proxy settings. nullopt when curl cannot parse it.
std::optional<std::vector<std::string>> secretParts(const std::string& url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(),
                           CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        return std::nullopt;
    static const std::pair<CURLUPart, const char*> kParts[] = {{CURLUPART_USER, "user name"},
                                                               {CURLUPART_PASSWORD, "password"},
                                                               {CURLUPART_OPTIONS, "options"},
                                                               {CURLUPART_QUERY, "query"},
                                                               {CURLUPART_FRAGMENT, "fragment"}};
    std::vector<std::string> found;
    for (const auto& [part, name] : kParts) {
        char* value = nullptr;
        if (curl_url_get(u.get(), part, &value, 0) == CURLUE_OK)
            found.emplace_back(name);
        curl_free(value);
    }
    return found;
}

// `url` as it may appear in the bundle: unchanged when it holds no secret, else
// through redactUrl. `what` names the setting; what was removed is added to `redacted`.
std::string redacted(const std::string& url, const std::string& what,
                     std::vector<std::string>& redactions) {
    if (url.empty())
        return url;
    const auto parts = secretParts(url);
    if (!parts) {
        redactions.push_back(what + " (unreadable URL, left out)");
        return "<invalid URL>";
    }
    if (parts->empty())
        return url;
    std::string removed;
    for (const auto& p : *parts) removed += (removed.empty() ? "" : ", ") + p;
    redactions.push_back(what + " (" + removed + ")");
    return redactUrl(url.find("://") == std::string::npos ? "http://" + url : url);
}

// The effective configuration as TOML, with the secrets of every URL in it removed
// and a comment saying what was removed.
std::string redactedConfigToml(const config::Config& cfg) {
    config::Config c = cfg;
    std::vector<std::string> redactions;
    c.network.proxy = redacted(c.network.proxy, "network.proxy", redactions);
    for (auto& s : c.systems) s.url = redacted(s.url, "systems." + s.id + ".url", redactions);
    if (c.maintenance.ics.find("://") != std::string::npos)
        c.maintenance.ics = redacted(c.maintenance.ics, "maintenance.ics", redactions);

    std::string header;
    if (redactions.empty()) {
        header = "# driftkoll export: inga hemligheter att ta bort / no secrets to redact\n";
    } else {
        header = "# driftkoll export: hemligheter borttagna / secrets redacted:";
        for (const auto& r : redactions) header += (&r == &redactions.front() ? " " : "; ") + r;
        header += "\n";
    }
    return header + config::renderToml(c);
}

// ---- system facts -----------------------------------------------------------

std::string familyName(int family) {
    return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" : std::to_string(family);
}

Json versionsJson() {
    const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
    const unsigned poco = Poco::Environment::libraryVersion();
    return {{"driftkoll", kVersion},
            {"libcurl", curl && curl->version ? curl->version : ""},
            {"openssl", OpenSSL_version(OPENSSL_VERSION)},
            {"c-ares", ares_version(nullptr)},
            {"sqlite", sqlite3_libversion()},
            {"poco", std::to_string(poco >> 24) + "." + std::to_string((poco >> 16) & 0xff) + "." +
                         std::to_string((poco >> 8) & 0xff)}};
}

Json networkJson(Json j) {
    const auto inspector = makeSystemNetInspector();
    const NetSnapshot snap = inspector ? inspector->snapshot() : NetSnapshot{};
    j["network_error"] = snap.ok ? Json() : Json(snap.error.empty() ? "no inspector" : snap.error);
    Json interfaces = Json::array(), addresses = Json::array(), routes = Json::array(),
         neighbours = Json::array();
    for (const auto& i : snap.interfaces)
        interfaces.push_back({{"index", i.index},
                              {"name", i.name},
                              {"admin_up", i.admin_up},
                              {"carrier", i.carrier},
                              {"operstate", i.operstate},
                              {"loopback", i.loopback},
                              {"physical", i.physical},
                              {"wireless", i.wireless},
                              {"kind", i.kind},
                              {"mac", i.mac},
                              {"mtu", i.mtu}});
    for (const auto& a : snap.addresses)
        addresses.push_back({{"interface", a.ifname},
                             {"family", familyName(a.family)},
                             {"address", a.address},
                             {"prefix_len", a.prefix_len},
                             {"scope", a.scope},
                             {"tentative", a.tentative}});
    for (const auto& r : snap.routes)
        routes.push_back({{"family", familyName(r.family)},
                          {"destination", r.destination},
                          {"gateway", r.gateway},
                          {"interface", r.ifname},
                          {"metric", r.metric},
                          {"table", r.table}});
    for (const auto& n : snap.neighbours)
        neighbours.push_back({{"family", familyName(n.family)},
                              {"address", n.address},
                              {"interface", n.ifname},
                              {"state", n.state},
                              {"lladdr", n.lladdr}});
    j["interfaces"] = interfaces;
    j["addresses"] = addresses;
    j["routes"] = routes;
    j["neighbours"] = neighbours;
    return j;
}

Json systemJson(const std::string& now) {
    Json j;
    j["generated_at"] = now;
    j["host_name"] = hostName();
    j["boot_id"] = bootId();
    const auto uptime = uptimeSeconds();
    j["uptime_seconds"] = uptime ? Json(*uptime) : Json();
    Json os = Json::object();
    for (const auto& [key, value] : osRelease()) os[key] = value;
    j["os"] = os;
    j["kernel"] = kernelVersion();
    j = networkJson(std::move(j));

    std::string ns_error;
    j["name_servers"] = systemNameServers(&ns_error);
    j["name_servers_error"] = ns_error.empty() ? Json() : Json(ns_error);

    Json proxies = Json::object();
    std::vector<std::string> redactions;  // the values themselves show what was removed
    for (const char* name : kProxyVariables) {
        const char* value = std::getenv(name);
        if (!value)
            continue;
        const std::string v = value;
        const bool bypass_list = std::tolower(static_cast<unsigned char>(name[0])) == 'n';
        proxies[name] = bypass_list ? v : redacted(v, name, redactions);
    }
    j["proxy_environment"] = proxies;
    j["versions"] = versionsJson();
    return j;
}

// ---- the agent's files -------------------------------------------------------

// The incident file as it is, without the repairs IncidentStore::load makes.
std::optional<Incident> readIncident(const std::string& path, std::string& note) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::nullopt;
    std::string text, why;
    std::size_t skipped = 0;
    if (!readFileTail(path, kMaxIncidentBytes, text, skipped, why) || skipped > 0) {
        note = path + ": " + (why.empty() ? "too large" : why);
        return std::nullopt;
    }
    const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    auto incident = j.is_discarded() ? std::nullopt : incidentFromJson(j, &why);
    if (!incident)
        note = path + ": " + (j.is_discarded() ? "not valid JSON" : why);
    return incident;
}

// Every regular file of `dir`, by name, each at most kMaxLogBytes (the end of it).
std::vector<BundleFile> readLogs(const std::string& dir, std::vector<std::string>& notes) {
    std::vector<BundleFile> logs;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        notes.push_back(dir + ": " + ec.message());
        return logs;
    }
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec)
            break;
        std::error_code type_ec;
        if (!it->is_regular_file(type_ec) || it->is_symlink(type_ec))
            continue;
        BundleFile f;
        f.name = "logs/" + safeFileName(it->path().filename().string());
        std::size_t skipped = 0;
        std::string why;
        if (!readFileTail(it->path(), kMaxLogBytes, f.data, skipped, why)) {
            notes.push_back(it->path().string() + ": " + why);
            continue;
        }
        if (skipped > 0)
            f.data = "[driftkoll export: de första " + std::to_string(skipped) +
                     " byte utelämnade / the first " + std::to_string(skipped) +
                     " bytes left out]\n" + f.data;
        logs.push_back(std::move(f));
    }
    if (ec)
        notes.push_back(dir + ": " + ec.message());
    std::sort(logs.begin(), logs.end(),
              [](const BundleFile& a, const BundleFile& b) { return a.name < b.name; });
    return logs;
}

// ---- the zip file ------------------------------------------------------------------

// Makes the zip in memory (its files are capped) and writes it with
// writeFileAtomic: `path` is the whole bundle or nothing.
bool writeZip(const std::string& path, const std::vector<BundleFile>& files, std::string& why) {
    std::ostringstream out(std::ios::binary);
    try {
        Poco::Zip::Compress zip(out, /*seekableOut=*/true);
        const Poco::DateTime now;
        for (const auto& f : files) {
            std::istringstream in(f.data);
            zip.addFile(in, now, Poco::Path(f.name, Poco::Path::PATH_UNIX),
                        Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_NORMAL);
        }
        zip.close();
    } catch (const Poco::Exception& e) {
        why = e.displayText();
        return false;
    } catch (const std::exception& e) {
        why = e.what();
        return false;
    }
    return writeFileAtomic(path, out.view(), 0600, &why);
}

std::string outputPath(const ExportOptions& o, const std::string& host, const UtcNow& now) {
    const std::string name = "driftkoll-" + safeFileName(host) + "-" + now.compact + ".zip";
    std::error_code ec;
    if (o.out_path.empty())
        return fs::absolute(name, ec).string();
    if (fs::is_directory(o.out_path, ec))
        return (fs::path(o.out_path) / name).string();
    return o.out_path;
}

ExportResult makeBundle(const ExportOptions& o) {
    ExportResult result;
    Gathered g;
    g.host = hostName();
    const UtcNow now = utcNow();
    g.now = now.iso;

    g.history_path = o.history_path.empty() ? History::defaultPath() : o.history_path;
    std::error_code ec;
    if (fs::exists(g.history_path, ec)) {
        auto opened = History::openForReading(g.history_path);
        std::string err;
        if (opened.history) {
            g.history_runs = opened.history->count(&err);
            if (err.empty())
                g.reports = opened.history->recentReports(std::max(o.reports, 0), &err);
            std::reverse(g.reports.begin(), g.reports.end());
        }
        g.history_error = opened.history ? err : opened.error;
        g.history = !g.history_error.empty() ? HistoryState::unreadable
                    : g.history_runs == 0    ? HistoryState::empty
                                             : HistoryState::ok;
    }

    const std::string incident_path =
        o.incident_path.empty() ? IncidentStore::defaultPath() : o.incident_path;
    std::string incident_note;
    g.incident = readIncident(incident_path, incident_note);
    g.incident_path = incident_path;
    if (!incident_note.empty())
        g.notes.push_back(std::string("incident: ") + incident_note);
    // Without an incident file, the newest report still knows the incident it was part of.
    if (const Json* inc = g.reports.empty() ? nullptr : jsonAt(g.reports.back(), {"incident"});
        !g.incident && inc && inc->is_object()) {
        g.incident = incidentFromJson(*inc, nullptr);
        g.incident_from_report = g.incident.has_value();
    }

    std::vector<BundleFile> files;
    files.push_back({"summary.txt", {}});  // written last, when everything is known

    const int width = std::max<int>(3, static_cast<int>(std::to_string(g.reports.size()).size()));
    for (std::size_t i = 0; i < g.reports.size(); ++i) {
        std::string number = std::to_string(i + 1);
        number.insert(
            0, static_cast<std::size_t>(width) - std::min<std::size_t>(number.size(), width), '0');
        files.push_back({std::string("reports/") + number + "-" +
                             compactTime(stringAt(g.reports[i], {"generated_at"})) + ".json",
                         dumpJson(g.reports[i])});
    }
    if (!o.log_dir.empty()) {
        g.log_dir = o.log_dir;
        auto logs = readLogs(o.log_dir, g.notes);
        g.log_files = logs.size();
        for (auto& f : logs) files.push_back(std::move(f));
    }
    if (o.config) {
        g.config = true;
        files.push_back({"config.toml", redactedConfigToml(*o.config)});
    }
    files.push_back({"system.json", dumpJson(systemJson(g.now))});
    files.front().data =
        summaryText(g, Lang::sv) + "\n" + std::string(60, '-') + "\n\n" + summaryText(g, Lang::en);

    const std::string path = outputPath(o, g.host, now);
    if (!writeZip(path, files, result.error)) {
        result.error = "kan inte skriva diagnostikpaketet / cannot write the diagnostic bundle: " +
                       result.error;
        return result;
    }
    result.path = path;
    for (const auto& f : files) result.entries.push_back(f.name);
    return result;
}

}  // namespace

ExportResult exportBundle(const ExportOptions& options) {
    try {
        return makeBundle(options);
    } catch (const std::exception& e) {
        ExportResult r;
        r.error = "kan inte göra diagnostikpaketet / cannot make the diagnostic bundle: " +
                  std::string(e.what());
        return r;
    }
}

}  // namespace dk
