/*
 * accesslog.h — --access-log: one line per request on stderr, in the
 * Common Log Format plus the time taken, e.g.
 *   127.0.0.1 - - [24/Nov/2026:10:04:00 +0000] "GET /api/search?q=korea HTTP/1.1" 200 2345 1.234ms
 * The request target is written with control characters, quotes,
 * backslashes and non-ASCII bytes as \xNN, so a line cannot be forged.
 */
#ifndef QUIRE_SERVE_ACCESSLOG_H
#define QUIRE_SERVE_ACCESSLOG_H

#include "serve.h"

/* Log req; complete is 0 when the connection ended before the answer was
 * sent (the bytes are then "-"). */
void access_log(const request *req, int complete);

#endif
