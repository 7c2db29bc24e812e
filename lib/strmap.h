/*
 * strmap.h — a byte-string to byte-string hash map with an arena.
 *
 * Used for stopword sets, the stem cache and sets of document ids. Keys and
 * values are copied into arena blocks, so lookups hand back pointers that
 * stay valid until strmap_clear() or strmap_free(). Not thread-safe.
 */
#ifndef QUIRE_STRMAP_H
#define QUIRE_STRMAP_H

#include <stddef.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
void strmap_free(strmap *m);
/* Insert or overwrite. Returns 0, or -1 when out of memory. */
int strmap_put(strmap *m, const char *key, size_t klen, const char *val,
               size_t vlen);
/* The value for key (NUL-terminated, length in *vlen if not NULL), or NULL. */
const char *strmap_get(const strmap *m, const char *key, size_t klen,
                       size_t *vlen);
size_t strmap_count(const strmap *m);
/* Bytes held by keys, values and the table: for memory bounds. */
size_t strmap_bytes(const strmap *m);
void strmap_clear(strmap *m);
/* Call fn for each entry, in no particular order; stop when it returns
 * nonzero. */
void strmap_each(const strmap *m,
                 int (*fn)(void *ctx, const char *key, size_t klen,
                           const char *val, size_t vlen),
                 void *ctx);

#endif
