// The Linux NetInspector: one rtnetlink dump each of links, addresses, routes
// and neighbours through libnl-route-3. A snapshot opens its own netlink socket,
// so it always describes the network namespace of the calling thread.
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "probes/net_state.h"

namespace dk {

namespace {

struct SocketFree {
    void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct CacheFree {
    void operator()(nl_cache* c) const { nl_cache_free(c); }
};
using Socket = std::unique_ptr<nl_sock, SocketFree>;
using Cache = std::unique_ptr<nl_cache, CacheFree>;

// libnl reports errors as negative codes; this turns one into an exception
// that snapshot() catches and reports, naming the step that failed.
void check(int err, const char* step) {
    if (err < 0)
        throw std::runtime_error(std::string(step) + ": " + nl_geterror(err));
}

template <class Object, class Fn>
void forEach(nl_cache* cache, Fn fn) {
    for (nl_object* o = nl_cache_get_first(cache); o != nullptr; o = nl_cache_get_next(o)) {
        fn(reinterpret_cast<Object*>(o));
    }
}

// An IPv4/IPv6 address as text, without prefix length ("" when absent).
std::string ipText(nl_addr* a) {
    if (a == nullptr)
        return {};
    int family = nl_addr_get_family(a);
    unsigned len = nl_addr_get_len(a);
    if (!((family == AF_INET && len == 4) || (family == AF_INET6 && len == 16)))
        return {};
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, nl_addr_get_binary_addr(a), buf, sizeof buf);
    return buf;
}

// A link-layer address as "aa:bb:cc:dd:ee:ff" ("" when absent).
std::string macText(nl_addr* a) {
    if (a == nullptr || nl_addr_get_len(a) == 0)
        return {};
    char buf[64] = {};
    return nl_addr2str(a, buf, sizeof buf);
}

std::string scopeName(int scope) {
    switch (scope) {
        case RT_SCOPE_UNIVERSE:
            return "global";
        case RT_SCOPE_SITE:
            return "site";
        case RT_SCOPE_LINK:
            return "link";
        case RT_SCOPE_HOST:
            return "host";
        case RT_SCOPE_NOWHERE:
            return "nowhere";
        default:
            return std::to_string(scope);
    }
}

std::string neighbourState(int nud) {
    struct Name {
        int bit;
        const char* name;
    };
    static constexpr Name kNames[] = {
        {NUD_PERMANENT, "permanent"}, {NUD_NOARP, "noarp"},           {NUD_REACHABLE, "reachable"},
        {NUD_STALE, "stale"},         {NUD_DELAY, "delay"},           {NUD_PROBE, "probe"},
        {NUD_FAILED, "failed"},       {NUD_INCOMPLETE, "incomplete"},
    };
    if (nud > 0) {
        for (const auto& n : kNames) {
            if ((nud & n.bit) != 0)
                return n.name;
        }
    }
    return "none";
}

// sysfs describes the network namespace that mounted /sys, which for the agent
// is its own.
bool sysfsHas(const std::string& ifname, const char* entry) {
    std::error_code ec;
    return std::filesystem::exists("/sys/class/net/" + ifname + "/" + entry, ec);
}

class NetlinkInspector final : public NetInspector {
public:
    NetSnapshot snapshot() override {
        NetSnapshot snap;
        try {
            read(snap);
            snap.ok = true;
        } catch (const std::exception& e) {
            snap = NetSnapshot{};
            snap.error = e.what();
        }
        return snap;
    }

private:
    static void read(NetSnapshot& snap) {
        Socket sock(nl_socket_alloc());
        if (!sock)
            throw std::runtime_error("netlink: cannot allocate a socket");
        check(nl_connect(sock.get(), NETLINK_ROUTE), "netlink connect");

        nl_cache* raw = nullptr;
        check(rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw), "reading links");
        Cache links(raw);
        check(rtnl_addr_alloc_cache(sock.get(), &raw), "reading addresses");
        Cache addrs(raw);
        check(rtnl_route_alloc_cache(sock.get(), AF_UNSPEC, 0, &raw), "reading routes");
        Cache routes(raw);
        check(rtnl_neigh_alloc_cache(sock.get(), &raw), "reading neighbours");
        Cache neighs(raw);

        std::map<int, std::string> names;
        forEach<rtnl_link>(links.get(), [&](rtnl_link* l) {
            NetInterface i;
            i.index = rtnl_link_get_ifindex(l);
            i.name = rtnl_link_get_name(l) != nullptr ? rtnl_link_get_name(l) : "";
            unsigned flags = rtnl_link_get_flags(l);
            i.admin_up = (flags & IFF_UP) != 0;
            i.carrier = (flags & IFF_LOWER_UP) != 0;
            char buf[32] = {};
            i.operstate = rtnl_link_operstate2str(rtnl_link_get_operstate(l), buf, sizeof buf);
            i.loopback = (flags & IFF_LOOPBACK) != 0;
            i.physical = sysfsHas(i.name, "device");
            i.wireless = sysfsHas(i.name, "wireless") || sysfsHas(i.name, "phy80211");
            i.kind = rtnl_link_get_type(l) != nullptr ? rtnl_link_get_type(l) : "";
            i.mac = macText(rtnl_link_get_addr(l));
            i.mtu = rtnl_link_get_mtu(l);
            names[i.index] = i.name;
            snap.interfaces.push_back(std::move(i));
        });
        auto nameOf = [&](int index) {
            auto it = names.find(index);
            return it != names.end() ? it->second : std::string();
        };

        forEach<rtnl_addr>(addrs.get(), [&](rtnl_addr* a) {
            int family = rtnl_addr_get_family(a);
            if (family != AF_INET && family != AF_INET6)
                return;
            NetAddress n;
            n.ifindex = rtnl_addr_get_ifindex(a);
            n.ifname = nameOf(n.ifindex);
            n.family = family;
            n.address = ipText(rtnl_addr_get_local(a));
            n.prefix_len = rtnl_addr_get_prefixlen(a);
            n.scope = scopeName(rtnl_addr_get_scope(a));
            n.tentative = (rtnl_addr_get_flags(a) & IFA_F_TENTATIVE) != 0;
            snap.addresses.push_back(std::move(n));
        });

        // Only unicast routes of the main table: local/broadcast routes live in
        // the local table, and an "unreachable default" is no way out.
        forEach<rtnl_route>(routes.get(), [&](rtnl_route* r) {
            if (rtnl_route_get_table(r) != RT_TABLE_MAIN)
                return;
            if (rtnl_route_get_type(r) != RTN_UNICAST)
                return;
            int family = rtnl_route_get_family(r);
            if (family != AF_INET && family != AF_INET6)
                return;
            NetRoute base;
            base.family = family;
            nl_addr* dst = rtnl_route_get_dst(r);
            if (dst == nullptr || nl_addr_get_prefixlen(dst) == 0) {
                base.destination = "default";
            } else {
                base.destination = ipText(dst) + "/" + std::to_string(nl_addr_get_prefixlen(dst));
            }
            base.metric = rtnl_route_get_priority(r);
            base.table = rtnl_route_get_table(r);
            // One NetRoute per next hop: a multipath route offers several gateways.
            int hops = rtnl_route_get_nnexthops(r);
            if (hops == 0)
                snap.routes.push_back(base);
            for (int h = 0; h < hops; ++h) {
                rtnl_nexthop* nh = rtnl_route_nexthop_n(r, h);
                NetRoute route = base;
                route.gateway = ipText(rtnl_route_nh_get_gateway(nh));
                route.ifindex = rtnl_route_nh_get_ifindex(nh);
                route.ifname = nameOf(route.ifindex);
                snap.routes.push_back(std::move(route));
            }
        });

        forEach<rtnl_neigh>(neighs.get(), [&](rtnl_neigh* n) {
            int family = rtnl_neigh_get_family(n);
            if (family != AF_INET && family != AF_INET6)
                return;
            NetNeighbour nb;
            nb.family = family;
            nb.address = ipText(rtnl_neigh_get_dst(n));
            nb.ifindex = rtnl_neigh_get_ifindex(n);
            nb.ifname = nameOf(nb.ifindex);
            nb.state = neighbourState(rtnl_neigh_get_state(n));
            nb.lladdr = macText(rtnl_neigh_get_lladdr(n));
            snap.neighbours.push_back(std::move(nb));
        });
    }
};

}  // namespace

std::unique_ptr<NetInspector> makeSystemNetInspector() {
    return std::make_unique<NetlinkInspector>();
}

}  // namespace dk
