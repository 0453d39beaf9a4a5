// Windows smoke test of the cross-built dependencies: each library is linked and used a
// little; every check prints "ok" or "FAIL", and the exit code is the number of failures.
// Network traffic goes only to loopback.
#include <ares.h>
#include <curl/curl.h>
#include <libical/ical.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <Poco/DateTime.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>

#include <windows.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

int failures = 0;

void check(const std::string& name, const std::function<std::string()>& body) {
  try {
    std::string detail = body();
    std::cout << "ok    " << name << (detail.empty() ? "" : ": " + detail) << std::endl;
  } catch (const std::exception& e) {
    ++failures;
    std::cout << "FAIL  " << name << ": " << e.what() << std::endl;
  }
}

void expect(bool condition, const std::string& what) {
  if (!condition) throw std::runtime_error(what);
}

// A UTF-8 std::string from a path (std::filesystem works in UTF-16 on Windows).
std::string utf8(const fs::path& p) {
  auto s = p.u8string();
  return std::string(s.begin(), s.end());
}

fs::path exe_dir() {
  wchar_t buf[MAX_PATH];
  DWORD n = GetModuleFileNameW(nullptr, buf, MAX_PATH);
  return fs::path(std::wstring(buf, n)).parent_path();
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string curl_get(const std::string& url) {
  CURL* h = curl_easy_init();
  expect(h != nullptr, "curl_easy_init");
  std::string body;
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  expect(rc == CURLE_OK, url + ": " + curl_easy_strerror(rc) + " " + errbuf);
  return body;
}

class Hello : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& resp) override {
    resp.setContentType("text/plain");
    resp.send() << "hej fr\xc3\xa5n Poco";
  }
};
class HelloFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Hello;
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"driftkoll Windows smoke test"};
  std::string tzdir;
  app.add_option("--tzdata", tzdir, "tz database directory (default: tzdata beside the exe)");
  CLI11_PARSE(app, argc, argv);
  if (tzdir.empty()) tzdir = utf8(exe_dir() / "tzdata");

  std::cout << "process code page " << GetACP() << std::endl;
  // A working directory with Swedish letters in its name.
  const fs::path work = fs::temp_directory_path() / fs::path(u8"driftkoll-smoke-\u00e5\u00e4\u00f6");
  fs::remove_all(work);

  check("utf-8 path (std::filesystem)", [&] {
    fs::create_directories(work);
    std::ofstream(work / fs::path(u8"h\u00e4lsning.txt")) << "hall\xc3\xa5";
    std::ifstream in(work / fs::path(u8"h\u00e4lsning.txt"));
    std::string s;
    std::getline(in, s);
    expect(s == "hall\xc3\xa5", "read back '" + s + "'");
    return utf8(work);
  });

  check("curl: version, Schannel", [] {
    expect(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK, "curl_global_init");
    const curl_version_info_data* v = curl_version_info(CURLVERSION_NOW);
    std::string ssl = v->ssl_version ? v->ssl_version : "";
    expect(ssl.find("Schannel") != std::string::npos, "TLS backend is '" + ssl + "'");
    expect(v->features & CURL_VERSION_SSL, "no SSL feature");
    expect(v->features & CURL_VERSION_ASYNCHDNS, "no asynchronous (threaded) resolver");
    return fmt::format("libcurl {} {}, features {:#x}", v->version, ssl, v->features);
  });

  check("curl: file:// URL", [&] {
    fs::path f = fs::temp_directory_path() / "driftkoll-smoke-curl.txt";
    std::ofstream(f) << "file body";
    std::string url = "file:///" + utf8(f);
    for (auto& c : url) if (c == '\\') c = '/';
    std::string body = curl_get(url);
    fs::remove(f);
    expect(body == "file body", "got '" + body + "'");
    return url;
  });

  check("Poco Net HTTP server + curl over loopback", [] {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::HTTPServer server(new HelloFactory, socket, new Poco::Net::HTTPServerParams);
    server.start();
    std::string url = fmt::format("http://127.0.0.1:{}/", socket.address().port());
    std::string body;
    try {
      body = curl_get(url);
    } catch (...) {
      server.stop();
      throw;
    }
    server.stop();
    expect(body == "hej fr\xc3\xa5n Poco", "got '" + body + "'");
    return url + " -> " + body;
  });

  check("c-ares", [] {
    expect(ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS, "ares_library_init");
    ares_channel channel;
    struct ares_options opts {};
    opts.timeout = 1000;
    opts.tries = 1;
    int rc = ares_init_options(&channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
    expect(rc == ARES_SUCCESS, std::string("ares_init_options: ") + ares_strerror(rc));
    // A numeric name: answered at once, no query sent.
    std::string result = "none";
    ares_gethostbyname(
        channel, "127.0.0.1", AF_INET,
        [](void* arg, int status, int, struct hostent* host) {
          auto* out = static_cast<std::string*>(arg);
          if (status == ARES_SUCCESS && host && host->h_addr_list[0]) {
            char buf[64];
            ares_inet_ntop(AF_INET, host->h_addr_list[0], buf, sizeof buf);
            *out = buf;
          } else {
            *out = ares_strerror(status);
          }
        },
        &result);
    ares_destroy(channel);
    ares_library_cleanup();
    expect(result == "127.0.0.1", "lookup gave " + result);
    return std::string("c-ares ") + ares_version(nullptr) + ", 127.0.0.1 -> " + result;
  });

  check("sqlite3 in memory", [] {
    sqlite3* db = nullptr;
    expect(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
    char* err = nullptr;
    int rc = sqlite3_exec(db,
        "create table checks(step integer, ok integer);"
        "insert into checks values (1, 1), (2, 0), (3, 1);", nullptr, nullptr, &err);
    std::string e = err ? err : "";
    sqlite3_free(err);
    expect(rc == SQLITE_OK, "exec: " + e);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "select sum(ok), count(*) from checks", -1, &st, nullptr);
    expect(sqlite3_step(st) == SQLITE_ROW, "step");
    int sum = sqlite3_column_int(st, 0), count = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    expect(sum == 2 && count == 3, fmt::format("sum {} count {}", sum, count));
    return std::string("SQLite ") + sqlite3_libversion();
  });

  check("Poco Zip to a file", [&] {
    fs::path zip = work / fs::path(u8"diagnos-\u00e5\u00e4\u00f6.zip");
    {
      std::ofstream out(zip, std::ios::binary);
      Poco::Zip::Compress c(out, true);
      std::istringstream report("{\"diagnosis\":{\"domain\":\"all_ok\"}}");
      c.addFile(report, Poco::DateTime(), Poco::Path("report.json"));
      c.close();
    }
    std::ifstream in(zip, std::ios::binary);
    Poco::Zip::ZipArchive archive(in);
    expect(archive.findHeader("report.json") != archive.headerEnd(), "report.json not in the zip");
    return fmt::format("{} ({} bytes)", utf8(zip), fs::file_size(zip));
  });

  check("libical parses a VCALENDAR", [] {
    const char* ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//driftkoll//smoke//SV\r\n"
        "BEGIN:VEVENT\r\nUID:tes-1@example.invalid\r\nDTSTAMP:20261201T120000Z\r\n"
        "DTSTART:20261207T180000Z\r\nDTEND:20261207T200000Z\r\n"
        "SUMMARY:TES underh\xc3\xa5ll\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    icalcomponent* cal = icalparser_parse_string(ics);
    expect(cal != nullptr, "parse failed");
    icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    expect(ev != nullptr, "no VEVENT");
    std::string summary = icalcomponent_get_summary(ev);
    struct icaltimetype start = icalcomponent_get_dtstart(ev);
    icalcomponent_free(cal);
    expect(summary == "TES underh\xc3\xa5ll", "summary '" + summary + "'");
    expect(start.hour == 18 && start.day == 7, "dtstart");
    return std::string("libical ") + ICAL_VERSION + ": " + summary;
  });

  check("spdlog to a file in the utf-8 directory", [&] {
    fs::path log = work / "driftkoll.log";
    {
      auto logger = spdlog::basic_logger_mt("smoke", utf8(log), true);
      logger->info("kontroll {} av {}: {}", 1, 5, "n\xc3\xa4tverk ok");
      logger->flush();
      spdlog::drop("smoke");
    }
    std::ifstream in(log);
    std::string line;
    std::getline(in, line);
    expect(line.find("kontroll 1 av 5: n\xc3\xa4tverk ok") != std::string::npos, "log line '" + line + "'");
    return fmt::format("spdlog {}.{}.{}, fmt {}: {}", SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR,
                       SPDLOG_VER_PATCH, FMT_VERSION, line);
  });

  check("toml++ and nlohmann::json", [] {
    auto tbl = toml::parse("[agent]\ninterval_s = 60\nname = \"driftkoll \xc3\xa5\"\n");
    expect(tbl["agent"]["interval_s"].value_or(0) == 60, "interval_s");
    std::string name = tbl["agent"]["name"].value_or(std::string{});
    nlohmann::json j = {{"name", name}, {"interval_s", 60}};
    auto back = nlohmann::json::parse(j.dump());
    expect(back["name"] == name, "json round trip");
    return j.dump();
  });

  check("date: Europe/Stockholm from the shipped tzdata", [&] {
    expect(fs::exists(fs::u8path(tzdir) / "europe"), "no tzdata at " + tzdir);
    date::set_install(tzdir);
    const date::time_zone* tz = date::locate_zone("Europe/Stockholm");
    using namespace std::chrono;
    // 2026-03-29: summer time starts at 01:00 UTC (02:00 CET becomes 03:00 CEST).
    auto before = date::sys_days{date::year{2026} / 3 / 29} + hours{0} + minutes{30};
    auto after = date::sys_days{date::year{2026} / 3 / 29} + hours{1} + minutes{30};
    date::zoned_time<minutes> zb{tz, before}, za{tz, after};
    std::string sb = date::format("%F %R %Z %z", zb), sa = date::format("%F %R %Z %z", za);
    expect(sb == "2026-03-29 01:30 CET +0100", "00:30 UTC -> " + sb);
    expect(sa == "2026-03-29 03:30 CEST +0200", "01:30 UTC -> " + sa);
    std::string current;
    try {
      current = date::current_zone()->name();
    } catch (const std::exception& e) {
      current = std::string("unknown (") + e.what() + ")";
    }
    return fmt::format("tzdata {}; 2026-03-29 01:30 UTC = {}; this machine's zone: {}",
                       date::get_tzdb().version, sa, current);
  });

  fs::remove_all(work);
  std::cout << (failures ? fmt::format("{} check(s) failed", failures) : "all checks passed")
            << std::endl;
  return failures;
}
