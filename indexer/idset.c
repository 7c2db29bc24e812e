/* idset.c — see idset.h. Open addressing, linear probing, kept at most
 * half full. */
#include "idset.h"

#include <stdlib.h>

/* FNV-1a, 64-bit; never 0 (the empty slot). */
static uint64_t hash_id(const char *id)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static int put(uint64_t *slot, size_t cap, uint64_t h)
{
    for (size_t i = (size_t)(h & (cap - 1));; i = (i + 1) & (cap - 1)) {
        if (slot[i] == h)
            return 1;
        if (!slot[i]) {
            slot[i] = h;
            return 0;
        }
    }
}

static int grow(idset *s)
{
    size_t cap = s->cap ? 2 * s->cap : 1024;
    uint64_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i])
            put(slot, cap, s->slot[i]);
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
    return 0;
}

int idset_add(idset *s, const char *id)
{
    if (2 * (s->n + 1) > s->cap && grow(s) != 0)
        return -1;
    int seen = put(s->slot, s->cap, hash_id(id));
    s->n += !seen;
    return seen;
}

void idset_free(idset *s)
{
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
}
