/*
 * highlight.h — which words of a stored text the query matched.
 *
 * The text is analysed with the same analyzer (and the document's language)
 * as at indexing, and each token is tested against the query's highlight
 * specs: stems for unquoted words, exact forms for =word and NEAR, prefixes
 * for wildcards, whole sequences for phrases — so a stopword is highlighted
 * only inside a matching phrase, and a title: word only in the title.
 */
#ifndef QUIRE_HIGHLIGHT_H
#define QUIRE_HIGHLIGHT_H

#include <stddef.h>

#include "analyzer.h"
#include "query_build.h"
#include "quire.h"

typedef struct hl_match {
    size_t start, end; /* bytes in the analysed text */
    int group;         /* hl_spec.group */
    int phrase;        /* a whole phrase of two or more words */
} hl_match;

/* Matches in tokens t (of some text), ordered by start. in_title selects
 * which specs apply. skip_stops: stopwords were not indexed, so phrases
 * step over them. *out is malloc'd. Returns 0 or -1 (out of memory). */
int hl_find(const qa_tokens *t, const hl_spec *hl, size_t nhl, int in_title,
            int skip_stops, hl_match **out, size_t *n);

/* Spans covering the matches, overlaps merged. *out is malloc'd (NULL when
 * there are none). */
int hl_spans(const hl_match *m, size_t n, quire_span **out, size_t *nout);

/* text with start/end around each span (for the *_marked hit fields). */
char *hl_mark(const char *text, const quire_span *s, size_t n,
              const char *start, const char *end);

#endif
