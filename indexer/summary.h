/*
 * summary.h — the closing report of a quire-index run, as text or JSON.
 */
#ifndef QUIRE_INDEXER_SUMMARY_H
#define QUIRE_INDEXER_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

typedef struct summary {
    const char *index;
    uint64_t outcomes[3];  /* indexed by quire_add_outcome */
    uint64_t skipped;
    uint64_t duplicate_ids; /* documents whose id came earlier in the run */
    uint64_t deleted;      /* by --prune */
    uint64_t bytes_read;
    uint64_t documents;    /* in the index afterwards */
    double seconds;
    char config[160];
} summary;

/* Bytes used by the files under path. */
uint64_t dir_bytes(const char *path);

void summary_print_text(const summary *s, FILE *f);
void summary_print_json(const summary *s, FILE *f);

#endif
