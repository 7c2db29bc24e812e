/*
 * pool.h — quire-serve's workers: N threads, each with its own searcher
 * (a searcher is one thread's at a time), fed from one queue so that any
 * idle worker takes the next request. Each worker moves its searcher to
 * the newest version of the index (a commit, a --rebuild switch) at most
 * every reopen_interval seconds, before a request or while idle, so an
 * idle server does not keep an old version on disk.
 */
#ifndef QUIRE_SERVE_POOL_H
#define QUIRE_SERVE_POOL_H

#include "serve.h"

typedef struct pool pool;

/* A worker's view while it handles a request. */
typedef struct worker {
    quire_searcher *s;     /* NULL while the index cannot be opened */
    const char *open_error; /* why, when s is NULL */
    const serve_config *cfg;
} worker;

/* Called in a worker for each request: fill req->resp. */
typedef void (*pool_handler)(worker *w, request *req);
/* Called in the worker after the handler: hand req back to HTTP. */
typedef void (*pool_done)(request *req);

/* Start cfg->threads workers. NULL (with a message on stderr) on failure. */
pool *pool_start(const serve_config *cfg, pool_handler handle, pool_done done);

/* Queue req. 0, or -1 if the pool is closed (shutting down): the caller
 * answers the request itself. */
int pool_submit(pool *p, request *req);

/* Refuse new requests, then wait until every queued one is answered. */
void pool_close_and_drain(pool *p);

/* Stop the workers, close their searchers, free p. NULL is a no-op. */
void pool_stop(pool *p);

#endif
