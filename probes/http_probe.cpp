#include "http_probe.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "probes/curl_handle.h"
#include "tcp_probe.h"

#ifndef DK_VERSION
#error "DK_VERSION must be defined by the build"
#endif

namespace dk {

namespace {

constexpr long long kSecondsPerDay = 24 * 60 * 60;

long long unixMsNow() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// ---- The server's certificate, as the OpenSSL verify callback sees it ----

// What the handshake showed of the certificate. Filled during the handshake, so
// it is there even when verification fails.
struct TlsCapture {
    std::string host;  // the name (or IP address) the certificate must match
    bool ip_literal = false;
    std::string ca_file;  // extra CA certificates to trust
    std::string ca_file_error;

    bool started = false;          // the TLS handshake began: the TCP connection (or tunnel) is up
    bool seen = false;             // the server presented a certificate
    int verify_error = X509_V_OK;  // the first verification error, at any depth
    int error_depth = 0;
    std::string subject, issuer, not_before, not_after;
    long long seconds_to_expiry = 0;
    bool hostname_match = false;
};

// Where an SSL_CTX keeps its TlsCapture.
int captureIndex() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

std::string nameText(const X509_NAME* name) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0)
        return "";
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

// ISO 8601 UTC: 2026-11-25T12:00:00Z
std::string timeText(const ASN1_TIME* t) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(t, &tm) != 1)
        return "";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void recordLeaf(TlsCapture& c, X509* leaf) {
    c.seen = true;
    c.subject = nameText(X509_get_subject_name(leaf));
    c.issuer = nameText(X509_get_issuer_name(leaf));
    c.not_before = timeText(X509_get0_notBefore(leaf));
    c.not_after = timeText(X509_get0_notAfter(leaf));
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(leaf)) == 1)
        c.seconds_to_expiry = days * kSecondsPerDay + seconds;
    c.hostname_match = c.ip_literal
                           ? X509_check_ip_asc(leaf, c.host.c_str(), 0) == 1
                           : X509_check_host(leaf, c.host.data(), c.host.size(), 0, nullptr) == 1;
}

// Records the certificate and the first error, and leaves the verdict to OpenSSL.
int verifyCallback(int preverify_ok, X509_STORE_CTX* store) {
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* c =
        ssl != nullptr
            ? static_cast<TlsCapture*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), captureIndex()))
            : nullptr;
    if (c == nullptr)
        return preverify_ok;
    X509* leaf = X509_STORE_CTX_get0_cert(store);
    if (!c->seen && leaf != nullptr)
        recordLeaf(*c, leaf);
    if (preverify_ok == 0 && c->verify_error == X509_V_OK) {
        c->verify_error = X509_STORE_CTX_get_error(store);
        c->error_depth = X509_STORE_CTX_get_error_depth(store);
    }
    return preverify_ok;
}

// The trust stores of this process, one per extra CA file: the system's CA
// certificates plus the extra ones, set up once and shared by every transfer.
// libcurl would parse the whole system bundle for each handshake; with OpenSSL 3.0
// that is some 18 ms of CPU for Debian's 144 certificates, every time. Here the
// system's certificates come from libcurl's own CA folder (CURLINFO_CAPATH; on
// Debian /etc/ssl/certs, where update-ca-certificates puts the same certificates
// as into the bundle, by subject hash), looked up when a handshake needs one and
// kept once read; only without such a folder is the bundle (CURLINFO_CAINFO) read,
// once. A check runs in a process of its own, so a change counts from the next on.
class TrustStores {
public:
    struct Store {
        X509_STORE* store = nullptr;
        std::string error;  // the extra CA file could not be read
    };

    ~TrustStores() {
        for (auto& [file, s] : stores_) X509_STORE_free(s.store);
    }

    // Null store when even an empty one cannot be made.
    Store get(const std::string& ca_file) {
        std::lock_guard lock(mu_);
        auto it = stores_.find(ca_file);
        if (it == stores_.end())
            it = stores_.emplace(ca_file, load(ca_file)).first;
        return it->second;
    }

private:
    static Store load(const std::string& ca_file) {
        Store s;
        s.store = X509_STORE_new();
        if (!s.store)
            return s;
        // Where libcurl itself would look (CURLINFO_CAINFO, CURLINFO_CAPATH).
        std::unique_ptr<CURL, EasyDeleter> h(curl_easy_init());
        char* bundle = nullptr;
        char* folder = nullptr;
        if (h) {
            curl_easy_getinfo(h.get(), CURLINFO_CAINFO, &bundle);
            curl_easy_getinfo(h.get(), CURLINFO_CAPATH, &folder);
        }
        if (folder && *folder)
            X509_STORE_load_path(s.store, folder);  // looked up by hash, when needed
        else if (bundle && *bundle)
            X509_STORE_load_file(s.store, bundle);
        if (!ca_file.empty() && X509_STORE_load_file(s.store, ca_file.c_str()) != 1)
            s.error = "cannot load CA certificates from " + ca_file;
        // As libcurl sets up its own store: issuers from the trust store first, and an
        // intermediate in it counts as a trust anchor.
        X509_STORE_set_flags(s.store, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
        return s;
    }

    std::mutex mu_;
    std::map<std::string, Store> stores_;
};

TrustStores& trustStores() {
    static TrustStores stores;
    return stores;
}

// CURLOPT_SSL_CTX_FUNCTION: runs when the handshake is about to begin, that is,
// once the connection below it is up, and after curl has set up verification.
// Hooks in our verify callback and puts in the shared trust store (curl was told
// to load none: CURLOPT_CAINFO and CURLOPT_CAPATH are null).
CURLcode onSslContext(CURL*, void* ssl_ctx, void* user) {
    auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
    auto* c = static_cast<TlsCapture*>(user);
    c->started = true;
    c->seen = false;
    c->verify_error = X509_V_OK;
    SSL_CTX_set_ex_data(ctx, captureIndex(), c);
    SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), verifyCallback);
    const TrustStores::Store trust = trustStores().get(c->ca_file);
    if (!trust.store)
        return CURLE_OUT_OF_MEMORY;
    SSL_CTX_set1_cert_store(ctx, trust.store);
    c->ca_file_error = trust.error;
    return CURLE_OK;
}

Problem certProblem(int verify_error) {
    switch (verify_error) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return Problem::tls_cert_expired;
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return Problem::tls_cert_not_yet_valid;
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            return Problem::tls_hostname_mismatch;
        default:
            return Problem::tls_cert_untrusted;
    }
}

Json tlsEvidence(const TlsCapture& c) {
    Json j = {{"verified", c.verify_error == X509_V_OK && c.hostname_match},
              {"verify_result", X509_verify_cert_error_string(c.verify_error)}};
    if (c.verify_error != X509_V_OK)
        j["error_depth"] = c.error_depth;
    j["subject"] = c.subject;
    j["issuer"] = c.issuer;
    j["not_before"] = c.not_before;
    j["not_after"] = c.not_after;
    // Whole days, negative once expired: -1 for a certificate that expired a day ago.
    j["days_to_expiry"] = c.seconds_to_expiry / kSecondsPerDay;
    j["hostname_match"] = c.hostname_match;
    if (!c.ca_file_error.empty())
        j["ca_file_error"] = c.ca_file_error;
    return j;
}

}  // namespace

// ---- Page text ----

// The body as UTF-8: pages declared as ISO-8859-1 or windows-1252 are converted
// (å, ä and ö have the same code in both).
std::string bodyAsUtf8(const std::string& body, const std::string& content_type) {
    const std::string type = lower(content_type);
    const auto at = type.find("charset=");
    if (at == std::string::npos)
        return body;
    std::string charset = type.substr(at + 8, type.find(';', at) - at - 8);
    charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
    if (charset != "iso-8859-1" && charset != "iso-8859-15" && charset != "latin1" &&
        charset != "windows-1252")
        return body;
    std::string out;
    out.reserve(body.size() + body.size() / 8);
    for (unsigned char c : body) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

namespace {

// ---- Classification of a failed transfer ----

bool isTlsError(CURLcode rc) {
    switch (rc) {
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_PEER_FAILED_VERIFICATION:
            return true;
        default:
            return false;
    }
}

}  // namespace

// What one request learnt.
struct HttpProbe::Hop {
    std::size_t body_limit = kDefaultBodyLimit;

    CURLcode rc = CURLE_OK;
    std::string curl_error;
    long status = 0;
    long connect_code = 0;  // the proxy's answer to CONNECT
    long os_errno = 0;
    curl_off_t t_lookup = 0, t_connect = 0, t_tls = 0, t_pretransfer = 0, t_first_byte = 0;
    std::string content_type;
    std::string redirect_url;  // absolute, as curl resolved the Location header

    // From the header callback, for the latest response.
    std::string date;
    long long headers_at_ms = 0;

    std::string body;  // up to body_limit; searched, never stored in the evidence
    std::size_t body_bytes = 0;
    bool truncated = false;

    bool https = false;
    bool via_proxy = false;
    TlsCapture tls;

    bool redirected() const { return status >= 300 && status < 400 && !redirect_url.empty(); }

    // CURLOPT_HEADERFUNCTION: one header line at a time, status lines included.
    static std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user) {
        auto* hop = static_cast<Hop*>(user);
        std::string_view line(data, size * n);
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
        if (line.rfind("HTTP/", 0) == 0) {
            // A new response (after a proxy's CONNECT answer or a 1xx): start over.
            hop->date.clear();
            hop->headers_at_ms = 0;
        } else if (line.empty()) {
            hop->headers_at_ms = unixMsNow();
        } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            if (lower(line.substr(0, colon)) == "date")
                hop->date = value;
        }
        return size * n;
    }

    // CURLOPT_WRITEFUNCTION: keeps the first body_limit bytes, then stops the transfer.
    static std::size_t onBody(char* data, std::size_t size, std::size_t n, void* user) {
        auto* hop = static_cast<Hop*>(user);
        const std::size_t len = size * n;
        hop->body_bytes += len;
        const std::size_t room = hop->body_limit - hop->body.size();
        hop->body.append(data, std::min(len, room));
        if (len > room) {
            hop->truncated = true;
            return 0;
        }
        return len;
    }

    // Reads what curl learnt, failed or not, and adds this request's timings and
    // evidence to `out`.
    void record(CURL* h, ProbeResult& out) {
        char* text = nullptr;
        long number = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connect_code);
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
        curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &t_lookup);
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &t_connect);
        curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &t_tls);
        curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &t_pretransfer);
        curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &t_first_byte);
        if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &text) == CURLE_OK && text)
            content_type = text;
        if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &text) == CURLE_OK && text)
            redirect_url = text;

        auto phase = [&](const char* name, curl_off_t from_us, curl_off_t to_us) {
            if (to_us > 0)
                out.timings_ms[name] += static_cast<double>(to_us - from_us) / 1000.0;
        };
        phase("connect", t_lookup, t_connect);
        phase("tls", t_connect, t_tls);
        phase("first_byte", t_pretransfer, t_first_byte);

        Json& ev = out.evidence;
        if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &text) == CURLE_OK && text && *text) {
            ev["address"] = text;
            ev["family"] = addressFamily(text);
            if (curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &number) == CURLE_OK)
                ev["port"] = number;
        }
        if (status != 0) {
            curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &number);
            ev["http_version"] = number == CURL_HTTP_VERSION_3     ? "3"
                                 : number == CURL_HTTP_VERSION_2_0 ? "2"
                                 : number == CURL_HTTP_VERSION_1_0 ? "1.0"
                                                                   : "1.1";
            ev["status_code"] = status;
            ev["content_type"] = content_type;
            ev["body_bytes"] = body_bytes;
            ev["body_truncated"] = truncated;
        }
        if (!date.empty()) {
            ev[kEvidenceDateHeader] = date;
            ev[kEvidenceHeadersReceivedMs] = headers_at_ms;
        }
        if (tls.seen)
            ev["tls"] = tlsEvidence(tls);
        ev["curl_code"] = static_cast<int>(rc);
        if (os_errno != 0)
            ev["os_error"] = std::system_category().message(static_cast<int>(os_errno));
    }

    // Records why the transfer failed.
    void classifyFailure(ProbeResult& out) const {
        if (via_proxy && connect_code >= 300) {
            out.failWith(Problem::proxy_error, curl_error);  // the proxy refused CONNECT
            return;
        }
        if (tls.verify_error != X509_V_OK) {
            out.failWith(certProblem(tls.verify_error), curl_error);
            if (tls.seen && !tls.hostname_match)
                out.add(Problem::tls_hostname_mismatch);
            return;
        }
        switch (rc) {
            case CURLE_OPERATION_TIMEDOUT: {
                // curl reports no connect time until TLS is done too, so for HTTPS
                // "connected" is "the handshake began".
                const bool connected = https ? tls.started : t_connect > 0;
                if (!connected)
                    out.failWith(via_proxy ? Problem::proxy_error : Problem::tcp_timeout,
                                 curl_error);
                else if (https && t_tls == 0)
                    out.failWith(Problem::tls_timeout, curl_error);
                else
                    out.failWith(Problem::http_timeout, curl_error);
                return;
            }
            case CURLE_COULDNT_CONNECT:
                out.failWith(via_proxy ? Problem::proxy_error : connectProblem(os_errno),
                             curl_error);
                // Refused (RST): the host answered, nothing listens.
                out.definite = !via_proxy && out.has(Problem::tcp_refused);
                return;
            case CURLE_COULDNT_RESOLVE_PROXY:
            case CURLE_PROXY:
                out.failWith(Problem::proxy_error, curl_error);
                return;
            default:
                break;
        }
        if (rc == CURLE_PEER_FAILED_VERIFICATION && tls.seen && !tls.hostname_match)
            out.failWith(Problem::tls_hostname_mismatch, curl_error);
        else if (isTlsError(rc))
            out.failWith(Problem::tls_handshake_failed, curl_error);
        else
            out.failWith(Problem::http_error, curl_error);
    }
};

std::string foldCase(std::string_view utf8) {
    std::string out(utf8);
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + 32);
        } else if (c == 0xC3 && i + 1 < out.size()) {
            // U+00C0..U+00DE (except × U+00D7) are the capitals of U+00E0..U+00FE.
            auto next = static_cast<unsigned char>(out[i + 1]);
            if (next >= 0x80 && next <= 0x9E && next != 0x97)
                out[i + 1] = static_cast<char>(next + 32);
            ++i;
        }
    }
    return out;
}

HttpProbe::HttpProbe(HttpOptions options, Resolver& resolver)
    : options_(std::move(options)), resolver_(resolver) {}

void HttpProbe::execute(const Deadline& deadline, ProbeResult& out) {
    initCurl();
    const auto start = SteadyClock::now();
    const Deadline attempt = deadline.capped(options_.timeout);
    out.evidence[kEvidenceSystem] = options_.system;
    if (options_.url.empty()) {
        out.add(Problem::not_configured);
        return;
    }
    out.evidence["url"] = redactUrl(options_.url);

    std::string url = withoutCredentials(options_.url);
    std::set<std::string> visited;
    Json redirects = Json::array();
    Hop hop;
    for (;;) {
        visited.insert(url);
        hop = Hop{};
        hop.body_limit = options_.body_limit;
        if (!request(url, attempt, redirects.empty(), hop, out))
            break;
        if (!hop.redirected() || !options_.follow_redirects) {
            judgeAnswer(hop, out);
            break;
        }
        const std::string next = withoutCredentials(hop.redirect_url);
        redirects.push_back(
            {{"url", redactUrl(url)}, {"status", hop.status}, {"location", redactUrl(next)}});
        if (visited.count(next) != 0) {
            out.evidence["redirect_loop"] = true;
            out.failWith(Problem::http_too_many_redirects,
                         "redirect loop: " + redactUrl(next) + " again");
            break;
        }
        if (redirects.size() > static_cast<std::size_t>(options_.max_redirects)) {
            out.failWith(Problem::http_too_many_redirects,
                         "more than " + std::to_string(options_.max_redirects) + " redirects");
            break;
        }
        url = next;
    }
    out.evidence["redirects"] = redirects;
    out.timings_ms["total"] = msSince(start);

    if (out.status != Status::pass)
        return;
    if (out.timings_ms["total"] > static_cast<double>(options_.slow.count())) {
        out.status = Status::warn;
        out.add(Problem::slow);
        out.evidence["slow_threshold_ms"] = options_.slow.count();
    }
    if (hop.tls.seen &&
        hop.tls.seconds_to_expiry < options_.cert_expiry_warn_days * kSecondsPerDay) {
        out.status = Status::warn;
        out.add(Problem::tls_cert_expiring);
    }
}

bool HttpProbe::request(const std::string& url, const Deadline& attempt, bool first, Hop& hop,
                        ProbeResult& out) {
    std::string error;
    const auto target = parseHttpUrl(url, error);
    if (!target) {
        out.failWith(Problem::http_error, (first ? "" : "redirect: ") + error);
        return false;
    }
    if (attempt.expired()) {
        out.failWith(first ? Problem::deadline_exceeded : Problem::http_timeout,
                     "no time left for the request to " + redactUrl(url));
        return false;
    }
    hop.https = target->scheme == "https";
    // The evidence describes the final request: forget the previous hop's.
    for (const char* key :
         {"dns", "proxy_dns", "address", "family", "port", "http_version", "status_code",
          "content_type", "body_bytes", "body_truncated", "tls", "curl_code", "os_error"})
        out.evidence.erase(key);

    // The proxy, and the names to resolve for curl.
    const ProxyChoice proxy = chooseProxy(url, options_.proxy, options_.environment);
    out.evidence["proxy"] = {{"url", proxy.url.empty() ? Json(nullptr) : Json(proxy.url)},
                             {"source", proxy.source},
                             {"reason", proxy.reason}};
    if (!proxy.error.empty()) {
        out.failWith(Problem::proxy_error, proxy.error);
        return false;
    }
    hop.via_proxy = !proxy.url.empty();
    std::unique_ptr<curl_slist, SlistDeleter> resolve;
    // Looks `where.host` up through the Resolver and hands the addresses to curl.
    auto lookup = [&](const UrlParts& where, const char* key) {
        const auto t0 = SteadyClock::now();
        ResolveResult rr = resolver_.resolve(where.host, attempt);
        out.timings_ms["dns"] += msSince(t0);
        out.evidence[key] = {{"host", where.host}, {"addresses", rr.addresses}};
        if (rr.ok && rr.addresses.empty()) {
            rr.ok = false;
            rr.problem = Problem::dns_no_data;
            rr.error = where.host + " has no address";
        }
        if (!rr.ok)
            return rr;
        std::string entry = where.host + ":" + std::to_string(where.port) + ":";
        for (std::size_t i = 0; i < rr.addresses.size(); ++i) {
            const std::string& a = rr.addresses[i];
            entry += (i ? "," : "") + (a.find(':') != std::string::npos ? "[" + a + "]" : a);
        }
        resolve.reset(curl_slist_append(resolve.release(), entry.c_str()));
        return rr;
    };
    if (hop.via_proxy && !proxy.proxy.ip_literal) {
        if (ResolveResult rr = lookup(proxy.proxy, "proxy_dns"); !rr.ok) {
            out.failWith(Problem::proxy_error, "proxy host " + proxy.proxy.host + ": " + rr.error);
            return false;
        }
    }
    // Through an HTTP proxy or socks4a/socks5h, the proxy resolves the target;
    // socks4 and socks5 take an address, which curl would look up itself.
    const bool local_target_lookup =
        !hop.via_proxy || proxy.proxy.scheme == "socks4" || proxy.proxy.scheme == "socks5";
    if (local_target_lookup && !target->ip_literal) {
        if (ResolveResult rr = lookup(*target, "dns"); !rr.ok) {
            out.failWith(rr.problem, rr.error);
            out.definite = rr.answered;
            return false;
        }
    }

    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy) {
        out.failWith(Problem::internal_error, "curl_easy_init failed");
        return false;
    }
    CURL* h = easy.get();
    char errbuf[CURL_ERROR_SIZE] = "";
    const long time_left = static_cast<long>(std::max<long long>(1, attempt.remainingMs()));
    static const std::string user_agent = std::string("driftkoll/") + DK_VERSION;
    hop.tls.host = target->host;
    hop.tls.ip_literal = target->ip_literal;
    hop.tls.ca_file = options_.ca_file;

    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // we follow redirects ourselves
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, time_left);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, time_left);
    // Names: only what we resolved. QUICK_EXIT keeps cleanup from waiting for a
    // resolver thread, should curl ever start one.
    curl_easy_setopt(h, CURLOPT_RESOLVE, resolve.get());
    curl_easy_setopt(h, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
    // Nothing kept between attempts.
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(h, CURLOPT_CA_CACHE_TIMEOUT, 0L);
    // The trust store comes from onSslContext, read once per process: curl reads none.
    curl_easy_setopt(h, CURLOPT_CAINFO, nullptr);
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
    // No credentials: no .netrc (cookies are off unless asked for).
    curl_easy_setopt(h, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
    curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());
    // Our proxy decision, and nothing from the environment on top of it.
    curl_easy_setopt(h, CURLOPT_PROXY, proxy.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOPROXY, "");
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &Hop::onHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hop);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Hop::onBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &hop);
    curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, &onSslContext);
    curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, &hop.tls);

    hop.rc = curl_easy_perform(h);
    hop.curl_error = *errbuf ? errbuf : curl_easy_strerror(hop.rc);

    hop.record(h, out);

    // Stopping at the body limit is our doing, not a failure.
    if (hop.rc != CURLE_OK && !(hop.rc == CURLE_WRITE_ERROR && hop.truncated)) {
        hop.classifyFailure(out);
        return false;
    }
    if (hop.via_proxy && hop.status == 407) {
        out.failWith(Problem::proxy_error,
                     "the proxy asks for credentials (407), and probes never send any");
        return false;
    }
    return true;
}

void HttpProbe::judgeAnswer(const Hop& hop, ProbeResult& out) const {
    const long s = hop.status;
    const bool accepted =
        options_.accept_status.empty()
            ? s >= 200 && s <= 299
            : std::find(options_.accept_status.begin(), options_.accept_status.end(), s) !=
                  options_.accept_status.end();
    if (!accepted) {
        const Problem p = s >= 500 && s <= 599   ? Problem::http_server_error
                          : s >= 400 && s <= 499 ? Problem::http_client_error
                                                 : Problem::http_unexpected_status;
        out.failWith(p, "HTTP status " + std::to_string(s));
    }

    const std::string page = foldCase(bodyAsUtf8(hop.body, hop.content_type));
    for (const auto& text : options_.maintenance_text) {
        if (!text.empty() && page.find(foldCase(text)) != std::string::npos) {
            out.evidence["maintenance_text_found"] = text;
            out.failWith(Problem::http_maintenance_page,
                         "the page contains the maintenance text \"" + text + "\"");
            break;
        }
    }
    if (out.status == Status::fail)
        return;
    if (!options_.expect_text.empty()) {
        const bool found = page.find(foldCase(options_.expect_text)) != std::string::npos;
        out.evidence["expected_text_found"] = found;
        if (!found) {
            out.failWith(Problem::http_expected_text_missing,
                         "the page lacks the expected text \"" + options_.expect_text + "\"");
            return;
        }
    }
    out.status = Status::pass;
    if (options_.on_body)
        options_.on_body(hop.body, hop.body_bytes > hop.body.size());
}

}  // namespace dk
