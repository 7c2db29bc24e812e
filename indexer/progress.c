/* progress.c — see progress.h. Writes "\r...\033[K" to stderr. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

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
}

void progress_update(progress *p, uint64_t docs, uint64_t bytes, uint64_t total)
{
    if (!p->enabled)
        return;
    double t = now_seconds();
    if (t - p->last < 0.25)
        return;
    p->last = t;
    double el = t - p->start;
    double rate = el > 0 ? (double)docs / el : 0;
    fprintf(stderr, "\r%llu docs  %.1f MB  %.0f docs/s", (unsigned long long)docs,
            (double)bytes / 1e6, rate);
    if (total && bytes > 0 && bytes <= total) {
        double eta = el * (double)(total - bytes) / (double)bytes;
        fprintf(stderr, "  %.0f%%  ETA %d:%02d", 100.0 * (double)bytes / (double)total,
                (int)eta / 60, (int)eta % 60);
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
