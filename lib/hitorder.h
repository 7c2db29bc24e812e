/*
 * hitorder.h — the order of a page of hits, the same for every layout of
 * an index (one database, local shards, remote shards).
 *
 * Xapian's order is not quite that. It adds the weights of a query's terms
 * in an order chosen from each database's own statistics, so the weight of
 * one document can differ in the last bits between layouts (measured: one
 * unit in the last place; in general at most about n * 2^-53 of the score
 * for n terms), and it breaks exact ties by its document number, which
 * differs between layouts. So quire rounds every weight to 12 significant
 * digits (ho_round; far coarser than that error) and orders hits by their
 * sort keys, then the rounded score, then the document id (byte order).
 * Xapian sorts by the raw weight and the id, so its order differs from
 * that only inside runs of hits with equal keys and equal rounded scores;
 * those runs are re-sorted here. A run that reaches the end of what was
 * fetched may go on beyond it: then more must be fetched first.
 *
 * Sorting by relevance and then by the id value costs Xapian a value read
 * per candidate (about half as much again on Reuters queries), so a
 * relevance page is first asked for by relevance alone, without keys: ties
 * inside what was fetched are put in order with the ids of their hits, and
 * only a run of ties that may go on past it (a boolean query is one run)
 * makes it asked for again with the ids as sort keys, and with a weight
 * cutoff just under the run (ho_page.run_low), so that Xapian reads the
 * id of no document that weighs less.
 *
 * A score that lies within that error of a rounding boundary can still
 * round differently in two layouts (the chance is about n * 1e-5 per
 * score); then the two differ by one in the 12th digit, and in order only
 * if that decides a tie.
 */
#ifndef QUIRE_HITORDER_H
#define QUIRE_HITORDER_H

#include <stddef.h>

#include "quire.h"

/* w rounded to 12 significant digits. */
double ho_round(double w);

/* How to read hit i (0-based, in Xapian's order) of what was fetched.
 * key: the value Xapian sorted on (the id for a relevance sort, the date
 * for a date sort), NULL for a relevance sort without keys; id: the
 * document id (read for ties only). Strings are malloc'd for the caller.
 * Errors leave a message in the caller's ctx. */
typedef struct ho_src {
    void *ctx;
    double (*weight)(void *ctx, size_t i);
    quire_status (*key)(void *ctx, size_t i, char **s, size_t *len);
    quire_status (*id)(void *ctx, size_t i, char **s, size_t *len);
} ho_src;

typedef struct ho_page {
    size_t *at;       /* at[k]: the fetched hit shown k-th in the page; malloc'd */
    double *score;    /* its rounded score; malloc'd */
    size_t n;         /* hits in the page */
    int need_more;    /* fetch more hits (at least twice as many) and ask again */
    int need_keys;    /* no keys, and a run of ties may go on past what was
                         fetched: fetch again sorted by relevance and id */
    double run_low;   /* need_keys: the lowest raw weight fetched of that
                         run; nothing weighing less than the run belongs
                         in the page */
} ho_page;

/* The page [first, first + count) of the n hits fetched. more: there may
 * be hits beyond the n. by_date: the sort key is a date, and ties go to
 * the score, then the id; otherwise the key is the id. */
quire_status ho_order(const ho_src *src, size_t n, int more, int by_date,
                      size_t first, size_t count, ho_page *out);
void ho_page_free(ho_page *p);

#endif
