/* listen.c — see listen.h. */
#include "listen.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int listen_parse(const char *spec, struct sockaddr_storage *out, char *err, size_t errlen)
{
    char host[256];
    const char *port;
    const char *colon = strrchr(spec, ':');
    if (!colon) {
        snprintf(host, sizeof host, "127.0.0.1");
        port = spec;
    } else if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host) {
            snprintf(err, errlen, "expected [IPV6]:PORT");
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1), spec + 1);
        port = close + 2;
    } else {
        if ((size_t)(colon - spec) >= sizeof host || colon == spec) {
            snprintf(err, errlen, "expected HOST:PORT");
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
        port = colon + 1;
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535) {
        snprintf(err, errlen, "the port must be a number from 0 to 65535");
        return -1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "%s: %s", host, rc ? gai_strerror(rc) : "no address");
        return -1;
    }
    memset(out, 0, sizeof *out);
    memcpy(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

void listen_format_peer(const struct sockaddr *sa, char *buf, size_t n)
{
    const void *a = sa->sa_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                                               : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (!inet_ntop(sa->sa_family, a, buf, (socklen_t)n))
        snprintf(buf, n, "-");
}

void listen_format_url(const struct sockaddr_storage *sa, unsigned port, char *buf, size_t n)
{
    char host[INET6_ADDRSTRLEN];
    listen_format_peer((const struct sockaddr *)sa, host, sizeof host);
    if (sa->ss_family == AF_INET6)
        snprintf(buf, n, "http://[%s]:%u/", host, port);
    else
        snprintf(buf, n, "http://%s:%u/", host, port);
}
