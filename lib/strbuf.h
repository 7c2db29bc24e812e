/*
 * strbuf.h — a growable NUL-terminated string (and a list of them). Out of memory is sticky:
 * appends after a failure do nothing and strbuf_failed() reports it, so
 * callers check once at the end.
 */
#ifndef QUIRE_STRBUF_H
#define QUIRE_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *s;
    size_t len, cap;
    int oom;
} strbuf;

void sb_add(strbuf *b, const char *s, size_t n);
void sb_adds(strbuf *b, const char *s);
void sb_addf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a double-quoted string with " and \ escaped. */
void sb_add_quoted(strbuf *b, const char *s, size_t n);
/* Room for extra more bytes (and the NUL) without reallocating, for
 * callers that write into b->s directly; -1 when out of memory. */
int sb_reserve(strbuf *b, size_t extra);
int strbuf_failed(const strbuf *b);
/* Take the string (never NULL unless out of memory); b is reset. */
char *sb_take(strbuf *b);
void sb_free(strbuf *b);

/* A growable list of strings, each a malloc'd copy. */
typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

/* Append a copy of s[0..len); -1 when out of memory. */
int sv_push(strvec *sv, const char *s, size_t len);
void sv_free(strvec *sv);

#endif
