/*
 * shards.h — writing to a sharded quire index (quire-index --shards N): a
 * directory holding one ordinary quire index per shard, "shard-<K>", and a
 * Xapian stub file XAPIANDB naming them, so that searches see one index
 * and Xapian combines the statistics (same scores as one database).
 *
 * An open sharded index is a set of ordinary index handles; each document
 * goes to the shard its id hashes to (bulk_shard_of), so updates, deletes
 * and pruning find it again. Each shard commits on its own: a crash loses
 * at most each shard's uncommitted batch.
 */
#ifndef QUIRE_SHARDS_H
#define QUIRE_SHARDS_H

#include <stdint.h>

#include "quire.h"

typedef struct shardset shardset;

/* 1 if path is a sharded quire index (a directory with XAPIANDB). */
int shards_detect(const char *path);
/* If path is one of the shards a sharded index in its parent directory
 * names, 1 with that index's path in owner (n bytes); else 0. A shard is
 * written only through its index: documents go to the shard their id
 * hashes to, and one shard alone cannot be rebuilt. */
int shards_owner_of(const char *path, char *owner, size_t n);

/* quire_index_options.flags bit with which shards_open() opens its shards
 * (not public: anybody else opening a shard is refused). */
#define SHARDS_OPEN_MEMBER 0x40000000u

/* Write dir/XAPIANDB naming shard-0..n-1. */
quire_status shards_write_stub(const char *dir, unsigned n, char *err);

/* Open every shard of the sharded index at path with opts (one writer
 * each). err: QERR_MAX bytes. */
quire_status shards_open(const char *path, const quire_index_options *opts,
                         shardset **out, char *err);
quire_status shards_add(shardset *s, const quire_document *doc,
                        quire_add_outcome *outcome, char *err);
quire_status shards_delete(shardset *s, const char *id, char *err);
quire_status shards_commit(shardset *s, char *err);
quire_status shards_sync_begin(shardset *s, char *err);
quire_status shards_sync_prune(shardset *s, uint64_t *deleted, char *err);
quire_status shards_compact(shardset *s, char *err);
/* The same synonym list in every shard (checked by the first). */
quire_status shards_set_synonyms(shardset *s, const char *list, const char *origin, char *err);
/* The shard databases' paths (valid while s is open). */
unsigned shards_paths(shardset *s, const char **paths, unsigned max);
quire_status shards_doc_count(shardset *s, uint64_t *count, char *err);
const char *shards_config(shardset *s);
/* Close every shard (first error reported) and free s. */
quire_status shards_close(shardset *s, char *err);
/* Drop uncommitted changes of every shard and free s. NULL is fine. */
void shards_abandon(shardset *s);

#endif
