/*
 * article_text.h — the fields of a plain-text article.
 *
 * Layout understood (after textdecode.h has cleaned the bytes):
 *   1. an optional header block: lines "Title:", "Date:", "Author:",
 *      "Source:", "Lang:"/"Language:", "URL:" (any case; other "Key:" lines
 *      are ignored), ended by a blank line;
 *   2. without a Title header, a headline: the first line when it is short
 *      (at most 200 characters) and followed by a blank line. A first line
 *      of one or two words followed by another such line is taken for site
 *      boilerplate ("Find Us", "Skip to content") and the second line is the
 *      headline; the boilerplate stays in the body;
 *   3. without either, the title is the body's first sentence, cut at 100
 *      characters on a word boundary with "…";
 *   4. the rest is the body.
 */
#ifndef QUIRE_ARTICLE_TEXT_H
#define QUIRE_ARTICLE_TEXT_H

#include <stddef.h>

typedef struct text_article {
    /* Point into the parsed text or the owned buffers; "" when absent. */
    const char *title, *date, *author, *source, *lang, *url, *body;
    char *owned_title; /* a derived title */
    char *owned_body;  /* a body rebuilt around a skipped headline */
} text_article;

/* Parse text (NUL-terminated; modified in place: fields point into it).
 * Returns 0, or -1 when out of memory. */
int text_article_parse(char *text, text_article *a);
void text_article_free(text_article *a);

#endif
