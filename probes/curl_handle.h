// libcurl handles as owning values, and libcurl's global set-up: shared by every
// part of driftkoll that talks through libcurl (the HTTP and TCP probes, the API
// client).
#pragma once

#include <curl/curl.h>

#include <memory>

namespace dk {

// libcurl's global state, set up once per process before the first handle
// (curl_global_init is thread-safe in the libcurl we build against).
inline void initCurl() {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    static_cast<void>(rc);
}

struct EasyDeleter {
    void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace dk
