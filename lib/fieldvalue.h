/*
 * fieldvalue.h — whole field values (a source, an author name) as exact
 * filters, so that a facet value selects exactly the documents it counts.
 *
 * A field phrase (source:"harbor times") also matches "The Harbor Times
 * Weekly"; an exact value (source:="Harbor Times") matches only documents
 * whose whole source is that value. Each document carries a boolean term
 * per value: PFX_SOURCE_VALUE or PFX_AUTHOR_VALUE followed by the value's
 * key, its words as the analyzer gives them (case folded, accents folded
 * when the index folds them, punctuation dropped) joined by single spaces.
 * So "Harbor Times", "HARBOR TIMES" and "Harbor-Times" are one value, and
 * the facets (facets.h) group stored values by the same key.
 *
 * An author field is a list of names separated by commas or semicolons
 * (the JSON reader joins an author list with ", "); each name is a value.
 */
#ifndef QUIRE_FIELDVALUE_H
#define QUIRE_FIELDVALUE_H

#include <stddef.h>

#include "analyzer.h"

/* Room for a value term: Xapian's limit is 245 bytes. */
enum { FV_TERM_MAX = 246 };

/* The term of value (len bytes) for a field with prefix pfx into out
 * (FV_TERM_MAX bytes). A key longer than fits is cut and ends in a hash
 * of the whole key, so different long values keep different terms.
 * scratch is reused token space. Returns the term's length, 0 when the
 * value has nothing in it (spaces only), -1 when out of memory. */
int fv_term(qa_analyzer *an, qa_tokens *scratch, const char *pfx,
            const char *value, size_t len, char *out);

/* Call fn for each name of an author field (len bytes; trimmed, never
 * empty); stop when fn returns nonzero, and return that. */
int fv_each_name(const char *authors, size_t len,
                 int (*fn)(void *ctx, const char *name, size_t len), void *ctx);

#endif
