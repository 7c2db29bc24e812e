/* accesslog.c — see accesslog.h. One fwrite per line, so lines from
 * different requests never interleave. */
#include "accesslog.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void access_log(const request *req, int complete)
{
    char line[2048], when[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    size_t n = (size_t)snprintf(line, sizeof line, "%s - - [%s] \"%s ", req->client, when, req->method);
    /* The target, escaped and cut to fit the line. */
    for (const unsigned char *p = (const unsigned char *)(req->uri ? req->uri : "-"); *p && n < sizeof line - 200;
         p++) {
        if (*p < 0x21 || *p > 0x7E || *p == '"' || *p == '\\')
            n += (size_t)snprintf(line + n, sizeof line - n, "\\x%02X", *p);
        else
            line[n++] = (char)*p;
    }
    char bytes[32];
    if (complete)
        snprintf(bytes, sizeof bytes, "%zu", req->resp.len);
    else
        snprintf(bytes, sizeof bytes, "-");
    n += (size_t)snprintf(line + n, sizeof line - n, " %s\" %u %s %.3fms\n", req->version, req->resp.status, bytes,
                          1e3 * (serve_now() - req->t_start));
    fwrite(line, 1, n < sizeof line ? n : sizeof line - 1, stderr);
}
