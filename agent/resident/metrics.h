// Fleet metrics: one check's outcome in the Prometheus text exposition format,
// for the textfile collector of node_exporter (Linux) or windows_exporter, so
// that the municipality's existing Prometheus and Alertmanager watch thousands
// of workstations without a server of our own.
//
// Names follow blackbox_exporter's where the meaning is the same, so its
// dashboards and habits carry over. Every series has the labels `site` and
// `host`. Per configured system (the http and tcp checks; `system` is its id):
//   probe_success{system, role, kind}        1 it works (pass or warn), 0 it does not
//                                            (failed, or not attempted because this
//                                            computer's own network is down)
//   driftkoll_system_configured{system, role} 1, or 0 for a system without an endpoint
//                                            (it then has no probe_* series at all)
//   probe_duration_seconds{system}           the whole last attempt (blackbox: the probe)
//   probe_phase_duration_seconds{system, phase}
//                                            the last attempt's phases as measured:
//                                            dns, connect, tls, first_byte
//   probe_http_status_code{system}           the final status; 0 when none came (http)
//   probe_ip_protocol{system}                4 or 6, the address family used, when known
//   probe_ssl_earliest_cert_expiry{system}   the server certificate's notAfter (unix
//                                            seconds), when a certificate was seen
// Per run:
//   driftkoll_diagnosis{domain} 1, driftkoll_advice{action} 1  (the current values only)
//   driftkoll_check_duration_seconds, driftkoll_last_run_timestamp_seconds,
//   driftkoll_incident_open, driftkoll_incident_restarts, driftkoll_build_info{version},
//   driftkoll_up (1; stoppedMetricsText() writes 0 when the agent stops cleanly).
// The example alert rules in packaging/prometheus/ are written against these names.
#pragma once

#include <string>

#include "agent/check/check.h"

namespace dk {

// The labels that place a workstation in the fleet. Values may hold any UTF-8;
// they are escaped as the exposition format requires.
struct MetricsLabels {
    std::string site;  // the unit or site the workstation belongs to: "Vivalla hemtjänst"
    std::string host;  // the workstation: usually hostName()
};

// The metrics of one run, ending in a newline. Deterministic: the same outcome
// and labels always give the same text.
std::string metricsText(const Outcome& outcome, const MetricsLabels& labels);

// What the agent leaves behind when it stops cleanly (logout, shutdown): only
// `driftkoll_up 0`, so that the stale-metrics alert tells a stopped agent from a
// hung or crashed one, and no old verdict lingers in the fleet's view.
std::string stoppedMetricsText(const MetricsLabels& labels);

// Writes `text` to `path` so that a collector reading at any moment sees the old
// file or the new one, never half of one: a temporary file in the same directory
// (".<name>.tmp-XXXXXX", which the textfile collectors ignore: they read *.prom
// only), synced, mode 0644, renamed over `path`. The directory must exist. On
// failure returns false with the reason in `err` and leaves `path` as it was.
bool writeTextfile(const std::string& path, const std::string& text, std::string* err);

}  // namespace dk
