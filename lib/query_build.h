/*
 * query_build.h — a parsed query (query_parse.h) to a Xapian query, through
 * the same analyzer as the index, plus what snippets should highlight.
 *
 * Word rules (documented in quire-query(1)):
 *   - an unquoted word matches its stem (Z terms) in every language the
 *     index holds documents in; =word matches the exact word;
 *   - a word the analyzer splits (Jong-un, 北京大学) becomes a phrase;
 *   - unquoted stopwords are dropped from a group that has other words
 *     (index stopword policy "query"); quoted ones always count;
 *   - NEAR takes single words and matches them exactly (positions are on
 *     exact words); field and date terms are filters that add no weight.
 */
#ifndef QUIRE_QUERY_BUILD_H
#define QUIRE_QUERY_BUILD_H

#include <stddef.h>

#include "analyzer.h"
#include "config.h"
#include "query_parse.h"
#include "quire.h"
#include "synonyms.h"
#include "xapian_shim.h"

/* One thing to highlight in stored text. */
typedef enum { HL_STEMS, HL_EXACT, HL_PREFIX, HL_PHRASE } hl_kind;

typedef struct hl_spec {
    hl_kind kind;
    qfield field;     /* QF_ANY (title and body) or QF_TITLE */
    char **terms;     /* STEMS: alternatives; EXACT/PREFIX: one; PHRASE: in order */
    size_t nterms;
    int on_stems;     /* PHRASE, EXACT: terms are stems (positions=stems
                         index), so any form with that stem matched */
    int group;        /* one id per query word/phrase, for "distinct terms" */
} hl_spec;

typedef struct qbuild {
    qx_query *query;
    hl_spec *hl;
    size_t nhl;
    int ngroups;
    char *parsed;     /* S-expression of the query as understood */
    char *ranking;    /* how it is scored (quire_results_ranking) */
} qbuild;

typedef struct qbuild_ctx {
    qx_db *db;                 /* for wildcard expansion */
    qa_analyzer *an;
    const qconfig *cfg;
    const char *const *langs;  /* document languages in the index */
    size_t nlangs;
    quire_default_op op;
    unsigned max_wildcard;
    int proximity;             /* add word-proximity evidence (proximity.h) */
    const syn_table *syn;      /* synonym groups, or NULL */
} qbuild_ctx;

/* Build; on failure returns the status with err filled (offset into the
 * query where it applies). */
int qbuild_run(const qbuild_ctx *c, const qnode *root, qbuild *out,
               qparse_error *err);
void qbuild_free(qbuild *b);

/* Shared with proximity.c, which must find the same positional terms. */
/* Prefix of the terms that carry word positions in field f. */
const char *qbuild_exact_prefix(const qconfig *cfg, qfield f);
/* The form of token k used in positional queries of field f: the exact
 * word, or its stem in an index built with positions=stems. */
void qbuild_exact_form(const qconfig *cfg, qfield f, const qa_tokens *t,
                       const qa_token *k, const char **form, size_t *len);
/* Is token k left out of the index (too long, or an indexed-out stopword)? */
int qbuild_not_indexed(const qconfig *cfg, const qa_token *k);

#endif
