#include "probes/link_probe.h"

#include <algorithm>

namespace dk {

LinkProbe::LinkProbe(const NetSnapshot& snapshot) : snapshot_(snapshot) {}

void LinkProbe::execute(const Deadline& /*deadline*/, ProbeResult& out) {
    if (!snapshot_.ok) {
        out.status = Status::not_run;
        out.error = "cannot read the network interfaces: " + snapshot_.error;
        return;
    }
    const auto& all = snapshot_.interfaces;
    bool any_physical = std::any_of(
        all.begin(), all.end(), [](const NetInterface& i) { return i.physical && !i.loopback; });
    auto considered = [&](const NetInterface& i) {
        return !i.loopback && (i.physical || !any_physical);
    };

    Json interfaces = Json::array();
    Json names = Json::array();
    Json with_link = Json::array();
    for (const auto& i : all) {
        interfaces.push_back({{"name", i.name},
                              {"kind", i.kind},
                              {"physical", i.physical},
                              {"wireless", i.wireless},
                              {"admin_up", i.admin_up},
                              {"carrier", i.carrier},
                              {"operstate", i.operstate}});
        if (!considered(i))
            continue;
        names.push_back(i.name);
        if (i.admin_up && i.carrier)
            with_link.push_back(i.name);
    }
    out.evidence["interfaces"] = interfaces;
    out.evidence["considered"] = names;
    out.evidence["considered_because"] =
        any_physical ? "physical interfaces only (loopback and virtual ones ignored)"
                     : "no physical interface: every interface except loopback";
    out.evidence["with_link"] = with_link;

    if (names.empty()) {
        out.failWith(Problem::no_interfaces, "");
    } else if (with_link.empty()) {
        out.failWith(Problem::no_carrier, "");
    } else {
        out.status = Status::pass;
    }
}

}  // namespace dk
