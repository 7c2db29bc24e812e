/*
 * progress.h — the one-line progress display of quire-index on a terminal.
 */
#ifndef QUIRE_INDEXER_PROGRESS_H
#define QUIRE_INDEXER_PROGRESS_H

#include <stdint.h>

typedef struct progress {
    int enabled;        /* only when stderr is a terminal and not --quiet */
    double start, last; /* monotonic seconds */
    int shown;          /* a line is on screen */
} progress;

double now_seconds(void);
void progress_init(progress *p, int enabled);
/* Redraw at most a few times a second. total 0 = unknown (no ETA). */
void progress_update(progress *p, uint64_t docs, uint64_t bytes, uint64_t total);
/* Erase the line before other output. */
void progress_clear(progress *p);

#endif
