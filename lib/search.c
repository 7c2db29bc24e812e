/* search.c — quire_searcher and quire_results (see quire.h): opens an index
 * read-only, configures the query analyzer from its metadata, runs parsed
 * and built queries through Xapian's matcher (BM25), and assembles hits
 * with stored fields and snippets. The databases of a stub are kept by
 * members.c, the order of a page by hitorder.c. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "bodystore.h"
#include "config.h"
#include "docdata.h"
#include "error.h"
#include "highlight.h"
#include "hitorder.h"
#include "hitpos.h"
#include "indexdir.h"
#include "lifecycle.h"
#include "like.h"
#include "members.h"
#include "passage.h"
#include "query_build.h"
#include "query_parse.h"
#include "quire.h"
#include "schema.h"
#include "searcher.h"
#include "snippet.h"
#include "strbuf.h"
#include "strmap.h"
#include "stub.h"
#include "suggest.h"
#include "testpause.h"
#include "xapian_shim.h"

enum {
    DEFAULT_MAX_QUERY_BYTES = 100000,
    DEFAULT_MAX_DEPTH = 100,
    DEFAULT_MAX_WILDCARD = 1000,
    DEFAULT_MAX_ITEMS = 1000,
    DEFAULT_SNIPPET_CHARS = 200,
    EXACT_COUNT_EXTRA = 100,  /* totals are exact when at most this many
                                 matches lie past the page */
    /* Hits fetched beyond the page: a few, to see whether the page ends in
     * a tie; with sort keys more, so that a run of ties at its end is
     * usually seen whole at once (hitorder.h). */
    PAGE_EXTRA = 4,
    PAGE_EXTRA_KEYS = 16,
    MODIFIED_RETRIES = 10
};

quire_status quire_searcher_options_init(quire_searcher_options *opts,
                                         unsigned int version)
{
    if (!opts || version != QUIRE_SEARCHER_OPTIONS_VERSION)
        return QUIRE_EINVAL;
    quire_searcher_options d = QUIRE_SEARCHER_OPTIONS_INIT;
    *opts = d;
    return QUIRE_OK;
}

/* Bytes of quire_search_options in version 1 (quire 0.1): the fields up
 * to lang. Later versions only append. */
#define SEARCH_OPTIONS_V1_SIZE (offsetof(quire_search_options, lang) + sizeof(const char *))

quire_status quire_search_options_init(quire_search_options *opts,
                                       unsigned int version)
{
    if (!opts || version < 1 || version > QUIRE_SEARCH_OPTIONS_VERSION)
        return QUIRE_EINVAL;
    quire_search_options d = QUIRE_SEARCH_OPTIONS_INIT;
    memcpy(opts, &d, version == 1 ? SEARCH_OPTIONS_V1_SIZE : sizeof d);
    opts->version = version;
    return QUIRE_OK;
}

/* The caller's options as the current version: a program built against
 * an older header passes a shorter struct, whose missing fields take
 * their defaults. */
static int normalize_options(const quire_search_options *in, quire_search_options *out)
{
    quire_search_options d = QUIRE_SEARCH_OPTIONS_INIT;
    *out = d;
    if (!in)
        return 0;
    if (in->version < 1 || in->version > QUIRE_SEARCH_OPTIONS_VERSION)
        return -1;
    memcpy(out, in, in->version == 1 ? SEARCH_OPTIONS_V1_SIZE : sizeof *out);
    out->version = QUIRE_SEARCH_OPTIONS_VERSION;
    return 0;
}

const char *quire_searcher_errmsg(const quire_searcher *s)
{
    return s ? s->err : "";
}

quire_status quire_searcher_errcode(const quire_searcher *s)
{
    return s ? s->code : QUIRE_OK;
}

size_t quire_searcher_error_offset(const quire_searcher *s)
{
    return s ? s->err_offset : (size_t)-1;
}

const char *quire_searcher_config(const quire_searcher *s)
{
    return s ? s->cfgdesc : "";
}

static void free_langs(quire_searcher *s)
{
    for (size_t i = 0; i < s->nlangs; i++)
        free(s->langs[i]);
    free(s->langs);
    s->langs = NULL;
    s->nlangs = 0;
}

/* One "L<code>" term: its code onto the list in ctx. */
static int add_lang_term(void *ctx, const char *t, size_t len)
{
    strbuf *all = ctx;
    size_t pl = strlen(PFX_LANG);
    if (len > pl)
        sb_addf(all, "%s%.*s", all->len ? "," : "", (int)(len - pl), t + pl);
    return 0;
}

/* The languages the index has documents in now: the language terms that
 * have documents (every document has one). Not the metadata the writers
 * keep, which only grows: a language whose last document was replaced or
 * deleted stayed, and its stemmer with it. On shards, the combined
 * database gives the union. */
static quire_status load_langs(quire_searcher *s)
{
    strbuf all = {0};
    qx_err e;
    if (qx_db_terms_with_prefix(s->db, PFX_LANG, 1000, add_lang_term, &all, NULL, &e) != QUIRE_OK) {
        sb_free(&all);
        return qerr_from_shim(s->err, &e, s->path);
    }
    char *v = sb_take(&all);
    if (!v && !(v = strdup("")))
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    free_langs(s);
    size_t n = 1;
    for (char *p = v; *p; p++)
        n += *p == ',';
    s->langs = calloc(n + 1, sizeof *s->langs);
    if (!s->langs) {
        free(v);
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    for (char *p = v, *tok; (tok = strtok_r(p, ",", &p)) != NULL;) {
        char code[LANG_CODE_MAX];
        if (lang_canonical(tok, code) == 0 && (s->langs[s->nlangs] = strdup(code)))
            s->nlangs++;
    }
    free(v);
    if (!s->nlangs && (s->langs[0] = strdup(s->cfg.lang)))
        s->nlangs = 1;
    return QUIRE_OK;
}

/* The synonym groups of the index (synonyms.h), from each database's
 * metadata, which remote servers serve too: the shards of one index hold
 * the same list; databases with different lists contribute them all. */
static quire_status load_synonyms(quire_searcher *s)
{
    size_t n = s->ms ? ms_count(s->ms) : 1;
    char **lists = calloc(n, sizeof *lists);
    strbuf all = {0};
    quire_status st = lists ? QUIRE_OK : qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && st == QUIRE_OK; i++) {
        size_t len;
        qx_err e;
        qx_db *db = s->ms ? ms_member_db(s->ms, i) : s->db;
        if (!db && (lists[i] = strdup(""))) /* down: its list joins when it is back */
            continue;
        if (!db || qx_db_get_metadata(db, META_SYNONYMS, &lists[i], &len, &e) != QUIRE_OK) {
            st = db ? qerr_from_shim(s->err, &e, s->ms ? ms_member_label(s->ms, i) : s->path)
                    : qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
            break;
        }
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= strcmp(lists[k], lists[i]) == 0;
        if (!dup)
            sb_add(&all, lists[i], len);
    }
    for (size_t i = 0; lists && i < n; i++)
        free(lists[i]);
    free(lists);
    char *text = sb_take(&all);
    if (st == QUIRE_OK && !text)
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    syn_free(s->syn);
    s->syn = NULL;
    if (st == QUIRE_OK && *text && !(s->syn = syn_load(s->an, text)))
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    free(text);
    return st;
}

/* Read the configuration of the open database and set up the analyzer
 * for it (again, after a rebuild may have changed it). */
static quire_status configure(quire_searcher *s)
{
    int fresh;
    quire_status st = qconfig_load(s->db, s->path, &s->cfg, &fresh, s->err);
    if (st != QUIRE_OK)
        return st;
    if (fresh)
        return qerr_set(s->err, QUIRE_ENOTINDEX, "%s: not a quire index (an empty Xapian database)", s->path);
    if ((st = qconfig_check_current(&s->cfg, s->path, s->err)) != QUIRE_OK)
        return st;
    qconfig_describe(&s->cfg, s->cfgdesc, sizeof s->cfgdesc);
    if ((st = load_langs(s)) != QUIRE_OK)
        return st;
    snippeter_free(s->snip);
    qa_free(s->an);
    s->snip = NULL;
    strmap_free(s->fvcache); /* keys made with the old analyzer */
    s->fvcache = NULL;
    searcher_forget_vocab(s);
    s->an = qa_new(s->cfg.fold_accents, s->cfg.lang, s->err, QERR_MAX);
    if (!s->an)
        return QUIRE_ERROR;
    s->snip = snippeter_new(s->an);
    if (!s->snip)
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory (snippets)");
    return load_synonyms(s);
}

static quire_status reopen_db(quire_searcher *s, int *changed);

/* configure() for a database just opened: a writer that committed twice
 * since the open has discarded the revision it reads, so move to the
 * newest one and read again (a searcher opening next to a busy writer
 * failed with DatabaseModifiedError). */
static quire_status configure_newest(quire_searcher *s)
{
    quire_status st = configure(s);
    for (int attempt = 0; st == QUIRE_EMODIFIED && attempt < MODIFIED_RETRIES; attempt++) {
        if (s->ms) {
            st = ms_refresh(s->ms, 1, NULL, s->err);
            s->db = ms_db(s->ms);
        } else {
            st = reopen_db(s, NULL);
        }
        if (st == QUIRE_OK)
            st = configure(s);
    }
    return st;
}

static quire_status searcher_open(const char *path,
                                  const quire_searcher_options *opts,
                                  quire_searcher **out)
{
    if (!out)
        return QUIRE_EINVAL;
    quire_searcher *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return QUIRE_ENOMEM;
    s->err_offset = (size_t)-1;
    s->pin_fd = -1;
    bs_zip_init(&s->zip);
    quire_searcher_options d = QUIRE_SEARCHER_OPTIONS_INIT;
    s->opts = opts ? *opts : d;
    if (s->opts.version != QUIRE_SEARCHER_OPTIONS_VERSION)
        return qerr_set(s->err, QUIRE_EINVAL, "searcher options version %u is not supported", s->opts.version);
    if (!s->opts.max_query_bytes)
        s->opts.max_query_bytes = DEFAULT_MAX_QUERY_BYTES;
    if (!s->opts.max_depth)
        s->opts.max_depth = DEFAULT_MAX_DEPTH;
    if (s->opts.max_depth > QUIRE_MAX_DEPTH_LIMIT)
        return qerr_set(s->err, QUIRE_EINVAL, "max_depth %u is above %u, the deepest nesting quire parses",
                        s->opts.max_depth, QUIRE_MAX_DEPTH_LIMIT);
    if (!s->opts.max_wildcard_terms)
        s->opts.max_wildcard_terms = DEFAULT_MAX_WILDCARD;
    if (!path || !*path)
        return qerr_set(s->err, QUIRE_EINVAL, "no index path given");
    if (!(s->path = strdup(path)))
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (stub_detect(path, s->stubfile, sizeof s->stubfile)) {
        if (stat(s->stubfile, &s->stub_st) != 0)
            memset(&s->stub_st, 0, sizeof s->stub_st);
        unsigned timeout_ms = s->opts.timeout > 0 ? (unsigned)(s->opts.timeout * 1000.0) : 10000;
        quire_status st = ms_open(path, s->stubfile, timeout_ms, s->opts.partial, &s->ms, s->err);
        if (st != QUIRE_OK)
            return st;
        s->db = ms_db(s->ms);
        return configure_newest(s);
    }
    quire_status st = lc_reader_pin(path, s->dir, sizeof s->dir, &s->pin_fd, s->err);
    if (st != QUIRE_OK)
        return st;
    qx_err e;
    s->db = qx_db_open_read(s->dir, &e);
    if (!s->db) {
        if (e.code == QUIRE_ENOTFOUND)
            return indexdir_not_found(path, s->err);
        if (e.code == QUIRE_ENOTINDEX)
            return qerr_set(s->err, QUIRE_ENOTINDEX, "%s: not a quire index (%s)", path, e.msg);
        return qerr_from_shim(s->err, &e, path);
    }
    test_pause("searcher-opened");
    return configure_newest(s);
}


/* Move to the newest revision. A reopen that meets a revision being
 * discarded fails part-way and leaves tables at different revisions, so it
 * is repeated until one completes; only then is the handle consistent.
 * *changed (may be NULL): the revision moved, so what was read from the
 * old one (the vocabulary kept for suggestions, the metadata) is stale. */
static quire_status reopen_db(quire_searcher *s, int *changed)
{
    qx_err e;
    int moved = 0;
    quire_status st = QUIRE_OK;
    for (int attempt = 0;; attempt++) {
        int c = 0;
        if (qx_db_reopen(s->db, &c, &e) == QUIRE_OK) {
            moved |= c;
            break;
        }
        moved = 1;
        if (e.code != QUIRE_EMODIFIED || attempt == MODIFIED_RETRIES) {
            st = qerr_from_shim(s->err, &e, s->path);
            break;
        }
    }
    if (moved)
        searcher_forget_vocab(s);
    if (changed)
        *changed = moved;
    return st;
}

/* The index name now points at another version (a rebuild or compaction
 * switched it, or another index was renamed over it): open that one and
 * let the old one go. */
static quire_status follow_switch(quire_searcher *s)
{
    char dir[LC_PATH_MAX];
    int fd;
    quire_status st = lc_reader_pin(s->path, dir, sizeof dir, &fd, s->err);
    if (st != QUIRE_OK)
        return st;
    if (strcmp(dir, s->dir) == 0 && lc_pin_is(s->pin_fd, dir)) {
        lc_reader_unpin(fd); /* same version: the pin we hold will do */
        return QUIRE_OK;
    }
    qx_err e;
    qx_db *db = qx_db_open_read(dir, &e);
    if (!db) {
        lc_reader_unpin(fd);
        return qerr_from_shim(s->err, &e, s->path);
    }
    qx_db_close(s->db, &e);
    lc_reader_unpin(s->pin_fd);
    s->db = db;
    s->pin_fd = fd;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    return configure_newest(s);
}

/* Whether the index at s->path is no longer what s opened: a sharded
 * index or stub where one database was, or the reverse, or a stub file
 * (a sharded index's XAPIANDB, or one naming servers) replaced or edited
 * (inode, size or mtime; updates do not touch it). */
static int layout_changed(const quire_searcher *s)
{
    char stubfile[LC_PATH_MAX];
    int is_stub = stub_detect(s->path, stubfile, sizeof stubfile);
    if (is_stub != (s->ms != NULL))
        return 1;
    struct stat now;
    if (!is_stub || stat(stubfile, &now) != 0)
        return 0;
    return strcmp(stubfile, s->stubfile) != 0 || now.st_dev != s->stub_st.st_dev || now.st_ino != s->stub_st.st_ino ||
           now.st_size != s->stub_st.st_size || now.st_mtim.tv_sec != s->stub_st.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != s->stub_st.st_mtim.tv_nsec;
}

/* Open the index afresh beside s and let the new searcher take s's place
 * (a new sharded index renamed over the old one, a server added to a
 * stub, one database replaced by shards). On failure s is as it was, and
 * the next reopen tries again. The inflate streams stay where they are:
 * zlib's state points back at its own z_stream. */
static quire_status reopen_afresh(quire_searcher *s)
{
    quire_searcher *fresh = NULL;
    quire_status st = searcher_open(s->path, &s->opts, &fresh);
    if (st != QUIRE_OK) {
        char why[QERR_MAX];
        snprintf(why, sizeof why, "%s", fresh ? fresh->err : "out of memory");
        quire_searcher_close(fresh);
        return qerr_set(s->err, st, "%s", why);
    }
    quire_searcher old = *s;
    bs_zip fresh_zip = fresh->zip;
    *s = *fresh;
    s->zip = old.zip;
    *fresh = old;
    fresh->zip = fresh_zip;
    quire_searcher_close(fresh); /* what s had open */
    return QUIRE_OK;
}

/* A stub: reconnect the members that failed, move the others to their
 * latest revision, and take the languages and synonyms of what is up now. */
static quire_status refresh_members(quire_searcher *s, int reopen)
{
    int changed = 0;
    quire_status st = ms_refresh(s->ms, reopen, &changed, s->err);
    if (changed || s->db != ms_db(s->ms))
        searcher_forget_vocab(s);
    s->db = ms_db(s->ms);
    if (st == QUIRE_OK && changed)
        st = load_langs(s);
    if (st == QUIRE_OK && changed)
        st = load_synonyms(s);
    return st;
}

static quire_status searcher_reopen(quire_searcher *s)
{
    if (!s->db)
        return qerr_set(s->err, QUIRE_EINVAL, "searcher is not open");
    if (layout_changed(s)) {
        quire_status st = reopen_afresh(s);
        if (st != QUIRE_OK && s->ms) {
            /* Keep answering from what is open, at its newest revision. */
            char why[QERR_MAX];
            snprintf(why, sizeof why, "%s", s->err);
            refresh_members(s, 1);
            qerr_set(s->err, st, "%s", why);
        }
        return st;
    }
    if (s->ms) /* each local member follows its own versions */
        return refresh_members(s, 1);
    quire_status st = follow_switch(s);
    if (st != QUIRE_OK)
        return st;
    /* Unchanged (the common case for a server that reopens every second):
     * keep what was read, the vocabulary for suggestions included. */
    int stale = 0;
    for (int attempt = 0; attempt <= MODIFIED_RETRIES; attempt++) {
        int changed = 0;
        st = reopen_db(s, &changed);
        stale |= changed;
        if (st == QUIRE_OK && stale)
            st = load_langs(s); /* can meet a discarded revision too */
        if (st == QUIRE_OK && stale)
            st = load_synonyms(s);
        if (st != QUIRE_EMODIFIED)
            break;
    }
    return st;
}

static quire_status searcher_doc_count(quire_searcher *s, uint64_t *count)
{
    if (!s->db || !count)
        return qerr_set(s->err, QUIRE_EINVAL, "searcher is not open or count is NULL");
    qx_err e;
    if (qx_db_doc_count(s->db, count, &e) != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
    return QUIRE_OK;
}

void quire_searcher_close(quire_searcher *s)
{
    if (!s)
        return;
    qx_err e;
    if (s->ms)
        ms_free(s->ms); /* s->db is its combination */
    else
        qx_db_close(s->db, &e);
    lc_reader_unpin(s->pin_fd);
    snippeter_free(s->snip);
    bs_zip_free(&s->zip);
    syn_free(s->syn);
    strmap_free(s->fvcache);
    strmap_free(s->vocab);
    qa_free(s->an);
    free_langs(s);
    free(s->path);
    free(s);
}

static int count_term(void *ctx, const char *t, size_t len)
{
    (void)t;
    (void)len;
    ++*(uint64_t *)ctx;
    return 0;
}

/* Copy metadata key into buf (cap bytes); "" when absent. */
static quire_status meta_copy(quire_searcher *s, const char *key, char *buf, size_t cap)
{
    char *v = NULL;
    size_t len;
    qx_err e;
    if (qx_db_get_metadata(s->db, key, &v, &len, &e) != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
    snprintf(buf, cap, "%s", v);
    free(v);
    return QUIRE_OK;
}

/* Bytes of quire_stats in version 1 (quire 0.1): up to writer. */
#define STATS_V1_SIZE (offsetof(quire_stats, writer) + sizeof(const char *))

quire_status quire_stats_init(quire_stats *out, unsigned int version)
{
    if (!out || version < 1 || version > QUIRE_STATS_VERSION)
        return QUIRE_EINVAL;
    quire_stats d = QUIRE_STATS_INIT;
    memcpy(out, &d, version == 1 ? STATS_V1_SIZE : sizeof d);
    out->version = version;
    return QUIRE_OK;
}

static quire_status stats_once(quire_searcher *s, void *arg)
{
    quire_stats *out = arg;
    qx_err e;
    size_t ndb = 1;
    out->terms = 0;
    if (qx_db_doc_count(s->db, &out->documents, &e) != QUIRE_OK ||
        qx_db_total_length(s->db, &out->total_length, &e) != QUIRE_OK || qx_db_size(s->db, &ndb, &e) != QUIRE_OK ||
        qx_db_terms_with_prefix(s->db, "", SIZE_MAX, count_term, &out->terms, NULL, &e) != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
    out->databases = (unsigned)ndb;
    quire_status st;
    s->st_langs[0] = '\0'; /* the languages with documents (load_langs) */
    for (size_t i = 0; i < s->nlangs; i++)
        snprintf(s->st_langs + strlen(s->st_langs), sizeof s->st_langs - strlen(s->st_langs), "%s%s", i ? "," : "",
                 s->langs[i]);
    if ((st = meta_copy(s, META_UPDATED, s->st_updated, sizeof s->st_updated)) != QUIRE_OK ||
        (st = meta_copy(s, META_WRITER, s->st_writer, sizeof s->st_writer)) != QUIRE_OK)
        return st;
    /* A stub or sharded index: its local databases' files, and the stub
     * (or the sharded index's directory) as the place read. */
    out->disk_bytes = s->ms ? ms_local_bytes(s->ms) : lc_dir_bytes(s->dir);
    out->location = s->ms ? s->path : s->dir;
    out->config = s->cfgdesc;
    out->languages = s->st_langs;
    out->updated = s->st_updated;
    out->writer = s->st_writer;
    if (out->version >= 2) /* a version 1 struct ends before these */
        out->synonym_groups = (unsigned)syn_groups(s->syn);
    return QUIRE_OK;
}

/* Read like a search: a revision a writer discarded meanwhile is left for
 * the newest one (searcher_retry). */
static quire_status searcher_stats(quire_searcher *s, quire_stats *out)
{
    if (!s->db || !out)
        return qerr_set(s->err, QUIRE_EINVAL, "searcher is not open or out is NULL");
    if (out->version < 1 || out->version > QUIRE_STATS_VERSION)
        return qerr_set(s->err, QUIRE_EINVAL, "stats version %u is not supported", out->version);
    return searcher_retry(s, stats_once, out);
}

/* ---- Results ------------------------------------------------------------ */

size_t quire_results_count(const quire_results *r)
{
    return r ? r->n : 0;
}

const quire_hit *quire_results_hit(const quire_results *r, size_t i)
{
    return (r && i < r->n) ? &r->hits[i] : NULL;
}

uint64_t quire_results_total(const quire_results *r, int *exact)
{
    if (exact)
        *exact = r ? r->exact : 0;
    return r ? r->total : 0;
}

const char *quire_results_parsed(const quire_results *r)
{
    return r && r->parsed ? r->parsed : "";
}

const char *quire_results_xapian_query(const quire_results *r)
{
    if (!r)
        return "";
    if (!r->xquery && r->xq) {
        /* Results are used by one thread at a time (quire.h), so the
         * description can be kept on first use. */
        quire_results *w = (quire_results *)r;
        w->xquery = qx_query_describe(r->xq);
    }
    return r->xquery ? r->xquery : "";
}

const char *quire_results_ranking(const quire_results *r)
{
    return r && r->ranking ? r->ranking : "";
}

const char *quire_results_warning(const quire_results *r)
{
    return r && r->warning ? r->warning : "";
}

unsigned int quire_results_partial(const quire_results *r)
{
    return r ? r->partial : 0;
}

/* Free the hits of r, keeping r and its query descriptions. */
static void clear_hits(quire_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        hit_store *h = &r->store[i];
        docdata_free(&h->dd);
        snippet_free(&h->sn);
        free(h->tspans);
        free(h->smark);
        free(h->tmark);
    }
    free(r->hits);
    free(r->store);
    r->hits = NULL;
    r->store = NULL;
    r->n = 0;
    r->total = 0;
    r->exact = 0;
}

void quire_results_free(quire_results *r)
{
    if (!r)
        return;
    clear_hits(r);
    free(r->parsed);
    free(r->xquery);
    qx_query_free(r->xq);
    free(r->ranking);
    free(r->warning);
    facets_free(r->facets);
    free(r->suggestion);
    free(r);
}

const char *quire_results_suggestion(const quire_results *r)
{
    return r ? r->suggestion : NULL;
}

size_t quire_results_facet_count(const quire_results *r)
{
    return r ? facets_count(r->facets) : 0;
}

const quire_facet *quire_results_facet(const quire_results *r, size_t i)
{
    return r ? facets_get(r->facets, i) : NULL;
}

/* What a page of hits shares while its snippets are made. */
typedef struct page_ctx {
    const quire_search_options *o;
    const qbuild *qb;
    hp_plan *plan; /* made when the first long body needs positions */
} page_ctx;

/* The snippet of hit i (docid) from its stored body blob. */
static quire_status hit_snippet(quire_searcher *s, page_ctx *pc, uint32_t docid,
                                const char *blob, size_t blen, const char *lang,
                                hit_store *h)
{
    const qbuild *qb = pc->qb;
    int skip_stops = s->cfg.stopwords == QUIRE_STOPWORDS_INDEX;
    size_t chars = pc->o->snippet_length ? pc->o->snippet_length : DEFAULT_SNIPPET_CHARS;
    bodystore b;
    int oom;
    if (bs_open(&b, blob, blen, &oom) != 0)
        return oom ? qerr_set(s->err, QUIRE_ENOMEM, "out of memory")
                   : qerr_set(s->err, QUIRE_ECORRUPT, "%s: document %u has a damaged stored body", s->path, (unsigned)docid);
    hp_match *m = NULL;
    size_t nm = 0;
    qx_err e;
    quire_status st = QUIRE_OK;
    if (passage_wants_positions(&b) && qb->nhl) {
        if (!pc->plan && !(pc->plan = hp_plan_new(s->db, s->an, &s->cfg, (const char *const *)s->langs,
                                                  s->nlangs, qb->hl, qb->nhl, &e)))
            st = qerr_from_shim(s->err, &e, s->path);
        if (st == QUIRE_OK && hp_collect(pc->plan, s->db, docid, b.first_pos, &m, &nm, &e) != QUIRE_OK)
            st = qerr_from_shim(s->err, &e, s->path);
    }
    if (st == QUIRE_OK &&
        passage_make(s->snip, &s->zip, &b, m, nm, lang, qb->hl, qb->nhl, skip_stops, chars, &h->sn, &oom) != 0)
        st = oom ? qerr_set(s->err, QUIRE_ENOMEM, "out of memory making a snippet")
                 : qerr_set(s->err, QUIRE_ECORRUPT, "%s: document %u has a damaged stored body", s->path, (unsigned)docid);
    free(m);
    bs_close(&b);
    return st;
}

static quire_status damaged_head(quire_searcher *s, uint32_t docid)
{
    return qerr_set(s->err, QUIRE_ECORRUPT, "%s: document %u has a damaged stored record", s->path,
                    (unsigned)docid);
}

/* Fill hit i of r from the head record (and, for its snippet, the stored
 * body) of Xapian hit i of m. head: the record if ordering the page read it
 * already (taken over), else NULL or unread. */
static quire_status make_hit(quire_searcher *s, qx_mset *m, size_t i, docdata *head,
                             page_ctx *pc, unsigned rank, double score, quire_results *r)
{
    const quire_search_options *o = pc->o;
    const qbuild *qb = pc->qb;
    qx_err e;
    char *data = NULL, *blob = NULL;
    size_t len = 0, blen = 0;
    hit_store *h = &r->store[r->n];
    quire_hit *hit = &r->hits[r->n];
    memset(h, 0, sizeof *h);
    int rc, bad = 0;
    if (head && head->block) {
        h->dd = *head;
        memset(head, 0, sizeof *head);
        rc = o->no_snippets ? QUIRE_OK : qx_mset_value(m, i, SLOT_BODY, &blob, &blen, &e);
    } else {
        rc = o->no_snippets ? qx_mset_value(m, i, SLOT_HEAD, &data, &len, &e)
                            : qx_mset_values(m, i, SLOT_HEAD, &data, &len, SLOT_BODY, &blob, &blen, &e);
        if (rc == QUIRE_OK)
            bad = docdata_decode(data, len, &h->dd);
        free(data);
    }
    if (rc != QUIRE_OK) {
        docdata_free(&h->dd);
        return qerr_from_shim(s->err, &e, s->path);
    }
    uint32_t docid = qx_mset_docid(m, i);
    if (bad) {
        free(blob);
        return damaged_head(s, docid);
    }
    r->n++; /* from here on, freeing r frees this hit's parts */
    docdata *d = &h->dd;
    if (!o->no_snippets) {
        /* The language to analyse the passage and title in. */
        char lang[LANG_CODE_MAX];
        if (!*d->lang || lang_canonical(d->lang, lang) != 0)
            strcpy(lang, s->cfg.lang);
        int skip_stops = s->cfg.stopwords == QUIRE_STOPWORDS_INDEX;
        quire_status st = hit_snippet(s, pc, docid, blob, blen, lang, h);
        free(blob);
        if (st != QUIRE_OK)
            return st;
        if (snippet_title_spans(s->snip, d->title, lang, qb->hl, qb->nhl, skip_stops, &h->tspans, &h->ntspans) != 0)
            return qerr_set(s->err, QUIRE_ENOMEM, "out of memory making a snippet");
    }
    if (o->highlight_start && o->highlight_end) {
        h->tmark = hl_mark(d->title, h->tspans, h->ntspans, o->highlight_start, o->highlight_end);
        h->smark = hl_mark(h->sn.text ? h->sn.text : "", h->sn.spans, h->sn.nspans,
                           o->highlight_start, o->highlight_end);
        if (!h->tmark || !h->smark)
            return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    hit->rank = rank;
    hit->score = score;
    hit->id = d->id;
    hit->title = d->title;
    hit->date = d->date;
    hit->author = d->author;
    hit->source = d->source;
    hit->url = d->url;
    hit->lang = d->lang;
    hit->snippet = h->sn.text ? h->sn.text : "";
    hit->snippet_spans = h->sn.spans;
    hit->snippet_span_count = h->sn.nspans;
    hit->title_spans = h->tspans;
    hit->title_span_count = h->ntspans;
    hit->snippet_marked = h->smark;
    hit->title_marked = h->tmark;
    return QUIRE_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reading the hits of an MSet for hitorder.c. A tie is ordered by the id
 * in the head record, which is kept: the page shows the same hits, and a
 * second value read per hit costs as much as the first. */
typedef struct mset_src {
    quire_searcher *s;
    qx_mset *m;
    docdata *heads; /* nheads of them once one is read; block NULL: unread */
    size_t nheads;
} mset_src;

/* Forget the records read from the last MSet (which may be freed) and read
 * from m next. */
static void src_reset(mset_src *c, qx_mset *m)
{
    for (size_t i = 0; i < c->nheads; i++)
        docdata_free(&c->heads[i]);
    free(c->heads);
    c->heads = NULL;
    c->nheads = 0;
    c->m = m;
}

static double src_weight(void *ctx, size_t i)
{
    return qx_mset_weight(((mset_src *)ctx)->m, i);
}

static quire_status src_key(void *ctx, size_t i, char **v, size_t *len)
{
    mset_src *c = ctx;
    qx_err e;
    if (qx_mset_sort_key(c->m, i, v, len, &e) != QUIRE_OK)
        return qerr_from_shim(c->s->err, &e, c->s->path);
    return QUIRE_OK;
}

static quire_status src_id(void *ctx, size_t i, char **v, size_t *len)
{
    mset_src *c = ctx;
    if (!c->heads) {
        if (!(c->heads = calloc(qx_mset_size(c->m), sizeof *c->heads)))
            return qerr_set(c->s->err, QUIRE_ENOMEM, "out of memory");
        c->nheads = qx_mset_size(c->m);
    }
    docdata *d = &c->heads[i];
    if (!d->block) {
        qx_err e;
        char *data;
        size_t n;
        if (qx_mset_value(c->m, i, SLOT_HEAD, &data, &n, &e) != QUIRE_OK)
            return qerr_from_shim(c->s->err, &e, c->s->path);
        int bad = docdata_decode(data, n, d);
        free(data);
        if (bad)
            return damaged_head(c->s, qx_mset_docid(c->m, i));
    }
    *len = strlen(d->id);
    if (!(*v = malloc(*len + 1)))
        return qerr_set(c->s->err, QUIRE_ENOMEM, "out of memory");
    memcpy(*v, d->id, *len + 1);
    return QUIRE_OK;
}

/* Run the built query and collect a page of hits, in the order hitorder.h
 * describes: Xapian is asked for the hits from the first, a few more than
 * the page, and for more when a run of ties goes past them. started: when
 * the search began, for the time limit. EMODIFIED is passed up for the
 * caller to reopen and retry. */
static quire_status run_query(quire_searcher *s, const qbuild *qb,
                              const quire_search_options *o, double started,
                              const facet_request *fr, quire_results *r)
{
    qx_search_params p = {0};
    static const unsigned facet_slot = SLOT_FACETS;
    int by_date = o->sort != QUIRE_SORT_RELEVANCE;
    p.sort = o->sort == QUIRE_SORT_DATE ? QX_SORT_VALUE_ASC
             : o->sort == QUIRE_SORT_DATE_DESC ? QX_SORT_VALUE_DESC
                                               : QX_SORT_RELEVANCE; /* keys only if ties need them */
    /* Undated documents last either way (schema.h): "~" sorts after every
     * date, and an absent value before every date. */
    p.sort_slot = o->sort == QUIRE_SORT_DATE ? SLOT_DATE_UP : o->sort == QUIRE_SORT_DATE_DESC ? SLOT_DATE : SLOT_ID;
    p.k1 = p.b = -1;
    uint64_t page_end = (uint64_t)o->offset + o->limit;
    uint64_t want = o->limit ? page_end + (by_date ? PAGE_EXTRA_KEYS : PAGE_EXTRA) : 0;
    uint64_t check = o->exact_count_up_to ? o->exact_count_up_to : page_end;
    if (fr->n) {
        /* Facets count every match (in a pass of their own, whose total is
         * exact): the ranked pass need only find the page. */
        p.count_slots = &facet_slot;
        p.ncount_slots = 1;
        check = page_end;
    }
    int out_of_time = 0;
    qx_mset *m = NULL;
    ho_page page = {0};
    /* The counts of the last pass without a weight cutoff (one with a
     * cutoff counts only what reaches it). */
    uint64_t lower = 0, est = 0, upper = 0;
    /* With facets: the pass that counted every match and its values,
     * kept for them while a refetch (which counts nothing) finds the page. */
    qx_mset *counted = NULL;
    quire_status st = QUIRE_OK;
    mset_src ms = {s, NULL, NULL, 0};
    for (;;) {
        p.limit = (unsigned)(want < UINT32_MAX ? want : UINT32_MAX);
        p.check_at_least = (unsigned)(check < UINT32_MAX ? check : UINT32_MAX);
        p.time_limit = 0;
        if (o->time_limit > 0) {
            double left = o->time_limit - (now_seconds() - started);
            if (left > 0)
                p.time_limit = left;
            else {
                p.check_at_least = p.limit; /* no time left for counting */
                out_of_time = 1;
            }
        }
        qx_err e;
        if (!(m = qx_search(s->db, qb->query, &p, &e))) {
            src_reset(&ms, NULL);
            qx_mset_free(counted);
            return qerr_from_shim(s->err, &e, s->path);
        }
        if (p.weight_cutoff == 0 && !counted)
            qx_mset_counts(m, &lower, &est, &upper);
        size_t n = qx_mset_size(m);
        src_reset(&ms, m);
        ho_src src = {&ms, src_weight, p.sort == QX_SORT_RELEVANCE ? NULL : src_key, src_id};
        st = ho_order(&src, n, n == p.limit && p.limit < UINT32_MAX, by_date, o->offset, o->limit, &page);
        if (st == QUIRE_ENOMEM)
            st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
        if (st != QUIRE_OK || (!page.need_more && !page.need_keys))
            break;
        if (p.ncount_slots) {
            counted = m;
            p.ncount_slots = 0;
        } else {
            qx_mset_free(m);
        }
        m = NULL;
        if (page.need_keys) {
            /* Sorting by id costs a value read per candidate: only those
             * that can weigh as much as the run need it. The margin is far
             * wider than the rounding (hitorder.h) and than the last-bits
             * differences between layouts. */
            p.sort = QX_SORT_RELEVANCE_VALUE;
            if (page.run_low > 0)
                p.weight_cutoff = page.run_low * (1 - 1e-9);
            if (want < page_end + PAGE_EXTRA_KEYS)
                want = page_end + PAGE_EXTRA_KEYS;
        } else {
            want *= 2;
        }
    }
    if (o->time_limit > 0 && now_seconds() - started >= o->time_limit)
        out_of_time = 1;
    p.weight_cutoff = 0;
    p.sort = QX_SORT_RELEVANCE;
    if (st == QUIRE_OK && !o->exact_count_up_to && !out_of_time && lower != upper &&
        lower <= (uint64_t)p.check_at_least + EXACT_COUNT_EXTRA) {
        /* Maybe few matches past the page: count up to that many more, in
         * a pass that only counts (no scores, no proximity), which stops
         * there. Fewer is an exact total; more keeps the estimate, which
         * spares a query on common words counting them all. Xapian's upper
         * bound cannot decide this: it can be many times the matches (400
         * for 51 of a word and a date range), and differs between layouts. */
        double left = 0;
        if (o->time_limit > 0) {
            left = o->time_limit - (now_seconds() - started);
            if (left <= 0)
                left = 1e-9;
        }
        qx_err e;
        uint64_t lo, up;
        uint64_t enough = (uint64_t)p.check_at_least + EXACT_COUNT_EXTRA + 1;
        if (qx_count(s->db, qb->query, (unsigned)(enough < UINT32_MAX ? enough : UINT32_MAX), left, &lo, &up, &e) !=
            QUIRE_OK) {
            src_reset(&ms, NULL);
            qx_mset_free(counted);
            qx_mset_free(m);
            ho_page_free(&page);
            return qerr_from_shim(s->err, &e, s->path);
        }
        /* A count cut short by time narrows the bounds, never widens them. */
        if (lo > lower)
            lower = lo;
        if (up < upper)
            upper = up;
        est = est < lower ? lower : est > upper ? upper : est;
    }
    if (o->time_limit > 0 && now_seconds() - started >= o->time_limit)
        out_of_time = 1;
    r->exact = lower == upper;
    r->total = r->exact ? lower : est;
    /* Cut short by time: a count that was asked for, or the bounded one
     * that few matches past the page would have had (as above). */
    if (out_of_time && !r->exact && (o->exact_count_up_to || lower <= check + EXACT_COUNT_EXTRA))
        r->partial |= QUIRE_PARTIAL_TIME;
    if (st == QUIRE_OK && page.n) {
        r->hits = calloc(page.n, sizeof *r->hits);
        r->store = calloc(page.n, sizeof *r->store);
        if (!r->hits || !r->store)
            st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    page_ctx pc = {o, qb, NULL};
    for (size_t k = 0; k < page.n && st == QUIRE_OK; k++)
        st = make_hit(s, m, page.at[k], ms.heads ? &ms.heads[page.at[k]] : NULL, &pc,
                      o->offset + (unsigned)k + 1, page.score[k], r);
    hp_plan_free(pc.plan);
    src_reset(&ms, NULL);
    ho_page_free(&page);
    qx_err e;
    if (st == QUIRE_OK && fr->n && !s->fvcache && !(s->fvcache = strmap_new()))
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (st == QUIRE_OK && fr->n &&
        facets_collect(fr, counted ? counted : m, s->an, s->fvcache, &r->facets, &e) != QUIRE_OK)
        st = qerr_from_shim(s->err, &e, s->path);
    qx_mset_free(counted);
    qx_mset_free(m);
    return st;
}

/* Warnings for a result: databases left out, a time limit that ran out. */
static int make_warning(quire_searcher *s, quire_results *r)
{
    const char *missing = s->ms ? ms_missing(s->ms) : "";
    if (*missing)
        r->partial |= QUIRE_PARTIAL_SHARDS;
    if (!r->partial)
        return 0;
    strbuf w = {0};
    if (r->partial & QUIRE_PARTIAL_SHARDS)
        sb_addf(&w, "partial results: shards left out: %s", missing);
    if (r->partial & QUIRE_PARTIAL_TIME)
        sb_addf(&w, "%sthe time limit ran out before the matches were counted: the total is an estimate",
                w.len ? "; " : "");
    return (r->warning = sb_take(&w)) ? 0 : -1;
}

/* Turn the tree into a Xapian query (wildcards read the index) and run it.
 * EMODIFIED means the caller should reopen and try again. */
static quire_status build_and_run(quire_searcher *s, const char *query, const qnode *tree,
                                  search_ctx *sc,
                                  const quire_search_options *o, double started,
                                  const facet_request *fr,
                                  quire_results **out)
{
    qbuild qb = {0};
    quire_status bst = tree ? searcher_build(s, tree, sc, &qb) : QUIRE_OK;
    if (bst == QUIRE_OK && o->like_id)
        bst = like_build(s, o->like_id, &qb);
    if (bst != QUIRE_OK) {
        qbuild_free(&qb);
        return bst;
    }
    quire_results *r = calloc(1, sizeof *r);
    if (!r) {
        qbuild_free(&qb);
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    r->parsed = qb.parsed;
    qb.parsed = NULL;
    r->ranking = qb.ranking;
    qb.ranking = NULL;
    quire_status st = run_query(s, &qb, o, started, fr, r);
    r->xq = qb.query;
    qb.query = NULL;
    qbuild_free(&qb);
    if (st == QUIRE_OK && tree && !o->no_suggestion && !o->like_id)
        st = suggest_run(s, query, tree, sc, r->total, &r->suggestion);
    if (st == QUIRE_OK && (!r->parsed || !r->ranking || make_warning(s, r) != 0))
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (st != QUIRE_OK) {
        quire_results_free(r);
        return st;
    }
    *out = r;
    return QUIRE_OK;
}

quire_status searcher_ctx(quire_searcher *s, const quire_search_options *o, search_ctx *sc)
{
    /* o has passed check_options (searcher_begin). */
    qbuild_ctx c = {s->db, s->an, &s->cfg, (const char *const *)s->langs, s->nlangs,
                    o->default_op, s->opts.max_wildcard_terms, o->rank != QUIRE_RANK_BM25, s->syn};
    sc->b = c;
    if (o->lang) {
        lang_canonical(o->lang, sc->lang);
        sc->one[0] = sc->lang;
        sc->b.langs = sc->one;
        sc->b.nlangs = 1;
    }
    return QUIRE_OK;
}

quire_status searcher_parse(quire_searcher *s, const char *query, qnode **tree)
{
    qparse_limits lim = {s->opts.max_query_bytes, s->opts.max_depth, DEFAULT_MAX_ITEMS};
    qparse_error perr;
    *tree = qparse(query, &lim, &perr);
    if (!*tree) {
        s->err_offset = perr.offset;
        return qerr_set(s->err, perr.status, "%s", perr.msg);
    }
    return QUIRE_OK;
}

quire_status searcher_build(quire_searcher *s, const qnode *tree, search_ctx *sc, qbuild *qb)
{
    /* What a shard dropped or rejoined since may have changed. */
    sc->b.db = s->db;
    sc->b.syn = s->syn;
    if (sc->b.langs != sc->one) {
        sc->b.langs = (const char *const *)s->langs;
        sc->b.nlangs = s->nlangs;
    }
    qparse_error perr;
    int rc = qbuild_run(&sc->b, tree, qb, &perr);
    if (rc != QUIRE_OK) {
        s->err_offset = perr.offset;
        return qerr_set(s->err, perr.status, "%s", perr.msg);
    }
    return QUIRE_OK;
}

/* Move to the newest revision and, if it moved, read again what depends
 * on it (languages, synonyms): a later quire_searcher_reopen() finds
 * nothing new and would not. */
static quire_status reopen_and_reload(quire_searcher *s)
{
    int moved = 0;
    quire_status st = reopen_db(s, &moved);
    if (st == QUIRE_OK && moved) {
        test_pause("searcher-moved");
        st = load_langs(s);
    }
    if (st == QUIRE_OK && moved)
        st = load_synonyms(s);
    return st;
}

quire_status searcher_retry(quire_searcher *s, quire_status (*fn)(quire_searcher *s, void *arg), void *arg)
{
    /* Members that failed get another chance with every read. */
    quire_status st = s->ms ? refresh_members(s, 0) : QUIRE_OK;
    for (int attempt = 0; st == QUIRE_OK || st == QUIRE_EMODIFIED; attempt++) {
        /* A move that met a discarded revision while reloading is one more
         * attempt, not the end: a busy writer can discard the newest
         * revision again before the languages are read. */
        if (st == QUIRE_OK)
            st = fn(s, arg);
        if (st == QUIRE_ENETWORK && s->ms && attempt < MODIFIED_RETRIES) {
            /* A shard stopped answering: connect afresh, then name the
             * ones still down, or go on without them. */
            char why[QERR_MAX];
            snprintf(why, sizeof why, "%s", s->err);
            st = ms_recover(s->ms, why, s->err);
            searcher_forget_vocab(s);
            s->db = ms_db(s->ms);
            if (st == QUIRE_OK)
                s->err[0] = '\0';
            continue;
        }
        if (st != QUIRE_EMODIFIED || attempt == MODIFIED_RETRIES)
            break;
        /* The index moved on under us (a writer committed twice since our
         * revision): move to the newest revision and start again. */
        st = s->ms ? refresh_members(s, 1) : reopen_and_reload(s);
    }
    return st;
}

/* The options a search may not take: EINVAL naming the first one. lang
 * must be a language the index has documents in, or one quire can stem
 * (or "none"). */
static quire_status check_options(quire_searcher *s, const quire_search_options *o)
{
    char code[LANG_CODE_MAX];
    if ((unsigned)o->sort > QUIRE_SORT_DATE_DESC)
        return qerr_set(s->err, QUIRE_EINVAL, "sort %d is not one of QUIRE_SORT_RELEVANCE, QUIRE_SORT_DATE, "
                        "QUIRE_SORT_DATE_DESC", (int)o->sort);
    if ((unsigned)o->rank > QUIRE_RANK_PROXIMITY)
        return qerr_set(s->err, QUIRE_EINVAL, "rank %d is not a ranking", (int)o->rank);
    if ((unsigned)o->default_op > QUIRE_OP_OR)
        return qerr_set(s->err, QUIRE_EINVAL, "default_op %d is not QUIRE_OP_AND or QUIRE_OP_OR", (int)o->default_op);
    if (!(o->time_limit >= 0) || isinf(o->time_limit))
        return qerr_set(s->err, QUIRE_EINVAL, "time_limit must be 0 (none) or a number of seconds");
    if ((uint64_t)o->offset + o->limit > (uint64_t)UINT32_MAX - EXACT_COUNT_EXTRA)
        return qerr_set(s->err, QUIRE_EINVAL, "offset + limit is too large (at most %lu)",
                        (unsigned long)(UINT32_MAX - EXACT_COUNT_EXTRA));
    if (!o->lang)
        return QUIRE_OK;
    if (lang_canonical(o->lang, code) != 0)
        return qerr_set(s->err, QUIRE_EINVAL, "'%s' is not a language code", o->lang);
    if (strcmp(code, "none") == 0 || lang_stemmer(code))
        return QUIRE_OK;
    for (size_t i = 0; i < s->nlangs; i++)
        if (strcmp(s->langs[i], code) == 0)
            return QUIRE_OK;
    return qerr_set(s->err, QUIRE_EINVAL, "'%s' is neither a language of this index nor one with a stemmer",
                    o->lang);
}

quire_status searcher_begin(quire_searcher *s, int have_out, const quire_search_options *opts,
                            quire_search_options *norm)
{
    s->err_offset = (size_t)-1;
    s->err[0] = '\0';
    if (!have_out)
        return qerr_set(s->err, QUIRE_EINVAL, "out is NULL");
    if (!s->db)
        return qerr_set(s->err, QUIRE_EINVAL, "searcher is not open");
    if (normalize_options(opts, norm) != 0)
        return qerr_set(s->err, QUIRE_EINVAL, "search options version %u is not supported", opts->version);
    return check_options(s, norm);
}

quire_status searcher_docid(quire_searcher *s, const char *id, uint32_t *docid)
{
    if (!id || !*id || strlen(id) > QUIRE_MAX_ID_BYTES)
        return qerr_set(s->err, QUIRE_EINVAL, "invalid document id");
    char term[QUIRE_MAX_ID_BYTES + 2];
    snprintf(term, sizeof term, PFX_ID "%s", id);
    qx_err e;
    *docid = 0;
    if (qx_db_find_term(s->db, term, docid, &e) != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
    if (!*docid)
        return qerr_set(s->err, QUIRE_ENOTFOUND, "%s: no document with id '%s'", s->path, id);
    return QUIRE_OK;
}

quire_status searcher_unknown_if_partial(quire_searcher *s, quire_status st)
{
    if (st != QUIRE_ENOTFOUND || !s->ms || !*ms_missing(s->ms))
        return st;
    char was[QERR_MAX];
    snprintf(was, sizeof was, "%s", s->err);
    return qerr_set(s->err, QUIRE_ENETWORK, "%s among the shards that answered (shards left out: %s)", was,
                    ms_missing(s->ms));
}

/* One try of a search, for searcher_retry. */
typedef struct search_job {
    const char *query;
    const qnode *tree;
    search_ctx *sc;
    const quire_search_options *o;
    const facet_request *fr;
    double started;     /* for the time limit */
    quire_results **out;
} search_job;

static quire_status search_once(quire_searcher *s, void *arg)
{
    search_job *j = arg;
    return build_and_run(s, j->query, j->tree, j->sc, j->o, j->started, j->fr, j->out);
}

static quire_status search(quire_searcher *s, const char *query,
                           const quire_search_options *opts,
                           quire_results **out)
{
    double started = now_seconds();
    if (out)
        *out = NULL;
    quire_search_options norm;
    const quire_search_options *o = &norm;
    quire_status st0 = searcher_begin(s, out != NULL, opts, &norm);
    if (st0 != QUIRE_OK)
        return st0;
    if (!query && !o->like_id)
        return qerr_set(s->err, QUIRE_EINVAL, "query is NULL");

    facet_request fr;
    char ferr[128];
    if (facets_parse(o->facets, o->facet_limit, &fr, ferr, sizeof ferr) != 0)
        return qerr_set(s->err, QUIRE_EINVAL, "%s", ferr);
    search_ctx sc;
    quire_status st = searcher_ctx(s, o, &sc);
    qnode *tree = NULL;
    /* More like this may go without a query: then nothing filters. */
    if (st == QUIRE_OK && (!o->like_id || (query && query[strspn(query, " \t\r\n")])))
        st = searcher_parse(s, query, &tree);
    if (st != QUIRE_OK)
        return st;
    search_job job = {query, tree, &sc, o, &fr, started, out};
    st = searcher_retry(s, search_once, &job);
    if (o->like_id) /* the document to be like may be on a shard left out */
        st = searcher_unknown_if_partial(s, st);
    qnode_free(tree);
    return st;
}

void searcher_forget_vocab(quire_searcher *s)
{
    strmap_free(s->vocab);
    s->vocab = NULL;
}

int searcher_has_remote(const quire_searcher *s)
{
    return s->ms && ms_has_remote(s->ms);
}

/* ---- Public entry points: each records its outcome (error.h). ---------- */

quire_status quire_searcher_open(const char *path,
                                 const quire_searcher_options *opts,
                                 quire_searcher **out)
{
    quire_status st = searcher_open(path, opts, out);
    if (out && *out)
        qerr_end((*out)->err, &(*out)->code, st);
    return st;
}

quire_status quire_searcher_reopen(quire_searcher *s)
{
    SEARCHER_CALL(s, searcher_reopen(s));
}

quire_status quire_searcher_doc_count(quire_searcher *s, uint64_t *count)
{
    SEARCHER_CALL(s, searcher_doc_count(s, count));
}

quire_status quire_searcher_stats(quire_searcher *s, quire_stats *out)
{
    SEARCHER_CALL(s, searcher_stats(s, out));
}

quire_status quire_search(quire_searcher *s, const char *query,
                          const quire_search_options *opts,
                          quire_results **out)
{
    SEARCHER_CALL(s, search(s, query, opts, out));
}
