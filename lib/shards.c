/* shards.c — see shards.h. Every call fans out to the shard handles with
 * the public API; a failure names the shard it happened on. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "shards.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "error.h"
#include "stub.h"

struct shardset {
    quire_index **sub;
    char (*label)[300];
    unsigned n;
};

int shards_detect(const char *path)
{
    char file[4096];
    return stub_detect(path, file, sizeof file) && strcmp(file, path) != 0;
}

int shards_owner_of(const char *path, char *owner, size_t n)
{
    char parent[4096], file[4096], me[PATH_MAX], them[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash == parent)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    if (!shards_detect(parent) || !stub_detect(parent, file, sizeof file) || !realpath(path, me))
        return 0;
    stub_entry *v;
    size_t k;
    char err[256];
    if (stub_parse(file, &v, &k, err, sizeof err) != 0)
        return 0;
    int named = 0;
    for (size_t i = 0; i < k && !named; i++)
        named = !v[i].remote && realpath(v[i].path, them) && strcmp(me, them) == 0;
    stub_free(v, k);
    if (named)
        snprintf(owner, n, "%s", parent);
    return named;
}

quire_status shards_write_stub(const char *dir, unsigned n, char *err)
{
    char file[4096];
    snprintf(file, sizeof file, "%s/XAPIANDB", dir);
    FILE *f = fopen(file, "w");
    if (!f)
        return qerr_set(err, QUIRE_EIO, "%s: cannot write the stub file", file);
    fprintf(f, "# A sharded quire index: one database per shard (quire-index --shards).\n");
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto shard-%u\n", i);
    if (fclose(f) != 0)
        return qerr_set(err, QUIRE_EIO, "%s: cannot write the stub file", file);
    return QUIRE_OK;
}

static quire_status sub_error(shardset *s, unsigned i, quire_status st, char *err)
{
    if (st == QUIRE_ECORRUPT) /* its advice is for a whole index */
        return qerr_set(err, st, "shard %s: %s (a shard is not rebuilt alone: build the sharded index again "
                        "from its sources, beside it, and put it in its place)", s->label[i],
                        quire_index_errmsg(s->sub[i]));
    return qerr_set(err, st, "shard %s: %s", s->label[i], quire_index_errmsg(s->sub[i]));
}

quire_status shards_open(const char *path, const quire_index_options *opts,
                         shardset **out, char *err)
{
    *out = NULL;
    char file[4096];
    if (!stub_detect(path, file, sizeof file))
        return qerr_set(err, QUIRE_ENOTINDEX, "%s: not a sharded index", path);
    stub_entry *v;
    size_t n;
    if (stub_parse(file, &v, &n, err, QERR_MAX) != 0)
        return QUIRE_ENOTINDEX;
    shardset *s = calloc(1, sizeof *s);
    if (s) {
        s->sub = calloc(n, sizeof *s->sub);
        s->label = calloc(n, sizeof *s->label);
    }
    if (!s || !s->sub || !s->label) {
        stub_free(v, n);
        shards_abandon(s);
        return qerr_set(err, QUIRE_ENOMEM, "out of memory");
    }
    quire_index_options o = *opts;
    o.threads = 1; /* each shard is updated by its own single writer */
    o.shards = 0;
    o.flags |= QUIRE_INDEX_NO_CREATE | SHARDS_OPEN_MEMBER;
    quire_status st = QUIRE_OK;
    for (size_t i = 0; i < n && st == QUIRE_OK; i++) {
        if (v[i].remote) {
            st = qerr_set(err, QUIRE_EINVAL, "%s: %s: remote shards are searched, not written here", path, v[i].label);
            break;
        }
        char inner[4096];
        if (stub_is_stub(v[i].path, inner, sizeof inner)) {
            /* Writing goes one level deep: this also ends a stub that
             * names itself. */
            st = qerr_set(err, QUIRE_ENOTINDEX, "%s: shard %s is a stub file (%s), not a database; a sharded index "
                          "names its shard databases directly", file, v[i].label, inner);
            break;
        }
        snprintf(s->label[i], sizeof s->label[i], "%s", v[i].label);
        s->n++;
        if ((st = quire_index_open(v[i].path, &o, &s->sub[i])) != QUIRE_OK)
            st = sub_error(s, (unsigned)i, st, err);
    }
    stub_free(v, n);
    if (st != QUIRE_OK) {
        shards_abandon(s);
        return st;
    }
    *out = s;
    return QUIRE_OK;
}

quire_status shards_add(shardset *s, const quire_document *doc,
                        quire_add_outcome *outcome, char *err)
{
    if (!doc || !doc->id)
        return qerr_set(err, QUIRE_EINVAL, "document or id is NULL");
    unsigned i = bulk_shard_of(doc->id, s->n);
    quire_status st = quire_index_add(s->sub[i], doc, outcome);
    return st == QUIRE_OK ? QUIRE_OK : sub_error(s, i, st, err);
}

quire_status shards_delete(shardset *s, const char *id, char *err)
{
    if (!id)
        return qerr_set(err, QUIRE_EINVAL, "id is NULL");
    unsigned i = bulk_shard_of(id, s->n);
    quire_status st = quire_index_delete(s->sub[i], id);
    if (st == QUIRE_ENOTFOUND)
        return qerr_set(err, st, "%s", quire_index_errmsg(s->sub[i]));
    return st == QUIRE_OK ? st : sub_error(s, i, st, err);
}

/* Call fn on every shard; stop at the first failure. */
#define EACH_SHARD(s, err, call)                                               \
    do {                                                                       \
        for (unsigned i_ = 0; i_ < (s)->n; i_++) {                             \
            quire_index *sub_ = (s)->sub[i_];                                  \
            quire_status st_ = (call);                                         \
            if (st_ != QUIRE_OK)                                               \
                return sub_error((s), i_, st_, (err));                         \
        }                                                                      \
        return QUIRE_OK;                                                       \
    } while (0)

quire_status shards_commit(shardset *s, char *err)
{
    EACH_SHARD(s, err, quire_index_commit(sub_));
}

quire_status shards_sync_begin(shardset *s, char *err)
{
    EACH_SHARD(s, err, quire_index_sync_begin(sub_));
}

quire_status shards_compact(shardset *s, char *err)
{
    EACH_SHARD(s, err, quire_index_compact(sub_));
}

quire_status shards_set_synonyms(shardset *s, const char *list, const char *origin, char *err)
{
    for (unsigned i = 0; i < s->n; i++) {
        quire_status st = quire_index_set_synonyms(s->sub[i], list, origin);
        if (st == QUIRE_EINVAL)
            return qerr_set(err, st, "%s", quire_index_errmsg(s->sub[i])); /* the list's fault */
        if (st != QUIRE_OK)
            return sub_error(s, i, st, err);
    }
    return QUIRE_OK;
}

quire_status shards_sync_prune(shardset *s, uint64_t *deleted, char *err)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < s->n; i++) {
        uint64_t d = 0;
        quire_status st = quire_index_sync_prune(s->sub[i], &d);
        if (st != QUIRE_OK)
            return sub_error(s, i, st, err);
        total += d;
    }
    if (deleted)
        *deleted = total;
    return QUIRE_OK;
}

quire_status shards_doc_count(shardset *s, uint64_t *count, char *err)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < s->n; i++) {
        uint64_t c;
        quire_status st = quire_index_doc_count(s->sub[i], &c);
        if (st != QUIRE_OK)
            return sub_error(s, i, st, err);
        total += c;
    }
    *count = total;
    return QUIRE_OK;
}

unsigned shards_paths(shardset *s, const char **paths, unsigned max)
{
    unsigned n = s->n < max ? s->n : max;
    for (unsigned i = 0; i < n; i++)
        paths[i] = s->label[i];
    return n;
}

const char *shards_config(shardset *s)
{
    return s->n ? quire_index_config(s->sub[0]) : "";
}

quire_status shards_close(shardset *s, char *err)
{
    quire_status first = QUIRE_OK;
    for (unsigned i = 0; i < s->n; i++) {
        quire_status st = quire_index_finish(s->sub[i]);
        if (st != QUIRE_OK && first == QUIRE_OK)
            first = sub_error(s, i, st, err);
        quire_index_close(s->sub[i]);
    }
    free(s->sub);
    free(s->label);
    free(s);
    return first;
}

void shards_abandon(shardset *s)
{
    if (!s)
        return;
    for (unsigned i = 0; i < s->n; i++)
        quire_index_abandon(s->sub[i]);
    free(s->sub);
    free(s->label);
    free(s);
}
