// Proxy selection: the configuration first, then the environment as curl reads it.
// Pure table tests: no network.
#include "probes/proxy.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using namespace dk;

namespace {

EnvLookup envOf(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

ProxyChoice choose(const std::string& url, std::map<std::string, std::string> env,
                   ProxySettings config = {}) {
    return chooseProxy(url, config, envOf(std::move(env)));
}

}  // namespace

TEST_CASE("proxy selection goes direct without any proxy setting", "[proxy]") {
    // Neither the configuration nor the environment names a proxy.
    ProxyChoice c = choose("https://tes.kommun.se/", {});
    CHECK(c.url.empty());
    CHECK(c.source == "none");
    CHECK(c.error.empty());
}

TEST_CASE("proxy selection uses https_proxy, then HTTPS_PROXY, for an https URL", "[proxy]") {
    // Lower case wins when both are set.
    CHECK(choose("https://tes.kommun.se/",
                 {{"https_proxy", "http://a:3128"}, {"HTTPS_PROXY", "http://b:3128"}})
              .url == "http://a:3128");
    ProxyChoice c = choose("https://tes.kommun.se/", {{"HTTPS_PROXY", "http://b:3128"}});
    CHECK(c.url == "http://b:3128");
    CHECK(c.source == "env:HTTPS_PROXY");
}

TEST_CASE("proxy selection ignores HTTP_PROXY in upper case for an http URL, as curl does",
          "[proxy]") {
    // Upper-case HTTP_PROXY can come from a request header in CGI programs.
    CHECK(choose("http://intranet.kommun.se/", {{"HTTP_PROXY", "http://b:3128"}}).url.empty());
    CHECK(choose("http://intranet.kommun.se/", {{"http_proxy", "http://a:3128"}}).url ==
          "http://a:3128");
}

TEST_CASE("proxy selection falls back to all_proxy, then ALL_PROXY, for any scheme", "[proxy]") {
    // No scheme-specific variable is set.
    ProxyChoice c = choose("https://tes.kommun.se/", {{"ALL_PROXY", "http://c:8080"}});
    CHECK(c.url == "http://c:8080");
    CHECK(c.source == "env:ALL_PROXY");
    CHECK(choose("http://x.se/", {{"all_proxy", "http://a:1"}, {"ALL_PROXY", "http://b:1"}}).url ==
          "http://a:1");
}

TEST_CASE("proxy selection counts an empty variable as unset, as curl does", "[proxy]") {
    // https_proxy= does not stop the search: all_proxy still applies.
    ProxyChoice c =
        choose("https://tes.kommun.se/", {{"https_proxy", ""}, {"all_proxy", "http://c:1"}});
    CHECK(c.source == "env:all_proxy");
}

TEST_CASE("proxy selection prefers the configured proxy to the environment's", "[proxy]") {
    // IT configured a proxy; the session also has https_proxy set.
    ProxyChoice c = choose("https://tes.kommun.se/", {{"https_proxy", "http://env:1"}},
                           {"http://config.kommun.se:8080", ""});
    CHECK(c.url == "http://config.kommun.se:8080");
    CHECK(c.source == "config");
    CHECK(c.proxy.host == "config.kommun.se");
    CHECK(c.proxy.port == 8080);
}

TEST_CASE("proxy selection bypasses the proxy for hosts in the configured no_proxy list",
          "[proxy]") {
    // Internal hosts go direct; the environment's no_proxy is not consulted.
    ProxySettings config{"http://p:8080", ".kommun.se"};
    ProxyChoice c = choose("https://tes.kommun.se/", {{"no_proxy", "other.se"}}, config);
    CHECK(c.url.empty());
    CHECK(c.source == "config");
    CHECK(choose("https://other.se/", {{"no_proxy", "other.se"}}, config).url == "http://p:8080");
}

TEST_CASE(
    "proxy selection applies the environment's no_proxy to a configured proxy when the config has "
    "none",
    "[proxy]") {
    // Configured proxy, but no configured bypass list.
    ProxyChoice c =
        choose("https://tes.kommun.se/", {{"NO_PROXY", "kommun.se"}}, {"http://p:8080", ""});
    CHECK(c.url.empty());
    CHECK(c.source == "env:NO_PROXY");
}

TEST_CASE("proxy selection reads a proxy without scheme or port as HTTP on port 1080, as curl does",
          "[proxy]") {
    // The URL handed to curl always spells out scheme and port.
    CHECK(choose("https://x.se/", {{"https_proxy", "proxy.kommun.se"}}).url ==
          "http://proxy.kommun.se:1080");
    CHECK(choose("https://x.se/", {{"https_proxy", "https://proxy.kommun.se"}}).url ==
          "https://proxy.kommun.se:443");
    CHECK(choose("https://x.se/", {{"https_proxy", "socks5h://[fd00::1]:1081"}}).url ==
          "socks5h://[fd00::1]:1081");
}

TEST_CASE("proxy selection drops credentials from a proxy URL", "[proxy]") {
    // Probes never send credentials; they must not reach the evidence either.
    ProxyChoice c =
        choose("https://x.se/", {{"https_proxy", "http://anna:hemligt@p.kommun.se:3128"}});
    CHECK(c.url == "http://p.kommun.se:3128");
}

TEST_CASE("proxy selection reports an unusable proxy setting as an error, not a direct connection",
          "[proxy]") {
    // curl cannot use an FTP proxy.
    ProxyChoice c = choose("https://x.se/", {{"https_proxy", "ftp://p.kommun.se:21"}});
    CHECK(c.url.empty());
    CHECK(c.error.find("unsupported proxy scheme") != std::string::npos);
}

TEST_CASE("no_proxy entries match with curl's semantics", "[proxy]") {
    // One row per rule: host, bypass list, whether the host bypasses the proxy.
    struct Row {
        const char* host;
        const char* no_proxy;
        bool bypass;
    };
    const Row rows[] = {
        {"anything.se", "*", true},             // "*" alone: every host
        {"anything.se", " *", false},           // ... but only alone
        {"kommun.se", "kommun.se", true},       // the name itself
        {"tes.kommun.se", "kommun.se", true},   // its subdomains
        {"tes.kommun.se", ".kommun.se", true},  // a leading dot is ignored
        {"kommun.se", ".kommun.se", true},
        {"tes.kommun.se.", "kommun.se.", true},  // trailing dots are ignored
        {"TES.Kommun.SE", "kommun.se", true},    // case does not matter
        {"notkommun.se", "kommun.se", false},    // not a domain suffix
        {"kommun.se", "tes.kommun.se", false},
        {"b.se", "a.se, b.se", true},  // commas and blanks separate
        {"b.se", "a.se b.se", true},
        {"b.se", ",,a.se,,b.se,", true},
        {"b.se", "", false},
        {"10.1.2.3", "10.0.0.0/8", true},  // IPv4 networks
        {"11.1.2.3", "10.0.0.0/8", false},
        {"10.1.2.3", "10.1.2.3", true},
        {"10.1.2.3", "10.1.2.4", false},
        {"::1", "::1", true},  // IPv6, without brackets
        {"fd00::5", "fd00::/8", true},
        {"fe80::1", "fd00::/8", false},
        {"fd00::5", "fc00::/7", true},      // a prefix that is not whole bytes
        {"127.0.0.1", "localhost", false},  // names and addresses never mix
        {"localhost", "127.0.0.1", false},
    };
    for (const Row& row : rows) {
        INFO(row.host << " in \"" << row.no_proxy << "\"");
        CHECK(noProxyMatches(row.host, row.no_proxy) == row.bypass);
    }
}

TEST_CASE("URLs are parsed by curl, with IPv6 literals unbracketed and default ports filled in",
          "[proxy]") {
    // Only http and https URLs are probed.
    std::string error;
    auto v6 = parseHttpUrl("https://[::1]:8443/x", error);
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 8443);
    CHECK(v6->ip_literal);
    auto name = parseHttpUrl("http://TES.kommun.se/", error);
    REQUIRE(name);
    CHECK(name->port == 80);
    CHECK_FALSE(name->ip_literal);
    CHECK_FALSE(parseHttpUrl("ftp://x.se/", error));
    CHECK_FALSE(parseHttpUrl("not a url", error));
}

TEST_CASE("URLs in the evidence lose credentials, query and fragment", "[proxy]") {
    // The query may carry a patient identifier; the request itself keeps it.
    CHECK(redactUrl("https://anna:hemligt@tes.kommun.se/login?pnr=19121212-1212#top") ==
          "https://tes.kommun.se/login");
    CHECK(withoutCredentials("https://anna:hemligt@tes.kommun.se/login?next=/") ==
          "https://tes.kommun.se/login?next=/");
}
