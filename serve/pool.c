/* pool.c — see pool.h. */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct slot {
    pthread_t tid;
    worker w;
    quire_searcher *failed; /* the handle of a failed open, for its message */
    double last_check;      /* serve_now() of the last open/reopen */
    char last_warning[512]; /* so a failing reopen is reported once */
    pool *p;
} slot;

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work;    /* a request was queued, or stop */
    pthread_cond_t idle;    /* the queue emptied and no one is busy */
    pthread_cond_t tick;    /* wakes the watch early: stop */
    request *head, *tail;
    unsigned busy;
    int closed, stop;
    pthread_t watch;        /* answers requests that waited too long */
    int watching;
    slot *slots;
    unsigned n, started;
    const serve_config *cfg;
    pool_handler handle;
    pool_done done;
};

double serve_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Open the searcher if it is not open, else move it to the newest
 * version. A failed reopen keeps the version that is open (it still
 * answers) and is reported once per distinct message. */
static void refresh(slot *sl)
{
    const serve_config *cfg = sl->p->cfg;
    sl->last_check = serve_now();
    if (!sl->w.s) {
        quire_searcher_close(sl->failed);
        sl->failed = NULL;
        quire_searcher *s;
        if (quire_searcher_open(cfg->index, &cfg->sopts, &s) == QUIRE_OK) {
            sl->w.s = s;
            sl->w.open_error = NULL;
        } else {
            sl->failed = s;
            sl->w.open_error = s ? quire_searcher_errmsg(s) : "out of memory";
        }
        return;
    }
    if (quire_searcher_reopen(sl->w.s) != QUIRE_OK) {
        const char *msg = quire_searcher_errmsg(sl->w.s);
        if (strcmp(msg, sl->last_warning) != 0) {
            snprintf(sl->last_warning, sizeof sl->last_warning, "%s", msg);
            fprintf(stderr, "quire-serve: warning: reopening %s: %s (answering from the version open)\n",
                    cfg->index, msg);
        }
    } else {
        sl->last_warning[0] = '\0';
    }
}

static void deadline_in(struct timespec *ts, double seconds)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    double whole = (double)(long)seconds;
    ts->tv_sec += (time_t)whole;
    ts->tv_nsec += (long)((seconds - whole) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *run(void *arg)
{
    slot *sl = arg;
    pool *p = sl->p;
    double every = p->cfg->reopen_interval;
    refresh(sl);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (!p->head && p->stop)
            break;
        if (!p->head) {
            /* Idle: wake up to move to a new version even without work. */
            double wait = sl->last_check + every - serve_now();
            if (wait <= 0) {
                pthread_mutex_unlock(&p->mu);
                refresh(sl);
                pthread_mutex_lock(&p->mu);
            } else {
                struct timespec until;
                deadline_in(&until, wait);
                pthread_cond_timedwait(&p->work, &p->mu, &until);
            }
            continue;
        }
        request *req = p->head;
        p->head = req->next;
        if (!p->head)
            p->tail = NULL;
        p->busy++;
        pthread_mutex_unlock(&p->mu);
        if (serve_now() - sl->last_check >= every)
            refresh(sl);
        p->handle(&sl->w, req);
        p->done(req);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0 && !p->head)
            pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* How often the watch looks at the queue (seconds). */
#define WATCH_EVERY 0.05

/* The watch: a request that has waited longer than --time-limit for a
 * worker is answered 503 now, not when a worker frees up (a long search
 * ahead of it could hold it, and /healthz, for as long as it ran). The
 * handler answers it (it sees the wait) with no searcher. */
static void *watch(void *arg)
{
    pool *p = arg;
    worker none = {NULL, NULL, p->cfg};
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        double now = serve_now();
        request *late = NULL, **at = &p->head, *last = NULL;
        unsigned nlate = 0;
        while (*at) {
            request *r = *at;
            if (now - r->t_queued > p->cfg->time_limit) {
                *at = r->next;
                r->next = late;
                late = r;
                nlate++;
            } else {
                last = r;
                at = &r->next;
            }
        }
        p->tail = last;
        p->busy += nlate; /* so that a drain waits for their answers */
        pthread_mutex_unlock(&p->mu);
        for (request *r = late, *next; r; r = next) {
            next = r->next; /* done() hands r back: read nothing after it */
            p->handle(&none, r);
            p->done(r);
        }
        pthread_mutex_lock(&p->mu);
        p->busy -= nlate;
        if (nlate && p->busy == 0 && !p->head)
            pthread_cond_broadcast(&p->idle);
        struct timespec until;
        deadline_in(&until, WATCH_EVERY);
        pthread_cond_timedwait(&p->tick, &p->mu, &until);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

pool *pool_start(const serve_config *cfg, pool_handler handle, pool_done done)
{
    pool *p = calloc(1, sizeof *p);
    if (!p || !(p->slots = calloc(cfg->threads, sizeof *p->slots))) {
        free(p);
        fprintf(stderr, "quire-serve: out of memory\n");
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->work, &ca);
    pthread_cond_init(&p->tick, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&p->idle, NULL);
    p->n = cfg->threads;
    p->cfg = cfg;
    p->handle = handle;
    p->done = done;
    for (unsigned i = 0; i < p->n; i++) {
        p->slots[i].p = p;
        p->slots[i].w.cfg = cfg;
        int rc = pthread_create(&p->slots[i].tid, NULL, run, &p->slots[i]);
        if (rc != 0) {
            fprintf(stderr, "quire-serve: cannot start worker %u: %s\n", i + 1, strerror(rc));
            pool_stop(p);
            return NULL;
        }
        p->started++;
    }
    int rc = pthread_create(&p->watch, NULL, watch, p);
    if (rc != 0) {
        fprintf(stderr, "quire-serve: cannot start the queue watch: %s\n", strerror(rc));
        pool_stop(p);
        return NULL;
    }
    p->watching = 1;
    return p;
}

int pool_submit(pool *p, request *req)
{
    pthread_mutex_lock(&p->mu);
    if (p->closed) {
        pthread_mutex_unlock(&p->mu);
        return -1;
    }
    req->next = NULL;
    if (p->tail)
        p->tail->next = req;
    else
        p->head = req;
    p->tail = req;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void pool_close_and_drain(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->closed = 1;
    while (p->head || p->busy)
        pthread_cond_wait(&p->idle, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void pool_stop(pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->closed = p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->tick);
    pthread_mutex_unlock(&p->mu);
    if (p->watching)
        pthread_join(p->watch, NULL);
    for (unsigned i = 0; i < p->started; i++) {
        pthread_join(p->slots[i].tid, NULL);
        quire_searcher_close(p->slots[i].w.s);
        quire_searcher_close(p->slots[i].failed);
    }
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->tick);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->mu);
    free(p->slots);
    free(p);
}
