/* index.c — quire_index: the writable index handle (see quire.h).
 *
 * Owns the writer lock (lifecycle.h), the Xapian writer, the analyzer
 * configuration read from (or written to) the index metadata, and the
 * batching of commits. Changes are made inside a Xapian transaction so that
 * quire_index_abandon() can drop them. A rebuild writes a new version
 * beside the live one and switches to it on close. Documents are built by
 * docbuild.c; this file decides whether and where they are written. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bulk.h"
#include "config.h"
#include "docbuild.h"
#include "error.h"
#include "indexdir.h"
#include "integrity.h"
#include "lang.h"
#include "lifecycle.h"
#include "owner.h"
#include "quire.h"
#include "schema.h"
#include "shards.h"
#include "strbuf.h"
#include "strmap.h"
#include "synonyms.h"
#include "testpause.h"
#include "xapian_shim.h"

/* Measured on 30 MB of news (bench/): commits of ~600 documents write a
 * third faster than of 10000, as Xapian's in-memory changes stay small;
 * the byte limit keeps long documents in similar batches. */
enum {
    DEFAULT_BATCH_DOCS = 600,
    DEFAULT_BATCH_BYTES = 2 * 1024 * 1024
};

struct quire_index {
    char *path;        /* the index's name, as given */
    char dir[LC_PATH_MAX]; /* the directory the writer writes */
    char target[LC_PATH_MAX - 16]; /* rebuild: the version it becomes */
    int rebuild;
    int lock_fd;
    owner own;         /* of the version or new index being built */
    unsigned keep_previous;
    qx_db *db;
    qconfig cfg;
    docbuilder *builder;
    strmap *langs;     /* languages of documents in the index */
    strmap *seen;      /* ids seen since sync_begin, or NULL */
    bulk *bulk;        /* parallel shard writers (a new index, a rebuild) */
    unsigned new_shards; /* bulk: build a sharded index of this many */
    int new_build;     /* bulk: a new index, resumable until it is in place */
    int opened;        /* quire_index_open succeeded */
    shardset *set;     /* an open sharded index: everything goes there */
    char out[LC_PATH_MAX - 16]; /* bulk new index: merged here, then renamed */
    int langs_dirty;
    int dirty;         /* uncommitted changes */
    int failed;        /* a write failed: uncommitted changes are unsafe */
    unsigned batch_docs;
    size_t batch_bytes;
    unsigned pending_docs;
    size_t pending_bytes;
    char *syn_text;    /* synonym list to write (synonyms.h), or NULL */
    char cfgdesc[128];
    int finished;      /* quire_index_finish() ran; finish_status is its outcome */
    quire_status finish_status;
    quire_status code; /* status of the last call (error.h) */
    char err[QERR_MAX];
};

/* Bytes of quire_index_options in version 1 (quire 0.1): the fields up to
 * shards. Later versions only append. */
#define INDEX_OPTIONS_V1_SIZE (offsetof(quire_index_options, shards) + sizeof(unsigned int))

quire_status quire_index_options_init(quire_index_options *opts,
                                      unsigned int version)
{
    if (!opts || version < 1 || version > QUIRE_INDEX_OPTIONS_VERSION)
        return QUIRE_EINVAL;
    quire_index_options d = QUIRE_INDEX_OPTIONS_INIT;
    memcpy(opts, &d, version == 1 ? INDEX_OPTIONS_V1_SIZE : sizeof d);
    opts->version = version;
    return QUIRE_OK;
}

const char *quire_index_errmsg(const quire_index *idx)
{
    return idx ? idx->err : "";
}

quire_status quire_index_errcode(const quire_index *idx)
{
    return idx ? idx->code : QUIRE_OK;
}

/* Add the document languages recorded in db (at where) to langs. */
static quire_status load_langs(quire_index *idx, qx_db *db, const char *where, strmap *langs)
{
    char *v = NULL;
    size_t len;
    qx_err e;
    if (qx_db_get_metadata(db, META_LANGS, &v, &len, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, where);
    for (char *p = v; *p;) {
        char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l && strmap_put(langs, p, l, "", 0) != 0) {
            free(v);
            return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
        }
        p += l + (c ? 1 : 0);
    }
    free(v);
    return QUIRE_OK;
}

/* An option given for an existing index must match what it was built with. */
static quire_status check_options(quire_index *idx, const quire_index_options *o)
{
    const qconfig *c = &idx->cfg;
    char want[LANG_CODE_MAX];
    if (o->lang && (lang_canonical(o->lang, want) != 0 || strcmp(want, c->lang) != 0))
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with lang=%s, not %s; rebuild the index to change it",
                        idx->path, c->lang, o->lang);
    if (o->fold_accents >= 0 && (o->fold_accents != 0) != (c->fold_accents != 0))
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with accent folding %s; rebuild the index to change it",
                        idx->path, c->fold_accents ? "on" : "off");
    if (o->stopwords != QUIRE_STOPWORDS_DEFAULT && o->stopwords != c->stopwords)
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with stopwords=%s; rebuild the index to change it",
                        idx->path, qconfig_stopwords_name(c->stopwords));
    if (o->positions != QUIRE_POSITIONS_DEFAULT && o->positions != c->positions)
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with positions=%s; rebuild the index to change it",
                        idx->path, qconfig_positions_name(c->positions));
    if (o->spelling >= 0 && (o->spelling != 0) != (c->spelling != 0))
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built %s a spelling table; rebuild the index to change it",
                        idx->path, c->spelling ? "with" : "without");
    return QUIRE_OK;
}

/* o's analyzer settings into idx->cfg (their ranges were checked when the
 * handle was opened: check_option_ranges). */
static quire_status apply_options(quire_index *idx, const quire_index_options *o)
{
    qconfig *c = &idx->cfg;
    if (o->lang && lang_canonical(o->lang, c->lang) != 0)
        return qerr_set(idx->err, QUIRE_EINVAL, "'%s' is not a language code", o->lang);
    if (o->fold_accents >= 0)
        c->fold_accents = o->fold_accents != 0;
    if (o->stopwords != QUIRE_STOPWORDS_DEFAULT)
        c->stopwords = o->stopwords;
    if (o->positions != QUIRE_POSITIONS_DEFAULT)
        c->positions = o->positions;
    if (o->spelling >= 0)
        c->spelling = o->spelling != 0;
    return QUIRE_OK;
}

static quire_status open_db(quire_index *idx, int mode)
{
    qx_err e;
    idx->db = qx_db_open_write(idx->dir, mode, &e);
    if (!idx->db)
        return e.code == QUIRE_ELOCKED
                   ? qerr_set(idx->err, QUIRE_ELOCKED, "%s is locked by another Xapian writer", idx->path)
                   : qerr_from_shim(idx->err, &e, idx->path);
    return QUIRE_OK;
}

static quire_status begin_tx(quire_index *idx)
{
    qx_err e;
    if (qx_db_begin_tx(idx->db, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    return QUIRE_OK;
}

/* A rebuild or a new index takes the live index's configuration (if there
 * is a live index), then the options given. */
static quire_status new_config(quire_index *idx, const quire_index_options *o,
                               const char *live, int exists)
{
    quire_status st;
    qconfig_defaults(&idx->cfg);
    if (exists) {
        if ((st = indexdir_check_writable(live, 1, idx->err)) != QUIRE_OK)
            return st;
        qx_err e;
        qx_db *old = qx_db_open_read(live, &e);
        int fresh;
        if (!old)
            return qerr_from_shim(idx->err, &e, idx->path);
        st = qconfig_load(old, idx->path, &idx->cfg, &fresh, idx->err);
        /* The synonym list goes over to the new version (analysed again
         * there, with its configuration). */
        char *syn = NULL;
        size_t len;
        if (st == QUIRE_OK && qx_db_get_metadata(old, META_SYNONYMS, &syn, &len, &e) != QUIRE_OK)
            st = qerr_from_shim(idx->err, &e, idx->path);
        qx_db_close(old, &e);
        if (st != QUIRE_OK)
            return st;
        if (*syn)
            idx->syn_text = syn;
        else
            free(syn);
    }
    return apply_options(idx, o);
}

/* Own the family of directories of target ("<path>.v4": owner.h). */
static quire_status take_owner(quire_index *idx, const char *target)
{
    return owner_take(&idx->own, idx->path, target + strlen(idx->path), idx->rebuild ? "rebuild" : "compact",
                      NULL, idx->err);
}

/* A rebuild never opens the live database for writing, so it asks Xapian
 * whether a writer (an update whose lock file was removed) holds it. */
static quire_status probe_writer(quire_index *idx, const char *live)
{
    qx_err e;
    qx_db *db = qx_db_open_write(live, QX_OPEN, &e);
    if (db) {
        qx_db_close(db, &e);
        return QUIRE_OK;
    }
    if (e.code == QUIRE_ELOCKED)
        return qerr_set(idx->err, QUIRE_ELOCKED,
                        "%s is being written by another writer, although its lock file %s.lock was removed or "
                        "replaced", idx->path, idx->path);
    return QUIRE_OK; /* reported by whoever reads it next */
}

/* A new index built in parallel: own "<path>.new*", and resume what a
 * killed run of the same build (same layout and analyzer settings, as its
 * owner file records) left there; anything else there is removed. */
static quire_status take_new_owner(quire_index *idx, int *resume)
{
    char file[LC_PATH_MAX], want[256], have[4096];
    char cfg[128];
    qconfig_describe(&idx->cfg, cfg, sizeof cfg);
    if (idx->new_shards)
        snprintf(want, sizeof want, "layout: %u shards\nconfig: %s\n", idx->new_shards, cfg);
    else
        snprintf(want, sizeof want, "layout: one database\nconfig: %s\n", cfg);
    snprintf(file, sizeof file, "%.*s.new.owner", LC_PATH_MAX - 64, idx->path);
    owner_extra(file, have, sizeof have);
    *resume = strcmp(have, want) == 0;
    if (!*resume)
        lc_remove_new(idx->path);
    return owner_take(&idx->own, idx->path, ".new", "new index", want, idx->err);
}

/* A new index or a rebuild written by several threads (bulk.h). */
static quire_status open_bulk(quire_index *idx, const quire_index_options *o,
                              const char *live, int exists)
{
    quire_status st = new_config(idx, o, live, exists);
    if (st != QUIRE_OK)
        return st;
    char prefix[LC_PATH_MAX];
    if (idx->rebuild) {
        if ((st = lc_next_version(idx->path, idx->target, sizeof idx->target, idx->err)) != QUIRE_OK ||
            (st = take_owner(idx, idx->target)) != QUIRE_OK)
            return st;
        snprintf(prefix, sizeof prefix, "%s.building", idx->target);
    }
    idx->new_shards = o->shards >= 2 ? o->shards : 0;
    int resume = 0;
    if (!idx->rebuild) {
        if (o->flags & QUIRE_INDEX_NO_CREATE)
            return qerr_set(idx->err, QUIRE_ENOTFOUND, "%s: no such index", idx->path);
        snprintf(prefix, sizeof prefix, "%.*s.new", LC_PATH_MAX - 64, idx->path);
        snprintf(idx->out, sizeof idx->out, "%.*s.new.out", LC_PATH_MAX - 64, idx->path);
        if ((st = take_new_owner(idx, &resume)) != QUIRE_OK)
            return st;
        idx->new_build = 1;
    }
    idx->bulk = bulk_start(prefix, idx->new_shards ? idx->new_shards : o->threads, &idx->cfg, idx->batch_docs,
                           idx->batch_bytes, resume, idx->err);
    return idx->bulk ? QUIRE_OK : QUIRE_ERROR;
}

static quire_status open_rebuild(quire_index *idx, const quire_index_options *o,
                                 const char *live, int exists)
{
    quire_status st = new_config(idx, o, live, exists);
    if (st != QUIRE_OK)
        return st;
    if ((st = lc_next_version(idx->path, idx->target, sizeof idx->target, idx->err)) != QUIRE_OK ||
        (st = take_owner(idx, idx->target)) != QUIRE_OK)
        return st;
    snprintf(idx->dir, sizeof idx->dir, "%s.building", idx->target);
    if ((st = open_db(idx, QX_CREATE_OR_OVERWRITE)) != QUIRE_OK)
        return st;
    qx_err e;
    if ((st = qconfig_store(idx->db, &idx->cfg, idx->err)) == QUIRE_OK && qx_db_commit(idx->db, &e) != QUIRE_OK)
        st = qerr_from_shim(idx->err, &e, idx->path);
    return st;
}

static quire_status open_update(quire_index *idx, const quire_index_options *o,
                                const char *live, int exists)
{
    if (!exists && (o->flags & QUIRE_INDEX_NO_CREATE))
        return qerr_set(idx->err, QUIRE_ENOTFOUND, "%s: no such index", idx->path);
    quire_status st = indexdir_check_writable(live, 0, idx->err);
    if (st != QUIRE_OK ||
        (st = integrity_before_write(live, idx->path, (o->flags & QUIRE_INDEX_VERIFY) != 0, idx->err)) != QUIRE_OK)
        return st;
    snprintf(idx->dir, sizeof idx->dir, "%s", live);
    if ((st = open_db(idx, QX_CREATE_OR_OPEN)) != QUIRE_OK)
        return st;
    int fresh = 0;
    if ((st = qconfig_load(idx->db, idx->path, &idx->cfg, &fresh, idx->err)) != QUIRE_OK)
        return st;
    qx_err e;
    if (!fresh && (o->flags & QUIRE_INDEX_OVERWRITE)) {
        /* Start over (it is a quire index: checked above). */
        qx_db_close(idx->db, &e);
        if ((st = open_db(idx, QX_CREATE_OR_OVERWRITE)) != QUIRE_OK)
            return st;
        fresh = 1;
        qconfig_defaults(&idx->cfg);
    }
    if (!fresh && (st = qconfig_check_current(&idx->cfg, idx->path, idx->err)) != QUIRE_OK)
        return st;
    if (!fresh)
        return check_options(idx, o);
    if ((st = apply_options(idx, o)) == QUIRE_OK && (st = qconfig_store(idx->db, &idx->cfg, idx->err)) == QUIRE_OK &&
        qx_db_commit(idx->db, &e) != QUIRE_OK)
        st = qerr_from_shim(idx->err, &e, idx->path);
    return st;
}

static quire_status do_open(quire_index *idx, const quire_index_options *o)
{
    quire_status st = lc_lock(idx->path, o->lock_wait, idx->rebuild ? "rebuild" : "update",
                              &idx->lock_fd, idx->err);
    if (st != QUIRE_OK)
        return st;
    /* The lock file may have been removed under a writer still at work:
     * take nothing away from it, and do not start beside it. */
    char live[LC_PATH_MAX];
    int exists;
    if ((st = owner_check_none(idx->path, idx->err)) != QUIRE_OK ||
        (st = lc_live_dir(idx->path, live, sizeof live, &exists, idx->err)) != QUIRE_OK ||
        (idx->rebuild && exists && (st = probe_writer(idx, live)) != QUIRE_OK))
        return st;
    lc_cleanup(idx->path, UINT_MAX); /* leftovers only; versions stay */
    if (o->shards >= 2 && (idx->rebuild || exists))
        return qerr_set(idx->err, QUIRE_EINVAL, "%s: a sharded layout is for a new index; %s", idx->path,
                        exists ? "this one exists and is not sharded" : "a rebuild keeps the live layout");
    if ((o->threads >= 2 || o->shards >= 2) && (idx->rebuild || !exists)) {
        st = open_bulk(idx, o, live, exists);
    } else {
        /* A new index by one writer: what a parallel build left cannot be
         * resumed by it. */
        if (!idx->rebuild && !exists && !(o->flags & QUIRE_INDEX_NO_CREATE))
            lc_remove_new(idx->path);
        st = idx->rebuild ? open_rebuild(idx, o, live, exists) : open_update(idx, o, live, exists);
    }
    if (st != QUIRE_OK)
        return st;
    qconfig_describe(&idx->cfg, idx->cfgdesc, sizeof idx->cfgdesc);
    idx->langs = strmap_new();
    if (!idx->langs)
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    if (idx->bulk)
        return QUIRE_OK;
    if ((st = begin_tx(idx)) != QUIRE_OK || (st = load_langs(idx, idx->db, idx->path, idx->langs)) != QUIRE_OK)
        return st;
    idx->builder = docbuild_new(&idx->cfg, idx->err);
    return idx->builder ? QUIRE_OK : QUIRE_ERROR;
}

/* Strip trailing slashes, so "news.idx/" and "news.idx" name one index. */
static char *index_name(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return NULL;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    return p;
}

static void release(quire_index *idx, int keep_changes)
{
    qx_err e;
    int resumable = idx->new_build;
    if (idx->bulk) {
        /* Only after a failure (finish clears it). A new index keeps its
         * committed segments for the next run to resume from. */
        bulk_abort(idx->bulk, resumable);
        idx->bulk = NULL;
        if (idx->out[0])
            lc_remove_tree(idx->out);
    }
    if (idx->db) {
        if (!keep_changes)
            qx_db_cancel_tx(idx->db, &e);
        /* Abandoned right after a commit, the database is as a clean
         * finish leaves it (integrity.h). */
        if (qx_db_close(idx->db, &e) == QUIRE_OK && !keep_changes && idx->opened && !idx->dirty &&
            !idx->failed && !idx->rebuild)
            integrity_stamp(idx->dir);
        idx->db = NULL;
    }
    if (idx->rebuild && !keep_changes && idx->dir[0])
        lc_remove_tree(idx->dir);
    if (resumable)
        owner_leave(&idx->own); /* its notes say how to resume */
    else
        owner_release(&idx->own);
    lc_unlock(idx->lock_fd);
    idx->lock_fd = -1;
}

static void free_index(quire_index *idx)
{
    free(idx->syn_text);
    docbuild_free(idx->builder);
    strmap_free(idx->langs);
    strmap_free(idx->seen);
    free(idx->path);
    free(idx);
}

/* Options out of range, refused before anything is made on disk (a
 * refused open must not leave a half-made index fixing the defaults). */
static quire_status check_option_ranges(quire_index *idx, const quire_index_options *o)
{
    char code[LANG_CODE_MAX];
    if (o->flags & ~(QUIRE_INDEX_NO_CREATE | QUIRE_INDEX_OVERWRITE | QUIRE_INDEX_REBUILD | QUIRE_INDEX_VERIFY |
                     SHARDS_OPEN_MEMBER))
        return qerr_set(idx->err, QUIRE_EINVAL, "unknown index flags 0x%x", o->flags);
    if (o->lang && lang_canonical(o->lang, code) != 0)
        return qerr_set(idx->err, QUIRE_EINVAL, "'%s' is not a language code", o->lang);
    if ((unsigned)o->stopwords > QUIRE_STOPWORDS_INDEX)
        return qerr_set(idx->err, QUIRE_EINVAL, "stopwords %d is not a QUIRE_STOPWORDS_ value", (int)o->stopwords);
    if ((unsigned)o->positions > QUIRE_POSITIONS_STEMS)
        return qerr_set(idx->err, QUIRE_EINVAL, "positions %d is not a QUIRE_POSITIONS_ value", (int)o->positions);
    if (o->fold_accents < -1 || o->fold_accents > 1)
        return qerr_set(idx->err, QUIRE_EINVAL, "fold_accents must be -1, 0 or 1, not %d", o->fold_accents);
    if (o->spelling < -1 || o->spelling > 1)
        return qerr_set(idx->err, QUIRE_EINVAL, "spelling must be -1, 0 or 1, not %d", o->spelling);
    if (o->threads > QUIRE_MAX_THREADS)
        return qerr_set(idx->err, QUIRE_EINVAL, "threads %u is above %d", o->threads, QUIRE_MAX_THREADS);
    if (o->shards > QUIRE_MAX_SHARDS)
        return qerr_set(idx->err, QUIRE_EINVAL, "shards %u is above %d", o->shards, QUIRE_MAX_SHARDS);
    if (!(o->lock_wait >= 0))
        return qerr_set(idx->err, QUIRE_EINVAL, "lock_wait must be 0 or more seconds");
    return QUIRE_OK;
}

static quire_status index_open(const char *path, const quire_index_options *opts,
                               quire_index **out)
{
    if (!out)
        return QUIRE_EINVAL;
    quire_index *idx = calloc(1, sizeof *idx);
    *out = idx;
    if (!idx)
        return QUIRE_ENOMEM;
    idx->lock_fd = -1;
    idx->own.fd = -1;
    /* An older struct is read as far as it goes, the rest from defaults. */
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    if (opts && (opts->version < 1 || opts->version > QUIRE_INDEX_OPTIONS_VERSION))
        return qerr_set(idx->err, QUIRE_EINVAL, "index options version %u is not supported", opts->version);
    if (opts)
        memcpy(&o, opts, opts->version == 1 ? INDEX_OPTIONS_V1_SIZE : sizeof o);
    o.version = QUIRE_INDEX_OPTIONS_VERSION;
    opts = &o;
    if (!path || !*path)
        return qerr_set(idx->err, QUIRE_EINVAL, "no index path given");
    if (!(idx->path = index_name(path)))
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    quire_status vst = check_option_ranges(idx, opts);
    if (vst != QUIRE_OK)
        return vst;
    struct stat sb;
    if ((opts->flags & QUIRE_INDEX_NO_CREATE) && lstat(idx->path, &sb) != 0 && errno == ENOENT)
        return qerr_set(idx->err, QUIRE_ENOTFOUND, "%s: no such index", idx->path); /* and no lock file */
    idx->rebuild = (opts->flags & QUIRE_INDEX_REBUILD) != 0;
    idx->keep_previous = opts->keep_previous;
    idx->batch_docs = opts->batch_docs ? opts->batch_docs : DEFAULT_BATCH_DOCS;
    idx->batch_bytes = opts->batch_bytes ? opts->batch_bytes : DEFAULT_BATCH_BYTES;
    char owner[4096];
    if (!(opts->flags & SHARDS_OPEN_MEMBER) && shards_owner_of(idx->path, owner, sizeof owner))
        return qerr_set(idx->err, QUIRE_EINVAL,
                        "%s is a shard of the sharded index %s: write to %s (documents go to the shard their "
                        "id hashes to)", idx->path, owner, owner);
    quire_status st;
    if (shards_detect(path)) {
        if (idx->rebuild)
            return qerr_set(idx->err, QUIRE_EINVAL,
                            "%s: a sharded index is not rebuilt in place; build a new sharded one "
                            "beside it and rename it", path);
        st = shards_open(path, opts, &idx->set, idx->err);
        if (st == QUIRE_OK)
            snprintf(idx->cfgdesc, sizeof idx->cfgdesc, "%s", shards_config(idx->set));
        return st;
    }
    st = do_open(idx, opts);
    if (st != QUIRE_OK)
        release(idx, 0);
    idx->opened = st == QUIRE_OK;
    return st;
}

typedef struct lang_list {
    char codes[64][LANG_CODE_MAX];
    size_t n;
} lang_list;

static int collect_lang(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
    (void)v;
    (void)vl;
    lang_list *l = ctx;
    if (l->n < 64 && kl < LANG_CODE_MAX) {
        memcpy(l->codes[l->n], k, kl);
        l->codes[l->n++][kl] = '\0';
    }
    return 0;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The document languages as a sorted, comma-separated list. */
static void langs_string(const strmap *langs, char *out, size_t cap)
{
    lang_list l;
    l.n = 0;
    strmap_each(langs, collect_lang, &l);
    qsort(l.codes, l.n, sizeof l.codes[0], cmp_code);
    out[0] = '\0';
    for (size_t i = 0, o = 0; i < l.n; i++) {
        size_t cl = strlen(l.codes[i]);
        if (o + cl + 2 > cap)
            break;
        if (o)
            out[o++] = ',';
        memcpy(out + o, l.codes[i], cl + 1);
        o += cl;
    }
}

static quire_status not_open(quire_index *idx)
{
    if (idx && idx->finished)
        return qerr_set(idx->err, QUIRE_EINVAL, "%s: the index was finished; only closing it is left", idx->path);
    if (idx && idx->failed)
        return qerr_set(idx->err, QUIRE_EIO, "%s: an earlier write failed, so this handle makes no more changes; "
                        "abandon it and open the index again", idx->path);
    if (idx && idx->bulk)
        return qerr_set(idx->err, QUIRE_EINVAL,
                        "not while a new index is built in parallel (threads >= 2); close it first");
    return idx ? qerr_set(idx->err, QUIRE_EINVAL, "index is not open") : QUIRE_EINVAL;
}

/* quire_index_add for a bulk build: outcomes come from the ids seen so
 * far (bulk.h), the work from the shard writers. */
static quire_status bulk_add_doc(quire_index *idx, const quire_document *doc,
                                 quire_add_outcome *outcome)
{
    quire_status st = docbuild_validate(doc, idx->err);
    if (st != QUIRE_OK)
        return st;
    char sum[24];
    if (docbuild_checksum(doc, sum, NULL) != 0)
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    quire_add_outcome out;
    if ((st = bulk_add(idx->bulk, doc, sum, &out, idx->err)) != QUIRE_OK) {
        if (st != QUIRE_ENOMEM)
            idx->failed = 1;
        return st;
    }
    if (outcome)
        *outcome = out;
    return QUIRE_OK;
}

/* A write failed (full disk, I/O error): the batch in progress cannot be
 * trusted, so it is dropped and the handle refuses further work. */
static quire_status write_failed(quire_index *idx, const qx_err *e)
{
    quire_status st = qerr_from_shim(idx->err, e, idx->path);
    if (st == QUIRE_EIO || st == QUIRE_ECORRUPT || st == QUIRE_ENOMEM || st == QUIRE_ERROR) {
        qx_err e2;
        qx_db_cancel_tx(idx->db, &e2);
        qx_db_close(idx->db, &e2);
        idx->db = NULL;
        idx->failed = 1;
    }
    return st;
}

static quire_status not_open(quire_index *idx);

/* Write the pending synonym list into db (at where), analysed with the
 * index's configuration. */
static quire_status write_synonyms(quire_index *idx, qx_db *db, const char *where)
{
    qa_analyzer *an = qa_new(idx->cfg.fold_accents, idx->cfg.lang, idx->err, QERR_MAX);
    if (!an)
        return QUIRE_ERROR;
    qx_err e;
    quire_status st = QUIRE_OK;
    if (syn_store(db, an, idx->syn_text, &e) != QUIRE_OK)
        st = qerr_from_shim(idx->err, &e, where);
    qa_free(an);
    return st;
}

static quire_status index_set_synonyms(quire_index *idx, const char *list,
                                       const char *origin)
{
    if (idx && !list) /* a failed read of a file must not empty the list */
        return qerr_set(idx->err, QUIRE_EINVAL, "the synonym list is NULL (\"\" removes every group)");
    if (idx && idx->set)
        return shards_set_synonyms(idx->set, list, origin, idx->err);
    if (!idx || (!idx->db && !idx->bulk) || idx->failed)
        return not_open(idx);
    qa_analyzer *an = qa_new(idx->cfg.fold_accents, idx->cfg.lang, idx->err, QERR_MAX);
    if (!an)
        return QUIRE_ERROR;
    int oom;
    char *text = syn_normalise(an, list, origin, idx->err, QERR_MAX, &oom);
    qa_free(an);
    if (!text)
        return oom ? QUIRE_ENOMEM : QUIRE_EINVAL;
    free(idx->syn_text);
    idx->syn_text = text;
    idx->dirty = 1; /* written by the next commit (a bulk build: at close) */
    return QUIRE_OK;
}

static quire_status index_commit(quire_index *idx)
{
    if (idx && idx->set)
        return shards_commit(idx->set, idx->err);
    if (idx && idx->bulk && !idx->failed)
        return bulk_flush(idx->bulk, idx->err);
    if (!idx || !idx->db)
        return not_open(idx);
    if (!idx->dirty)
        return QUIRE_OK;
    qx_err e;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (qx_db_set_metadata(idx->db, META_UPDATED, now, strlen(now), &e) != QUIRE_OK ||
        qx_db_set_metadata(idx->db, META_WRITER, QUIRE_VERSION_STRING, strlen(QUIRE_VERSION_STRING), &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    if (idx->langs_dirty) {
        char list[1024];
        langs_string(idx->langs, list, sizeof list);
        if (qx_db_set_metadata(idx->db, META_LANGS, list, strlen(list), &e) != QUIRE_OK)
            return qerr_from_shim(idx->err, &e, idx->path);
    }
    if (idx->syn_text) {
        quire_status st = write_synonyms(idx, idx->db, idx->path);
        if (st != QUIRE_OK)
            return st;
        free(idx->syn_text);
        idx->syn_text = NULL;
    }
    test_pause("commit");
    if (qx_db_commit_tx(idx->db, &e) != QUIRE_OK) {
        /* Nothing of this batch reached the index. */
        quire_status st = write_failed(idx, &e);
        idx->failed = 1;
        if (idx->db) {
            qx_db_close(idx->db, &e);
            idx->db = NULL;
        }
        return st;
    }
    idx->dirty = 0;
    idx->langs_dirty = 0;
    idx->pending_docs = 0;
    idx->pending_bytes = 0;
    return begin_tx(idx);
}

static quire_status note_change(quire_index *idx, size_t bytes)
{
    idx->dirty = 1;
    idx->pending_docs++;
    idx->pending_bytes += bytes;
    if (idx->pending_docs >= idx->batch_docs || idx->pending_bytes >= idx->batch_bytes)
        return index_commit(idx);
    return QUIRE_OK;
}

/* Is the stored document for docid identical (same record checksum)? */
static int unchanged(quire_index *idx, uint32_t docid, const char *checksum)
{
    char *v = NULL;
    size_t len;
    qx_err e;
    if (qx_db_get_value(idx->db, docid, SLOT_CHECKSUM, &v, &len, &e) != QUIRE_OK)
        return 0;
    int same = strcmp(v, checksum) == 0;
    free(v);
    return same;
}

static quire_status mark_seen(quire_index *idx, const char *id)
{
    if (idx->seen && strmap_put(idx->seen, id, strlen(id), "", 0) != 0)
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    return QUIRE_OK;
}

static quire_status index_add(quire_index *idx, const quire_document *doc,
                              quire_add_outcome *outcome)
{
    if (idx && idx->set)
        return shards_add(idx->set, doc, outcome, idx->err);
    if (idx && idx->bulk && !idx->failed)
        return bulk_add_doc(idx, doc, outcome);
    if (!idx || !idx->db)
        return not_open(idx);
    built_doc bd;
    quire_status st = docbuild_make(idx->builder, doc, &bd, idx->err);
    if (st != QUIRE_OK)
        return st;
    qx_err e;
    uint32_t old = 0;
    if (qx_db_find_term(idx->db, bd.id_term, &old, &e) != QUIRE_OK) {
        qx_doc_free(bd.doc);
        return qerr_from_shim(idx->err, &e, idx->path);
    }
    if (old && unchanged(idx, old, bd.checksum)) {
        qx_doc_free(bd.doc);
        if (outcome)
            *outcome = QUIRE_UNCHANGED;
        return mark_seen(idx, doc->id);
    }
    int rc = qx_db_replace(idx->db, bd.id_term, bd.doc, NULL, &e);
    qx_doc_free(bd.doc);
    if (rc != QUIRE_OK)
        return write_failed(idx, &e);
    if (!strmap_get(idx->langs, bd.lang, strlen(bd.lang), NULL)) {
        if (strmap_put(idx->langs, bd.lang, strlen(bd.lang), "", 0) != 0)
            return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
        idx->langs_dirty = 1;
    }
    if (outcome)
        *outcome = old ? QUIRE_REPLACED : QUIRE_ADDED;
    if ((st = mark_seen(idx, doc->id)) != QUIRE_OK)
        return st;
    return note_change(idx, bd.bytes);
}

static quire_status index_delete(quire_index *idx, const char *id)
{
    if (idx && idx->set)
        return shards_delete(idx->set, id, idx->err);
    if (!idx || !idx->db)
        return not_open(idx);
    if (!id || !*id || strlen(id) > QUIRE_MAX_ID_BYTES)
        return qerr_set(idx->err, QUIRE_EINVAL, "invalid document id");
    char term[QUIRE_MAX_ID_BYTES + 2];
    snprintf(term, sizeof term, PFX_ID "%s", id);
    qx_err e;
    uint32_t docid = 0;
    if (qx_db_find_term(idx->db, term, &docid, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    if (!docid)
        return qerr_set(idx->err, QUIRE_ENOTFOUND, "no document with id '%s'", id);
    if (qx_db_delete(idx->db, term, &e) != QUIRE_OK)
        return write_failed(idx, &e);
    return note_change(idx, 0);
}

static quire_status index_sync_begin(quire_index *idx)
{
    if (idx && idx->set)
        return shards_sync_begin(idx->set, idx->err);
    if (idx && idx->bulk)
        return QUIRE_OK; /* a new index holds only what this run adds */
    if (!idx || !idx->db)
        return not_open(idx);
    strmap_free(idx->seen);
    if (!(idx->seen = strmap_new()))
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    return QUIRE_OK;
}

typedef struct unseen {
    quire_index *idx;
    strvec ids;
    int oom;
} unseen;

static int collect_unseen(void *ctx, const char *term, size_t len)
{
    unseen *u = ctx;
    const char *id = term + 1; /* after "Q" */
    if (strmap_get(u->idx->seen, id, len - 1, NULL))
        return 0;
    if (sv_push(&u->ids, id, len - 1) != 0)
        return u->oom = 1;
    return 0;
}

static quire_status index_sync_prune(quire_index *idx, uint64_t *deleted)
{
    if (idx && idx->set)
        return shards_sync_prune(idx->set, deleted, idx->err);
    if (idx && idx->bulk) {
        if (deleted)
            *deleted = 0;
        return QUIRE_OK;
    }
    if (!idx || !idx->db)
        return not_open(idx);
    if (!idx->seen)
        return qerr_set(idx->err, QUIRE_EINVAL, "quire_index_sync_prune without quire_index_sync_begin");
    if (deleted)
        *deleted = 0;
    /* Collect first: deleting while walking the term list is not safe. */
    unseen u = {idx, {NULL, 0, 0}, 0};
    qx_err e;
    quire_status st = QUIRE_OK;
    if (qx_db_terms_with_prefix(idx->db, PFX_ID, SIZE_MAX, collect_unseen, &u, NULL, &e) != QUIRE_OK)
        st = qerr_from_shim(idx->err, &e, idx->path);
    else if (u.oom)
        st = qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; i < u.ids.n && st == QUIRE_OK; i++)
        if ((st = index_delete(idx, u.ids.v[i])) == QUIRE_OK && deleted)
            (*deleted)++;
    sv_free(&u.ids);
    return st;
}

static quire_status index_compact(quire_index *idx)
{
    if (idx && idx->set)
        return shards_compact(idx->set, idx->err);
    if (!idx || !idx->db)
        return not_open(idx);
    if (idx->rebuild)
        return qerr_set(idx->err, QUIRE_EINVAL, "a rebuild is compacted when it is closed");
    quire_status st = index_commit(idx);
    if (st != QUIRE_OK)
        return st;
    qx_err e;
    qx_db_cancel_tx(idx->db, &e); /* nothing is pending after the commit */
    qx_db_close(idx->db, &e);
    idx->db = NULL;
    char target[LC_PATH_MAX];
    owner own = OWNER_NONE;
    if ((st = lc_next_version(idx->path, target, sizeof target, idx->err)) == QUIRE_OK &&
        (st = owner_take(&own, idx->path, target + strlen(idx->path), "compact", NULL, idx->err)) == QUIRE_OK) {
        if (qx_compact(idx->dir, target, &e) != QUIRE_OK) {
            st = qerr_from_shim(idx->err, &e, idx->path);
            lc_remove_tree(target);
        } else if ((st = lc_switch(idx->path, target, idx->err)) != QUIRE_OK) {
            lc_remove_tree(target);
        } else {
            integrity_stamp(target);
            snprintf(idx->dir, sizeof idx->dir, "%s", target);
        }
        owner_release(&own);
        if (st == QUIRE_OK)
            lc_cleanup(idx->path, idx->keep_previous);
    }
    /* Back to writing, on the compacted version (or, after a failure, the
     * old one, untouched). */
    quire_status st2 = open_db(idx, QX_OPEN);
    if (st2 == QUIRE_OK)
        st2 = begin_tx(idx);
    return st != QUIRE_OK ? st : st2;
}

static quire_status finish_metadata(quire_index *idx, const char *dir, const strmap *langs);

static quire_status index_merge(quire_index *idx, const char *out)
{
    if (!idx || (!idx->db && !idx->set))
        return not_open(idx);
    if (!out || !*out)
        return qerr_set(idx->err, QUIRE_EINVAL, "no output path given");
    struct stat sb;
    if (lstat(out, &sb) == 0)
        return qerr_set(idx->err, QUIRE_EINVAL, "%s already exists", out);
    quire_status st = index_commit(idx);
    if (st != QUIRE_OK)
        return st;
    const char *paths[256];
    unsigned n = 1;
    char live[LC_PATH_MAX];
    if (idx->set) {
        n = shards_paths(idx->set, paths, 256);
    } else {
        int exists;
        if ((st = lc_live_dir(idx->path, live, sizeof live, &exists, idx->err)) != QUIRE_OK)
            return st;
        paths[0] = live;
    }
    qx_err e;
    if (qx_compact_many(paths, n, out, &e) != QUIRE_OK) {
        lc_remove_tree(out);
        return qerr_from_shim(idx->err, &e, out);
    }
    /* Every shard's languages, not only the first one's. */
    strmap *langs = strmap_new();
    if (!langs)
        st = qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    for (unsigned i = 0; i < n && st == QUIRE_OK; i++) {
        qx_db *db = qx_db_open_read(paths[i], &e);
        st = db ? load_langs(idx, db, paths[i], langs) : qerr_from_shim(idx->err, &e, paths[i]);
        qx_db_close(db, &e);
    }
    if (st == QUIRE_OK)
        st = finish_metadata(idx, out, langs);
    strmap_free(langs);
    if (st != QUIRE_OK)
        lc_remove_tree(out);
    return st;
}

static quire_status index_doc_count(quire_index *idx, uint64_t *count)
{
    if (idx && idx->set && count)
        return shards_doc_count(idx->set, count, idx->err);
    if (idx && idx->bulk && count) {
        *count = bulk_count(idx->bulk);
        return QUIRE_OK;
    }
    if (idx && !count)
        return qerr_set(idx->err, QUIRE_EINVAL, "count is NULL");
    if (!idx || !idx->db)
        return not_open(idx);
    qx_err e;
    if (qx_db_doc_count(idx->db, count, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    return QUIRE_OK;
}

const char *quire_index_config(quire_index *idx)
{
    return idx ? idx->cfgdesc : "";
}

/* Record in a merged database's metadata what compaction cannot: the
 * languages of all its parts (compaction keeps the first one's), the
 * time, the writer. */
static quire_status finish_metadata(quire_index *idx, const char *dir, const strmap *langs)
{
    qx_err e;
    qx_db *db = qx_db_open_write(dir, QX_OPEN, &e);
    if (!db)
        return qerr_from_shim(idx->err, &e, dir);
    char list[1024], now[32];
    langs_string(langs, list, sizeof list);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int rc = qx_db_set_metadata(db, META_LANGS, list, strlen(list), &e);
    quire_status sst;
    if (rc == QUIRE_OK && idx->syn_text && (sst = write_synonyms(idx, db, dir)) != QUIRE_OK) {
        qx_db_close(db, &e);
        return sst;
    }
    if (rc == QUIRE_OK)
        rc = qx_db_set_metadata(db, META_UPDATED, now, strlen(now), &e);
    if (rc == QUIRE_OK)
        rc = qx_db_set_metadata(db, META_WRITER, QUIRE_VERSION_STRING, strlen(QUIRE_VERSION_STRING), &e);
    if (rc == QUIRE_OK)
        rc = qx_db_commit(db, &e);
    quire_status st = rc == QUIRE_OK ? QUIRE_OK : qerr_from_shim(idx->err, &e, dir);
    if (qx_db_close(db, &e) == QUIRE_OK && st == QUIRE_OK)
        integrity_stamp(dir);
    return st;
}

/* Close a bulk build: merge the shards, then switch (a rebuild) or move
 * the merged database to the index's name (a new index). */
static quire_status finish_bulk(quire_index *idx)
{
    const char *merged = idx->rebuild ? idx->target : idx->out;
    quire_status st = bulk_finish(idx->bulk, merged, idx->new_shards != 0, idx->langs, idx->err);
    idx->bulk = NULL;
    if (st == QUIRE_OK && idx->new_shards) {
        st = shards_write_stub(merged, idx->new_shards, idx->err);
        for (unsigned i = 0; i < idx->new_shards && st == QUIRE_OK; i++) {
            char shard[LC_PATH_MAX];
            snprintf(shard, sizeof shard, "%.*s/shard-%u", LC_PATH_MAX - 32, merged, i);
            st = finish_metadata(idx, shard, idx->langs);
        }
    } else if (st == QUIRE_OK) {
        st = finish_metadata(idx, merged, idx->langs);
    }
    if (st == QUIRE_OK && idx->rebuild) {
        test_pause("compacted");
        st = lc_switch(idx->path, idx->target, idx->err);
    } else if (st == QUIRE_OK) {
        test_pause("merged");
        if (rename(idx->out, idx->path) != 0)
            st = qerr_set(idx->err, QUIRE_EIO, "%s: cannot move the new index into place: %s", idx->path,
                          strerror(errno));
    }
    if (st != QUIRE_OK) {
        lc_remove_tree(merged);
        if (idx->rebuild) { /* its segments go now; a new index's stay */
            owner_release(&idx->own);
            lc_cleanup(idx->path, UINT_MAX);
        }
        return st;
    }
    /* In place: the segments go (with the owner file released, clean-up
     * takes them as leftovers). */
    idx->new_build = 0;
    owner_release(&idx->own);
    if (idx->rebuild)
        test_pause("switched");
    lc_cleanup(idx->path, idx->rebuild ? idx->keep_previous : UINT_MAX);
    idx->out[0] = '\0';
    return QUIRE_OK;
}

/* Close a rebuild: compact the new version into place and switch. */
static quire_status finish_rebuild(quire_index *idx)
{
    qx_err e;
    qx_db_close(idx->db, &e);
    idx->db = NULL;
    quire_status st;
    if (qx_compact(idx->dir, idx->target, &e) != QUIRE_OK) {
        st = qerr_from_shim(idx->err, &e, idx->path);
        lc_remove_tree(idx->target);
    } else {
        integrity_stamp(idx->target);
        test_pause("compacted");
        if ((st = lc_switch(idx->path, idx->target, idx->err)) != QUIRE_OK)
            lc_remove_tree(idx->target);
    }
    lc_remove_tree(idx->dir);
    owner_release(&idx->own);
    if (st == QUIRE_OK) {
        test_pause("switched");
        lc_cleanup(idx->path, idx->keep_previous);
    }
    return st;
}

/* The work of closing, with the handle kept for its message. */
static quire_status index_finish(quire_index *idx)
{
    if (idx->finished)
        return qerr_set(idx->err, QUIRE_EINVAL, "%s: the index was finished already", idx->path);
    quire_status st = QUIRE_OK;
    if (idx->set) {
        st = shards_close(idx->set, idx->err);
        idx->set = NULL;
    } else if (idx->bulk) {
        st = idx->failed ? not_open(idx) : finish_bulk(idx);
    } else if (idx->db) {
        idx->dirty |= idx->rebuild; /* a rebuild always records its time */
        st = index_commit(idx);
        if (st == QUIRE_OK && idx->db && idx->rebuild) {
            st = finish_rebuild(idx);
        } else if (idx->db) {
            qx_err e;
            qx_db_cancel_tx(idx->db, &e); /* empty after the commit */
            if (qx_db_close(idx->db, &e) != QUIRE_OK && st == QUIRE_OK)
                st = qerr_from_shim(idx->err, &e, idx->path);
            else if (st == QUIRE_OK)
                integrity_stamp(idx->dir);
            idx->db = NULL;
        }
    } else if (idx->failed) {
        st = not_open(idx);
    }
    idx->finished = 1;
    idx->finish_status = st;
    return st;
}

quire_status quire_index_close(quire_index *idx)
{
    if (!idx)
        return QUIRE_OK;
    quire_status st = idx->finished ? idx->finish_status : index_finish(idx);
    release(idx, st == QUIRE_OK);
    free_index(idx);
    return st;
}

void quire_index_abandon(quire_index *idx)
{
    if (!idx)
        return;
    shards_abandon(idx->set);
    idx->set = NULL;
    release(idx, 0);
    free_index(idx);
}

/* ---- Public entry points ------------------------------------------------
 * Each records its outcome on the handle (error.h: the message and code
 * describe the most recent call). */

#define INDEX_CALL(idx, call)                                                  \
    do {                                                                       \
        if (!(idx))                                                            \
            return QUIRE_EINVAL;                                               \
        qerr_begin((idx)->err, &(idx)->code);                                  \
        return qerr_end((idx)->err, &(idx)->code, (call));                     \
    } while (0)

quire_status quire_index_open(const char *path, const quire_index_options *opts,
                              quire_index **out)
{
    quire_status st = index_open(path, opts, out);
    if (out && *out)
        qerr_end((*out)->err, &(*out)->code, st);
    return st;
}

quire_status quire_index_add(quire_index *idx, const quire_document *doc,
                             quire_add_outcome *outcome)
{
    INDEX_CALL(idx, index_add(idx, doc, outcome));
}

quire_status quire_index_delete(quire_index *idx, const char *id)
{
    INDEX_CALL(idx, index_delete(idx, id));
}

quire_status quire_index_commit(quire_index *idx)
{
    INDEX_CALL(idx, index_commit(idx));
}

quire_status quire_index_sync_begin(quire_index *idx)
{
    INDEX_CALL(idx, index_sync_begin(idx));
}

quire_status quire_index_sync_prune(quire_index *idx, uint64_t *deleted)
{
    INDEX_CALL(idx, index_sync_prune(idx, deleted));
}

quire_status quire_index_compact(quire_index *idx)
{
    INDEX_CALL(idx, index_compact(idx));
}

quire_status quire_index_merge(quire_index *idx, const char *out)
{
    INDEX_CALL(idx, index_merge(idx, out));
}

quire_status quire_index_doc_count(quire_index *idx, uint64_t *count)
{
    INDEX_CALL(idx, index_doc_count(idx, count));
}

quire_status quire_index_finish(quire_index *idx)
{
    INDEX_CALL(idx, index_finish(idx));
}

quire_status quire_index_set_synonyms(quire_index *idx, const char *list,
                                      const char *origin)
{
    INDEX_CALL(idx, index_set_synonyms(idx, list, origin));
}
