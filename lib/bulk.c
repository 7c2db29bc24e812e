/* bulk.c — see bulk.h. Each worker owns a bounded queue of copied
 * documents, a docbuilder (analyzer) and a Xapian writer; the caller's
 * thread only validates, copies and queues. */
#include "bulk.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "docbuild.h"
#include "error.h"
#include "lifecycle.h"
#include "schema.h"
#include "testpause.h"
#include "xapian_shim.h"

enum {
    QUEUE_JOBS = 64,
    QUEUE_BYTES = 16 * 1024 * 1024
};

typedef struct job {
    quire_document d;
    char *block; /* all the strings of d */
    size_t bytes;
} job;

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
    char dir[LC_PATH_MAX];
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
    qconfig cfg;
    unsigned batch_docs;
    size_t batch_bytes;
};

unsigned bulk_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
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

static void write_job(worker *w, job *j)
{
    if (w->status != QUIRE_OK)
        return; /* after an error the rest is dropped */
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
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->wake);
        pthread_cond_destroy(&w->room);
        pthread_cond_destroy(&w->idle);
        if (remove_shards && w->dir[0])
            lc_remove_tree(w->dir);
    }
    free(b->w);
    free(b);
}

bulk *bulk_start(const char *prefix, unsigned n, const qconfig *cfg,
                 unsigned batch_docs, size_t batch_bytes, char *err)
{
    bulk *b = calloc(1, sizeof *b);
    if (b)
        b->w = calloc(n, sizeof *b->w);
    if (!b || !b->w) {
        free(b);
        qerr_set(err, QUIRE_ENOMEM, "out of memory");
        return NULL;
    }
    b->n = n;
    b->cfg = *cfg;
    b->batch_docs = batch_docs;
    b->batch_bytes = batch_bytes;
    for (unsigned i = 0; i < n; i++) {
        worker *w = &b->w[i];
        w->b = b;
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->wake, NULL);
        pthread_cond_init(&w->room, NULL);
        pthread_cond_init(&w->idle, NULL);
        snprintf(w->dir, sizeof w->dir, "%.*s.s%u", LC_PATH_MAX - 16, prefix, i);
        qx_err e;
        if (!(w->db = qx_db_open_write(w->dir, QX_CREATE_OR_OVERWRITE, &e))) {
            qerr_from_shim(err, &e, w->dir);
            goto fail;
        }
        if (qconfig_store(w->db, cfg, err) != QUIRE_OK)
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

quire_status bulk_add(bulk *b, const quire_document *doc, char *err)
{
    worker *w = &b->w[hash_id(doc->id) % b->n];
    job j;
    if (job_make(&j, doc) != 0)
        return qerr_set(err, QUIRE_ENOMEM, "out of memory");
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

quire_status bulk_finish(bulk *b, const char *target, strmap *langs, char *err)
{
    stop_workers(b);
    quire_status st = QUIRE_OK;
    const char **dirs = calloc(b->n, sizeof *dirs);
    if (!dirs)
        st = qerr_set(err, QUIRE_ENOMEM, "out of memory");
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
        strmap_each(w->langs, add_lang, langs);
        dirs[i] = w->dir;
    }
    if (st == QUIRE_OK) {
        qx_err e;
        if (qx_compact_many(dirs, b->n, target, &e) != QUIRE_OK) {
            st = qerr_from_shim(err, &e, target);
            lc_remove_tree(target);
        }
    }
    free(dirs);
    free_workers(b, 1);
    return st;
}

void bulk_abort(bulk *b)
{
    if (!b)
        return;
    for (unsigned i = 0; i < b->n; i++) {
        worker *w = &b->w[i];
        pthread_mutex_lock(&w->mu);
        if (w->status == QUIRE_OK)
            w->status = QUIRE_EINVAL; /* makes the worker drop its queue */
        snprintf(w->err, sizeof w->err, "abandoned");
        pthread_mutex_unlock(&w->mu);
    }
    stop_workers(b);
    free_workers(b, 1);
}
