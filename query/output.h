/*
 * output.h — how quire-query prints a result set, one file per format.
 */
#ifndef QUIRE_QUERY_OUTPUT_H
#define QUIRE_QUERY_OUTPUT_H

#include <stdio.h>

#include "marked.h"
#include "quire.h"

typedef struct output_opts {
    const char *query;
    int color;       /* ANSI highlighting */
    int explain;     /* include the parsed and Xapian queries */
    unsigned offset, limit;
} output_opts;

void print_text(FILE *f, const quire_results *r, const output_opts *o);
void print_json(FILE *f, const quire_results *r, const output_opts *o);
void print_ids(FILE *f, const quire_results *r);
void print_html(FILE *f, const quire_results *r, const output_opts *o);

/* Printable text for a terminal: control characters become spaces. */
void emit_plain(FILE *f, const char *s, size_t len);

/* --show: one stored article, whole (format_article.c, format_json.c,
 * format_html.c). */
void print_article_text(FILE *f, const quire_article *a, int color);
void print_article_json(FILE *f, const quire_article *a);
void print_article_html(FILE *f, const quire_article *a);

/* A document id, escaped so that it stays on one line and can be turned
 * back into the id: backslash as \\, tab, newline and carriage return as
 * \t \n \r, other control characters as \xHH (C1 controls, U+0080 to
 * U+009F, as \u0080 to \u009f); everything else as it is. */
void emit_id(FILE *f, const char *s, size_t len);

#endif
