/*
 * doc.h — GET /api/doc/ID: one stored article by id, as JSON.
 *
 * INTERIM until the library has quire_searcher_get() (issue 15): the
 * public API can only reach a document through a search, so the lookup
 * runs the query id:"ID" and answers with the hit's stored fields plus
 * "excerpt", the opening of the body as a snippet shows it (whitespace
 * collapsed, tags left out, at most EXCERPT_CHARS characters). What is
 * missing today: the body itself, verbatim, and ids containing a quote
 * character (", “, ”, „), which the query language cannot express yet
 * (issue 14 adds quoting); those get 501. When quire_searcher_get()
 * exists, doc_lookup() is the one function to change.
 */
#ifndef QUIRE_SERVE_DOC_H
#define QUIRE_SERVE_DOC_H

#include "pool.h"

#define EXCERPT_CHARS 10000

/* Answer req (its doc_id) into req->resp. */
void doc_lookup(worker *w, request *req);

#endif
