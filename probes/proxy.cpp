#include "proxy.h"

#include "platform/socket_api.h"
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string_view>

namespace dk {

namespace {

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

// One part of a parsed URL; nullopt when the URL does not have it.
std::optional<std::string> urlPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
    char* value = nullptr;
    const CURLUcode rc = curl_url_get(u, part, &value, flags);
    // libcurl 7.88 can hand out the part and still fail (CURLU_PUNYCODE on a host it
    // cannot convert): what it handed out is ours to free either way.
    const std::unique_ptr<char, decltype(&curl_free)> owned(value, &curl_free);
    if (rc != CURLUE_OK || value == nullptr)
        return std::nullopt;
    return std::string(value);
}

// Parses with curl_url and fills the parts; `default_port` applies when the URL has
// none (0 = the scheme's default as curl knows it).
std::optional<UrlParts> parseWith(const std::string& text, unsigned set_flags, int default_port,
                                  std::string& error) {
    UrlHandle u(curl_url());
    if (!u) {
        error = "out of memory";
        return std::nullopt;
    }
    if (CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(), set_flags)) {
        error = std::string("invalid URL: ") + curl_url_strerror(rc);
        return std::nullopt;
    }
    UrlParts parts;
    parts.scheme = urlPart(u.get(), CURLUPART_SCHEME).value_or("");
    std::transform(parts.scheme.begin(), parts.scheme.end(), parts.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // An IDN name in punycode, as curl will look it up. libidn2 cannot convert it
    // outside a UTF-8 locale; curl then refuses the URL itself, before any lookup.
    auto host = urlPart(u.get(), CURLUPART_HOST, CURLU_PUNYCODE);
    if (!host)
        host = urlPart(u.get(), CURLUPART_HOST);
    if (!host || host->empty()) {
        error = "invalid URL: no host name";
        return std::nullopt;
    }
    parts.host = *host;
    if (parts.host.size() > 2 && parts.host.front() == '[' && parts.host.back() == ']')
        parts.host = parts.host.substr(1, parts.host.size() - 2);
    auto port = urlPart(u.get(), CURLUPART_PORT, default_port == 0 ? CURLU_DEFAULT_PORT : 0);
    parts.port = default_port;
    if (port)
        std::from_chars(port->data(), port->data() + port->size(), parts.port);
    unsigned char addr[16];
    parts.ip_literal = inet_pton(AF_INET, parts.host.c_str(), addr) == 1 ||
                       inet_pton(AF_INET6, parts.host.c_str(), addr) == 1;
    return parts;
}

// The URL with `parts` removed; nullopt when curl cannot parse it.
std::optional<std::string> withoutParts(const std::string& url,
                                        std::initializer_list<CURLUPart> parts) {
    UrlHandle u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME))
        return std::nullopt;
    for (auto part : parts) curl_url_set(u.get(), part, nullptr, 0);
    return urlPart(u.get(), CURLUPART_URL);
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// `address` lies in `network`/`bits` (both textual, of family `af`).
bool inNetwork(int af, const std::string& address, const std::string& network, int bits) {
    std::array<unsigned char, 16> a{}, n{};
    if (inet_pton(af, address.c_str(), a.data()) != 1)
        return false;
    if (inet_pton(af, network.c_str(), n.data()) != 1)
        return false;
    const int total = af == AF_INET ? 32 : 128;
    if (bits < 0 || bits > total)
        return false;
    for (int i = 0; i < bits / 8; ++i)
        if (a[static_cast<std::size_t>(i)] != n[static_cast<std::size_t>(i)])
            return false;
    if (int rest = bits % 8) {
        auto mask = static_cast<unsigned char>(0xff << (8 - rest));
        auto i = static_cast<std::size_t>(bits / 8);
        if ((a[i] & mask) != (n[i] & mask))
            return false;
    }
    return true;
}

// One bypass-list entry against a host of family `af` (0 = a host name).
bool entryMatches(std::string_view entry, const std::string& host, int af) {
    if (af == 0) {
        std::string_view name = host;
        if (!name.empty() && name.back() == '.')
            name.remove_suffix(1);
        if (!entry.empty() && entry.back() == '.')
            entry.remove_suffix(1);
        if (!entry.empty() && entry.front() == '.')
            entry.remove_prefix(1);
        if (entry.empty())
            return false;
        if (entry.size() == name.size())
            return iequals(entry, name);
        return entry.size() < name.size() && name[name.size() - entry.size() - 1] == '.' &&
               iequals(entry, name.substr(name.size() - entry.size()));
    }
    std::string network(entry);
    int bits = af == AF_INET ? 32 : 128;
    if (auto slash = network.find('/'); slash != std::string::npos) {
        auto digits = std::string_view(network).substr(slash + 1);
        if (std::from_chars(digits.data(), digits.data() + digits.size(), bits).ec != std::errc{})
            return false;
        network.resize(slash);
    }
    return inNetwork(af, host, network, bits);
}

// An environment variable as curl reads it: set but empty is the same as unset.
std::optional<std::string> envValue(const EnvLookup& env, const std::string& name) {
    auto v = env(name);
    if (v && v->empty())
        return std::nullopt;
    return v;
}

ProxyChoice direct(std::string source, std::string reason) {
    ProxyChoice c;
    c.source = std::move(source);
    c.reason = std::move(reason);
    return c;
}

}  // namespace

std::optional<UrlParts> parseHttpUrl(const std::string& url, std::string& error) {
    auto parts = parseWith(url, 0, 0, error);
    if (parts && parts->scheme != "http" && parts->scheme != "https") {
        error = "unsupported URL scheme \"" + parts->scheme + "\" (only http and https)";
        return std::nullopt;
    }
    return parts;
}

std::string withoutCredentials(const std::string& url) {
    return withoutParts(url, {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS}).value_or(url);
}

std::string redactUrl(const std::string& url) {
    return withoutParts(url, {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS,
                              CURLUPART_QUERY, CURLUPART_FRAGMENT})
        .value_or("<invalid URL>");
}

EnvLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr)
            return std::nullopt;
        return std::string(v);
    };
}

bool noProxyMatches(const std::string& host, const std::string& no_proxy) {
    if (no_proxy == "*")
        return true;
    unsigned char buf[16];
    int af = 0;
    if (inet_pton(AF_INET, host.c_str(), buf) == 1)
        af = AF_INET;
    else if (inet_pton(AF_INET6, host.c_str(), buf) == 1)
        af = AF_INET6;

    std::string_view rest = no_proxy;
    const auto separator = [](char c) { return c == ',' || c == ' ' || c == '\t'; };
    while (!rest.empty()) {
        auto begin = std::find_if_not(rest.begin(), rest.end(), separator);
        auto end = std::find_if(begin, rest.end(), separator);
        std::string_view entry(begin, static_cast<std::size_t>(end - begin));
        if (!entry.empty() && entryMatches(entry, host, af))
            return true;
        rest = std::string_view(end, static_cast<std::size_t>(rest.end() - end));
    }
    return false;
}

ProxyChoice chooseProxy(const std::string& url, const ProxySettings& settings,
                        const EnvLookup& env) {
    std::string error;
    auto target = parseHttpUrl(url, error);
    if (!target) {
        ProxyChoice c = direct("none", "the URL cannot be parsed");
        c.error = error;
        return c;
    }

    // The proxy, if any.
    std::optional<std::string> proxy;
    std::string source;
    if (!settings.proxy.empty()) {
        proxy = settings.proxy;
        source = "config";
    } else {
        std::string name = target->scheme + "_proxy";
        proxy = envValue(env, name);
        if (!proxy && target->scheme != "http") {
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            proxy = envValue(env, name);
        }
        for (const char* fallback : {"all_proxy", "ALL_PROXY"}) {
            if (proxy)
                break;
            name = fallback;
            proxy = envValue(env, name);
        }
        if (proxy)
            source = "env:" + name;
    }
    if (!proxy)
        return direct("none", "no proxy is configured");

    // The bypass list.
    std::string no_proxy = settings.no_proxy;
    std::string no_proxy_source = "config";
    if (no_proxy.empty()) {
        for (const char* name : {"no_proxy", "NO_PROXY"}) {
            if (auto v = envValue(env, name)) {
                no_proxy = *v;
                no_proxy_source = std::string("env:") + name;
                break;
            }
        }
    }
    if (!no_proxy.empty() && noProxyMatches(target->host, no_proxy))
        return direct(no_proxy_source, target->host + " is in the no_proxy list");

    ProxyChoice c;
    c.source = source;
    // Like curl: a proxy without a scheme gets curl's guess (http, unless the name
    // starts with "ftp." and the like), and one without a port listens on 1080
    // (443 for an HTTPS proxy).
    auto parts = parseWith(*proxy, CURLU_NON_SUPPORT_SCHEME | CURLU_GUESS_SCHEME, -1, error);
    static constexpr std::array<std::string_view, 6> kSchemes = {"http",    "https",  "socks4",
                                                                 "socks4a", "socks5", "socks5h"};
    if (parts && std::find(kSchemes.begin(), kSchemes.end(), parts->scheme) == kSchemes.end())
        error = "unsupported proxy scheme \"" + parts->scheme + "\"";
    if (!parts || !error.empty()) {
        c.error = "proxy from " + source + ": " + error;
        c.reason = "the proxy setting cannot be used";
        return c;
    }
    if (parts->port < 0)
        parts->port = parts->scheme == "https" ? 443 : 1080;
    const bool v6 = parts->host.find(':') != std::string::npos;
    c.url = parts->scheme + "://" + (v6 ? "[" + parts->host + "]" : parts->host) + ":" +
            std::to_string(parts->port);
    c.proxy = *parts;
    c.reason = source == "config" ? "the configured proxy" : "proxy from " + source.substr(4);
    return c;
}

}  // namespace dk
