/*
 * bulk.h — building a new index with several writers in parallel.
 *
 * One Xapian database takes one writer, and the writer is most of the cost
 * of indexing. A new index or a rebuild therefore writes N shard databases
 * at once, one thread each (each with its own analyzer), and merges them
 * with Xapian's compactor at the end, which a finished index gets anyway.
 * Documents go to the shard given by a hash of their id, so a repeated id
 * replaces its earlier version within that shard.
 *
 * Errors in a worker (a full disk) are reported by the next call.
 */
#ifndef QUIRE_BULK_H
#define QUIRE_BULK_H

#include <stddef.h>

#include "config.h"
#include "quire.h"
#include "strmap.h"

typedef struct bulk bulk;

/* Start n workers writing shards "<prefix>.s<K>.g<M>" (shard K, segment
 * M). batch_docs/batch_bytes are per shard. With resume, the segments a
 * killed run of the same build left under prefix are kept and its
 * documents recognised (bulk_resume.h); without, they are removed.
 * err: QERR_MAX bytes. */
bulk *bulk_start(const char *prefix, unsigned n, const qconfig *cfg,
                 unsigned batch_docs, size_t batch_bytes, int resume,
                 char *err);

/* Queue doc (copied; already validated; sum is its checksum) for its
 * shard; waits while that shard's queue is full, which bounds memory.
 * *outcome: ADDED for a new id, REPLACED for one seen before with other
 * content, UNCHANGED for one seen before (in this run or, resuming, in
 * the killed one) with the same checksum, which is not written again. */
quire_status bulk_add(bulk *b, const quire_document *doc, const char *sum,
                      quire_add_outcome *outcome, char *err);

/* Documents the finished build will hold. */
size_t bulk_count(const bulk *b);

/* Wait until everything queued is written and committed in the shards. */
quire_status bulk_flush(bulk *b, char *err);

/* Finish: stop the workers, merge the shards into a new database at target
 * (which must not exist), record langs (the union over the shards, merged
 * into *langs) and free b. The segments stay, for the caller to remove
 * once the result is in place (until then a crash can still resume).
 * separate: target becomes a directory holding one database per worker,
 * "shard-<K>" (a sharded index; documents stay on the shard
 * bulk_shard_of() names). */
quire_status bulk_finish(bulk *b, const char *target, int separate, strmap *langs, char *err);
/* The shard (of n) a document id belongs to; the same for every run. */
unsigned bulk_shard_of(const char *id, unsigned n);

/* Stop the workers. keep: commit what they hold and leave the segments
 * for a later run to resume from; otherwise remove them. NULL is fine. */
void bulk_abort(bulk *b, int keep);

#endif
