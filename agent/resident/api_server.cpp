#include "agent/resident/api_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timespan.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <istream>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "agent/resident/api.h"
#include "agent/os/peer_cred.h"

namespace dk {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace net = Poco::Net;

// A few workers, started as needed: the tray's long-poll, a run being waited for,
// and room for more.
constexpr int kMaxThreads = 4;
constexpr int kMaxQueuedConnections = 16;
constexpr int kListenBacklog = 16;
// Reading a request and writing an answer; long-polls wait outside of it.
constexpr auto kIoTimeout = 5s;

std::string errnoText(int e) {
    return std::error_code(e, std::generic_category()).message();
}

void send(net::HTTPServerResponse& response, const ApiResponse& answer) {
    // Texts from lower layers may hold invalid UTF-8: replace it rather than throw.
    const std::string text = jsonText(answer.body);
    response.setStatusAndReason(static_cast<net::HTTPResponse::HTTPStatus>(answer.status));
    response.setKeepAlive(false);
    response.setContentType("application/json");
    response.setContentLength64(static_cast<Poco::Int64>(text.size()));
    if (!answer.allow.empty())
        response.set("Allow", answer.allow);
    response.sendBuffer(text.data(), text.size());
}

ApiResponse bodyTooLarge() {
    return apiError(413, "body_too_large",
                    "the body is larger than " + std::to_string(kApiMaxBodyBytes) + " bytes");
}

// Reads the body into `body`, at most kApiMaxBodyBytes of it: a larger
// Content-Length is refused before a byte of it is read, a chunked body as soon
// as it passes the cap. A request with neither has no body.
std::optional<ApiResponse> readBody(net::HTTPServerRequest& request, std::string& body) {
    const bool chunked = request.getChunkedTransferEncoding();
    std::size_t want = kApiMaxBodyBytes + 1;
    if (!chunked) {
        if (!request.hasContentLength())
            return std::nullopt;
        const Poco::Int64 length = request.getContentLength64();
        if (length < 0)
            return apiError(400, "bad_request", "Content-Length is negative");
        if (static_cast<std::uint64_t>(length) > kApiMaxBodyBytes)
            return bodyTooLarge();
        want = static_cast<std::size_t>(length);
    }
    std::istream& in = request.stream();
    body.resize(want);
    in.read(body.data(), static_cast<std::streamsize>(want));
    body.resize(static_cast<std::size_t>(in.gcount()));
    if (chunked && body.size() > kApiMaxBodyBytes)
        return bodyTooLarge();
    if (in.bad() || (!chunked && body.size() != want))
        return apiError(400, "incomplete_body",
                        "the body was cut short, malformed, or did not arrive in time");
    return std::nullopt;
}

class Handler final : public net::HTTPRequestHandler {
public:
    explicit Handler(AgentCore& core) : core_(core) {}

    void handleRequest(net::HTTPServerRequest& request,
                       net::HTTPServerResponse& response) override {
        // Nothing escapes: a failure becomes a 500 while an answer can still be sent,
        // and a client that went away is simply gone.
        try {
            send(response, serve(request));
        } catch (const Poco::Exception& e) {
            answerFailure(response, e.displayText());
        } catch (const std::exception& e) {
            answerFailure(response, e.what());
        } catch (...) {
            answerFailure(response, "unexpected failure in the API server");
        }
    }

private:
    ApiResponse serve(net::HTTPServerRequest& request) {
        // The kernel's word on who connected; a request it cannot vouch for is refused.
        auto* impl = dynamic_cast<net::HTTPServerRequestImpl*>(&request);
        const auto peer =
            impl ? peerCredentials(impl->socket().impl()->sockfd()) : std::optional<PeerCred>{};
        if (!peer || peer->uid != ::geteuid())
            return apiError(403, "forbidden", "this API serves only the user the agent runs as");

        ApiRequest req;
        req.method = request.getMethod();
        const std::string& target = request.getURI();
        const auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos)
            req.query = target.substr(q + 1);
        if (auto bad = readBody(request, req.body))
            return *bad;
        return dk::handleRequest(req, core_);
    }

    static void answerFailure(net::HTTPServerResponse& response, const std::string& what) {
        if (response.sent())
            return;
        try {
            send(response, apiError(500, "internal_error", what));
        } catch (...) {
            // The connection is gone; there is nobody left to tell.
        }
    }

    AgentCore& core_;
};

class HandlerFactory final : public net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(AgentCore& core) : core_(core) {}
    net::HTTPRequestHandler* createRequestHandler(const net::HTTPServerRequest&) override {
        return new Handler(core_);
    }

private:
    AgentCore& core_;
};

// Creates `dir` and its missing parents with mode 0700.
bool makeDirs(const fs::path& dir, std::string* err) {
    if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST)
        return true;
    if (errno == ENOENT && dir.has_parent_path() && dir.parent_path() != dir &&
        makeDirs(dir.parent_path(), err) && (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST))
        return true;
    if (err && err->empty())
        *err = "cannot create " + dir.string() + ": " + errnoText(errno);
    return false;
}

// The socket's directory exists, is a real directory of this user's, and nobody
// else may write to it (else they could put their own socket in its place).
bool ensurePrivateDir(const fs::path& dir, std::string* err) {
    if (!makeDirs(dir, err))
        return false;
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        *err = "cannot inspect " + dir.string() + ": " + errnoText(errno);
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        *err = dir.string() + " is not a directory";
        return false;
    }
    if (st.st_uid != ::geteuid()) {
        *err = dir.string() + " belongs to another user";
        return false;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        *err = dir.string() + " may be written by other users";
        return false;
    }
    return true;
}

// Whether the socket at `path` is left over: connecting is refused, so nobody
// listens on it any more. Any other outcome (it answers, or is busy) counts as alive.
bool nobodyListens(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const bool refused =
        ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 &&
        errno == ECONNREFUSED;
    ::close(fd);
    return refused;
}

// Makes room at `path`: nothing there, or a stale socket that is removed.
bool clearStaleSocket(const std::string& path, std::string* err) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return true;
        *err = "cannot inspect " + path + ": " + errnoText(errno);
        return false;
    }
    if (!S_ISSOCK(st.st_mode)) {
        *err = path + " exists and is not a socket; it is left alone";
        return false;
    }
    if (!nobodyListens(path)) {
        *err = "another agent already listens on " + path;
        return false;
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        *err = "cannot remove the stale socket " + path + ": " + errnoText(errno);
        return false;
    }
    return true;
}

}  // namespace

struct ApiServer::Impl {
    Impl(std::string socket_path, AgentCore& inner) : path(std::move(socket_path)), core(inner) {}

    // Removes the socket file, unless it is no longer the one this server made.
    void removeSocket() const {
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0 && st.st_dev == dev && st.st_ino == ino)
            ::unlink(path.c_str());
    }

    // Accepts connections and hands them to the workers. It waits in poll() without
    // a timeout on the socket and a stop eventfd, so an idle agent is not woken
    // (Poco's TCPServer polls every 250 ms to check for a stop). A connection is
    // handed over as its bare descriptor: the worker alone makes the Poco socket
    // around it and closes it, so no socket object is shared between threads.
    void acceptLoop() {
        const int listen_fd = socket.impl()->sockfd();
        pollfd fds[2] = {{listen_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
        for (;;) {
            if (::poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                return;
            }
            if (fds[1].revents != 0)
                return;
            if ((fds[0].revents & POLLIN) == 0)
                continue;
            // The listening socket does not block: a client that went away before
            // it was accepted leaves nothing to wait for.
            const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0)
                enqueue(fd);
        }
    }

    // Queues a connection for a worker, starting one when none is idle and there
    // are fewer than kMaxThreads; a connection beyond kMaxQueuedConnections is closed.
    void enqueue(int fd) {
        const std::lock_guard lock(queue_mutex);
        if (queue.size() >= static_cast<std::size_t>(kMaxQueuedConnections)) {
            ::close(fd);
            return;
        }
        queue.push_back(fd);
        if (idle_workers == 0 && workers.size() < static_cast<std::size_t>(kMaxThreads)) {
            try {
                workers.emplace_back([this] { workerLoop(); });
                return;
            } catch (const std::exception&) {
                // No new thread: the connection waits for a busy worker.
            }
        }
        queue_cv.notify_one();
    }

    // Serves queued connections one at a time until the server stops. Idle workers
    // wait without a timeout.
    void workerLoop() {
        std::unique_lock lock(queue_mutex);
        for (;;) {
            ++idle_workers;
            queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
            --idle_workers;
            if (stopping)
                return;
            const int fd = queue.front();
            queue.pop_front();
            lock.unlock();
            serveConnection(fd);
            lock.lock();
        }
    }

    // One connection, from the descriptor to its close, in the calling thread.
    void serveConnection(int fd) const {
        net::StreamSocketImpl* socket_impl = nullptr;
        try {
            socket_impl = new net::StreamSocketImpl(fd);
        } catch (...) {
            ::close(fd);
            return;
        }
        try {
            // The socket owns the descriptor from here on, and closes it.
            const net::StreamSocket client(socket_impl);
            net::HTTPServerConnection connection(client, params, handlers);
            connection.run();
        } catch (...) {
            // The connection is gone; its socket is closed with it.
        }
    }

    std::string path;
    AgentCore& core;
    dev_t dev = 0;
    ino_t ino = 0;
    std::mutex stop_mutex;
    net::ServerSocket socket;
    net::HTTPServerParams::Ptr params;
    net::HTTPRequestHandlerFactory::Ptr handlers;
    int stop_fd = -1;
    std::thread acceptor;

    std::mutex queue_mutex;
    std::condition_variable queue_cv;
    std::deque<int> queue;  // accepted descriptors no worker has taken yet
    int idle_workers = 0;
    bool stopping = false;
    std::vector<std::thread> workers;
};

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ApiServer::~ApiServer() {
    stop();
}

const std::string& ApiServer::socketPath() const {
    return impl_->path;
}

std::string ApiServer::defaultSocketPath() {
    // The XDG base directory spec: a relative $XDG_RUNTIME_DIR is to be ignored.
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && xdg[0] == '/')
        return std::string(xdg) + "/driftkoll/api.sock";
    return "/tmp/driftkoll-" + std::to_string(::geteuid()) + "/api.sock";
}

std::unique_ptr<ApiServer> ApiServer::start(const std::string& socket_path, AgentCore& core,
                                            std::string* err) {
    std::string why;
    auto fail = [&](std::string text) -> std::unique_ptr<ApiServer> {
        if (err)
            *err = "API: " + std::move(text);
        return nullptr;
    };
    if (socket_path.empty() || socket_path.front() != '/')
        return fail("the socket path must be absolute: \"" + socket_path + "\"");
    if (socket_path.size() >= sizeof(sockaddr_un{}.sun_path))
        return fail("the socket path is longer than a Unix socket allows: " + socket_path);
    if (!ensurePrivateDir(fs::path(socket_path).parent_path(), &why) ||
        !clearStaleSocket(socket_path, &why))
        return fail(why);

    auto impl = std::make_unique<Impl>(socket_path, core);
    bool bound = false;
    try {
        net::ServerSocket socket;
        socket.bind(net::SocketAddress(net::SocketAddress::UNIX_LOCAL, socket_path), false);
        bound = true;
        // Owner only, before anyone can connect: listen() comes after.
        struct stat st {};
        if (::chmod(socket_path.c_str(), 0600) != 0 || ::lstat(socket_path.c_str(), &st) != 0)
            throw Poco::IOException("cannot make the socket private", errnoText(errno));
        impl->dev = st.st_dev;
        impl->ino = st.st_ino;
        socket.listen(kListenBacklog);

        socket.setBlocking(false);

        impl->params = Poco::makeAuto<net::HTTPServerParams>();
        impl->params->setKeepAlive(false);
        impl->params->setTimeout(Poco::Timespan(std::chrono::seconds(kIoTimeout).count(), 0));
        impl->handlers = new HandlerFactory(impl->core);
        impl->stop_fd = ::eventfd(0, EFD_CLOEXEC);
        if (impl->stop_fd < 0)
            throw Poco::IOException("eventfd", errnoText(errno));
        impl->socket = socket;
        Impl* raw = impl.get();
        impl->acceptor = std::thread([raw] { raw->acceptLoop(); });
    } catch (const Poco::Exception& e) {
        why = e.displayText();
    } catch (const std::exception& e) {
        why = e.what();
    }
    if (!why.empty()) {
        if (bound)
            ::unlink(socket_path.c_str());
        return fail("cannot listen on " + socket_path + ": " + why);
    }
    return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

void ApiServer::stop() {
    const std::lock_guard lock(impl_->stop_mutex);
    if (!impl_->acceptor.joinable())
        return;
    // Long-polls and runs being waited for return now, so the workers finish.
    impl_->core.cancelWaits();
    const std::uint64_t one = 1;
    if (::write(impl_->stop_fd, &one, sizeof one) < 0) {
        // The eventfd cannot be full after one write; nothing else can fail here.
    }
    impl_->acceptor.join();
    // Queued connections are dropped; the ones being served finish (long-polls
    // were told by cancelWaits() above) and the workers are joined.
    {
        const std::lock_guard queue_lock(impl_->queue_mutex);
        impl_->stopping = true;
        for (const int fd : impl_->queue) ::close(fd);
        impl_->queue.clear();
    }
    impl_->queue_cv.notify_all();
    for (std::thread& worker : impl_->workers) worker.join();
    impl_->workers.clear();
    impl_->socket.close();
    ::close(impl_->stop_fd);
    impl_->stop_fd = -1;
    impl_->removeSocket();
}

}  // namespace dk
