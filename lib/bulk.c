/* bulk.c — see bulk.h. Each worker owns a bounded queue of copied
 * documents, a docbuilder (analyzer) and a Xapian writer; the caller's
 * thread only validates, copies, routes and queues.
 *
 * A worker writes its shard as a series of segments, a fresh database for
 * every SEGMENT_BYTES of text, because Xapian's cost per document grows
 * with the size of the database it updates (measured: 0.34 s/MB for 14 MB
 * shards, 0.47 s/MB at twice the size, with the same batches), while the
 * final merge by compaction is linear. The caller's thread assigns
 * segments, so it knows where each id went: a document replaced in a later
 * segment is deleted from its earlier one before the merge. */
#include "bulk.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bulk_resume.h"
#include "docbuild.h"
#include "error.h"
#include "lifecycle.h"
#include "schema.h"
#include "testpause.h"
#include "xapian_shim.h"

enum {
    QUEUE_JOBS = 64,
    QUEUE_BYTES = 16 * 1024 * 1024,
    SEGMENT_BYTES = 12 * 1024 * 1024
};

typedef struct job {
    quire_document d;
    char *block; /* all the strings of d */
    size_t bytes;
    int seg;       /* segment to write it to */
    int stale_seg; /* an earlier segment holding an older version, or -1 */
} job;

/* An id to delete from an earlier segment before the merge. */
typedef struct stale {
    int seg;
    char *id_term;
} stale;

typedef struct worker {
    struct bulk *b;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t wake, room, idle;
    job q[QUEUE_JOBS];
    size_t head, count, queued_bytes;
    int busy, stop;
    unsigned long flush_asked, flush_done;
    char prefix[LC_PATH_MAX - 32]; /* segments are "<prefix>.g<M>" */
    char dir[LC_PATH_MAX];         /* the current segment */
    int seg, nsegs;                /* current segment, segments made */
    int seg0;                      /* this run's first (leftovers: below) */
    int route_seg;                 /* caller's thread: segment being filled */
    size_t route_bytes;            /* caller's thread: its text so far */
    stale *stale;
    size_t nstale, stale_cap;
    qx_db *db;
    docbuilder *builder;
    strmap *langs;
    unsigned pending_docs;
    size_t pending_bytes;
    quire_status status;
    char err[QERR_MAX];
} worker;

struct bulk {
    worker *w;
    unsigned n;
    strmap *ids;       /* id -> entry (bulk_resume.h) */
    size_t unread;     /* ids from leftovers not read again */
    leftover *left;    /* segments of a killed run, kept */
    size_t nleft;
    qconfig cfg;
    unsigned batch_docs;
    size_t batch_bytes;
    size_t segment_bytes;
};

/* FNV-1a of the id: stable across runs and machines. */
unsigned bulk_shard_of(const char *id, unsigned n)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = id; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    return n ? (unsigned)(h % n) : 0;
}

/* Copy doc's strings into one block. */
static int job_make(job *j, const quire_document *d)
{
    const char *src[8] = {d->id, d->title, d->body, d->date, d->author, d->source, d->url, d->lang};
    size_t len[8], total = 0;
    for (int i = 0; i < 8; i++)
        total += (len[i] = src[i] ? strlen(src[i]) : 0) + 1;
    if (!(j->block = malloc(total)))
        return -1;
    const char **dst[8] = {&j->d.id, &j->d.title, &j->d.body, &j->d.date,
                           &j->d.author, &j->d.source, &j->d.url, &j->d.lang};
    quire_document init = QUIRE_DOCUMENT_INIT;
    j->d = init;
    char *p = j->block;
    for (int i = 0; i < 8; i++) {
        memcpy(p, src[i] ? src[i] : "", len[i]);
        p[len[i]] = '\0';
        *dst[i] = p;
        p += len[i] + 1;
    }
    j->bytes = total;
    return 0;
}

static void fail(worker *w, quire_status st, const char *msg)
{
    if (w->status == QUIRE_OK) {
        w->status = st;
        snprintf(w->err, sizeof w->err, "%s", msg);
    }
}

static void commit_shard(worker *w)
{
    qx_err e;
    if (w->pending_docs)
        test_pause("commit");
    if (w->status == QUIRE_OK && w->pending_docs && qx_db_commit(w->db, &e) != QUIRE_OK)
        fail(w, (quire_status)e.code, e.msg);
    w->pending_docs = 0;
    w->pending_bytes = 0;
}

static void segment_dir(const worker *w, int seg, char *out, size_t n)
{
    snprintf(out, n, "%s.g%d", w->prefix, seg);
}

/* Make segment seg the one written to (committing the current one). */
static quire_status open_segment(worker *w, int seg, char *err)
{
    qx_err e;
    if (w->db) {
        commit_shard(w);
        int rc = qx_db_close(w->db, &e);
        w->db = NULL;
        if (rc != QUIRE_OK)
            return qerr_from_shim(err, &e, w->dir);
    }
    segment_dir(w, seg, w->dir, sizeof w->dir);
    if (!(w->db = qx_db_open_write(w->dir, QX_CREATE_OR_OVERWRITE, &e)))
        return qerr_from_shim(err, &e, w->dir);
    w->seg = seg;
    if (seg + 1 > w->nsegs)
        w->nsegs = seg + 1;
    return qconfig_store(w->db, &w->b->cfg, err);
}

static void note_stale(worker *w, int seg, const char *id)
{
    if (w->nstale == w->stale_cap) {
        size_t cap = w->stale_cap ? 2 * w->stale_cap : 64;
        stale *v = realloc(w->stale, cap * sizeof *v);
        if (!v) {
            fail(w, QUIRE_ENOMEM, "out of memory");
            return;
        }
        w->stale = v;
        w->stale_cap = cap;
    }
    size_t len = strlen(id);
    char *t = malloc(len + 2);
    if (!t) {
        fail(w, QUIRE_ENOMEM, "out of memory");
        return;
    }
    t[0] = PFX_ID[0];
    memcpy(t + 1, id, len + 1);
    w->stale[w->nstale++] = (stale){seg, t};
}

static void write_job(worker *w, job *j)
{
    if (w->status != QUIRE_OK)
        return; /* after an error the rest is dropped */
    if (j->seg != w->seg) {
        char err[QERR_MAX];
        quire_status st = open_segment(w, j->seg, err);
        if (st != QUIRE_OK) {
            fail(w, st, err);
            return;
        }
    }
    if (j->stale_seg >= 0)
        note_stale(w, j->stale_seg, j->d.id);
    built_doc bd;
    char err[QERR_MAX];
    quire_status st = docbuild_make(w->builder, &j->d, &bd, err);
    if (st != QUIRE_OK) {
        fail(w, st, err);
        return;
    }
    qx_err e;
    if (qx_db_replace(w->db, bd.id_term, bd.doc, NULL, &e) != QUIRE_OK)
        fail(w, (quire_status)e.code, e.msg);
    qx_doc_free(bd.doc);
    if (!strmap_get(w->langs, bd.lang, strlen(bd.lang), NULL) &&
        strmap_put(w->langs, bd.lang, strlen(bd.lang), "", 0) != 0)
        fail(w, QUIRE_ENOMEM, "out of memory");
    w->pending_docs++;
    w->pending_bytes += bd.bytes;
    if (w->pending_docs >= w->b->batch_docs || w->pending_bytes >= w->b->batch_bytes)
        commit_shard(w);
}

static void *work(void *arg)
{
    worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->count == 0 && !w->stop && w->flush_done == w->flush_asked)
            pthread_cond_wait(&w->wake, &w->mu);
        if (w->count == 0) {
            if (w->flush_done != w->flush_asked) {
                unsigned long asked = w->flush_asked;
                w->busy = 1;
                pthread_mutex_unlock(&w->mu);
                commit_shard(w);
                pthread_mutex_lock(&w->mu);
                w->busy = 0;
                w->flush_done = asked;
                pthread_cond_broadcast(&w->idle);
                continue;
            }
            break; /* stop, and nothing left */
        }
        job j = w->q[w->head];
        w->head = (w->head + 1) % QUEUE_JOBS;
        w->count--;
        w->queued_bytes -= j.bytes;
        w->busy = 1;
        pthread_cond_signal(&w->room);
        pthread_mutex_unlock(&w->mu);
        write_job(w, &j);
        free(j.block);
        pthread_mutex_lock(&w->mu);
        w->busy = 0;
        if (w->count == 0)
            pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void stop_workers(bulk *b)
{
    for (unsigned i = 0; i < b->n; i++) {
        worker *w = &b->w[i];
        if (!w->started)
            continue;
        pthread_mutex_lock(&w->mu);
        w->stop = 1;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        w->started = 0;
    }
}

static void free_workers(bulk *b, int remove_shards)
{
    for (unsigned i = 0; i < b->n; i++) {
        worker *w = &b->w[i];
        for (size_t k = 0; k < w->count; k++)
            free(w->q[(w->head + k) % QUEUE_JOBS].block);
        qx_err e;
        if (w->db)
            qx_db_close(w->db, &e);
        docbuild_free(w->builder);
        strmap_free(w->langs);
        for (size_t k = 0; k < w->nstale; k++)
            free(w->stale[k].id_term);
        free(w->stale);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->wake);
        pthread_cond_destroy(&w->room);
        pthread_cond_destroy(&w->idle);
        for (int g = w->seg0; remove_shards && g < w->nsegs; g++) {
            char dir[LC_PATH_MAX];
            segment_dir(w, g, dir, sizeof dir);
            lc_remove_tree(dir);
        }
    }
    for (size_t k = 0; remove_shards && k < b->nleft; k++)
        lc_remove_tree(b->left[k].dir);
    free(b->left);
    strmap_free(b->ids);
    free(b->w);
    free(b);
}

bulk *bulk_start(const char *prefix, unsigned n, const qconfig *cfg,
                 unsigned batch_docs, size_t batch_bytes, int resume, char *err)
{
    bulk *b = calloc(1, sizeof *b);
    if (b) {
        b->w = calloc(n, sizeof *b->w);
        b->ids = strmap_new();
    }
    if (!b || !b->w || !b->ids) {
        if (b) {
            free(b->w);
            strmap_free(b->ids);
        }
        free(b);
        qerr_set(err, QUIRE_ENOMEM, "out of memory");
        return NULL;
    }
    int seg0 = 0;
    if (resume && leftovers_load(prefix, cfg, b->ids, &b->unread, &b->left, &b->nleft, &seg0, err) != QUIRE_OK) {
        strmap_free(b->ids);
        free(b->w);
        free(b);
        return NULL;
    }
    b->n = n;
    b->cfg = *cfg;
    b->batch_docs = batch_docs;
    b->batch_bytes = batch_bytes;
    /* QUIRE_SEGMENT_BYTES: tests use tiny segments to exercise replaced
     * documents across segments. */
    const char *seg_env = getenv("QUIRE_SEGMENT_BYTES");
    b->segment_bytes = seg_env && atol(seg_env) > 0 ? (size_t)atol(seg_env) : SEGMENT_BYTES;
    for (unsigned i = 0; i < n; i++) {
        worker *w = &b->w[i];
        w->b = b;
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->wake, NULL);
        pthread_cond_init(&w->room, NULL);
        pthread_cond_init(&w->idle, NULL);
        snprintf(w->prefix, sizeof w->prefix, "%.*s.s%u", (int)sizeof w->prefix - 16, prefix, i);
        w->seg0 = w->nsegs = w->route_seg = seg0;
        if (open_segment(w, seg0, err) != QUIRE_OK)
            goto fail;
        if (!(w->builder = docbuild_new(cfg, err)) || !(w->langs = strmap_new()))
            goto fail;
        if (pthread_create(&w->thread, NULL, work, w) != 0) {
            qerr_set(err, QUIRE_ERROR, "cannot start an indexing thread");
            goto fail;
        }
        w->started = 1;
    }
    return b;
fail:
    stop_workers(b);
    free_workers(b, 1);
    return NULL;
}

size_t bulk_count(const bulk *b)
{
    return strmap_count(b->ids) - b->unread;
}

/* Hand job j (owned from here on) to worker w. */
static quire_status queue(worker *w, job j, char *err)
{
    pthread_mutex_lock(&w->mu);
    while (w->status == QUIRE_OK &&
           (w->count == QUEUE_JOBS || (w->count > 0 && w->queued_bytes + j.bytes > QUEUE_BYTES)))
        pthread_cond_wait(&w->room, &w->mu);
    quire_status st = w->status;
    if (st == QUIRE_OK) {
        w->q[(w->head + w->count) % QUEUE_JOBS] = j;
        w->count++;
        w->queued_bytes += j.bytes;
        pthread_cond_signal(&w->wake);
    } else {
        qerr_set(err, st, "%s", w->err);
        free(j.block);
    }
    pthread_mutex_unlock(&w->mu);
    return st;
}

quire_status bulk_add(bulk *b, const quire_document *doc, const char *sum,
                      quire_add_outcome *outcome, char *err)
{
    size_t idl = strlen(doc->id);
    idmap_entry old;
    int known = idmap_get(b->ids, doc->id, idl, &old);
    if (known && strcmp(old.sum, sum) == 0) {
        *outcome = QUIRE_UNCHANGED;
        if (old.unread) { /* written by the killed run: now read again */
            old.unread = 0;
            b->unread--;
            if (idmap_put(b->ids, doc->id, idl, &old) != 0)
                return qerr_set(err, QUIRE_ENOMEM, "out of memory");
        }
        return QUIRE_OK;
    }
    *outcome = known ? QUIRE_REPLACED : QUIRE_ADDED;
    worker *w = &b->w[bulk_shard_of(doc->id, b->n)];
    job j;
    if (job_make(&j, doc) != 0)
        return qerr_set(err, QUIRE_ENOMEM, "out of memory");
    if (w->route_bytes >= b->segment_bytes) {
        w->route_seg++;
        w->route_bytes = 0;
    }
    w->route_bytes += j.bytes;
    int seg = j.seg = w->route_seg;
    /* An earlier version in one of this run's segments is deleted there
     * before the merge; one in a leftover, by leftovers_prune. */
    j.stale_seg = known && old.seg >= 0 && old.seg != seg ? old.seg : -1;
    quire_status st = queue(w, j, err);
    if (st != QUIRE_OK)
        return st;
    if (known && old.unread)
        b->unread--;
    idmap_entry now = {"", seg, 0};
    snprintf(now.sum, sizeof now.sum, "%s", sum);
    if (idmap_put(b->ids, doc->id, idl, &now) != 0)
        return qerr_set(err, QUIRE_ENOMEM, "out of memory");
    return QUIRE_OK;
}

quire_status bulk_flush(bulk *b, char *err)
{
    for (unsigned i = 0; i < b->n; i++) {
        worker *w = &b->w[i];
        pthread_mutex_lock(&w->mu);
        unsigned long ask = ++w->flush_asked;
        pthread_cond_signal(&w->wake);
        while (w->count > 0 || w->busy || w->flush_done < ask)
            pthread_cond_wait(&w->idle, &w->mu);
        quire_status st = w->status;
        if (st != QUIRE_OK)
            qerr_set(err, st, "%s", w->err);
        pthread_mutex_unlock(&w->mu);
        if (st != QUIRE_OK)
            return st;
    }
    return QUIRE_OK;
}

static int add_lang(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
    (void)v;
    (void)vl;
    return strmap_put(ctx, k, kl, "", 0) != 0;
}

/* Delete from earlier segments the documents replaced in later ones. */
static quire_status delete_stale(worker *w, char *err)
{
    for (int g = w->seg0; g < w->nsegs; g++) {
        qx_db *db = NULL;
        qx_err e;
        char dir[LC_PATH_MAX];
        segment_dir(w, g, dir, sizeof dir);
        for (size_t k = 0; k < w->nstale; k++) {
            if (w->stale[k].seg != g)
                continue;
            if (!db && !(db = qx_db_open_write(dir, QX_OPEN, &e)))
                return qerr_from_shim(err, &e, dir);
            if (qx_db_delete(db, w->stale[k].id_term, &e) != QUIRE_OK) {
                qx_db_close(db, &e);
                return qerr_from_shim(err, &e, dir);
            }
        }
        if (db && qx_db_close(db, &e) != QUIRE_OK)
            return qerr_from_shim(err, &e, dir);
    }
    return QUIRE_OK;
}

/* Does leftover k go into the merge of workers [from, to)? (All of them
 * into a single database; a shard's own into that shard.) */
static int leftover_in(const bulk *b, size_t k, unsigned from, unsigned to)
{
    return (from == 0 && to == b->n) || (b->left[k].shard >= from && b->left[k].shard < to);
}

/* Compact the segments of workers [from, to), and their leftovers, into
 * one database at out. */
static quire_status merge_segments(bulk *b, unsigned from, unsigned to, const char *out, char *err)
{
    size_t n = 0;
    for (unsigned i = from; i < to; i++)
        n += (size_t)(b->w[i].nsegs - b->w[i].seg0);
    for (size_t k = 0; k < b->nleft; k++)
        n += leftover_in(b, k, from, to);
    char (*block)[LC_PATH_MAX] = calloc(n ? n : 1, sizeof *block);
    const char **paths = calloc(n ? n : 1, sizeof *paths);
    quire_status st = QUIRE_OK;
    if (!block || !paths) {
        st = qerr_set(err, QUIRE_ENOMEM, "out of memory");
    } else {
        size_t k = 0;
        for (size_t l = 0; l < b->nleft; l++)
            if (leftover_in(b, l, from, to))
                paths[k++] = b->left[l].dir;
        for (unsigned i = from; i < to; i++)
            for (int g = b->w[i].seg0; g < b->w[i].nsegs; g++, k++) {
                segment_dir(&b->w[i], g, block[k], sizeof block[k]);
                paths[k] = block[k];
            }
        qx_err e;
        if (qx_compact_many(paths, n, out, &e) != QUIRE_OK)
            st = qerr_from_shim(err, &e, out);
    }
    free(block);
    free(paths);
    return st;
}

/* One database per worker: "<dir>/shard-<K>" (dir is created). */
static quire_status merge_separately(bulk *b, const char *dir, char *err)
{
    if (mkdir(dir, 0777) != 0)
        return qerr_set(err, QUIRE_EIO, "%s: cannot create the sharded index: %s", dir, strerror(errno));
    quire_status st = QUIRE_OK;
    for (unsigned i = 0; i < b->n && st == QUIRE_OK; i++) {
        char out[LC_PATH_MAX];
        snprintf(out, sizeof out, "%.*s/shard-%u", LC_PATH_MAX - 32, dir, i);
        st = merge_segments(b, i, i + 1, out, err);
    }
    return st;
}

quire_status bulk_finish(bulk *b, const char *target, int separate, strmap *langs, char *err)
{
    stop_workers(b);
    quire_status st = QUIRE_OK;
    for (unsigned i = 0; i < b->n && st == QUIRE_OK; i++) {
        worker *w = &b->w[i];
        qx_err e;
        if (w->status != QUIRE_OK) {
            st = qerr_set(err, w->status, "%s", w->err);
            break;
        }
        int rc = qx_db_close(w->db, &e); /* commits the last batch */
        w->db = NULL;
        if (rc != QUIRE_OK)
            st = qerr_from_shim(err, &e, w->dir);
        if (st == QUIRE_OK)
            st = delete_stale(w, err);
        strmap_each(w->langs, add_lang, langs);
    }
    if (st == QUIRE_OK)
        st = leftovers_prune(b->left, b->nleft, b->ids, langs, err);
    if (st == QUIRE_OK) {
        test_pause("merging");
        st = separate ? merge_separately(b, target, err) : merge_segments(b, 0, b->n, target, err);
        if (st != QUIRE_OK)
            lc_remove_tree(target);
    }
    free_workers(b, 0);
    return st;
}

void bulk_abort(bulk *b, int keep)
{
    if (!b)
        return;
    for (unsigned i = 0; i < b->n; i++) {
        worker *w = &b->w[i];
        pthread_mutex_lock(&w->mu);
        if (w->status == QUIRE_OK && !keep)
            w->status = QUIRE_EINVAL; /* makes the worker drop its queue */
        if (!keep)
            snprintf(w->err, sizeof w->err, "abandoned");
        pthread_mutex_unlock(&w->mu);
    }
    /* Kept: the workers write what is queued, and closing their segments
     * commits it. */
    stop_workers(b);
    free_workers(b, !keep);
}
