// Which proxy an HTTP request goes through, decided once, by us, and then handed
// to curl explicitly (CURLOPT_PROXY, CURLOPT_NOPROXY), so that the decision in the
// evidence is exactly the one curl used.
//
// The configuration comes first: an explicit proxy replaces the environment's
// proxy variables, an explicit no_proxy list replaces the environment's. What is
// left to the environment is read as curl reads it:
//   - the proxy: `<scheme>_proxy`, then `<SCHEME>_PROXY` except for http (curl
//     never reads HTTP_PROXY: CGI programs get it from a request header), then
//     `all_proxy`, then `ALL_PROXY`;
//   - the bypass list: `no_proxy`, then `NO_PROXY`;
//   - like curl, a variable that is set but empty counts as unset.
// A bypass list is "*" (every host) or entries separated by commas or blanks: a
// host name matches itself and its subdomains (a leading dot and trailing dots
// are ignored), an IP address matches itself, or a network in CIDR form
// ("10.0.0.0/8", "fd00::/8"); host names and IP addresses never match each other.
//
// URLs are parsed with curl_url, never by hand. Probes never send credentials:
// user name and password in a proxy URL are dropped.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace dk {

// The parts of an http(s) URL that the probes need, as curl sees them.
struct UrlParts {
    std::string scheme;       // lower case: "http", "https", "socks5h", ...
    std::string host;         // IPv6 literals without brackets; IDN names in punycode
    int port = 0;             // the URL's port, or the scheme's default
    bool ip_literal = false;  // host is a numeric IPv4/IPv6 address
};

// Parses an absolute http or https URL. nullopt (and `error`) when curl rejects it
// or the scheme is another one.
std::optional<UrlParts> parseHttpUrl(const std::string& url, std::string& error);

// The URL without user name and password: what a probe may request (probes never
// send credentials). A URL that curl cannot parse is returned unchanged.
std::string withoutCredentials(const std::string& url);

// The URL without user name, password, query and fragment: safe for evidence and
// logs (query strings can carry session tokens or patient identifiers).
// A URL that curl cannot parse becomes "<invalid URL>".
std::string redactUrl(const std::string& url);

// Reads one environment variable: nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (std::getenv).
EnvLookup processEnvironment();

// The explicit proxy settings from the configuration. Empty = the environment.
struct ProxySettings {
    std::string proxy;     // "http://proxy.kommun.se:8080"
    std::string no_proxy;  // "localhost,.kommun.se,10.0.0.0/8"
};

struct ProxyChoice {
    std::string url;  // scheme://host:port without credentials; empty = connect directly
    UrlParts proxy;   // the parsed proxy (when url is set)
    std::string
        source;  // which setting decided: "config", "env:https_proxy", "env:NO_PROXY", "none"
    std::string reason;  // the decision in words, for the evidence
    std::string error;   // the proxy setting cannot be used (then url is empty)
};

// Decides the proxy for `url`, the way curl would with these settings and this
// environment.
ProxyChoice chooseProxy(const std::string& url, const ProxySettings& settings,
                        const EnvLookup& env);

// True when `host` (a name, or an IP address without brackets) is in the bypass
// list `no_proxy`, with curl's semantics (see above).
bool noProxyMatches(const std::string& host, const std::string& no_proxy);

}  // namespace dk
