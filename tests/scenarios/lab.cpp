#include "tests/scenarios/lab.h"

#include "tests/support/slowdown.h"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace dk::scenarios {

using namespace std::chrono_literals;
using dk::test::sh;

const std::vector<Site> kSites = {
    {"tes", "TES", "primary", "tes.kommun.test", "10.198.1.10"},
    {"tes_app", "TES-app", "business", "tesapp.kommun.test", "10.198.1.11"},
    {"intranet", "Intranätet", "internal", "intranet.kommun.test", "10.198.1.12"},
    {"journal", "Journalen", "business", "journal.kommun.test", "10.198.1.13"},
    {"na", "www.na.se", "outside", "www.na.test", "10.198.2.10"},
    {"orebro", "orebro.se", "outside", "www.orebro.test", "10.198.2.11"},
};

namespace {

constexpr const char* kDnsAddress = "10.198.3.53";
constexpr const char* kUpstreamAddress = "10.198.3.54";
constexpr const char* kProxyHost = "proxy.kommun.test";
constexpr const char* kProxyAddress = "10.198.4.80";
constexpr std::uint16_t kProxyPort = 3128;

// The office lines and the on-call as BRIEF.md describes them: the TES line on
// weekdays 08:00–16:30, for everyone; the IT line Monday–Thursday 07:00–17:00 and
// Friday 07:00–16:00, lunch 12:00–13:00, municipal employees only; the on-call
// without hours, municipal employees only. Holidays and the closed eves are the
// configuration's defaults (the Swedish calendar, Midsummer, Christmas and New
// Year's Eve closed).
const char* kContacts = R"(
[[contacts]]
id = "tes_support"
name = "Kommunsupport – TES, TES-app och Carelock"
phone = "019-21 20 00"
phone_short = "20 00"
menu = ["3", "1"]
email = "vardochstod@orebro.se"
municipal_only = false
[[contacts.hours]]
days = "mon-fri"
open = "08:00"
close = "16:30"
only_weekdays = true

[[contacts]]
id = "it_support"
name = "Kommunsupport – IT och telefoni"
phone = "019-21 20 00"
menu = ["4"]
email = "it-helpdesk@orebro.se"
municipal_only = true
[[contacts.hours]]
days = "mon-thu"
open = "07:00"
close = "17:00"
breaks = [{ from = "12:00", to = "13:00" }]
only_weekdays = true
[[contacts.hours]]
days = "fri"
open = "07:00"
close = "16:00"
breaks = [{ from = "12:00", to = "13:00" }]
only_weekdays = true

[[contacts]]
id = "oncall"
name = "Jourhavande datatekniker via SOS Alarm"
phone = "019-21 20 00"
phone_short = "20 00"
municipal_only = true
)";

// Runs iproute2 commands in one go inside namespace `ns`.
void ipBatch(const dk::test::NetNs& ns, const std::string& dir,
             const std::vector<std::string>& commands) {
    const std::string file = dir + "/ip-" + ns.name() + ".batch";
    {
        std::ofstream out(file);
        for (const auto& c : commands) out << c << "\n";
    }
    sh("ip -n " + ns.name() + " -batch " + file);
}

// Loads an nftables script inside namespace `ns`.
void nftScript(const dk::test::NetNs& ns, const std::string& dir, const std::string& script) {
    static int counter = 0;
    const std::string file = dir + "/nft-" + std::to_string(counter++) + ".nft";
    std::ofstream(file) << script;
    ns.exec("nft -f " + file);
}

const Site& siteOf(const std::string& id) {
    for (const auto& s : kSites)
        if (s.id == id)
            return s;
    throw std::invalid_argument("no such site: " + id);
}

}  // namespace

bool dnsmasqAvailable(std::string* why) {
    for (const char* path : {"/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"})
        if (access(path, X_OK) == 0)
            return true;
    if (why)
        *why = "dnsmasq is not installed (scripts/setup.sh installs it)";
    return false;
}

Lab::Lab() {
    const std::string d = dir();
    sh("ip -n " + ws_.name() + " link add name eth0 type veth peer name gw0 netns " +
       router_.name());
    sh("ip -n " + router_.name() + " link add name up0 type veth peer name dn0 netns " +
       core_.name());
    ipBatch(ws_, d,
            {"addr add 10.198.0.2/24 dev eth0", "link set eth0 up",
             "route add default via 10.198.0.1"});
    ipBatch(router_, d,
            {"addr add 10.198.0.1/24 dev gw0", "link set gw0 up", "addr add 10.198.9.1/30 dev up0",
             "link set up0 up", "route add default via 10.198.9.2"});
    std::vector<std::string> core = {"addr add 10.198.9.2/30 dev dn0",
                                     "link set dn0 up",
                                     "route add 10.198.0.0/24 via 10.198.9.1",
                                     std::string("addr add ") + kDnsAddress + "/32 dev lo",
                                     std::string("addr add ") + kUpstreamAddress + "/32 dev lo",
                                     std::string("addr add ") + kProxyAddress + "/32 dev lo"};
    for (const auto& s : kSites)
        core.push_back(std::string("addr add ") + s.address + "/32 dev lo");
    ipBatch(core_, d, core);
    // Unprivileged ICMP for the gateway probe, as on a desktop; routing on the router.
    ws_.exec("sysctl -qw net.ipv4.ping_group_range='0 2147483647'");
    router_.exec("sysctl -qw net.ipv4.ip_forward=1");

    // The workstation's resolv.conf, as `ip netns exec` mounts it.
    etc_ = "/etc/netns/" + ws_.name();
    std::filesystem::create_directories(etc_);
    std::ofstream(etc_ + "/resolv.conf") << "nameserver " << kDnsAddress << "\n";
    std::filesystem::create_directories(d + "/run");
    std::filesystem::permissions(d + "/run", std::filesystem::perms::owner_all);

    const auto& cert = dk::test::testCerts().scenario;
    upstream_ = std::make_unique<dk::test::DnsServer>(
        dk::test::DnsServerOptions{kUpstreamAddress, 53, core_.name()});
    std::map<std::string, std::string> hosts;
    for (const auto& s : kSites) {
        upstream_->on(s.host, dk::test::DnsBehaviour::answer({s.address}));
        servers_[s.id] = std::make_unique<dk::test::TestServer>(
            dk::test::ServerOptions{cert.cert, cert.key, s.address, 443, core_.name()});
        hosts[s.host] = s.address;
    }
    proxy_ = std::make_unique<dk::test::ConnectProxy>(
        dk::test::ProxyOptions{kProxyAddress, kProxyPort, core_.name(), hosts});
    startDns();
}

Lab::~Lab() {
    dnsmasq_.reset();
    std::error_code ec;
    std::filesystem::remove_all(etc_, ec);
}

void Lab::startDns() {
    if (dnsmasq_)
        dnsmasq_->stop(SIGTERM, 2s);
    // No cache: every query reaches the configured answer or the upstream, so each
    // run sees the name server as it is now.
    std::vector<std::string> argv = {"/usr/bin/setpriv",
                                     "--pdeathsig",
                                     "KILL",
                                     "ip",
                                     "netns",
                                     "exec",
                                     core_.name(),
                                     "dnsmasq",
                                     "--keep-in-foreground",
                                     "--conf-file=/dev/null",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--user=root",
                                     "--pid-file=",
                                     "--log-facility=-",
                                     "--cache-size=0",
                                     "--bind-interfaces",
                                     std::string("--listen-address=") + kDnsAddress};
    std::map<std::string, std::string> names;
    for (const auto& s : kSites) names[s.host] = s.address;
    names[kProxyHost] = kProxyAddress;
    for (const auto& [host, address] : names) {
        auto how = dns_answers_.count(host) ? dns_answers_.at(host) : DnsAnswer::address;
        switch (how) {
            case DnsAnswer::address:
                // --local too: without it dnsmasq (2.90 here) forwards the AAAA
                // query for a name that has only an IPv4 --address, and, with no
                // upstream server, answers it REFUSED. A name server that knows the
                // name answers AAAA with no data, as this one then does.
                argv.push_back("--address=/" + host + "/" + address);
                argv.push_back("--local=/" + host + "/");
                break;
            case DnsAnswer::nxdomain:
                argv.push_back("--address=/" + host + "/");
                break;
            case DnsAnswer::upstream:
                argv.push_back("--server=/" + host + "/" + kUpstreamAddress);
                break;
        }
    }
    dnsmasq_ = std::make_unique<dk::test::Spawned>(argv, dir() + "/dnsmasq.log");
    // Ready once it listens on the name server's address.
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (sh("ss -N " + core_.name() + " -Hlun src " + kDnsAddress).empty()) {
        if (std::chrono::steady_clock::now() > until) {
            std::ifstream log(dir() + "/dnsmasq.log");
            std::string text((std::istreambuf_iterator<char>(log)), {});
            throw std::runtime_error("dnsmasq did not start: " + text);
        }
        std::this_thread::sleep_for(10ms);
    }
}

void Lab::pullCable() {
    sh("ip -n " + router_.name() + " link set gw0 down");
}

void Lab::silenceGateway() {
    nftScript(router_, dir(),
              "table netdev dk_silent {\n"
              "  chain in { type filter hook ingress device gw0 priority 0; policy drop; }\n"
              "}\n");
}

void Lab::silenceGatewayAfterItAnswered() {
    // Any packet to the gateway makes the kernel resolve it (the router answers ARP).
    ws_.exec("bash -c 'echo > /dev/udp/10.198.0.1/9'");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string entry;
    std::size_t at = std::string::npos;
    while ((at = (entry = ws_.exec("ip neigh show 10.198.0.1 dev eth0")).find("lladdr ")) ==
           std::string::npos) {
        if (std::chrono::steady_clock::now() > until)
            throw std::runtime_error("the gateway's address was not learnt: " + entry);
        std::this_thread::sleep_for(50ms);
    }
    const std::string mac = entry.substr(at + 7, entry.find(' ', at + 7) - (at + 7));
    // The state a learnt entry reaches after half a minute without traffic: it keeps
    // the link address, but nothing has confirmed it since.
    ws_.exec("ip neigh replace 10.198.0.1 lladdr " + mac + " dev eth0 nud stale");
    silenceGateway();
}

void Lab::gatewayFiltersPing() {
    nftScript(router_, dir(),
              "table inet dk_noping {\n"
              "  chain in { type filter hook input priority 0; policy accept;\n"
              "    icmp type echo-request drop\n"
              "  }\n"
              "}\n");
}

void Lab::dropBeyondGateway() {
    nftScript(router_, dir(),
              "table inet dk_beyond {\n"
              "  chain forward { type filter hook forward priority 0; policy drop; }\n"
              "}\n");
}

void Lab::uplinkLoss() {
    nftScript(router_, dir(),
              "table inet dk_loss {\n"
              "  set seen {\n"
              "    type ipv4_addr . inet_proto . inet_service . ipv4_addr . inet_service\n"
              "    flags dynamic, timeout; timeout 5m\n"
              "  }\n"
              "  chain forward { type filter hook forward priority 0; policy accept;\n"
              "    iifname \"gw0\" meta l4proto { tcp, udp } ip saddr . meta l4proto . th sport"
              " . ip daddr . th dport != @seen add @seen { ip saddr . meta l4proto . th sport"
              " . ip daddr . th dport } drop\n"
              "  }\n"
              "}\n");
}

void Lab::blackHole(const std::string& match) {
    if (!nft_core_) {
        nftScript(core_, dir(),
                  "table inet dk_core {\n"
                  "  chain input { type filter hook input priority 0; policy accept; }\n"
                  "}\n");
        nft_core_ = true;
    }
    core_.exec("nft add rule inet dk_core input " + match + " drop");
}

dk::test::TestServer& Lab::server(const std::string& id) {
    auto it = servers_.find(id);
    if (it == servers_.end())
        throw std::invalid_argument("no server for " + id);
    return *it->second;
}

void Lab::stopServer(const std::string& id) {
    servers_.erase(id);
}

void Lab::replaceServer(const std::string& id, const dk::test::CertFiles& cert) {
    const Site& site = siteOf(id);
    servers_.erase(id);
    servers_[id] = std::make_unique<dk::test::TestServer>(
        dk::test::ServerOptions{cert.cert, cert.key, site.address, 443, core_.name()});
}

void Lab::setServerDate(std::chrono::system_clock::time_point date) {
    dk::test::Reply r;
    r.date = dk::test::httpDate(date);
    for (auto& [id, server] : servers_) server->setDefaultReply(r);
}

void Lab::dnsAnswer(const std::string& host, DnsAnswer how) {
    dns_answers_[host] = how;
    startDns();
}

void Lab::stopDns() {
    // Every query gets its port unreachable: without the kernel's rate limit (a burst
    // of 6, then one a second) some runs would see only silence.
    core_.exec("sysctl -qw net.ipv4.icmp_ratelimit=0");
    if (dnsmasq_)
        dnsmasq_->stop(SIGTERM, 2s);
    dnsmasq_.reset();
}

void Lab::requireProxyForOutside() {
    blackHole("ip saddr 10.198.0.0/24 ip daddr 10.198.2.0/24");
}

void Lab::configureProxy() {
    proxy_configured_ = true;
}

void Lab::stopProxy() {
    proxy_.reset();
}

int Lab::proxyTunnels() const {
    return proxy_ ? proxy_->tunnels() : 0;
}

std::string Lab::writeConfig(Organisation org, const Timing& timing) {
    std::string cfg = "profile = \"scenario\"\norganisation = \"";
    cfg += org == Organisation::municipal ? "municipal" : "external_provider";
    // Every time the product measures against is stretched on a slow machine
    // (tests/support/slowdown.h); the table's rows are in an idle machine's terms.
    using dk::test::scaled;
    using dk::test::tomlMs;
    cfg += "\"\n[deadlines]\nrun = \"" + tomlMs(scaled(timing.run)) +
           "\"\nconfirm_delay = \"100ms\"\n";
    cfg += "[network]\nca_file = \"" + dk::test::testCerts().ca + "\"\n";
    if (proxy_configured_)
        cfg += std::string("proxy = \"http://") + kProxyHost + ":" + std::to_string(kProxyPort) +
               "\"\nno_proxy = \"kommun.test\"\n";
    cfg += "[clock]\nreference = \"na\"\n";
    for (const auto& s : kSites) {
        cfg += std::string("[[systems]]\nid = \"") + s.id + "\"\nname = \"" + s.name +
               "\"\nrole = \"" + s.role + "\"\nurl = \"https://" + s.host + "/\"\nslow = \"" +
               tomlMs(scaled(kSystemSlow)) + "\"\ntimeout = \"" +
               tomlMs(scaled(timing.system_timeout)) + "\"\n";
        if (std::string(s.id).rfind("tes", 0) == 0)
            cfg += "maintenance_text = [\"underhåll\", \"planerat avbrott\", \"maintenance\"]\n";
    }
    cfg += kContacts;
    cfg += extra_config_;
    const std::string path = dir() + "/driftkoll-" + std::to_string(++configs_written_) + ".toml";
    std::ofstream(path) << cfg;
    return path;
}

CheckRun Lab::check(const std::string& at, Organisation org, const Timing& timing) {
    const std::string d = dir();
    std::vector<std::string> argv = {"/usr/bin/env",
                                     "-u",
                                     "http_proxy",
                                     "-u",
                                     "https_proxy",
                                     "-u",
                                     "HTTPS_PROXY",
                                     "-u",
                                     "all_proxy",
                                     "-u",
                                     "ALL_PROXY",
                                     "-u",
                                     "no_proxy",
                                     "-u",
                                     "NO_PROXY",
                                     "XDG_CONFIG_HOME=" + d + "/config",
                                     "XDG_STATE_HOME=" + d + "/state",
                                     "XDG_CACHE_HOME=" + d + "/cache",
                                     "XDG_RUNTIME_DIR=" + d + "/run",
                                     "ip",
                                     "netns",
                                     "exec",
                                     ws_.name(),
                                     DK_DRIFTKOLL_BIN,
                                     "check",
                                     "--json",
                                     "--config",
                                     writeConfig(org, timing),
                                     "--at",
                                     at};
    CheckRun run;
    run.process = dk::test::runProcess(argv, {}, dk::test::scaled(20s));
    try {
        run.report = Json::parse(run.process.out);
    } catch (const Json::parse_error&) {
        run.report = Json();
    }
    return run;
}

}  // namespace dk::scenarios
