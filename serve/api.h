/*
 * api.h — the JSON endpoints: /api/search (the JSON of quire-query
 * --format json), /api/stats (of quire-index --stats --stats-json) and
 * /healthz. Each answers req->resp from a worker.
 */
#ifndef QUIRE_SERVE_API_H
#define QUIRE_SERVE_API_H

#include "pool.h"

void api_search(worker *w, request *req);
void api_stats(worker *w, request *req);
void api_health(worker *w, request *req);

/* Free the cached /api/stats answer (at exit). */
void api_stats_free(void);

#endif
