/*
 * xapian_shim.h — the C face of libxapian, for the rest of libquire.
 *
 * Xapian is C++ and throws; quire is C. Everything that touches Xapian goes
 * through these functions, implemented in xapian_shim.cc, which catch every
 * exception and turn it into a quire_status plus a message in a qx_err the
 * caller provides (no allocation on the error path). Functions returning a
 * pointer return NULL on failure; functions returning int return a
 * quire_status.
 *
 * Ownership: every qx_* handle returned is owned by the caller and freed
 * with its *_free/close function. Strings returned through char ** are
 * malloc'd and freed by the caller with free().
 */
#ifndef QUIRE_XAPIAN_SHIM_H
#define QUIRE_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qx_err {
    int code;       /* quire_status */
    char msg[512];
} qx_err;

typedef struct qx_db qx_db;
typedef struct qx_doc qx_doc;
typedef struct qx_query qx_query;
typedef struct qx_mset qx_mset;
typedef struct qx_stem qx_stem;

/* ---- Databases ---------------------------------------------------------- */

enum qx_open_mode {
    QX_OPEN = 1,           /* existing only */
    QX_CREATE_OR_OPEN = 2,
    QX_CREATE_OR_OVERWRITE = 3
};

/* Writable database (glass). Fails with QUIRE_ELOCKED if another writer
 * has it. */
qx_db *qx_db_open_write(const char *path, int mode, qx_err *e);
/* Read-only: a database directory or a stub file. */
qx_db *qx_db_open_read(const char *path, qx_err *e);
/* Read-only remote database served by xapian-tcpsrv. timeout_ms applies to
 * connecting and to each operation. */
qx_db *qx_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                         qx_err *e);
/* An empty read-only database that others can be added to. */
qx_db *qx_db_new_multi(qx_err *e);
/* Add sub's shards to multi (read-only handles only). */
int qx_db_add(qx_db *multi, qx_db *sub, qx_err *e);
/* Free a handle without closing the databases it shares with others (a
 * multi built by qx_db_add, whose shards stay open in their own handles). */
void qx_db_release(qx_db *db);
/* Reopen a read-only database; *changed (may be NULL) says whether it moved
 * to a newer revision. */
int qx_db_reopen(qx_db *db, int *changed, qx_err *e);
/* The documents may have changed under db (a multi's members were
 * reopened one by one, or a reopen failed part-way): forget the value
 * tables kept for counting facets, which describe the revisions before. */
void qx_db_forget_values(qx_db *db);
/* Commit (writable only). */
int qx_db_commit(qx_db *db, qx_err *e);
/* Transactions (writable only): changes after begin are written by
 * commit_tx and dropped by cancel_tx or by closing without commit_tx. */
int qx_db_begin_tx(qx_db *db, qx_err *e);
int qx_db_commit_tx(qx_db *db, qx_err *e);
int qx_db_cancel_tx(qx_db *db, qx_err *e);
/* Close and free; for a writable database this commits first. NULL ok. */
int qx_db_close(qx_db *db, qx_err *e);

int qx_db_doc_count(qx_db *db, uint64_t *count, qx_err *e);
/* Sum of the document lengths (words indexed, with their weights). */
int qx_db_total_length(qx_db *db, uint64_t *len, qx_err *e);
/* Number of databases in it (1 for a plain one). */
int qx_db_size(qx_db *db, size_t *n, qx_err *e);
/* Documents that contain term. */
int qx_db_term_freq(qx_db *db, const char *term, uint64_t *freq, qx_err *e);
/* Docid of the first document indexed by term, or 0 if none. */
int qx_db_find_term(qx_db *db, const char *term, uint32_t *docid, qx_err *e);

int qx_db_get_metadata(qx_db *db, const char *key, char **value, size_t *len,
                       qx_err *e);
int qx_db_set_metadata(qx_db *db, const char *key, const char *value,
                       size_t len, qx_err *e);

/* A value slot of a document ("" when it has none, or no such docid). */
int qx_db_get_value(qx_db *db, uint32_t docid, unsigned slot, char **value,
                    size_t *len, qx_err *e);

/* Word positions of term in document docid, ascending, into a malloc'd
 * array (*pos is NULL and *n 0 when the document lacks the term or the
 * term has no positions). */
int qx_db_positions(qx_db *db, uint32_t docid, const char *term, size_t len,
                    uint32_t **pos, size_t *n, qx_err *e);

/* present[i] := whether document docid has terms[i]; terms sorted in byte
 * order, n of them. Reads the document's term list once (skipping ahead
 * to each term). A database with remote parts marks every term present:
 * a remote term list costs a term-frequency lookup per term of the
 * document on the server. */
int qx_db_doc_has_terms(qx_db *db, uint32_t docid, const char *const *terms, size_t n,
                        unsigned char *present, qx_err *e);

/* Replace the document indexed by unique_term, or add it, and add the
 * words it collected with qx_doc_add_spelling to the spelling table.
 * *docid may be NULL. */
int qx_db_replace(qx_db *db, const char *unique_term, qx_doc *doc,
                  uint32_t *docid, qx_err *e);
int qx_db_delete(qx_db *db, const char *unique_term, qx_err *e);

/* Call fn for each term starting with prefix, in order, up to limit terms
 * (fn returns nonzero to stop early). *more is set when terms were left. */
int qx_db_terms_with_prefix(qx_db *db, const char *prefix, size_t limit,
                            int (*fn)(void *ctx, const char *term, size_t len),
                            void *ctx, int *more, qx_err *e);

/* Xapian's synonym table (synonyms.h). Clearing and adding need a
 * writable database; reading works on any (a remote one has none). */
int qx_db_clear_synonyms(qx_db *db, qx_err *e);
int qx_db_add_synonym(qx_db *db, const char *key, const char *synonym,
                      qx_err *e);

/* The most distinctive terms of document docid, best first: Xapian's
 * expand set (ESet) for a relevance set of that one document. Only terms
 * that start with prefix and not with skip (NULL: none) are considered;
 * fn gets at most max of them with their expand weights and returns
 * nonzero to stop. */
int qx_db_eset(qx_db *db, uint32_t docid, unsigned max, const char *prefix,
               const char *skip,
               int (*fn)(void *ctx, const char *term, size_t len, double weight),
               void *ctx, qx_err *e);

/* Xapian's correction for word from the spelling table (local databases
 * only: a remote one has none), within max edits: malloc'd, "" when there
 * is none. NULL with e filled on error. */
char *qx_db_spelling_suggestion(qx_db *db, const char *word, unsigned max,
                                qx_err *e);

/* Compact the database at src into a new one at dst. */
int qx_compact(const char *src, const char *dst, qx_err *e);
/* Merge n databases into one new compacted database at dst. */
int qx_compact_many(const char *const *srcs, size_t n, const char *dst,
                    qx_err *e);

/* ---- Documents being built ---------------------------------------------- */

qx_doc *qx_doc_new(qx_err *e);
void qx_doc_free(qx_doc *doc);
int qx_doc_add_posting(qx_doc *doc, const char *term, size_t len,
                       uint32_t pos, uint32_t wdf_inc, qx_err *e);
int qx_doc_add_term(qx_doc *doc, const char *term, size_t len, uint32_t wdf_inc,
                    qx_err *e);
/* A word for the spelling table, added (with how often it occurs) when
 * the document is written by qx_db_replace. */
int qx_doc_add_spelling(qx_doc *doc, const char *word, size_t len, qx_err *e);
int qx_doc_add_boolean(qx_doc *doc, const char *term, size_t len, qx_err *e);
int qx_doc_set_value(qx_doc *doc, unsigned slot, const char *v, size_t len,
                     qx_err *e);

/* ---- Queries ------------------------------------------------------------ */

enum qx_op {
    QX_AND, QX_OR, QX_AND_NOT, QX_AND_MAYBE, QX_FILTER, QX_PHRASE, QX_NEAR,
    QX_SYNONYM
};

qx_query *qx_query_term(const char *term, size_t len, uint32_t wqf,
                        uint32_t pos, qx_err *e);
/* Combine n subqueries; they are not consumed. window is for PHRASE/NEAR
 * (0: number of subqueries). */
qx_query *qx_query_combine(int op, qx_query *const *subs, size_t n,
                           unsigned window, qx_err *e);
/* Documents whose value in slot is within [lo, hi]; NULL for an open end. */
qx_query *qx_query_value_range(unsigned slot, const char *lo, const char *hi,
                               qx_err *e);
qx_query *qx_query_match_all(qx_err *e);
qx_query *qx_query_match_nothing(qx_err *e);
/* Same query but contributing no weight (a filter). */
qx_query *qx_query_unweighted(qx_query *q, qx_err *e);
/* Same query with its weight multiplied by factor (>= 0). */
qx_query *qx_query_scaled(qx_query *q, double factor, qx_err *e);
/* Xapian's description of q (malloc'd). */
char *qx_query_describe(const qx_query *q);
void qx_query_free(qx_query *q);

/* ---- Matching ----------------------------------------------------------- */

/* Orders Xapian 1.4's remote backend supports (it refuses KeyMakers):
 * relevance alone (ties by Xapian's document number; the cheapest);
 * relevance, then the value in sort_slot ascending; or the value in
 * sort_slot, then relevance. The sort key of each hit is that value. */
enum qx_sort { QX_SORT_RELEVANCE, QX_SORT_RELEVANCE_VALUE, QX_SORT_VALUE_ASC, QX_SORT_VALUE_DESC };

typedef struct qx_search_params {
    unsigned offset, limit, check_at_least;
    int sort;            /* qx_sort */
    unsigned sort_slot;
    /* BM25 parameters (k1, b); negative: Xapian's defaults. */
    double k1, b;
    /* Count every match and the values in these slots, in a second,
     * unweighted pass: locally from a table of each slot kept with db
     * (4 bytes a document, rebuilt when db moves to a new revision),
     * remotely with Xapian's ValueCountMatchSpy, which xapian-tcpsrv runs.
     * qx_mset_counts() then gives the exact count; qx_mset_slot_counts()
     * the values. */
    const unsigned *count_slots;
    size_t ncount_slots;
    /* Seconds after which Xapian stops counting beyond the page
     * (Enquire::set_time_limit); 0: none. */
    double time_limit;
    /* Only documents weighing at least this are matches (and counted);
     * 0: all (Enquire::set_cutoff). Lets the matcher skip early what
     * cannot reach it. */
    double weight_cutoff;
} qx_search_params;

qx_mset *qx_search(qx_db *db, const qx_query *q, const qx_search_params *p,
                   qx_err *e);
/* Count the matches of q without ranking them (cheaper than a ranked pass
 * with a large check_at_least): all of them (at_least 0), when lower ==
 * upper unless time_limit (seconds, 0: none) ran out first; or until
 * at_least are found (then lower >= at_least if there are that many). */
int qx_count(qx_db *db, const qx_query *q, unsigned at_least, double time_limit,
             uint64_t *lower, uint64_t *upper, qx_err *e);
void qx_mset_free(qx_mset *m);
size_t qx_mset_size(const qx_mset *m);
/* Bounds on the number of matches; equal when exact. */
void qx_mset_counts(const qx_mset *m, uint64_t *lower, uint64_t *estimated,
                    uint64_t *upper);
uint32_t qx_mset_docid(const qx_mset *m, size_t i);
double qx_mset_weight(const qx_mset *m, size_t i);
/* The sort key of hit i (the value sorted on), malloc'd. */
int qx_mset_sort_key(qx_mset *m, size_t i, char **key, size_t *len, qx_err *e);
/* The value in slot of hit i's document ("" when it has none). */
int qx_mset_value(qx_mset *m, size_t i, unsigned slot, char **value,
                  size_t *len, qx_err *e);
/* The values of hit i in slot_a and slot_b ("" when it has none), in one
 * fetch of the document (one round trip for a remote database). */
int qx_mset_values(qx_mset *m, size_t i, unsigned slot_a, char **a, size_t *alen,
                   unsigned slot_b, char **b, size_t *blen, qx_err *e);

/* Call fn with each value counted in count_slots[k] of the search and its
 * number of documents (the counts of every database, merged); fn returns
 * nonzero to stop. */
int qx_mset_slot_counts(qx_mset *m, size_t k,
                        int (*fn)(void *ctx, const char *value, size_t len,
                                  uint64_t count),
                        void *ctx, qx_err *e);

/* ---- Stemming ----------------------------------------------------------- */

/* A Snowball stemmer for a language code or name ("en", "english");
 * ENOTFOUND if Xapian has none. */
qx_stem *qx_stem_new(const char *lang, qx_err *e);
void qx_stem_free(qx_stem *s);
/* Stem word into out (capacity cap, NUL-terminated); returns the stem's
 * length, which may exceed cap-1 (then out is truncated: call again with a
 * bigger buffer), or -1 on error. */
long qx_stem_apply(qx_stem *s, const char *word, size_t len, char *out,
                   size_t cap);

/* Check the database at path (a glass directory) for damage with
 * Xapian's own checker, which reads every block of every table.
 * QUIRE_ECORRUPT with a message naming the table and what is wrong
 * ("postlist.glass: Block 11 item 68: item ends outside block"). */
int qx_db_check(const char *path, qx_err *e);

#ifdef __cplusplus
}
#endif

#endif
