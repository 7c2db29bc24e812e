/*
 * article_json.h — the fields of one JSON-lines record, parsed with jansson.
 *
 * Fields: id (string or integer), title, body (or text), date, author
 * (string or array of strings), source, url, lang; others are ignored.
 */
#ifndef QUIRE_ARTICLE_JSON_H
#define QUIRE_ARTICLE_JSON_H

#include <stddef.h>

typedef void (*json_warn_fn)(void *ctx, const char *message);

typedef struct json_article {
    /* "" when absent; id is NULL when absent (the caller makes one up). */
    const char *id, *title, *body, *date, *author, *source, *url, *lang;
    void *root;       /* the parsed json_t */
    char *owned[10];  /* repaired or built strings */
    int nowned;
} json_article;

/*
 * Parse line (len bytes of valid UTF-8). Returns 0; -1 when the line is not
 * a JSON object, with a message in err (QERR_MAX bytes) naming the column;
 * -2 when out of memory. Field problems that do not stop the record (a
 * field of the wrong type, NUL characters) go to warn.
 */
int json_article_parse(const char *line, size_t len, json_article *a,
                       json_warn_fn warn, void *ctx, char *err);
void json_article_free(json_article *a);

#endif
