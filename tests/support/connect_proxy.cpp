#include "tests/support/connect_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <future>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

namespace dk::test {

namespace {

constexpr std::size_t kMaxRequestHead = 16 * 1024;

std::string errnoText(const std::string& what) {
    const int err = errno;
    return what + ": " + std::system_category().message(err);
}

// Closes a descriptor when it goes out of scope.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            close(fd);
    }
};

}  // namespace

struct ConnectProxy::Impl {
    ProxyOptions options;
    int listen_fd = -1;
    int stop_read = -1;  // readable once the proxy stops
    int stop_write = -1;
    std::uint16_t port = 0;
    std::thread acceptor;
    std::mutex mu;
    std::vector<std::thread> workers;
    std::atomic<int> tunnels{0};

    ~Impl() {
        for (int fd : {listen_fd, stop_read, stop_write})
            if (fd >= 0)
                close(fd);
    }

    // Waits until `fd` is ready for `events`. False when the proxy stops first.
    bool waitFor(int fd, short events) const {
        pollfd fds[2] = {{fd, events, 0}, {stop_read, POLLIN, 0}};
        while (poll(fds, 2, -1) < 0)
            if (errno != EINTR)
                return false;
        return fds[1].revents == 0;
    }

    bool sendAll(int fd, const std::string& data) const {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t rc = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (rc > 0)
                done += static_cast<std::size_t>(rc);
            else if ((rc < 0 && errno != EAGAIN && errno != EINTR) || !waitFor(fd, POLLOUT))
                return false;
        }
        return true;
    }

    std::string listen() {
        if (!options.netns.empty()) {
            const std::string path = "/run/netns/" + options.netns;
            int ns = open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (ns < 0)
                return errnoText("open " + path);
            const int rc = setns(ns, CLONE_NEWNET);
            close(ns);
            if (rc != 0)
                return errnoText("setns");
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(options.port);
        if (inet_pton(AF_INET, options.address.c_str(), &addr.sin_addr) != 1)
            return "not a numeric IPv4 address: " + options.address;
        listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (listen_fd < 0)
            return errnoText("socket");
        int one = 1;
        setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        socklen_t len = sizeof addr;
        if (bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0)
            return errnoText("bind " + options.address);
        if (::listen(listen_fd, 64) != 0)
            return errnoText("listen");
        if (getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            return errnoText("getsockname");
        port = ntohs(addr.sin_port);
        return "";
    }

    void acceptLoop(std::promise<std::string>& ready) {
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
            std::lock_guard lock(mu);
            workers.emplace_back([this, fd] { serve(fd); });
        }
    }

    // A connected, non-blocking socket to host:port; -1 when it cannot be had
    // (unknown name, refused, or the proxy stops while the connection is pending).
    int connectTo(const std::string& host, const std::string& service) const {
        auto known = options.hosts.find(host);
        const std::string address = known == options.hosts.end() ? host : known->second;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(std::atoi(service.c_str())));
        if (inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1)
            return -1;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return -1;
        if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            int err = errno;
            if (err == EINPROGRESS && waitFor(fd, POLLOUT)) {
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            }
            if (err != 0) {
                close(fd);
                return -1;
            }
        }
        return fd;
    }

    // Copies bytes both ways until one side closes or the proxy stops.
    void relay(int a, int b) const {
        char buf[16 * 1024];
        for (;;) {
            pollfd fds[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {stop_read, POLLIN, 0}};
            if (poll(fds, 3, -1) < 0) {
                if (errno == EINTR)
                    continue;
                return;
            }
            if (fds[2].revents != 0)
                return;
            for (int i = 0; i < 2; ++i) {
                if (fds[i].revents == 0)
                    continue;
                const ssize_t n = recv(fds[i].fd, buf, sizeof buf, 0);
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                    continue;
                if (n <= 0 || !sendAll(fds[1 - i].fd, std::string(buf, static_cast<size_t>(n))))
                    return;
            }
        }
    }

    void serve(int fd) {
        Fd client{fd};
        std::string head;
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestHead) {
            const ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n > 0) {
                head.append(buf, static_cast<size_t>(n));
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EINTR) || !waitFor(fd, POLLIN))
                return;
        }
        // "CONNECT host:port HTTP/1.1"
        const auto sp1 = head.find(' ');
        const auto sp2 = sp1 == std::string::npos ? sp1 : head.find(' ', sp1 + 1);
        if (sp2 == std::string::npos || head.compare(0, sp1, "CONNECT") != 0) {
            sendAll(fd, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        const std::string target = head.substr(sp1 + 1, sp2 - sp1 - 1);
        const auto colon = target.rfind(':');
        if (colon == std::string::npos) {
            sendAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        Fd upstream{connectTo(target.substr(0, colon), target.substr(colon + 1))};
        if (upstream.fd < 0) {
            sendAll(fd, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        ++tunnels;
        if (sendAll(fd, "HTTP/1.1 200 Connection established\r\n\r\n"))
            relay(fd, upstream.fd);
    }
};

ConnectProxy::ConnectProxy(ProxyOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error(errnoText("pipe2"));
    impl_->stop_read = fds[0];
    impl_->stop_write = fds[1];
    std::promise<std::string> ready;
    auto listening = ready.get_future();
    impl_->acceptor = std::thread(
        [impl = impl_.get(), ready = std::move(ready)]() mutable { impl->acceptLoop(ready); });
    const std::string error = listening.get();
    if (!error.empty()) {
        impl_->acceptor.join();
        throw std::runtime_error("connect proxy: " + error);
    }
}

ConnectProxy::~ConnectProxy() {
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

std::uint16_t ConnectProxy::port() const {
    return impl_->port;
}

int ConnectProxy::tunnels() const {
    return impl_->tunnels;
}

}  // namespace dk::test
