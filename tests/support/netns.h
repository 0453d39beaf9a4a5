// Real Linux network namespaces for tests: a private, empty network stack per
// test, so tests can pull cables (veth peers down), hand out addresses, add
// routes and run servers without touching the machine's own network.
//
// Requires root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's `ip`. Tests
// start with netnsAvailable() and, when it is false, WARN("skipped: " + why)
// and return (Catch2 v2 has no SKIP).
//
// Typical use — two namespaces joined by a veth pair:
//
//     dk::test::NetNs host, peer;
//     dk::test::sh("ip -n " + host.name() + " link add name dk0 type veth"
//                  " peer name dk1 netns " + peer.name());
//     host.exec("ip addr add 10.199.1.2/24 dev dk0");
//     host.exec("ip link set dk0 up");
//     peer.exec("ip addr add 10.199.1.1/24 dev dk1");
//     peer.exec("ip link set dk1 up");
//     auto snap = host.inside([] { return dk::makeSystemNetInspector()->snapshot(); });
//
// Things to know:
// - Always write `ip link add name X ...`: iproute2 6.1 reads a bare `a` as `address`.
// - A veth end moved into another namespace with `netns NAME` is gone from the first.
// - Use 10.199.x.x / fd00:199::/64 addresses only inside namespaces you created.
// - Unprivileged ICMP (dk::makeSystemPinger) is off in a fresh namespace; enable it
//   there with exec("sysctl -qw net.ipv4.ping_group_range='0 2147483647'") (the
//   setting is per namespace and covers ICMPv6 too).
// - A program runs in a namespace through `ip netns exec`: ns.exec("PROGRAM ARGS")
//   waits for it; sh("ip netns exec " + ns.name() + " PROGRAM ARGS >LOG 2>&1 &")
//   leaves it running (stop it yourself before the NetNs goes away).
// - An in-process server: create its listening socket inside inside(). A socket
//   stays in the namespace it was created in, and a thread started from inside()
//   is in the namespace too, so the server may keep serving after inside() returns.
// - inside() switches the network namespace only. /sys still shows the namespace
//   that mounted it (the root one), so /sys/class/net/<name> does not describe a
//   namespace's interfaces unless you run a program through `ip netns exec`, which
//   mounts a fresh /sys.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

// For Catch2 tests (v2 has no SKIP): without network namespaces, say why and
// leave the test. Use as the first statement of a TEST_CASE.
#define DK_NEEDS_NETNS()                        \
    do {                                        \
        std::string why_;                       \
        if (!dk::test::netnsAvailable(&why_)) { \
            WARN("skipped: " << why_);          \
            return;                             \
        }                                       \
    } while (false)

namespace dk::test {

// Whether this process can create network namespaces (root, `ip netns` works).
// When it cannot, `*why` (if given) says why. The answer is computed once.
bool netnsAvailable(std::string* why = nullptr);

// Runs `cmd` with /bin/sh and returns its output (stdout and stderr together).
// Throws std::runtime_error naming the command, its exit status and its output
// when it exits non-zero.
std::string sh(const std::string& cmd);

// A uniquely named network namespace `dk-<pid>-<n>`, with its loopback up.
// Created by the constructor (`ip netns add`; throws std::runtime_error on
// failure) and deleted by the destructor, also when a test fails half-way. The
// first NetNs of a process also deletes namespaces left behind by killed test
// processes (named dk-<pid>-<n> after a pid that no longer exists).
class NetNs {
public:
    NetNs();
    ~NetNs();
    NetNs(const NetNs&) = delete;
    NetNs& operator=(const NetNs&) = delete;

    // The name for `ip netns exec NAME`, `ip -n NAME` and `... netns NAME`.
    const std::string& name() const { return name_; }

    // Runs `cmd` inside the namespace: sh("ip netns exec NAME " + cmd).
    std::string exec(const std::string& cmd) const;

    // Calls f() on a fresh thread that has entered this network namespace
    // (setns, network namespace only) and returns its result. An exception
    // from f is rethrown here. Sockets f creates belong to this namespace.
    template <class F>
    auto inside(F f) const -> std::invoke_result_t<F&> {
        using R = std::invoke_result_t<F&>;
        if constexpr (std::is_void_v<R>) {
            runInside([&] { f(); });
        } else {
            std::optional<R> result;
            runInside([&] { result.emplace(f()); });
            return std::move(*result);
        }
    }

private:
    void runInside(const std::function<void()>& body) const;

    std::string name_;
};

}  // namespace dk::test
