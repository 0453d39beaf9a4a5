// The socket API the probes and the config's address checks use — addresses and
// families (AF_INET, sockaddr_in6), inet_pton/inet_ntop, getaddrinfo, poll — from
// the OS's own headers. Shared code includes "platform/socket_api.h"; CMake puts
// this folder (later windows/, with winsock2.h and ws2tcpip.h) on the include path.
#pragma once

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>
