/* index.c — quire_index: the writable index handle (see quire.h).
 *
 * Owns the Xapian writer, the analyzer configuration read from (or written
 * to) the index metadata, and the batching of commits. Documents are built
 * by docbuild.c; this file decides whether and how they are written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "docbuild.h"
#include "error.h"
#include "indexdir.h"
#include "quire.h"
#include "schema.h"
#include "strmap.h"
#include "xapian_shim.h"

enum {
    DEFAULT_BATCH_DOCS = 10000,
    DEFAULT_BATCH_BYTES = 64 * 1024 * 1024
};

struct quire_index {
    char *path;
    qx_db *db;
    qconfig cfg;
    docbuilder *builder;
    strmap *langs;     /* languages of documents in the index */
    int langs_dirty;
    int dirty;         /* uncommitted changes */
    unsigned batch_docs;
    size_t batch_bytes;
    unsigned pending_docs;
    size_t pending_bytes;
    char cfgdesc[128];
    char err[QERR_MAX];
};

quire_status quire_index_options_init(quire_index_options *opts,
                                      unsigned int version)
{
    if (!opts || version != QUIRE_INDEX_OPTIONS_VERSION)
        return QUIRE_EINVAL;
    quire_index_options d = QUIRE_INDEX_OPTIONS_INIT;
    *opts = d;
    return QUIRE_OK;
}

const char *quire_index_errmsg(const quire_index *idx)
{
    return idx ? idx->err : "out of memory";
}

/* Open the Xapian writer, retrying for up to wait seconds while another
 * writer holds the lock. */
static qx_db *open_writer(const char *path, int mode, double wait, qx_err *e)
{
    double waited = 0;
    for (;;) {
        qx_db *db = qx_db_open_write(path, mode, e);
        if (db || e->code != QUIRE_ELOCKED || waited >= wait)
            return db;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        waited += 0.1;
    }
}

static int load_langs(quire_index *idx)
{
    char *v = NULL;
    size_t len;
    qx_err e;
    if (qx_db_get_metadata(idx->db, META_LANGS, &v, &len, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    for (char *p = v; *p;) {
        char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l && strmap_put(idx->langs, p, l, "", 0) != 0) {
            free(v);
            return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
        }
        p += l + (c ? 1 : 0);
    }
    free(v);
    return QUIRE_OK;
}

/* An option given for an existing index must match what it was built with. */
static quire_status check_options(quire_index *idx, const quire_index_options *o)
{
    const qconfig *c = &idx->cfg;
    char want[LANG_CODE_MAX];
    if (o->lang && (lang_canonical(o->lang, want) != 0 || strcmp(want, c->lang) != 0))
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with lang=%s, not %s; rebuild the index to change it",
                        idx->path, c->lang, o->lang);
    if (o->fold_accents >= 0 && (o->fold_accents != 0) != (c->fold_accents != 0))
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with accent folding %s; rebuild the index to change it",
                        idx->path, c->fold_accents ? "on" : "off");
    if (o->stopwords != QUIRE_STOPWORDS_DEFAULT && o->stopwords != c->stopwords)
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with stopwords=%s; rebuild the index to change it",
                        idx->path, qconfig_stopwords_name(c->stopwords));
    if (o->positions != QUIRE_POSITIONS_DEFAULT && o->positions != c->positions)
        return qerr_set(idx->err, QUIRE_ECONFIG,
                        "%s was built with positions=%s; rebuild the index to change it",
                        idx->path, qconfig_positions_name(c->positions));
    return QUIRE_OK;
}

static quire_status apply_options(quire_index *idx, const quire_index_options *o)
{
    qconfig *c = &idx->cfg;
    if (o->lang && lang_canonical(o->lang, c->lang) != 0)
        return qerr_set(idx->err, QUIRE_EINVAL, "'%s' is not a language code", o->lang);
    if (o->fold_accents >= 0)
        c->fold_accents = o->fold_accents != 0;
    if (o->stopwords > QUIRE_STOPWORDS_INDEX || o->positions > QUIRE_POSITIONS_STEMS)
        return qerr_set(idx->err, QUIRE_EINVAL, "unknown stopwords or positions option");
    if (o->stopwords != QUIRE_STOPWORDS_DEFAULT)
        c->stopwords = o->stopwords;
    if (o->positions != QUIRE_POSITIONS_DEFAULT)
        c->positions = o->positions;
    return QUIRE_OK;
}

static quire_status do_open(quire_index *idx, const quire_index_options *o)
{
    quire_status st = indexdir_check_writable(idx->path, (o->flags & QUIRE_INDEX_NO_CREATE) != 0, idx->err);
    if (st != QUIRE_OK)
        return st;
    qx_err e;
    idx->db = open_writer(idx->path, QX_CREATE_OR_OPEN, o->lock_wait, &e);
    if (!idx->db) {
        if (e.code == QUIRE_ELOCKED)
            return indexdir_locked_error(idx->path, idx->err);
        return qerr_from_shim(idx->err, &e, idx->path);
    }
    int fresh = 0;
    st = qconfig_load(idx->db, idx->path, &idx->cfg, &fresh, idx->err);
    if (st != QUIRE_OK)
        return st;
    if (!fresh && (o->flags & QUIRE_INDEX_OVERWRITE)) {
        /* Start over: reopen truncating (it is a quire index, checked). */
        qx_db_close(idx->db, &e);
        idx->db = open_writer(idx->path, QX_CREATE_OR_OVERWRITE, o->lock_wait, &e);
        if (!idx->db)
            return e.code == QUIRE_ELOCKED ? indexdir_locked_error(idx->path, idx->err)
                                           : qerr_from_shim(idx->err, &e, idx->path);
        fresh = 1;
        qconfig_defaults(&idx->cfg);
    }
    if (fresh) {
        st = apply_options(idx, o);
        if (st == QUIRE_OK)
            st = qconfig_store(idx->db, &idx->cfg, idx->err);
        if (st == QUIRE_OK && qx_db_commit(idx->db, &e) != QUIRE_OK)
            st = qerr_from_shim(idx->err, &e, idx->path);
    } else {
        st = check_options(idx, o);
    }
    if (st != QUIRE_OK)
        return st;
    indexdir_note_writer(idx->path);
    qconfig_describe(&idx->cfg, idx->cfgdesc, sizeof idx->cfgdesc);
    idx->langs = strmap_new();
    if (!idx->langs)
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    st = load_langs(idx);
    if (st != QUIRE_OK)
        return st;
    idx->builder = docbuild_new(&idx->cfg, idx->err);
    return idx->builder ? QUIRE_OK : QUIRE_ERROR;
}

quire_status quire_index_open(const char *path, const quire_index_options *opts,
                              quire_index **out)
{
    if (!out)
        return QUIRE_EINVAL;
    quire_index *idx = calloc(1, sizeof *idx);
    *out = idx;
    if (!idx)
        return QUIRE_ENOMEM;
    quire_index_options defaults = QUIRE_INDEX_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != QUIRE_INDEX_OPTIONS_VERSION)
        return qerr_set(idx->err, QUIRE_EINVAL, "index options version %u is not supported", opts->version);
    if (!path || !*path)
        return qerr_set(idx->err, QUIRE_EINVAL, "no index path given");
    idx->path = strdup(path);
    if (!idx->path)
        return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
    idx->batch_docs = opts->batch_docs ? opts->batch_docs : DEFAULT_BATCH_DOCS;
    idx->batch_bytes = opts->batch_bytes ? opts->batch_bytes : DEFAULT_BATCH_BYTES;
    quire_status st = do_open(idx, opts);
    if (st != QUIRE_OK && idx->db) {
        qx_err e;
        qx_db_close(idx->db, &e);
        indexdir_forget_writer(idx->path);
        idx->db = NULL;
    }
    return st;
}

static int collect_lang(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
    (void)v;
    (void)vl;
    char *buf = ctx;
    size_t n = strlen(buf);
    if (n + kl + 2 < 1024) {
        if (n)
            buf[n++] = ',';
        memcpy(buf + n, k, kl);
        buf[n + kl] = '\0';
    }
    return 0;
}

quire_status quire_index_commit(quire_index *idx)
{
    if (!idx || !idx->db)
        return idx ? qerr_set(idx->err, QUIRE_EINVAL, "index is not open") : QUIRE_EINVAL;
    if (!idx->dirty)
        return QUIRE_OK;
    qx_err e;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (qx_db_set_metadata(idx->db, META_UPDATED, now, strlen(now), &e) != QUIRE_OK ||
        qx_db_set_metadata(idx->db, META_WRITER, QUIRE_VERSION_STRING, strlen(QUIRE_VERSION_STRING), &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    if (idx->langs_dirty) {
        char list[1024] = "";
        strmap_each(idx->langs, collect_lang, list);
        if (qx_db_set_metadata(idx->db, META_LANGS, list, strlen(list), &e) != QUIRE_OK)
            return qerr_from_shim(idx->err, &e, idx->path);
    }
    if (qx_db_commit(idx->db, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    idx->dirty = 0;
    idx->langs_dirty = 0;
    idx->pending_docs = 0;
    idx->pending_bytes = 0;
    return QUIRE_OK;
}

static quire_status note_change(quire_index *idx, size_t bytes)
{
    idx->dirty = 1;
    idx->pending_docs++;
    idx->pending_bytes += bytes;
    if (idx->pending_docs >= idx->batch_docs || idx->pending_bytes >= idx->batch_bytes)
        return quire_index_commit(idx);
    return QUIRE_OK;
}

/* Is the stored document for docid identical (same record checksum)? */
static int unchanged(quire_index *idx, uint32_t docid, const char *checksum)
{
    char *v = NULL;
    size_t len;
    qx_err e;
    if (qx_db_get_value(idx->db, docid, SLOT_CHECKSUM, &v, &len, &e) != QUIRE_OK)
        return 0;
    int same = strcmp(v, checksum) == 0;
    free(v);
    return same;
}

quire_status quire_index_add(quire_index *idx, const quire_document *doc,
                             quire_add_outcome *outcome)
{
    if (!idx || !idx->db)
        return idx ? qerr_set(idx->err, QUIRE_EINVAL, "index is not open") : QUIRE_EINVAL;
    built_doc bd;
    quire_status st = docbuild_make(idx->builder, doc, &bd, idx->err);
    if (st != QUIRE_OK)
        return st;
    qx_err e;
    uint32_t old = 0;
    if (qx_db_find_term(idx->db, bd.id_term, &old, &e) != QUIRE_OK) {
        qx_doc_free(bd.doc);
        return qerr_from_shim(idx->err, &e, idx->path);
    }
    if (old && unchanged(idx, old, bd.checksum)) {
        qx_doc_free(bd.doc);
        if (outcome)
            *outcome = QUIRE_UNCHANGED;
        return QUIRE_OK;
    }
    int rc = qx_db_replace(idx->db, bd.id_term, bd.doc, NULL, &e);
    qx_doc_free(bd.doc);
    if (rc != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    if (!strmap_get(idx->langs, bd.lang, strlen(bd.lang), NULL)) {
        if (strmap_put(idx->langs, bd.lang, strlen(bd.lang), "", 0) != 0)
            return qerr_set(idx->err, QUIRE_ENOMEM, "out of memory");
        idx->langs_dirty = 1;
    }
    if (outcome)
        *outcome = old ? QUIRE_REPLACED : QUIRE_ADDED;
    return note_change(idx, bd.bytes);
}

quire_status quire_index_delete(quire_index *idx, const char *id)
{
    if (!idx || !idx->db)
        return idx ? qerr_set(idx->err, QUIRE_EINVAL, "index is not open") : QUIRE_EINVAL;
    if (!id || !*id || strlen(id) > QUIRE_MAX_ID_BYTES)
        return qerr_set(idx->err, QUIRE_EINVAL, "invalid document id");
    char term[QUIRE_MAX_ID_BYTES + 2];
    snprintf(term, sizeof term, PFX_ID "%s", id);
    qx_err e;
    uint32_t docid = 0;
    if (qx_db_find_term(idx->db, term, &docid, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    if (!docid)
        return qerr_set(idx->err, QUIRE_ENOTFOUND, "no document with id '%s'", id);
    if (qx_db_delete(idx->db, term, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    return note_change(idx, 0);
}

quire_status quire_index_doc_count(quire_index *idx, uint64_t *count)
{
    if (!idx || !idx->db || !count)
        return idx ? qerr_set(idx->err, QUIRE_EINVAL, "index is not open or count is NULL") : QUIRE_EINVAL;
    qx_err e;
    if (qx_db_doc_count(idx->db, count, &e) != QUIRE_OK)
        return qerr_from_shim(idx->err, &e, idx->path);
    return QUIRE_OK;
}

const char *quire_index_config(quire_index *idx)
{
    return idx ? idx->cfgdesc : "";
}

quire_status quire_index_close(quire_index *idx)
{
    if (!idx)
        return QUIRE_OK;
    quire_status st = QUIRE_OK;
    if (idx->db) {
        st = quire_index_commit(idx);
        qx_err e;
        int rc = qx_db_close(idx->db, &e);
        if (st == QUIRE_OK && rc != QUIRE_OK)
            st = qerr_from_shim(idx->err, &e, idx->path);
        indexdir_forget_writer(idx->path);
    }
    docbuild_free(idx->builder);
    strmap_free(idx->langs);
    free(idx->path);
    free(idx);
    return st;
}
