#include "agent/decide/diagnosis.h"

#include <algorithm>

namespace dk {

namespace {

using config::Role;

bool isDnsProblem(Problem p) {
    switch (p) {
        case Problem::dns_nxdomain:
        case Problem::dns_no_data:
        case Problem::dns_servfail:
        case Problem::dns_refused:
        case Problem::dns_timeout:
        case Problem::dns_error:
            return true;
        default:
            return false;
    }
}

bool failing(SystemState s) {
    return s == SystemState::down || s == SystemState::name_failed;
}
bool working(SystemState s) {
    return s == SystemState::ok || s == SystemState::degraded;
}
bool checked(SystemState s) {
    return failing(s) || working(s);
}

const Check* systemCheck(const RunReport& r, const std::string& id) {
    if (const auto* c = r.find("http:" + id))
        return c;
    return r.find("tcp:" + id);
}

SystemVerdict judgeSystem(const RunReport& r, const config::System& sys) {
    SystemVerdict v{sys.id, sys.role, SystemState::not_checked, {}};
    if (!sys.configured()) {
        v.state = SystemState::not_configured;
        return v;
    }
    const Check* c = systemCheck(r, sys.id);
    if (!c)
        return v;
    v.problems = c->problems;
    switch (c->status) {
        case Status::pass:
            v.state = SystemState::ok;
            break;
        case Status::warn:
            v.state = (c->has(Problem::slow) || c->has(Problem::intermittent))
                          ? SystemState::degraded
                          : SystemState::ok;
            break;
        case Status::fail: {
            const Check* dns = r.find("dns:" + systemHost(sys));
            bool name = std::any_of(c->problems.begin(), c->problems.end(), isDnsProblem) ||
                        (dns && dns->status == Status::fail);
            v.state = name ? SystemState::name_failed : SystemState::down;
            break;
        }
        case Status::not_run:
            v.state = c->has(Problem::not_configured) ? SystemState::not_configured
                                                      : SystemState::not_checked;
            break;
    }
    return v;
}

// True when every name lookup that failed got no answer at all from any server:
// then the name servers are as unreachable as everything else.
bool dnsOnlySilent(const RunReport& r) {
    bool any = false;
    for (const auto& c : r.checks) {
        if (c.kind != "dns" || c.status != Status::fail)
            continue;
        any = true;
        for (auto p : c.problems)
            if (isDnsProblem(p) && p != Problem::dns_timeout)
                return false;
    }
    return any;
}

std::vector<std::string> ids(const std::vector<const SystemVerdict*>& v) {
    std::vector<std::string> out;
    for (const auto* s : v) out.push_back(s->id);
    return out;
}

}  // namespace

std::string_view to_string(Domain d) {
    switch (d) {
        case Domain::all_ok:
            return "all_ok";
        case Domain::no_link:
            return "no_link";
        case Domain::no_address:
            return "no_address";
        case Domain::no_gateway:
            return "no_gateway";
        case Domain::dns:
            return "dns";
        case Domain::network_down:
            return "network_down";
        case Domain::internal_network:
            return "internal_network";
        case Domain::internet:
            return "internet";
        case Domain::service_down:
            return "service_down";
        case Domain::service_degraded:
            return "service_degraded";
        case Domain::planned_maintenance:
            return "planned_maintenance";
        case Domain::clock_skew:
            return "clock_skew";
        case Domain::this_computer:
            return "this_computer";
        case Domain::account:
            return "account";
    }
    return "all_ok";
}

std::string_view to_string(SystemState s) {
    switch (s) {
        case SystemState::ok:
            return "ok";
        case SystemState::degraded:
            return "degraded";
        case SystemState::down:
            return "down";
        case SystemState::name_failed:
            return "name_failed";
        case SystemState::not_configured:
            return "not_configured";
        case SystemState::not_checked:
            return "not_checked";
    }
    return "not_checked";
}

Diagnosis diagnose(const RunReport& r, const config::Config& cfg) {
    Diagnosis d;
    for (const auto& sys : cfg.systems) {
        d.per_system.push_back(judgeSystem(r, sys));
        if (d.per_system.back().state == SystemState::not_configured)
            d.unconfigured.push_back(sys.id);
    }

    auto failed = [&](const char* id) {
        const Check* c = r.find(id);
        return c && c->status == Status::fail;
    };
    if (failed("link")) {
        d.domain = Domain::no_link;
        return d;
    }
    if (failed("address")) {
        d.domain = Domain::no_address;
        return d;
    }

    std::vector<const SystemVerdict*> internal, outside, bad, slow;
    for (const auto& v : d.per_system) {
        if (!checked(v.state))
            continue;
        (v.role == Role::outside ? outside : internal).push_back(&v);
        if (failing(v.state))
            bad.push_back(&v);
        if (v.state == SystemState::degraded)
            slow.push_back(&v);
    }
    auto allFail = [](const std::vector<const SystemVerdict*>& v) {
        return !v.empty() &&
               std::all_of(v.begin(), v.end(), [](auto* s) { return failing(s->state); });
    };
    auto allWork = [](const std::vector<const SystemVerdict*>& v) {
        return std::all_of(v.begin(), v.end(), [](auto* s) { return working(s->state); });
    };
    auto allByName = [](const std::vector<const SystemVerdict*>& v) {
        return !v.empty() && std::all_of(v.begin(), v.end(), [](auto* s) {
            return s->state == SystemState::name_failed;
        });
    };
    const bool anything_works = bad.size() < internal.size() + outside.size();

    // A gateway that seems silent while remote systems answer is not the fault.
    if (failed("gateway") && !anything_works) {
        d.domain = Domain::no_gateway;
        return d;
    }
    if (failed("gateway"))
        d.notes.push_back("gateway_check_failed_but_systems_answer");
    // A gateway that has said nothing lately, to ICMP or to ARP, while nothing beyond
    // it answers either: the lower layer is the likelier cause.
    const Check* gateway = r.find("gateway");
    if (gateway && gateway->has(Problem::gateway_silent) && !bad.empty() && !anything_works) {
        d.domain = Domain::no_gateway;
        d.notes.push_back("gateway_silent_and_nothing_beyond_answers");
        return d;
    }

    if (failed("clock")) {
        d.domain = Domain::clock_skew;
        d.systems = ids(bad);
        return d;
    }

    if (allFail(internal) && allFail(outside)) {
        if (allByName(bad) && !dnsOnlySilent(r)) {
            d.domain = Domain::dns;
        } else {
            d.domain = Domain::network_down;
            if (allByName(bad))
                d.notes.push_back("name_servers_silent");
        }
        d.systems = ids(bad);
        return d;
    }
    if (allFail(internal) && (outside.empty() || !allFail(outside))) {
        if (allByName(internal))
            d.domain = Domain::dns;
        else if (internal.size() >= 2)
            d.domain = Domain::internal_network;
        else
            d.domain = Domain::service_down;
        d.systems = ids(internal);
        return d;
    }
    if (allFail(outside) && allWork(internal)) {
        d.domain = allByName(outside) ? Domain::dns : Domain::internet;
        d.systems = ids(outside);
        return d;
    }
    if (!bad.empty()) {
        d.domain = allByName(bad) ? Domain::dns : Domain::service_down;
        d.systems = ids(bad);
        return d;
    }
    if (!slow.empty()) {
        d.domain = Domain::service_degraded;
        d.systems = ids(slow);
        return d;
    }
    d.domain = Domain::all_ok;
    return d;
}

void applyMaintenance(Diagnosis& d, const MaintenanceSchedule& schedule,
                      std::chrono::sys_seconds now) {
    switch (d.domain) {
        case Domain::service_down:
        case Domain::service_degraded:
        case Domain::internal_network:
        case Domain::dns:
            break;
        default:
            return;
    }
    if (d.systems.empty())
        return;
    std::vector<MaintenanceWindow> windows;
    for (const auto& id : d.systems) {
        auto active = schedule.activeFor(id, now);
        if (active.empty())
            return;  // one failing system without a window: not planned
        for (const auto* w : active) {
            bool seen = std::any_of(windows.begin(), windows.end(), [&](const auto& x) {
                return x.uid == w->uid && x.start == w->start;
            });
            if (!seen)
                windows.push_back(*w);
        }
    }
    d.domain = Domain::planned_maintenance;
    d.maintenance_until = std::max_element(windows.begin(), windows.end(), [](auto& a, auto& b) {
                              return a.end < b.end;
                          })->end;
    d.windows = std::move(windows);
}

void applyAnswers(Diagnosis& d, const Answers& a) {
    switch (d.domain) {
        case Domain::no_link:
        case Domain::no_address:
        case Domain::no_gateway:
            return;  // this computer's own network: the checks see it better
        default:
            break;
    }
    const SystemVerdict* primary = nullptr;
    for (const auto& v : d.per_system)
        if (v.role == Role::primary)
            primary = &v;
    const bool primary_up = primary && working(primary->state);
    const std::string primary_id = primary ? primary->id : std::string();

    auto becomes = [&](Domain domain, const char* note) {
        d.domain = domain;
        d.systems =
            primary_id.empty() ? std::vector<std::string>{} : std::vector<std::string>{primary_id};
        d.notes.push_back(note);
    };
    if (a.same_computer_colleague == "works") {
        becomes(Domain::account, "answer_colleague_works_here");
        return;
    }
    if (a.login == "refused" && (primary_up || d.domain == Domain::all_ok)) {
        becomes(Domain::account, "answer_login_refused");
        return;
    }
    if (a.other_computer == "works") {
        becomes(Domain::this_computer, "answer_other_computer_works");
        return;
    }
    if (a.login == "no_page" && d.domain == Domain::all_ok && primary_up) {
        becomes(Domain::this_computer, "answer_no_page_while_checks_pass");
        return;
    }
    if (a.other_computer == "fails" || a.same_computer_colleague == "fails")
        d.notes.push_back("answer_fails_elsewhere_too");
}

}  // namespace dk
