// A small HTTP/HTTPS server for tests, with behaviours set by the test: the reply
// per path (status, body, headers, Date, delay), redirects, and misbehaviour at
// the connection level (stall before, during or after the TLS handshake, close at
// once).
//
// It listens on 127.0.0.1 and an ephemeral port by default; it can bind a given
// address and port, and inside a named network namespace (/run/netns/<name>): its
// listening thread enters the namespace before it binds, so other threads of the
// test program stay where they are. Every connection is served on a thread of
// its own, and every wait also watches a stop signal, so the destructor returns
// promptly even while clients hold stalled connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dk::test {

// An HTTP Date header value (IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string httpDate(std::chrono::system_clock::time_point t);

// The answer to a request.
struct Reply {
    int status = 200;
    std::string body = "<html><body>OK</body></html>";
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers{};  // extra headers, in order
    std::optional<std::string> date{};   // Date header: unset = the current time, "" = none
    std::chrono::milliseconds delay{0};  // wait this long after the request before answering
};

// A redirect to `location` (a path or an absolute URL).
Reply redirectTo(std::string location, int status = 302);

// What the server does with each new connection.
enum class Mode {
    answer,                  // read the request and send the reply for its path
    stall_before_handshake,  // accept, then never read: no TLS handshake, no answer
    stall_after_handshake,   // finish the TLS handshake (if any), then never answer
    stall_mid_handshake,     // read the ClientHello, send the first half of the server's
                             // handshake flight (HTTPS only), then nothing more
    close_at_once,           // accept and close the connection at once
};

struct ServerOptions {
    std::string cert_file{};  // both set = HTTPS, else plain HTTP
    std::string key_file{};
    std::string address = "127.0.0.1";  // numeric IPv4 or IPv6 address to bind
    std::uint16_t port = 0;             // 0 = an ephemeral port
    std::string netns{};                // bind inside /run/netns/<netns>; empty = here
};

class TestServer {
public:
    // Listens before it returns. Throws std::runtime_error when it cannot.
    explicit TestServer(ServerOptions options = {});
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    std::uint16_t port() const;
    // "http(s)://<host>:<port><path>"
    std::string url(const std::string& path = "/", const std::string& host = "localhost") const;

    void setReply(const std::string& path, Reply reply);  // for this path (query ignored)
    void setDefaultReply(Reply reply);                    // for every other path
    void setMode(Mode mode);                              // for connections accepted from now

    int connections() const;          // connections accepted
    int requests() const;             // complete request heads read
    std::string lastRequest() const;  // request line and headers of the latest request

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dk::test
