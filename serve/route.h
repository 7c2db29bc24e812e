/*
 * route.h — which endpoint a request target names: /, /api/search,
 * /api/stats, /healthz, /quire.css, or /api/doc/ID with ID percent-decoded.
 */
#ifndef QUIRE_SERVE_ROUTE_H
#define QUIRE_SERVE_ROUTE_H

#include "serve.h"

/* Set req->ep (and for /api/doc/ req->doc_id) from req->uri. 0; -1 for no
 * such endpoint; -2 for an id with a malformed %-escape. */
int route(request *req);

#endif
