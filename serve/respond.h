/*
 * respond.h — building a worker's response: JSON bodies, the error
 * document {"error": "...", "offset": N} every failure uses, and the HTTP
 * status for a library status (bad input is 4xx, never 500).
 */
#ifndef QUIRE_SERVE_RESPOND_H
#define QUIRE_SERVE_RESPOND_H

#include <jansson.h>

#include "serve.h"

#define CTYPE_JSON "application/json; charset=utf-8"
#define CTYPE_HTML "text/html; charset=utf-8"
#define CTYPE_CSS "text/css; charset=utf-8"
#define CTYPE_SVG "image/svg+xml"

/* No error position (the "offset" is null). */
#define NO_OFFSET ((size_t)-1)

/* Take body (malloc'd) as the response. */
void resp_set(response *r, unsigned status, const char *ctype, char *body, size_t len);

/* A copy of the constant data (len bytes) as a 200 response that clients
 * may cache (the stylesheet, the icon). Memory running out is a 503. */
void resp_static(response *r, const char *ctype, const char *data, size_t len);

/* doc as the JSON body; doc is released. Memory running out is a 503. */
void resp_json(response *r, unsigned status, json_t *doc);

/* The error document. msg may be any bytes: invalid UTF-8 is replaced. */
void resp_error(response *r, unsigned status, const char *msg, size_t offset);

/* 400 for a bad query or argument, 503 when the index cannot answer,
 * 500 only for the library's own internal errors. */
unsigned status_for(quire_status st);

/* s (len bytes) as a NUL-terminated string with each invalid UTF-8
 * sequence and NUL byte replaced by U+FFFD; malloc'd, NULL if memory ran
 * out. */
char *utf8_sanitize(const char *s, size_t len);

#endif
