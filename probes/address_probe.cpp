#include "probes/address_probe.h"

#include "platform/socket_api.h"

#include <string>

namespace dk {

namespace {

enum class Kind { usable, link_local_v4, unusable };

struct Classified {
    Kind kind;
    const char* reason;  // why it is not usable; "" when it is
};

Classified classify(const NetAddress& a, const NetInterface* iface) {
    bool v4 = a.family == AF_INET;
    bool loopback = (iface != nullptr && iface->loopback) || a.scope == "host" ||
                    (v4 && a.address.rfind("127.", 0) == 0);
    if (loopback)
        return {Kind::unusable, "loopback"};
    if (v4 && a.address.rfind("169.254.", 0) == 0)
        return {Kind::link_local_v4, "link-local 169.254.0.0/16: DHCP did not answer"};
    if (!v4 && a.scope == "link")
        return {Kind::unusable, "link-local (fe80::/10): every interface that is up has one"};
    if (!v4 && a.tentative)
        return {Kind::unusable, "tentative: duplicate address detection not finished"};
    if (!v4 && a.scope != "global")
        return {Kind::unusable, "not of global scope"};
    if (iface == nullptr || !iface->carrier)
        return {Kind::unusable, "its interface has no link"};
    return {Kind::usable, ""};
}

}  // namespace

AddressProbe::AddressProbe(const NetSnapshot& snapshot) : snapshot_(snapshot) {}

void AddressProbe::execute(const Deadline& /*deadline*/, ProbeResult& out) {
    if (!snapshot_.ok) {
        out.status = Status::not_run;
        out.error = "cannot read the network addresses: " + snapshot_.error;
        return;
    }
    auto interfaceOf = [&](int index) -> const NetInterface* {
        for (const auto& i : snapshot_.interfaces) {
            if (i.index == index)
                return &i;
        }
        return nullptr;
    };

    Json addresses = Json::array();
    Json usable = Json::array();
    bool link_local_v4_with_link = false;
    for (const auto& a : snapshot_.addresses) {
        const NetInterface* iface = interfaceOf(a.ifindex);
        Classified c = classify(a, iface);
        std::string text = a.address + "/" + std::to_string(a.prefix_len);
        Json entry = {{"interface", a.ifname},
                      {"family", a.family == AF_INET6 ? "ipv6" : "ipv4"},
                      {"address", text},
                      {"scope", a.scope},
                      {"usable", c.kind == Kind::usable}};
        if (c.kind != Kind::usable)
            entry["reason"] = c.reason;
        addresses.push_back(entry);
        if (c.kind == Kind::usable)
            usable.push_back(text + " on " + a.ifname);
        if (c.kind == Kind::link_local_v4 && iface != nullptr && iface->carrier) {
            link_local_v4_with_link = true;
        }
    }
    out.evidence["addresses"] = addresses;
    out.evidence["usable"] = usable;

    if (!usable.empty()) {
        out.status = Status::pass;
    } else if (link_local_v4_with_link) {
        out.failWith(Problem::link_local_only, "");
    } else {
        out.failWith(Problem::no_address, "");
    }
}

}  // namespace dk
