/*
 * progress.h — the one-line progress display of quire-index on a terminal:
 * documents, text read, speed, the share of the input read and when
 * reading will end; then, while the index is written and merged (which
 * with several writers can take a while after the last document was
 * read), what is being done and for how long.
 */
#ifndef QUIRE_INDEXER_PROGRESS_H
#define QUIRE_INDEXER_PROGRESS_H

#include <pthread.h>
#include <stdint.h>

enum { PROGRESS_SAMPLES = 12 }; /* 3 s of redraws */

typedef struct progress {
    int enabled;        /* only when stderr is a terminal and not --quiet */
    double start, last; /* monotonic seconds */
    int shown;          /* a line is on screen */
    /* Recent (time, bytes read) samples: the ETA follows the recent pace,
     * which is the writers' once their queues are full, not the pace of
     * the first seconds, when reading only filled the queues. */
    double at[PROGRESS_SAMPLES];
    uint64_t read[PROGRESS_SAMPLES];
    unsigned nsamples, next;
    /* The phase display: a thread redrawing "LABEL... M:SS". */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t stop_cv;
    int running, stop;
    const char *label;
    double phase_start;
} progress;

double now_seconds(void);
void progress_init(progress *p, int enabled);
/* Redraw at most a few times a second. text: bytes of text read; done and
 * total: input bytes read and in all (as the files are: compressed ones
 * count compressed), total 0 = unknown (no share, no ETA). */
void progress_update(progress *p, uint64_t docs, uint64_t text, uint64_t done, uint64_t total);
/* Erase the line before other output. */
void progress_clear(progress *p);
/* Show label with the time it has been going until progress_phase_end();
 * for work that gives no progress of its own. */
void progress_phase_begin(progress *p, const char *label);
void progress_phase_end(progress *p);

#endif
