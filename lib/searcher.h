/*
 * searcher.h — the insides of quire_searcher and quire_results (quire.h),
 * shared by search.c, which opens indexes and runs queries, and the files
 * that add to a search: facets, more-like-this, did-you-mean, synonyms and
 * reading a whole article (article.c). Internal: not part of the API.
 */
#ifndef QUIRE_SEARCHER_H
#define QUIRE_SEARCHER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "analyzer.h"
#include "bodystore.h"
#include "config.h"
#include "docdata.h"
#include "error.h"
#include "facets.h"
#include "lifecycle.h"
#include "members.h"
#include "query_build.h"
#include "query_parse.h"
#include "quire.h"
#include "snippet.h"
#include "synonyms.h"
#include "xapian_shim.h"

struct quire_searcher {
    char *path;
    memberset *ms;         /* a stub: its databases (s->db combines them) */
    char stubfile[LC_PATH_MAX]; /* a stub: the file naming them */
    struct stat stub_st;   /* and what it was when they were opened */
    char dir[LC_PATH_MAX]; /* the version actually open */
    int pin_fd;            /* keeps that version from being removed */
    qx_db *db;
    qconfig cfg;
    char **langs;
    size_t nlangs;
    qa_analyzer *an;
    snippeter *snip;
    bs_zip zip;            /* inflating stored bodies */
    syn_table *syn;        /* the synonym groups, or NULL when there are none */
    strmap *fvcache;       /* facet value -> its term (facets.h) */
    strmap *vocab;         /* parts of the term list, for suggestions
                              (suggest.h); emptied when the index moves */
    quire_searcher_options opts;
    char cfgdesc[160];
    quire_status code;     /* status of the last call (error.h) */
    char err[QERR_MAX];
    size_t err_offset;
    /* quire_searcher_stats() strings */
    char st_langs[1024], st_updated[64], st_writer[32];
};

typedef struct hit_store {
    docdata dd;
    snippet sn;
    quire_span *tspans;
    size_t ntspans;
    char *smark, *tmark;
} hit_store;

struct quire_results {
    quire_hit *hits;
    hit_store *store;
    size_t n;
    uint64_t total;
    int exact;
    unsigned partial;      /* QUIRE_PARTIAL_* */
    char *parsed, *ranking, *warning;
    /* The query that ran, described only when asked for: a description
     * costs as much as a short search and is read only by --explain. */
    qx_query *xq;
    char *xquery;
    facet_set *facets;     /* NULL when none were asked for */
    char *suggestion;      /* did you mean, or NULL */
};

/* The body of a public call on s: clear its error, run call, record its
 * outcome (error.h). */
#define SEARCHER_CALL(s, call)                                                 \
    do {                                                                       \
        if (!(s))                                                              \
            return QUIRE_EINVAL;                                               \
        qerr_begin((s)->err, &(s)->code);                                      \
        (s)->err_offset = (size_t)-1;                                          \
        return qerr_end((s)->err, &(s)->code, (call));                         \
    } while (0)

/* Forget what was read from the index's term list (it moved on). */
void searcher_forget_vocab(quire_searcher *s);

/* Does any database of s live on a remote server? */
int searcher_has_remote(const quire_searcher *s);

/* What every call that reads s does first: clear the last error, check
 * that there is somewhere to put the result (have_out) and that s is
 * open, and read the caller's options as the current version into *norm. */
quire_status searcher_begin(quire_searcher *s, int have_out, const quire_search_options *opts,
                            quire_search_options *norm);

/* The document number of id in s->db; ENOTFOUND (with a message) when
 * there is no such document. */
quire_status searcher_docid(quire_searcher *s, const char *id, uint32_t *docid);

/* How queries are built for s with options o (o->lang picks the stemming
 * language). Points into itself: fill in place, do not copy. */
typedef struct search_ctx {
    qbuild_ctx b;
    char lang[LANG_CODE_MAX];
    const char *one[1];
} search_ctx;
quire_status searcher_ctx(quire_searcher *s, const quire_search_options *o, search_ctx *sc);

/* Parse query with s's limits (error offset set on failure). */
quire_status searcher_parse(quire_searcher *s, const char *query, qnode **tree);

/* Build tree into *qb (free with qbuild_free) against s's current
 * databases. */
quire_status searcher_build(quire_searcher *s, const qnode *tree, search_ctx *sc, qbuild *qb);

/* Run fn(s, arg), again after a shard stopped answering (dropped with
 * opts.partial, else an error naming it) or the index moved on under the
 * searcher (reopened), as every read of an index needs. */
quire_status searcher_retry(quire_searcher *s, quire_status (*fn)(quire_searcher *s, void *arg), void *arg);
/* After a read by id: a document not found while shards are left out
 * (partial) may be on one of them, so that is QUIRE_ENETWORK, saying so,
 * not "no such document". Other statuses pass through. */
quire_status searcher_unknown_if_partial(quire_searcher *s, quire_status st);

#endif
