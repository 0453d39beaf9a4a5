// Reading the maintenance feed and keeping its last good copy: the feed is a file
// path or an http(s) URL ([maintenance] ics), read with a size cap, parsed by
// decide/maintenance.h, and kept in the cache directory when good.
//
// When the feed cannot be used (too large, unparsable, no VCALENDAR, the fetch
// failed, the time limit hit) the last good copy kept in the cache directory is
// used instead, with a warning; a good fresh feed replaces that copy. Nothing
// here throws: every problem ends up in `FeedStatus`.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "agent/decide/maintenance.h"
#include "config/model.h"
#include "probes/deadline.h"

namespace dk {

// What a fetch of an http(s) feed gave.
struct FeedResult {
    bool ok = false;
    std::string body;
    std::string error;
};

// Fetches an http(s) feed within the deadline. The agent supplies the real one
// (libcurl through driftkoll's resolver); tests supply fakes.
using FeedFetcher = std::function<FeedResult(const std::string& url, const Deadline&)>;

struct MaintenanceOptions {
    std::string cache_dir;  // where the last good feed is kept; empty = no copy is kept
    std::size_t max_feed_bytes = 1 << 20;
    std::chrono::sys_seconds now;  // feed events are expanded over [now, now + horizon)
    std::chrono::hours horizon{24 * 60};
};

// Config windows (all of them) plus the feed's windows that overlap
// [opts.now, opts.now + opts.horizon). `fetch` is used for http(s) feeds only.
MaintenanceSchedule loadMaintenance(const config::Config& cfg, const MaintenanceOptions& opts,
                                    const FeedFetcher& fetch, const Deadline& deadline);

}  // namespace dk
