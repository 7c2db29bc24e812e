/*
 * idset.h — the ids a quire-index run has added, to notice one that comes
 * again (the later document silently replaced the earlier, and every
 * re-run of the same sources rewrote it). A set of 64-bit hashes of the
 * ids: 8 bytes an id at most twice over, not the ids themselves (a
 * collision, about 1 in 10^8 for a million ids, reports an id as seen
 * twice when it was not: a warning, nothing else).
 */
#ifndef QUIRE_INDEXER_IDSET_H
#define QUIRE_INDEXER_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct idset {
    uint64_t *slot; /* 0: empty */
    size_t cap, n;
} idset;

/* Add id: 1 if it was there already, 0 if new, -1 when out of memory
 * (the set then stops noticing; the run goes on). */
int idset_add(idset *s, const char *id);
void idset_free(idset *s);

#endif
