/*
 * bulk_resume.h — picking up the segments of a killed parallel build.
 *
 * A new index built in parallel (bulk.h) commits its segments as it goes,
 * so a crash, kill -9 or interruption leaves them behind, each as of its
 * last commit. The next run of the same build keeps them ("leftovers"):
 * the documents they hold are listed in the build's id map, so that a
 * document read again with the same checksum is not written again; before
 * the merge, every leftover loses the documents that were replaced since,
 * superseded by a later leftover, or not read again (the index must hold
 * what this run's sources hold, as an uninterrupted build would).
 *
 * The id map (id -> entry) is shared with bulk.c: an entry names the
 * document's checksum, the segment holding it (>= 0: a segment of this
 * run; -1 - k: leftover k) and whether it came from a leftover and has not
 * been read again in this run.
 */
#ifndef QUIRE_BULK_RESUME_H
#define QUIRE_BULK_RESUME_H

#include <stddef.h>

#include "config.h"
#include "lifecycle.h"
#include "quire.h"
#include "strmap.h"

typedef struct idmap_entry {
    char sum[24];
    int seg;
    int unread; /* from a leftover, not read again yet */
} idmap_entry;

int idmap_put(strmap *ids, const char *id, size_t len, const idmap_entry *e);
int idmap_get(const strmap *ids, const char *id, size_t len, idmap_entry *e);

typedef struct leftover {
    char dir[LC_PATH_MAX];
    unsigned shard; /* K of "<prefix>.s<K>.g<M>" */
    int seg;        /* M */
} leftover;

/*
 * Find the segments "<prefix>.s<K>.g<M>" a killed build left, check that
 * they were built with cfg (otherwise, or when one cannot be read, all are
 * removed and the build starts over), and enter their documents in ids as
 * unread (*unread counts them). *out (free with free()) and *n list them,
 * *next_seg is the first segment number free for this run. Empty ones
 * (created, never committed) are removed. A merge output "<prefix>.out"
 * left half-made is removed.
 */
quire_status leftovers_load(const char *prefix, const qconfig *cfg, strmap *ids,
                            size_t *unread, leftover **out, size_t *n,
                            int *next_seg, char *err);

/* Before the merge: delete from each leftover the documents whose entry
 * in ids is not "in this leftover, read again", and add the languages of
 * the rest to langs. */
quire_status leftovers_prune(const leftover *v, size_t n, const strmap *ids,
                             strmap *langs, char *err);

#endif
