/* search.c — quire_searcher and quire_results (see quire.h): opens an index
 * read-only, configures the query analyzer from its metadata, runs parsed
 * and built queries through Xapian's matcher (BM25), and assembles hits
 * with stored fields and snippets. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "bodystore.h"
#include "config.h"
#include "docdata.h"
#include "error.h"
#include "highlight.h"
#include "hitpos.h"
#include "indexdir.h"
#include "lifecycle.h"
#include "like.h"
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
#include "xapian_shim.h"

enum {
    DEFAULT_MAX_QUERY_BYTES = 100000,
    DEFAULT_MAX_DEPTH = 100,
    DEFAULT_MAX_WILDCARD = 1000,
    DEFAULT_MAX_ITEMS = 1000,
    DEFAULT_SNIPPET_CHARS = 200,
    EXACT_COUNT_EXTRA = 100,  /* totals are exact when at most this many
                                 matches lie past the page */
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
    return s ? s->err : "out of memory";
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

/* The languages documents were indexed in, for stemming query words. */
static quire_status load_langs(quire_searcher *s)
{
    char *v = NULL;
    size_t len;
    qx_err e;
    if (s->nmembers) {
        /* Shards each record their own languages: take the union. */
        strbuf all = {0};
        for (size_t i = 0; i < s->nmembers; i++) {
            char *one = NULL;
            if (qx_db_get_metadata(s->members[i].db, META_LANGS, &one, &len, &e) != QUIRE_OK) {
                sb_free(&all);
                return qerr_from_shim(s->err, &e, s->members[i].label);
            }
            if (*one)
                sb_addf(&all, "%s%s", all.len ? "," : "", one);
            free(one);
        }
        if (!(v = sb_take(&all)))
            return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    } else if (qx_db_get_metadata(s->db, META_LANGS, &v, &len, &e) != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
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
    size_t n = s->nmembers ? s->nmembers : 1;
    char **lists = calloc(n, sizeof *lists);
    strbuf all = {0};
    quire_status st = lists ? QUIRE_OK : qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && st == QUIRE_OK; i++) {
        size_t len;
        qx_err e;
        if (qx_db_get_metadata(s->nmembers ? s->members[i].db : s->db, META_SYNONYMS, &lists[i], &len, &e) != QUIRE_OK) {
            st = qerr_from_shim(s->err, &e, s->nmembers ? s->members[i].label : s->path);
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

/* Note a database left out of a partial answer. */
static void add_missing(quire_searcher *s, const char *label, const char *why)
{
    strbuf b = {0};
    sb_addf(&b, "%s%s%s (%s)", s->missing ? s->missing : "", s->missing ? "; " : "", label, why);
    char *m = sb_take(&b);
    if (m) {
        free(s->missing);
        s->missing = m;
    }
}

/* s->db := the members combined. The previous combination is released
 * without closing the members it shares. */
static quire_status combine_members(quire_searcher *s)
{
    qx_err e;
    searcher_forget_vocab(s);
    qx_db *multi = qx_db_new_multi(&e);
    if (!multi)
        return qerr_from_shim(s->err, &e, s->path);
    for (size_t i = 0; i < s->nmembers; i++) {
        if (qx_db_add(multi, s->members[i].db, &e) != QUIRE_OK) {
            qx_db_release(multi);
            return qerr_from_shim(s->err, &e, s->members[i].label);
        }
    }
    qx_db_release(s->db);
    s->db = multi;
    return QUIRE_OK;
}

static qx_db *open_member(const quire_searcher *s, const member *m, qx_err *e)
{
    unsigned timeout_ms = s->opts.timeout > 0 ? (unsigned)(s->opts.timeout * 1000.0) : 10000;
    return m->remote ? qx_db_open_remote(m->where, m->port, timeout_ms, e) : qx_db_open_read(m->where, e);
}

/* Open every database a stub file names, each on its own: a remote one
 * with the searcher's timeout. One that fails is an error naming it, or,
 * with opts.partial, left out and listed in every result's warning. */
static quire_status open_stub(quire_searcher *s, const char *file)
{
    stub_entry *v;
    size_t n;
    if (stub_expand(file, &v, &n, s->err, QERR_MAX) != 0)
        return QUIRE_ENOTINDEX;
    quire_status st = QUIRE_OK;
    if (!(s->members = calloc(n, sizeof *s->members))) {
        stub_free(v, n);
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        qx_err e;
        member *m = &s->members[s->nmembers];
        snprintf(m->label, sizeof m->label, "%s", v[i].label);
        snprintf(m->where, sizeof m->where, "%s", v[i].remote ? v[i].host : v[i].path);
        m->remote = v[i].remote;
        m->port = v[i].port;
        qx_db *db = open_member(s, m, &e);
        if (!db && s->opts.partial) {
            add_missing(s, v[i].label, e.msg);
            continue;
        }
        if (!db) {
            st = qerr_set(s->err, e.code == QUIRE_ENETWORK ? QUIRE_ENETWORK : QUIRE_ENOTFOUND,
                          "%s: shard %s: %s", s->path, v[i].label, e.msg);
            break;
        }
        m->db = db;
        s->nmembers++;
    }
    stub_free(v, n);
    if (st == QUIRE_OK && !s->nmembers)
        st = qerr_set(s->err, QUIRE_ENETWORK, "%s: no shard answered: %s", s->path, s->missing ? s->missing : "");
    return st == QUIRE_OK ? combine_members(s) : st;
}

/* After a network error: find the members that no longer answer. A query
 * that failed part-way leaves the other remote connections mid-protocol,
 * so every remote member is connected afresh; the ones that cannot be are
 * the dead ones. Without opts.partial that is an error naming them; with
 * it they are dropped and the caller retries on the rest. */
static quire_status drop_dead_members(quire_searcher *s, const char *why)
{
    size_t kept = 0, dead = 0;
    strbuf names = {0};
    for (size_t i = 0; i < s->nmembers; i++) {
        qx_err e;
        if (s->members[i].remote) {
            qx_db *fresh = open_member(s, &s->members[i], &e);
            if (fresh) {
                qx_db_close(s->members[i].db, &e);
                s->members[i].db = fresh;
            }
        }
        if (qx_db_keep_alive(s->members[i].db, &e) == QUIRE_OK) {
            s->members[kept++] = s->members[i];
            continue;
        }
        sb_addf(&names, "%s%s", dead++ ? ", " : "", s->members[i].label);
        if (s->opts.partial) {
            add_missing(s, s->members[i].label, e.msg);
            qx_db_close(s->members[i].db, &e);
        } else {
            s->members[kept++] = s->members[i];
        }
    }
    char *list = sb_take(&names);
    quire_status st;
    if (!dead && combine_members(s) == QUIRE_OK)
        st = qerr_set(s->err, QUIRE_ENETWORK, "%s: %s", s->path, why);
    else if (!dead)
        st = QUIRE_ENETWORK;
    else if (!s->opts.partial)
        st = qerr_set(s->err, QUIRE_ENETWORK, "%s: shard%s not answering: %s (%s); --partial answers from the others",
                      s->path, dead > 1 ? "s" : "", list ? list : "", why);
    else if (!kept)
        st = qerr_set(s->err, QUIRE_ENETWORK, "%s: no shard answered: %s", s->path, s->missing ? s->missing : "");
    else {
        s->nmembers = kept;
        st = combine_members(s);
    }
    free(list);
    return st;
}

quire_status quire_searcher_open(const char *path,
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
    char stubfile[LC_PATH_MAX];
    if (stub_detect(path, stubfile, sizeof stubfile)) {
        quire_status st = open_stub(s, stubfile);
        return st == QUIRE_OK ? configure(s) : st;
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
    return configure(s);
}


/* Move to the newest revision. A reopen that meets a revision being
 * discarded fails part-way and leaves tables at different revisions, so it
 * is repeated until one completes; only then is the handle consistent. */
static quire_status reopen_db(quire_searcher *s)
{
    qx_err e;
    searcher_forget_vocab(s);
    for (int attempt = 0;; attempt++) {
        if (qx_db_reopen(s->db, NULL, &e) == QUIRE_OK)
            return QUIRE_OK;
        if (e.code != QUIRE_EMODIFIED || attempt == MODIFIED_RETRIES)
            return qerr_from_shim(s->err, &e, s->path);
    }
}

/* The index name now points at another version (a rebuild or compaction
 * switched it): open that one and let the old one go. */
static quire_status follow_switch(quire_searcher *s)
{
    char dir[LC_PATH_MAX];
    int fd;
    quire_status st = lc_reader_pin(s->path, dir, sizeof dir, &fd, s->err);
    if (st != QUIRE_OK)
        return st;
    if (strcmp(dir, s->dir) == 0) {
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
    return configure(s);
}

quire_status quire_searcher_reopen(quire_searcher *s)
{
    if (!s || !s->db)
        return s ? qerr_set(s->err, QUIRE_EINVAL, "searcher is not open") : QUIRE_EINVAL;
    quire_status st = s->members ? QUIRE_OK : follow_switch(s); /* a stub has no versions to follow */
    if (st != QUIRE_OK)
        return st;
    for (int attempt = 0; attempt <= MODIFIED_RETRIES; attempt++) {
        st = reopen_db(s);
        if (st == QUIRE_OK)
            st = load_langs(s); /* can meet a discarded revision too */
        if (st == QUIRE_OK)
            st = load_synonyms(s);
        if (st != QUIRE_EMODIFIED)
            break;
    }
    return st;
}

quire_status quire_searcher_doc_count(quire_searcher *s, uint64_t *count)
{
    if (!s || !s->db || !count)
        return s ? qerr_set(s->err, QUIRE_EINVAL, "searcher is not open or count is NULL") : QUIRE_EINVAL;
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
    if (s->nmembers || s->members) {
        qx_db_release(s->db);
        for (size_t i = 0; i < s->nmembers; i++)
            qx_db_close(s->members[i].db, &e);
        free(s->members);
    } else {
        qx_db_close(s->db, &e);
    }
    free(s->missing);
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

quire_status quire_searcher_stats(quire_searcher *s, quire_stats *out)
{
    if (!s || !s->db || !out)
        return s ? qerr_set(s->err, QUIRE_EINVAL, "searcher is not open or out is NULL") : QUIRE_EINVAL;
    if (out->version < 1 || out->version > QUIRE_STATS_VERSION)
        return qerr_set(s->err, QUIRE_EINVAL, "stats version %u is not supported", out->version);
    qx_err e;
    size_t ndb = 1;
    out->terms = 0;
    if (qx_db_doc_count(s->db, &out->documents, &e) != QUIRE_OK ||
        qx_db_total_length(s->db, &out->total_length, &e) != QUIRE_OK || qx_db_size(s->db, &ndb, &e) != QUIRE_OK ||
        qx_db_terms_with_prefix(s->db, "", SIZE_MAX, count_term, &out->terms, NULL, &e) != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
    out->databases = (unsigned)ndb;
    quire_status st;
    if ((st = meta_copy(s, META_LANGS, s->st_langs, sizeof s->st_langs)) != QUIRE_OK ||
        (st = meta_copy(s, META_UPDATED, s->st_updated, sizeof s->st_updated)) != QUIRE_OK ||
        (st = meta_copy(s, META_WRITER, s->st_writer, sizeof s->st_writer)) != QUIRE_OK)
        return st;
    out->disk_bytes = lc_dir_bytes(s->dir);
    out->location = s->dir;
    out->config = s->cfgdesc;
    out->languages = s->st_langs;
    out->updated = s->st_updated;
    out->writer = s->st_writer;
    if (out->version >= 2) /* a version 1 struct ends before these */
        out->synonym_groups = (unsigned)syn_groups(s->syn);
    return QUIRE_OK;
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
    return r && r->xquery ? r->xquery : "";
}

const char *quire_results_ranking(const quire_results *r)
{
    return r && r->ranking ? r->ranking : "";
}

const char *quire_results_warning(const quire_results *r)
{
    return r && r->warning ? r->warning : "";
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

/* Fill hit i of r from the head record (and, for its snippet, the stored
 * body) of Xapian hit i of m. */
static quire_status make_hit(quire_searcher *s, qx_mset *m, size_t i, page_ctx *pc,
                             unsigned rank, quire_results *r)
{
    const quire_search_options *o = pc->o;
    const qbuild *qb = pc->qb;
    qx_err e;
    char *data = NULL, *blob = NULL;
    size_t len = 0, blen = 0;
    int rc = o->no_snippets ? qx_mset_data(m, i, &data, &len, &e)
                            : qx_mset_data_value(m, i, SLOT_BODY, &data, &len, &blob, &blen, &e);
    if (rc != QUIRE_OK)
        return qerr_from_shim(s->err, &e, s->path);
    hit_store *h = &r->store[r->n];
    quire_hit *hit = &r->hits[r->n];
    memset(h, 0, sizeof *h);
    int bad = docdata_decode(data, len, &h->dd);
    free(data);
    uint32_t docid = qx_mset_docid(m, i);
    if (bad) {
        free(blob);
        return qerr_set(s->err, QUIRE_ECORRUPT, "%s: document %u has a damaged stored record",
                        s->path, (unsigned)docid);
    }
    r->n++; /* from here on, freeing r frees this hit's parts */
    docdata *d = &h->dd;
    char lang[LANG_CODE_MAX];
    if (!*d->lang || lang_canonical(d->lang, lang) != 0)
        strcpy(lang, s->cfg.lang);
    int skip_stops = s->cfg.stopwords == QUIRE_STOPWORDS_INDEX;
    if (!o->no_snippets) {
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
    hit->score = qx_mset_weight(m, i);
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

/* Run the built query and collect a page of hits, and the facets of fr.
 * EMODIFIED is passed up for the caller to reopen and retry. */
static quire_status run_query(quire_searcher *s, const qbuild *qb,
                              const quire_search_options *o,
                              const facet_request *fr, quire_results *r)
{
    qx_search_params p = {0};
    qx_err e;
    static const unsigned facet_slot = SLOT_FACETS;
    p.offset = o->offset;
    p.limit = o->limit;
    p.check_at_least = o->exact_count_up_to ? o->exact_count_up_to : o->offset + o->limit;
    if (fr->n) {
        /* Facets count every match (in a pass of their own, whose total is
         * exact): the ranked pass need only find the page. */
        p.count_slots = &facet_slot;
        p.ncount_slots = 1;
        p.check_at_least = o->offset + o->limit;
    }
    p.sort = o->sort == QUIRE_SORT_DATE        ? QX_SORT_VALUE_ASC
             : o->sort == QUIRE_SORT_DATE_DESC ? QX_SORT_VALUE_DESC
                                               : QX_SORT_RELEVANCE;
    p.sort_slot = SLOT_DATE;
    p.k1 = p.b = -1;
    qx_mset *m = qx_search(s->db, qb->query, &p, &e);
    if (!m)
        return qerr_from_shim(s->err, &e, s->path);
    uint64_t lower, est, upper;
    qx_mset_counts(m, &lower, &est, &upper);
    if (!o->exact_count_up_to && lower != upper && upper <= (uint64_t)p.check_at_least + EXACT_COUNT_EXTRA) {
        /* Few matches at most: counting them all is cheap, so do it (a
         * second pass that visits every match). Many matches keep the
         * estimate, which spares a query on common words the counting. */
        p.check_at_least = (unsigned)upper;
        qx_mset *exact = qx_search(s->db, qb->query, &p, &e);
        if (!exact) {
            qx_mset_free(m);
            return qerr_from_shim(s->err, &e, s->path);
        }
        qx_mset_free(m);
        m = exact;
        qx_mset_counts(m, &lower, &est, &upper);
    }
    r->exact = lower == upper;
    r->total = r->exact ? lower : est;
    size_t n = qx_mset_size(m);
    quire_status st = QUIRE_OK;
    if (n) {
        r->hits = calloc(n, sizeof *r->hits);
        r->store = calloc(n, sizeof *r->store);
        if (!r->hits || !r->store)
            st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    page_ctx pc = {o, qb, NULL};
    for (size_t i = 0; i < n && st == QUIRE_OK; i++)
        st = make_hit(s, m, i, &pc, o->offset + (unsigned)i + 1, r);
    hp_plan_free(pc.plan);
    if (st == QUIRE_OK && fr->n && !s->fvcache && !(s->fvcache = strmap_new()))
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (st == QUIRE_OK && fr->n && facets_collect(fr, m, s->an, s->fvcache, &r->facets, &e) != QUIRE_OK)
        st = qerr_from_shim(s->err, &e, s->path);
    qx_mset_free(m);
    return st;
}

/* Turn the tree into a Xapian query (wildcards read the index) and run it.
 * EMODIFIED means the caller should reopen and try again. */
static quire_status build_and_run(quire_searcher *s, const char *query, const qnode *tree,
                                  search_ctx *sc,
                                  const quire_search_options *o,
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
    r->xquery = qx_query_describe(qb.query);
    r->ranking = qb.ranking;
    qb.ranking = NULL;
    quire_status st = run_query(s, &qb, o, fr, r);
    qbuild_free(&qb);
    if (st == QUIRE_OK && tree && !o->no_suggestion && !o->like_id)
        st = suggest_run(s, query, tree, sc, r->total, &r->suggestion);
    if (st == QUIRE_OK && s->missing &&
        (r->warning = malloc(strlen(s->missing) + 64)) != NULL)
        sprintf(r->warning, "partial results: shards left out: %s", s->missing);
    if (st == QUIRE_OK && (!r->parsed || !r->xquery || !r->ranking))
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
    if (o->rank != QUIRE_RANK_DEFAULT && o->rank != QUIRE_RANK_BM25 && o->rank != QUIRE_RANK_PROXIMITY)
        return qerr_set(s->err, QUIRE_EINVAL, "rank %d is not a ranking", (int)o->rank);
    qbuild_ctx c = {s->db, s->an, &s->cfg, (const char *const *)s->langs, s->nlangs,
                    o->default_op, s->opts.max_wildcard_terms, o->rank != QUIRE_RANK_BM25, s->syn};
    sc->b = c;
    if (o->lang) {
        if (lang_canonical(o->lang, sc->lang) != 0)
            return qerr_set(s->err, QUIRE_EINVAL, "'%s' is not a language code", o->lang);
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
    sc->b.db = s->db; /* a shard dropped since may have changed it */
    qparse_error perr;
    int rc = qbuild_run(&sc->b, tree, qb, &perr);
    if (rc != QUIRE_OK) {
        s->err_offset = perr.offset;
        return qerr_set(s->err, perr.status, "%s", perr.msg);
    }
    return QUIRE_OK;
}

quire_status searcher_retry(quire_searcher *s, quire_status (*fn)(quire_searcher *s, void *arg), void *arg)
{
    quire_status st;
    for (int attempt = 0;; attempt++) {
        st = fn(s, arg);
        if (st == QUIRE_ENETWORK && s->nmembers && attempt < MODIFIED_RETRIES) {
            /* A shard stopped answering: name it, or go on without it. */
            char why[QERR_MAX];
            snprintf(why, sizeof why, "%s", s->err);
            if ((st = drop_dead_members(s, why)) != QUIRE_OK)
                break;
            continue;
        }
        if (st != QUIRE_EMODIFIED || attempt == MODIFIED_RETRIES)
            break;
        /* The index moved on under us (a writer committed twice since our
         * revision): move to the newest revision and start again. */
        if ((st = reopen_db(s)) != QUIRE_OK)
            break;
    }
    return st;
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
    return QUIRE_OK;
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

/* One try of a search, for searcher_retry. */
typedef struct search_job {
    const char *query;
    const qnode *tree;
    search_ctx *sc;
    const quire_search_options *o;
    const facet_request *fr;
    quire_results **out;
} search_job;

static quire_status search_once(quire_searcher *s, void *arg)
{
    search_job *j = arg;
    return build_and_run(s, j->query, j->tree, j->sc, j->o, j->fr, j->out);
}

quire_status quire_search(quire_searcher *s, const char *query,
                          const quire_search_options *opts,
                          quire_results **out)
{
    if (!s)
        return QUIRE_EINVAL;
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
    search_job job = {query, tree, &sc, o, &fr, out};
    st = searcher_retry(s, search_once, &job);
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
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i].remote)
            return 1;
    return 0;
}
