// Stand-ins for the parts of the world the runner asks about that a test must
// not touch on this machine: the local network stack, ICMP and the system
// resolver. Servers stay real (tls_server.h, dns_server.h).
#pragma once

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "probes/net_state.h"
#include "probes/resolver.h"

namespace dk::test {

// A workstation whose cable is in (or out), with an address and a gateway the
// neighbour table has seen.
class FakeNet final : public NetInspector {
public:
    explicit FakeNet(bool carrier, std::string address = "10.0.0.5")
        : carrier_(carrier), address_(std::move(address)) {}
    NetSnapshot snapshot() override {
        NetSnapshot s;
        s.ok = true;
        s.interfaces.push_back({2, "eth0", true, carrier_, carrier_ ? "up" : "down", false, true,
                                false, "", "52:54:00:12:34:56", 1500});
        if (carrier_) {
            s.addresses.push_back({2, "eth0", AF_INET, address_, 24, "global", false});
            s.routes.push_back({AF_INET, "default", "10.0.0.1", 2, "eth0", 100, 254});
            s.neighbours.push_back(
                {AF_INET, "10.0.0.1", 2, "eth0", "reachable", "52:54:00:00:00:01"});
        }
        return s;
    }

private:
    bool carrier_;
    std::string address_;
};

class SilentPinger final : public Pinger {
public:
    EchoResult echo(const std::string&, const Deadline&) override {
        return {EchoResult::Outcome::no_reply, 0, ""};
    }
};

// Resolves every name to the address the test says, counting the lookups.
// `hang` makes it ignore its deadline, like a system resolver stuck in the kernel.
class MapResolver final : public Resolver {
public:
    std::vector<std::string> answers{"127.0.0.1"};  // one per call; the last one repeats
    std::chrono::milliseconds hang{0};
    std::atomic<int> calls{0};

    ResolveResult resolve(const std::string&, const Deadline&) override {
        int n = calls++;
        if (hang.count() > 0)
            std::this_thread::sleep_for(hang);
        ResolveResult r;
        r.ok = true;
        r.addresses = {answers[std::min<size_t>(static_cast<size_t>(n), answers.size() - 1)]};
        return r;
    }
};

}  // namespace dk::test
