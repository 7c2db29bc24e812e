/* strmap.c — open addressing (linear probing) over FNV-1a hashes; entries
 * point into an arena so there is one allocation per block, not per key. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const char *key; /* NULL: empty slot */
    const char *val;
    size_t klen, vlen;
    uint64_t hash;
} entry;

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

struct strmap {
    entry *slots;
    size_t nslots, count;
    block *blocks;
    size_t arena_bytes;
};

enum { BLOCK_MIN = 64 * 1024 };

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static char *arena_copy(strmap *m, const char *s, size_t n)
{
    block *b = m->blocks;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > BLOCK_MIN ? n + 1 : BLOCK_MIN;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = m->blocks;
        b->used = 0;
        b->cap = cap;
        m->blocks = b;
        m->arena_bytes += cap;
    }
    char *p = b->data + b->used;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

strmap *strmap_new(void)
{
    strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nslots = 64;
    m->slots = calloc(m->nslots, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

static void free_blocks(strmap *m)
{
    block *b = m->blocks;
    while (b) {
        block *n = b->next;
        free(b);
        b = n;
    }
    m->blocks = NULL;
    m->arena_bytes = 0;
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    free_blocks(m);
    free(m->slots);
    free(m);
}

void strmap_clear(strmap *m)
{
    free_blocks(m);
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
    m->count = 0;
}

static entry *find_slot(entry *slots, size_t nslots, const char *key,
                        size_t klen, uint64_t h)
{
    size_t i = (size_t)h & (nslots - 1);
    for (;;) {
        entry *e = &slots[i];
        if (!e->key)
            return e;
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return e;
        i = (i + 1) & (nslots - 1);
    }
}

static int grow(strmap *m)
{
    size_t n = m->nslots * 2;
    entry *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < m->nslots; i++) {
        entry *e = &m->slots[i];
        if (e->key)
            *find_slot(s, n, e->key, e->klen, e->hash) = *e;
    }
    free(m->slots);
    m->slots = s;
    m->nslots = n;
    return 0;
}

int strmap_put(strmap *m, const char *key, size_t klen, const char *val,
               size_t vlen)
{
    if ((m->count + 1) * 4 > m->nslots * 3 && grow(m) != 0)
        return -1;
    uint64_t h = fnv1a(key, klen);
    entry *e = find_slot(m->slots, m->nslots, key, klen, h);
    const char *v = arena_copy(m, val ? val : "", val ? vlen : 0);
    if (!v)
        return -1;
    if (!e->key) {
        const char *k = arena_copy(m, key, klen);
        if (!k)
            return -1;
        e->key = k;
        e->klen = klen;
        e->hash = h;
        m->count++;
    }
    e->val = v;
    e->vlen = val ? vlen : 0;
    return 0;
}

const char *strmap_get(const strmap *m, const char *key, size_t klen,
                       size_t *vlen)
{
    entry *e = find_slot(m->slots, m->nslots, key, klen, fnv1a(key, klen));
    if (!e->key)
        return NULL;
    if (vlen)
        *vlen = e->vlen;
    return e->val;
}

size_t strmap_count(const strmap *m)
{
    return m->count;
}

size_t strmap_bytes(const strmap *m)
{
    return m->arena_bytes + m->nslots * sizeof(entry);
}

void strmap_each(const strmap *m,
                 int (*fn)(void *, const char *, size_t, const char *, size_t),
                 void *ctx)
{
    for (size_t i = 0; i < m->nslots; i++) {
        const entry *e = &m->slots[i];
        if (e->key && fn(ctx, e->key, e->klen, e->val, e->vlen))
            return;
    }
}
