// The local API's transport: HTTP over a Unix domain socket that only the user
// the agent runs as can reach. The socket is 0600 in a directory of the user's
// that nobody else may write to, and every request is checked against the
// peer's credentials as the kernel gives them (SO_PEERCRED): any other user gets
// a 403. What each request does is handleRequest()'s business (api.h).
#pragma once

#include <memory>
#include <string>

#include "agent/resident/agent_core.h"

namespace dk {

class ApiServer {
public:
    // Serves the API for `core`, which must outlive the server, on `socket_path`.
    // Creates the missing directories 0700; refuses a directory that another user
    // owns or that others may write to. A socket left behind by an agent that is
    // gone is replaced; a live one, or a file that is not a socket, is left alone.
    // nullptr, with the reason in `err`, when it cannot listen.
    static std::unique_ptr<ApiServer> start(const std::string& socket_path, AgentCore& core,
                                            std::string* err);

    // $XDG_RUNTIME_DIR/driftkoll/api.sock, or /tmp/driftkoll-<uid>/api.sock when
    // XDG_RUNTIME_DIR is not set (or not absolute). Only computes the path.
    static std::string defaultSocketPath();

    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Stops accepting, cuts long-polls short, waits for the requests in flight and
    // removes the socket. Waits for a run only as long as the run's own wait.
    // Idempotent; the destructor calls it.
    void stop();

    const std::string& socketPath() const;

private:
    struct Impl;
    explicit ApiServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace dk
