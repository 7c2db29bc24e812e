/*
 * results_json.h — the JSON documents quire's programs print: a page of
 * search results (quire-query --format json, quire-serve /api/search) and
 * an index's statistics (quire-index --stats --stats-json, quire-serve
 * /api/stats). One builder each, so the schema cannot drift between the
 * command line and HTTP; one dump format, so their bytes are the same.
 */
#ifndef QUIRE_COMMON_RESULTS_JSON_H
#define QUIRE_COMMON_RESULTS_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "quire.h"

/* What the results document says about the request itself. */
typedef struct results_json_opts {
    const char *query;
    unsigned offset, limit;
    int explain; /* add "xapian_query" */
} results_json_opts;

/* The results document (caller owns it), or NULL if memory ran out. */
json_t *results_json(const quire_results *r, const results_json_opts *o);

/* The stored fields of a hit as an object (caller owns it): id, title,
 * date, author, source, url, lang. */
json_t *hit_fields_json(const quire_hit *h);

/* The statistics document; index is the path as the user gave it. */
json_t *stats_json(const char *index, const quire_stats *st);

/* Write doc to f, or return it as a malloc'd string; both indented and
 * ending in a newline. json_text returns NULL if memory ran out. */
int json_print(FILE *f, const json_t *doc);
char *json_text(const json_t *doc, size_t *len);

#endif
