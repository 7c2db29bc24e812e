/* progress.c — see progress.h. Writes "\r...\033[K" to stderr. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

/* Below this much time the pace says too little for an ETA. */
#define ETA_AFTER_SECONDS 1.0

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress *p, int enabled)
{
    p->enabled = enabled;
    p->start = now_seconds();
    p->last = p->start - 1.0; /* draw at the first update */
    p->shown = 0;
    p->running = 0;
    p->nsamples = p->next = 0;
}

/* Seconds left at the pace of the last few seconds; -1 if unknown. */
static double eta(progress *p, double t, uint64_t done, uint64_t total)
{
    unsigned oldest = p->nsamples < PROGRESS_SAMPLES ? 0 : p->next;
    double dt = p->nsamples ? t - p->at[oldest] : 0;
    uint64_t dd = p->nsamples ? done - p->read[oldest] : 0;
    p->at[p->next] = t;
    p->read[p->next] = done;
    p->next = (p->next + 1) % PROGRESS_SAMPLES;
    if (p->nsamples < PROGRESS_SAMPLES)
        p->nsamples++;
    if (dt < ETA_AFTER_SECONDS || !dd)
        return -1;
    return (double)(total - done) * dt / (double)dd;
}

void progress_update(progress *p, uint64_t docs, uint64_t text, uint64_t done, uint64_t total)
{
    if (!p->enabled)
        return;
    double t = now_seconds();
    if (t - p->last < 0.25)
        return;
    p->last = t;
    double el = t - p->start;
    double rate = el > 0 ? (double)docs / el : 0;
    fprintf(stderr, "\r%llu docs  %.1f MB text  %.0f docs/s", (unsigned long long)docs, (double)text / 1e6, rate);
    if (total && done > 0 && done <= total) {
        fprintf(stderr, "  %.0f%% read", 100.0 * (double)done / (double)total);
        double left = eta(p, t, done, total);
        if (left >= 0)
            fprintf(stderr, ", ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    fputs("\033[K", stderr);
    p->shown = 1;
}

void progress_clear(progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = 0;
}

static void draw_phase(progress *p)
{
    int secs = (int)(now_seconds() - p->phase_start);
    fprintf(stderr, "\r%s... %d:%02d\033[K", p->label, secs / 60, secs % 60);
    fflush(stderr);
    p->shown = 1;
}

/* Redraw the phase's clock every second until it ends (begin drew it
 * once already, so that a phase over before this thread first runs is
 * still shown). */
static void *phase_thread(void *arg)
{
    progress *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&p->stop_cv, &p->mu, &until);
        if (!p->stop)
            draw_phase(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void progress_phase_begin(progress *p, const char *label)
{
    if (!p->enabled || p->running)
        return;
    progress_clear(p);
    p->label = label;
    p->phase_start = now_seconds();
    p->stop = 0;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->stop_cv, NULL);
    draw_phase(p);
    if (pthread_create(&p->thread, NULL, phase_thread, p) == 0) {
        p->running = 1;
    } else { /* no thread: the label stays as drawn */
        pthread_cond_destroy(&p->stop_cv);
        pthread_mutex_destroy(&p->mu);
    }
}

void progress_phase_end(progress *p)
{
    if (!p->running)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->stop_cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->stop_cv);
    pthread_mutex_destroy(&p->mu);
    p->running = 0;
    progress_clear(p);
}
