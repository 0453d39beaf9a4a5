#include <curl/curl.h>

#include <cstdlib>
#include <iostream>

#include "agent/cli.h"

int main(int argc, char** argv) {
    // libcurl's global state is set up once, before any thread exists.
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        std::cerr << "driftkoll: libcurl could not be initialised\n";
        return 2;
    }
    int rc = dk::runCli(argc, argv, std::cout, std::cerr);
    std::cout.flush();
    // Checks abandoned at the deadline may still be running on their own threads
    // (a hung system name lookup cannot be cancelled). Leave without running
    // global destructors under them: everything the user needs has been written.
    std::_Exit(rc);
}
