/*
 * results_html.h — a page of hits as HTML: quire-query --format html
 * prints it, quire-serve's search page shows it. Everything from the index
 * is escaped; only http(s) URLs become links.
 */
#ifndef QUIRE_COMMON_RESULTS_HTML_H
#define QUIRE_COMMON_RESULTS_HTML_H

#include <stdio.h>

#include "quire.h"

/* Escape len bytes of s for HTML text or a quoted attribute; control
 * characters other than newline and tab become spaces. */
void html_escape(FILE *f, const char *s, size_t len);
void html_escape_str(FILE *f, const char *s);

/* <ol class="quire-results"> with one <li> per hit: the title (a link if
 * the URL is http(s)), id, date, author, source, score, then the snippet,
 * matches in <mark>. */
void results_html_list(FILE *f, const quire_results *r, unsigned offset);

/* <p class="quire-total">: "12 results", "about 1200 results". */
void results_html_total(FILE *f, const quire_results *r);

/* <p class="quire-suggestion">Did you mean: <em>...</em>?</p> when there
 * is a suggestion, and a <dl class="quire-facet"> per facet, each value's
 * filter in data-filter. */
void results_html_extras(FILE *f, const quire_results *r);

#endif
