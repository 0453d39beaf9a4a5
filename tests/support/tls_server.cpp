#include "tests/support/tls_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace dk::test {

namespace {

constexpr std::size_t kMaxRequestHead = 64 * 1024;

const char* reasonPhrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 407:
            return "Proxy Authentication Required";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
    }
}

std::string errnoText(const char* what) {
    const int err = errno;
    return std::string(what) + ": " + std::system_category().message(err);
}

}  // namespace

std::string httpDate(std::chrono::system_clock::time_point t) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

Reply redirectTo(std::string location, int status) {
    Reply r;
    r.status = status;
    r.body.clear();
    r.headers.emplace_back("Location", std::move(location));
    return r;
}

struct TestServer::Impl {
    ServerOptions options;
    SSL_CTX* ctx = nullptr;
    int listen_fd = -1;
    int stop_read = -1;  // readable once the server stops
    int stop_write = -1;
    std::uint16_t port = 0;
    std::thread acceptor;

    mutable std::mutex mu;
    std::vector<std::thread> workers;
    std::map<std::string, Reply> replies;
    Reply default_reply;
    Mode mode = Mode::answer;
    std::string last_request;
    std::atomic<int> connections{0};
    std::atomic<int> requests{0};

    ~Impl() {
        for (int fd : {listen_fd, stop_read, stop_write})
            if (fd >= 0)
                close(fd);
        SSL_CTX_free(ctx);
    }

    // Waits until `fd` is ready for `events`. False when the server stops first.
    bool waitFor(int fd, short events) const {
        pollfd fds[2] = {{fd, events, 0}, {stop_read, POLLIN, 0}};
        while (poll(fds, 2, -1) < 0)
            if (errno != EINTR)
                return false;
        return fds[1].revents == 0;
    }

    // Sleeps for `d`. False when the server stops first.
    bool sleepFor(std::chrono::milliseconds d) const {
        pollfd fd = {stop_read, POLLIN, 0};
        return poll(&fd, 1, static_cast<int>(d.count())) == 0;
    }

    void waitForStop() const {
        pollfd fd = {stop_read, POLLIN, 0};
        while (poll(&fd, 1, -1) < 0 && errno == EINTR) {
        }
    }

    // Binds and listens; run on the acceptor thread (inside the namespace, if any).
    std::string listen() {
        if (!options.netns.empty()) {
            const std::string path = "/run/netns/" + options.netns;
            int ns = open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (ns < 0)
                return errnoText(("open " + path).c_str());
            const int rc = setns(ns, CLONE_NEWNET);
            close(ns);
            if (rc != 0)
                return errnoText("setns");
        }
        sockaddr_storage addr{};
        socklen_t len = 0;
        auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
        if (inet_pton(AF_INET, options.address.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(options.port);
            len = sizeof *v4;
        } else if (inet_pton(AF_INET6, options.address.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(options.port);
            len = sizeof *v6;
        } else {
            return "not a numeric address: " + options.address;
        }
        listen_fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (listen_fd < 0)
            return errnoText("socket");
        int one = 1;
        setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0)
            return errnoText(("bind " + options.address).c_str());
        if (::listen(listen_fd, 64) != 0)
            return errnoText("listen");
        if (getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            return errnoText("getsockname");
        port = ntohs(addr.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
        return "";
    }

    void acceptLoop(std::promise<std::string>& ready) {
        // A client that goes away must not kill the test program with SIGPIPE; the
        // connection threads inherit this mask.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

        std::string error = listen();
        ready.set_value(error);
        if (!error.empty())
            return;
        while (waitFor(listen_fd, POLLIN)) {
            int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            ++connections;
            std::lock_guard lock(mu);
            workers.emplace_back([this, fd] { serve(fd); });
        }
    }

    // One accepted connection, plain or TLS, with non-blocking I/O.
    struct Connection {
        const Impl& server;
        int fd;
        SSL* ssl = nullptr;

        ~Connection() {
            if (ssl != nullptr) {
                if (SSL_is_init_finished(ssl))
                    SSL_shutdown(ssl);
                SSL_free(ssl);
            }
            close(fd);
        }

        // Waits for what the last SSL call asked for. False on a real error or stop.
        bool retrySsl(int rc) const {
            switch (SSL_get_error(ssl, rc)) {
                case SSL_ERROR_WANT_READ:
                    return server.waitFor(fd, POLLIN);
                case SSL_ERROR_WANT_WRITE:
                    return server.waitFor(fd, POLLOUT);
                default:
                    return false;
            }
        }

        bool handshake() {
            ssl = SSL_new(server.ctx);
            if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1)
                return false;
            for (;;) {
                const int rc = SSL_accept(ssl);
                if (rc == 1)
                    return true;
                if (!retrySsl(rc))
                    return false;
            }
        }

        // Starts the handshake on memory buffers: reads the ClientHello from the
        // socket, sends the first half of the server's answer, and returns. The client
        // is left waiting for the rest in the middle of its handshake.
        void sendHalfAHandshake() const {
            SSL* s = SSL_new(server.ctx);
            BIO* in = BIO_new(BIO_s_mem());
            BIO* out = BIO_new(BIO_s_mem());
            if (s == nullptr || in == nullptr || out == nullptr) {
                BIO_free(in);
                BIO_free(out);
                SSL_free(s);
                return;
            }
            SSL_set_bio(s, in, out);  // s owns both from here
            SSL_set_accept_state(s);
            char buf[4096];
            while (BIO_ctrl_pending(out) == 0) {
                const ssize_t n = recv(fd, buf, sizeof buf, 0);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                    break;
                if (n < 0) {
                    if (!server.waitFor(fd, POLLIN))
                        break;
                    continue;
                }
                BIO_write(in, buf, static_cast<int>(n));
                if (SSL_do_handshake(s) == 1)
                    break;
            }
            std::string flight(BIO_ctrl_pending(out), '\0');
            if (!flight.empty())
                BIO_read(out, flight.data(), static_cast<int>(flight.size()));
            SSL_free(s);
            flight.resize(flight.size() / 2);
            std::size_t done = 0;
            while (done < flight.size()) {
                const ssize_t rc =
                    send(fd, flight.data() + done, flight.size() - done, MSG_NOSIGNAL);
                if (rc > 0)
                    done += static_cast<std::size_t>(rc);
                else if ((rc < 0 && errno != EAGAIN && errno != EINTR) ||
                         !server.waitFor(fd, POLLOUT))
                    return;
            }
        }

        // Some bytes; 0 at the end of the stream, on an error or on stop.
        std::size_t read(char* buf, std::size_t size) const {
            for (;;) {
                if (ssl != nullptr) {
                    const int rc = SSL_read(ssl, buf, static_cast<int>(size));
                    if (rc > 0)
                        return static_cast<std::size_t>(rc);
                    if (!retrySsl(rc))
                        return 0;
                } else {
                    const ssize_t rc = recv(fd, buf, size, 0);
                    if (rc >= 0)
                        return static_cast<std::size_t>(rc);
                    if ((errno != EAGAIN && errno != EINTR) || !server.waitFor(fd, POLLIN))
                        return 0;
                }
            }
        }

        void writeAll(const std::string& data) const {
            std::size_t done = 0;
            while (done < data.size()) {
                if (ssl != nullptr) {
                    const int rc =
                        SSL_write(ssl, data.data() + done, static_cast<int>(data.size() - done));
                    if (rc > 0)
                        done += static_cast<std::size_t>(rc);
                    else if (!retrySsl(rc))
                        return;
                } else {
                    const ssize_t rc =
                        send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
                    if (rc > 0)
                        done += static_cast<std::size_t>(rc);
                    else if ((rc < 0 && errno != EAGAIN && errno != EINTR) ||
                             !server.waitFor(fd, POLLOUT))
                        return;
                }
            }
        }
    };

    void serve(int fd) {
        Connection conn{*this, fd};
        Mode m;
        {
            std::lock_guard lock(mu);
            m = mode;
        }
        if (m == Mode::close_at_once)
            return;
        if (m == Mode::stall_before_handshake)
            return waitForStop();
        if (m == Mode::stall_mid_handshake) {
            if (ctx != nullptr)
                conn.sendHalfAHandshake();
            return waitForStop();
        }
        if (ctx != nullptr && !conn.handshake())
            return;
        if (m == Mode::stall_after_handshake)
            return waitForStop();

        std::string head;
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestHead) {
            const std::size_t n = conn.read(buf, sizeof buf);
            if (n == 0)
                return;
            head.append(buf, n);
        }
        const auto end = head.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        head.resize(end + 2);

        // "GET /path?query HTTP/1.1": the path decides the reply.
        const auto first_space = head.find(' ');
        if (first_space == std::string::npos)
            return;
        std::string path =
            head.substr(first_space + 1, head.find(' ', first_space + 1) - first_space - 1);
        path = path.substr(0, path.find('?'));
        Reply reply;
        {
            std::lock_guard lock(mu);
            last_request = head;
            auto it = replies.find(path);
            reply = it != replies.end() ? it->second : default_reply;
        }
        ++requests;
        if (reply.delay.count() > 0 && !sleepFor(reply.delay))
            return;

        std::string out =
            "HTTP/1.1 " + std::to_string(reply.status) + " " + reasonPhrase(reply.status) + "\r\n";
        const std::string date = reply.date.value_or(httpDate(std::chrono::system_clock::now()));
        if (!date.empty())
            out += "Date: " + date + "\r\n";
        out += "Content-Type: " + reply.content_type + "\r\n";
        out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
        out += "Connection: close\r\n";
        for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
        out += "\r\n" + reply.body;
        conn.writeAll(out);
    }
};

TestServer::TestServer(ServerOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error(errnoText("pipe2"));
    impl_->stop_read = fds[0];
    impl_->stop_write = fds[1];

    const ServerOptions& o = impl_->options;
    if (!o.cert_file.empty() || !o.key_file.empty()) {
        impl_->ctx = SSL_CTX_new(TLS_server_method());
        if (impl_->ctx == nullptr ||
            SSL_CTX_use_certificate_chain_file(impl_->ctx, o.cert_file.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(impl_->ctx, o.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(impl_->ctx) != 1) {
            char err[256];
            ERR_error_string_n(ERR_get_error(), err, sizeof err);
            throw std::runtime_error("test server: cannot use " + o.cert_file + ": " + err);
        }
    }

    std::promise<std::string> ready;
    auto listening = ready.get_future();
    // The acceptor thread owns the promise: it may still be inside set_value()
    // when this thread wakes up and returns.
    impl_->acceptor = std::thread(
        [impl = impl_.get(), ready = std::move(ready)]() mutable { impl->acceptLoop(ready); });
    const std::string error = listening.get();
    if (!error.empty()) {
        impl_->acceptor.join();
        throw std::runtime_error("test server: " + error);
    }
}

TestServer::~TestServer() {
    const char stop = 's';
    [[maybe_unused]] ssize_t n = write(impl_->stop_write, &stop, 1);
    impl_->acceptor.join();
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(impl_->mu);
        workers.swap(impl_->workers);
    }
    for (auto& w : workers) w.join();
}

std::uint16_t TestServer::port() const {
    return impl_->port;
}

std::string TestServer::url(const std::string& path, const std::string& host) const {
    return std::string(impl_->ctx != nullptr ? "https" : "http") + "://" + host + ":" +
           std::to_string(impl_->port) + path;
}

void TestServer::setReply(const std::string& path, Reply reply) {
    std::lock_guard lock(impl_->mu);
    impl_->replies[path] = std::move(reply);
}

void TestServer::setDefaultReply(Reply reply) {
    std::lock_guard lock(impl_->mu);
    impl_->default_reply = std::move(reply);
}

void TestServer::setMode(Mode mode) {
    std::lock_guard lock(impl_->mu);
    impl_->mode = mode;
}

int TestServer::connections() const {
    return impl_->connections;
}
int TestServer::requests() const {
    return impl_->requests;
}

std::string TestServer::lastRequest() const {
    std::lock_guard lock(impl_->mu);
    return impl_->last_request;
}

}  // namespace dk::test
