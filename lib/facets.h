/*
 * facets.h — counting field values over all the matches of a search
 * (quire_facet in quire.h).
 *
 * Every match is visited in a second, unweighted pass (xapian_shim.cc:
 * the ranked pass still stops early) and its value of SLOT_FACETS, which
 * holds a document's date, language, source and authors in one value, is
 * counted: locally from a per-searcher table of that slot (docid -> value
 * number, shard by shard, summed), remotely by Xapian's
 * ValueCountMatchSpy, which xapian-tcpsrv runs and whose counts Xapian
 * merges. (Measured on the
 * bench corpus: four slots read per match by a spy cost 3.8 times the
 * search without facets; one packed slot and the table, 1.78 times.)
 * Each distinct combination is counted; this file sums them per field
 * (exact: a document has one combination) and turns them into facet
 * values: sources and author names grouped by their exact-value key
 * (fieldvalue.h), so a value's filter matches exactly count documents;
 * author lists split into names (a document counts once per name); years
 * and months taken from the date.
 */
#ifndef QUIRE_FACETS_H
#define QUIRE_FACETS_H

#include <stddef.h>

#include "analyzer.h"
#include "quire.h"
#include "strmap.h"
#include "xapian_shim.h"

typedef enum facet_kind {
    FACET_SOURCE, FACET_AUTHOR, FACET_YEAR, FACET_MONTH, FACET_LANG, FACET_KINDS
} facet_kind;

/* The facets asked for. */
typedef struct facet_request {
    facet_kind kind[FACET_KINDS];
    size_t n;
    unsigned limit;              /* values kept per facet */
} facet_request;

/* Parse a list such as "source, year" (limit 0: 10). Returns 0, or -1
 * with a message in err naming the unknown field. An empty list asks for
 * nothing (n == 0). */
int facets_parse(const char *list, unsigned limit, facet_request *out,
                 char *err, size_t errlen);

typedef struct facet_set facet_set;

/* The facets of rq from the counts of m, searched with SLOT_FACETS as its
 * first count slot. an computes value keys; cache (the caller's, kept
 * across searches with the same analyzer) remembers them. Returns a
 * quire_status; *out is set on success. */
int facets_collect(const facet_request *rq, qx_mset *m, qa_analyzer *an,
                   strmap *cache, facet_set **out, qx_err *e);
size_t facets_count(const facet_set *f);
const quire_facet *facets_get(const facet_set *f, size_t i);
void facets_free(facet_set *f);

#endif
