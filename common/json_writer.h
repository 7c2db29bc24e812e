/*
 * json_writer.h — a streaming JSON writer into a growing buffer, for the
 * documents written once per request (a page of results). It writes what
 * jansson's json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER) would for the
 * same tree, byte for byte (tests/unit/test_json_writer.c checks it), at a
 * fraction of the cost: no tree, no per-value allocation.
 */
#ifndef QUIRE_COMMON_JSON_WRITER_H
#define QUIRE_COMMON_JSON_WRITER_H

#include <stddef.h>

typedef struct jw {
    char *s;          /* the text so far (NUL-terminated when not failed) */
    size_t len, cap;
    int failed;       /* memory ran out: the text is incomplete */
    unsigned depth;
    int after_key;    /* the next value follows "key": on its line */
    unsigned char first[64]; /* per level: no value written yet */
} jw;

/* Start with a zeroed jw. Containers; inside an object, jw_key()
 * precedes each value. Nesting deeper than 60 levels is not supported. */
void jw_object(jw *w);
void jw_object_end(jw *w);
void jw_array(jw *w);
void jw_array_end(jw *w);
void jw_key(jw *w, const char *key);

/* Values. Strings must be valid UTF-8 (the library's are). */
void jw_string(jw *w, const char *s);
void jw_int(jw *w, long long v);
void jw_real(jw *w, double v);
/* v with at most digits significant digits (%.*g), for a value already
 * rounded to them; a real either way ("2.0"). */
void jw_real_digits(jw *w, double v, int digits);
void jw_bool(jw *w, int v);
void jw_null(jw *w);

/* The text with a final newline, handed to the caller (free() it); NULL
 * if memory ran out. w is reset either way. */
char *jw_finish(jw *w, size_t *len);

#endif
