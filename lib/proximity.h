/*
 * proximity.h — word-proximity evidence for ranking.
 *
 * Documents where the query's words occur close together are more often
 * the relevant ones. Following the sequential dependence model (Metzler &
 * Croft, SIGIR 2005), each pair of adjacent query words adds two pieces of
 * evidence to the single-word BM25 score: the pair in order and adjacent
 * (Xapian OP_PHRASE), and the pair in any order within 8 words (OP_NEAR),
 * weighted 0.10 and 0.05 against the words' 0.85 (Metzler & Croft's
 * published defaults, not fitted to any collection). Xapian scores a
 * phrase or near match with the BM25 weights of its words, so a pair found
 * close together adds 0.10/0.85 (in order) plus 0.05/0.85 (anywhere within
 * the window) of its words' weights again.
 *
 * The evidence only adds weight: it is attached with OP_AND_MAYBE, so the
 * set of matching documents and their count do not change, and being made
 * of Xapian queries it is scored the same on one database, shards and
 * remote shards.
 *
 * Pairs: consecutive words of one group (words juxtaposed with the default
 * operator), in the same field (body or title). Stopwords never form a
 * pair: they are bridged, the pair of words around them getting a window
 * one word wider per stopword ("retrieval of information" pairs retrieval
 * with information, one word apart). Phrases, NEAR, wildcards, negated
 * words and filters break a sequence. At most PROX_MAX_PAIRS pairs, the
 * first ones in the query, are used, which bounds the cost of long
 * (pasted) queries.
 */
#ifndef QUIRE_PROXIMITY_H
#define QUIRE_PROXIMITY_H

#include "query_build.h"
#include "query_parse.h"
#include "xapian_shim.h"

/* Weights relative to the single-word part, from Metzler & Croft's
 * lambda_T = 0.85, lambda_O = 0.10, lambda_U = 0.05. */
#define PROX_ORDERED_WEIGHT (0.10 / 0.85)
#define PROX_UNORDERED_WEIGHT (0.05 / 0.85)
/* Unordered window in words for two adjacent words (Metzler & Croft's #uw8). */
#define PROX_UNORDERED_WINDOW 8
/* Most word pairs a query contributes. */
#define PROX_MAX_PAIRS 32

/* The start of the ranking description: the weights above, spelt out
 * (test_proximity checks that they agree). */
extern const char prox_desc_head[];

/*
 * Add the proximity evidence for the query tree root to *q, the weighted
 * query built from it with c (its analyzer and index configuration): *q is
 * replaced by *q AND_MAYBE the pair queries. On success returns 0 with
 * *desc (malloc'd) describing the pairs for quire_results_ranking(), or
 * NULL and *q unchanged when the query has no pair. On failure returns a
 * quire_status with err filled and *q unchanged.
 */
int prox_add(const qbuild_ctx *c, const qnode *root, qx_query **q, char **desc,
             qparse_error *err);

#endif
