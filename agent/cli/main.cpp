#include <curl/curl.h>

#include <cstdlib>
#include <iostream>

#include "agent/cli/cli.h"

int main(int argc, char** argv) {
    // The system resolver (getaddrinfo, as every program on this computer uses it)
    // waits 5 s before it asks again: a single lost packet would then end every
    // check by name at the deadline. Here it asks each server for 1 s, 3 times,
    // unless the environment says otherwise. Set before any thread exists.
    ::setenv("RES_OPTIONS", "timeout:1 attempts:3", /*overwrite=*/0);
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
