/*
 * doc.h — GET /api/doc/ID: one stored article by id, as JSON: every field
 * and the whole body (quire_searcher_get(), common/results_json.c's
 * article document, the one quire-query --show --format json prints).
 */
#ifndef QUIRE_SERVE_DOC_H
#define QUIRE_SERVE_DOC_H

#include "pool.h"

/* Answer req (its doc_id) into req->resp. */
void doc_lookup(worker *w, request *req);

#endif
