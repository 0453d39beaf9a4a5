#include "agent/gather/system_probe.h"

#include "probes/http_probe.h"
#include "probes/tcp_probe.h"

namespace dk {

std::unique_ptr<Probe> makeSystemProbe(const config::System& s, const config::Config& cfg,
                                       Resolver& resolver) {
    if (s.url.empty())
        return std::make_unique<TcpProbe>(s.host, s.port, resolver);
    HttpOptions o;
    o.system = s.id;
    o.url = s.url;
    o.accept_status = s.accept_status;
    o.expect_text = s.expect_text;
    o.maintenance_text = s.maintenance_text;
    o.slow = s.slow;
    o.timeout = s.timeout;
    o.follow_redirects = s.follow_redirects;
    o.proxy = {cfg.network.proxy, cfg.network.no_proxy};
    o.ca_file = cfg.network.ca_file;
    o.cert_expiry_warn_days = cfg.network.cert_expiry_warn_days;
    return std::make_unique<HttpProbe>(std::move(o), resolver);
}

}  // namespace dk
