/*
 * snippet.h — the best passage of a document for a query.
 *
 * The passage (about max_chars characters) is the one with the most
 * distinct query terms, whole phrase matches counting above scattered
 * words; it starts at a sentence boundary (ICU sentence break) when that
 * still leaves the matches in view. Whitespace runs become one space,
 * control characters and HTML-like tags are left out, "…" marks a cut,
 * and cuts fall on character boundaries.
 */
#ifndef QUIRE_SNIPPET_H
#define QUIRE_SNIPPET_H

#include <stddef.h>

#include "analyzer.h"
#include "query_build.h"
#include "quire.h"

typedef struct snippeter snippeter;

/* an is borrowed and must outlive the snippeter. NULL on failure. */
snippeter *snippeter_new(qa_analyzer *an);
void snippeter_free(snippeter *s);

typedef struct snippet {
    char *text;          /* malloc'd */
    quire_span *spans;   /* malloc'd; offsets into text */
    size_t nspans;
    long score;          /* of the window shown: distinct groups x 1000 +
                            whole phrases x 100 + matches (-1: none) */
} snippet;

/* The text a snippet is cut from: a whole body, or a region of one (see
 * passage.h), which must reach far enough before its first window for the
 * sentence-start test to see real text, not the region's edge. */
typedef struct snippet_src {
    const char *text;
    size_t len;
    size_t off;        /* where text starts in the body */
    size_t body_len;   /* bytes of the whole body */
    size_t min_anchor; /* matches before this offset in text start no
                          window (the lead-in of a region) */
} snippet_src;

/* Snippet of src (in language lang). skip_stops: the index left stopwords
 * out. Returns 0, or -1 when out of memory. */
int snippet_make_src(snippeter *s, const snippet_src *src, const char *lang,
                     const hl_spec *hl, size_t nhl, int skip_stops,
                     size_t max_chars, snippet *out);

/* The same for a whole text (body, len bytes). */
int snippet_make(snippeter *s, const char *body, size_t len, const char *lang,
                 const hl_spec *hl, size_t nhl, int skip_stops,
                 size_t max_chars, snippet *out);

/* Highlight spans for a whole short text (a title). */
int snippet_title_spans(snippeter *s, const char *title, const char *lang,
                        const hl_spec *hl, size_t nhl, int skip_stops,
                        quire_span **spans, size_t *n);

/* Highlight spans for a whole text of len bytes: a title (in_title), or a
 * body shown whole (quire_searcher_get). */
int snippet_text_spans(snippeter *s, const char *text, size_t len,
                       const char *lang, const hl_spec *hl, size_t nhl,
                       int in_title, int skip_stops, quire_span **spans,
                       size_t *n);

void snippet_free(snippet *sn);

#endif
