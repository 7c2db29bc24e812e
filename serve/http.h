/*
 * http.h — quire-serve's HTTP side, on libmicrohttpd: one polling thread
 * reads requests, refuses the ones it can judge on its own (oversized,
 * wrong method, a body, an unknown path) with a JSON error, and hands the
 * rest to the worker pool, suspending the connection until a worker has
 * the answer.
 */
#ifndef QUIRE_SERVE_HTTP_H
#define QUIRE_SERVE_HTTP_H

#include "pool.h"

typedef struct http http;

/* Listen on cfg->listen and serve through pool p. NULL (with a message
 * on stderr) on failure. *port gets the port actually bound. */
http *http_start(const serve_config *cfg, pool *p, unsigned *port);

/* Stop accepting connections; requests already read go on. Responses
 * sent from now on close their connection. */
void http_quiesce(http *h);

/* Wait until every request read so far has been answered and sent, or
 * until seconds have passed. 0 if all were, -1 on timeout. */
int http_wait_idle(http *h, double seconds);

/* Close every connection and free h. NULL is a no-op. */
void http_stop(http *h);

/* The worker side: answer req (called in a worker). */
void http_handle(worker *w, request *req);

/* Seconds left of --time-limit for req's search (what waiting for a
 * worker has not used), for quire_search_options.time_limit. */
double http_time_left(const worker *w, const request *req);

/* The worker side: give req's connection back to the HTTP thread. */
void http_done(request *req);

#endif
