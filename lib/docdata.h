/*
 * docdata.h — the head record of a document (value SLOT_HEAD, schema.h):
 * the fields a hit shows, without the body.
 *
 * Layout: "q2", then per present field a tag byte, a LEB128 length and the
 * bytes. The body is stored apart (bodystore.h), so showing a hit never
 * touches it. Decoding checks every length, since a damaged index must give
 * an error, not a crash.
 */
#ifndef QUIRE_DOCDATA_H
#define QUIRE_DOCDATA_H

#include <stddef.h>

#include "quire.h"

/* Encode doc's head fields (not its body) into a malloc'd buffer. NULL
 * when out of memory. */
char *docdata_encode(const quire_document *doc, size_t *len);

/* Decoded fields; every string is NUL-terminated and never NULL ("" when
 * absent). They point into one block owned by the struct. */
typedef struct docdata {
    const char *id, *title, *date, *author, *source, *url, *lang;
    char *block;
} docdata;

/* 0 on success, -1 if data is not a valid record (or out of memory). */
int docdata_decode(const char *data, size_t len, docdata *out);
void docdata_free(docdata *d);

#endif
