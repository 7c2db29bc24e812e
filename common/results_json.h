/*
 * results_json.h — the JSON documents quire's programs print: a page of
 * search results (quire-query --format json, quire-serve /api/search) and
 * an index's statistics (quire-index --stats --stats-json, quire-serve
 * /api/stats). One builder each, so the schema cannot drift between the
 * command line and HTTP; one layout (jansson's two-space indent), so their
 * bytes are the same. Results, written once per request by the server, go
 * through the streaming json_writer.h; the rest through jansson.
 */
#ifndef QUIRE_COMMON_RESULTS_JSON_H
#define QUIRE_COMMON_RESULTS_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "json_writer.h"
#include "quire.h"

/* What the results document says about the request itself. */
typedef struct results_json_opts {
    const char *query;
    unsigned offset, limit;
    int explain; /* add "xapian_query" */
} results_json_opts;

/* The results document as text ending in a newline (malloc'd; *len
 * gets its length), or NULL if memory ran out. Besides the hits it has
 * "suggestion" (the did-you-mean query, or null) and, when facets were
 * counted, "facets": {"source": [{"value", "count", "filter"}, ...], ...}. */
char *results_json_text(const quire_results *r, const results_json_opts *o, size_t *len);

/* One stored article (quire_searcher_get) as a document: every field, the
 * whole body, and "title_highlights"/"highlights" as [start, end) byte
 * offsets into the title and body. Text as results_json_text() gives it. */
char *article_json_text(const quire_article *a, size_t *len);

/* The stored fields of a hit, as members of the object w is in: id,
 * title, date, author, source, url, lang. */
void hit_fields_write(jw *w, const quire_hit *h);

/* The statistics document; index is the path as the user gave it. */
json_t *stats_json(const char *index, const quire_stats *st);

/* Write doc to f, or return it as a malloc'd string; both indented and
 * ending in a newline. json_text returns NULL if memory ran out. */
int json_print(FILE *f, const json_t *doc);
char *json_text(const json_t *doc, size_t *len);

#endif
