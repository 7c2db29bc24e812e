/* docbuild.c — see docbuild.h. Term layout:
 *   title words  S<w> with positions, ZS<stem>; also <w>/Z<stem> with
 *                TITLE_WDF so the title counts in plain searches
 *   body words   <w> with positions, Z<stem>
 *   author       A<w>, source XS<w> (positions, not stemmed)
 *   booleans     Q<id>, L<lang>, D<YYYYMMDD>, M<YYYYMM>, Y<YYYY>, and the
 *                whole source and each author name (fieldvalue.h)
 * With positions=stems the unprefixed <w> terms are left out and the Z
 * terms carry the positions instead (one posting per word). With the
 * spelling option, title and body words other than stopwords, numbers and
 * ideographs go to Xapian's spelling table too.
 * Stored: the head record (docdata.h) in SLOT_HEAD, the body in
 * SLOT_BODY (bodystore.h), and the sort, tie-break and facet values of
 * schema.h; no document data. */
#include "docbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "analyzer.h"
#include "bodystore.h"
#include "date.h"
#include "docdata.h"
#include "error.h"
#include "fieldvalue.h"
#include "schema.h"
#include "strbuf.h"
#include "utf8.h"

struct docbuilder {
    qconfig cfg;
    qa_analyzer *an;
    qa_tokens tok;
    char *term;    /* scratch for prefixed terms */
    size_t term_cap;
    bs_zip zip;    /* body block compression */
};

docbuilder *docbuild_new(const qconfig *cfg, char *err)
{
    docbuilder *b = calloc(1, sizeof *b);
    if (!b) {
        qerr_set(err, QUIRE_ENOMEM, "out of memory");
        return NULL;
    }
    b->cfg = *cfg;
    bs_zip_init(&b->zip);
    b->an = qa_new(cfg->fold_accents, cfg->lang, err, QERR_MAX);
    if (!b->an) {
        free(b);
        return NULL;
    }
    return b;
}

void docbuild_free(docbuilder *b)
{
    if (!b)
        return;
    qa_free(b->an);
    qa_tokens_free(&b->tok);
    bs_zip_free(&b->zip);
    free(b->term);
    free(b);
}

static quire_status check_text(const char *name, const char *v, char *err)
{
    if (!v)
        return QUIRE_OK;
    size_t len = strlen(v);
    size_t ok = utf8_valid_prefix(v, len, 0);
    if (ok != len)
        return qerr_set(err, QUIRE_EINVAL, "field '%s' is not valid UTF-8 at byte %zu", name, ok);
    return QUIRE_OK;
}

quire_status docbuild_validate(const quire_document *doc, char *err)
{
    if (!doc)
        return qerr_set(err, QUIRE_EINVAL, "document is NULL");
    if (doc->version != QUIRE_DOCUMENT_VERSION)
        return qerr_set(err, QUIRE_EINVAL, "document version %u is not supported", doc->version);
    if (!doc->id || !*doc->id)
        return qerr_set(err, QUIRE_EINVAL, "document has no id");
    if (strlen(doc->id) > QUIRE_MAX_ID_BYTES)
        return qerr_set(err, QUIRE_EINVAL, "id is longer than %d bytes", QUIRE_MAX_ID_BYTES);
    const char *names[] = {"id", "title", "body", "date", "author", "source", "url", "lang"};
    const char *vals[] = {doc->id, doc->title, doc->body, doc->date,
                          doc->author, doc->source, doc->url, doc->lang};
    for (size_t i = 0; i < 8; i++) {
        quire_status st = check_text(names[i], vals[i], err);
        if (st != QUIRE_OK)
            return st;
    }
    qdate d;
    if (doc->date && *doc->date && !qdate_parse(doc->date, 1, &d))
        return qerr_set(err, QUIRE_EINVAL, "date '%s' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)", doc->date);
    char code[LANG_CODE_MAX];
    if (doc->lang && *doc->lang && lang_canonical(doc->lang, code) != 0)
        return qerr_set(err, QUIRE_EINVAL, "lang '%s' is not a language code", doc->lang);
    return QUIRE_OK;
}

/* prefix + s into b->term; NULL when out of memory. */
static const char *prefixed(docbuilder *b, const char *prefix, const char *s,
                            size_t len, size_t *outlen)
{
    size_t pl = strlen(prefix), need = pl + len + 1;
    if (need > b->term_cap) {
        char *t = realloc(b->term, need * 2);
        if (!t)
            return NULL;
        b->term = t;
        b->term_cap = need * 2;
    }
    memcpy(b->term, prefix, pl);
    memcpy(b->term + pl, s, len);
    b->term[pl + len] = '\0';
    *outlen = pl + len;
    return b->term;
}

typedef enum { F_TITLE, F_BODY, F_AUTHOR, F_SOURCE } field_kind;

/* Add the terms of one analysed field to doc. */
static int add_field_terms(docbuilder *b, qx_doc *doc, field_kind kind,
                           qx_err *e)
{
    const qa_tokens *t = &b->tok;
    int stems_only = b->cfg.positions == QUIRE_POSITIONS_STEMS;
    for (size_t i = 0; i < t->n; i++) {
        const qa_token *k = &t->v[i];
        if (k->flags & QA_TOOLONG)
            continue;
        if ((k->flags & QA_STOP) && b->cfg.stopwords == QUIRE_STOPWORDS_INDEX)
            continue;
        const char *w = qa_term(t, k), *s = qa_stem(t, k);
        size_t tl;
        const char *term;
        int rc = QUIRE_OK;
        switch (kind) {
        case F_AUTHOR:
        case F_SOURCE:
            term = prefixed(b, kind == F_AUTHOR ? PFX_AUTHOR : PFX_SOURCE, w, k->term_len, &tl);
            rc = term ? qx_doc_add_posting(doc, term, tl, k->pos, 1, e) : QUIRE_ENOMEM;
            break;
        case F_TITLE:
            term = prefixed(b, stems_only ? PFX_TITLE_STEM : PFX_TITLE,
                            stems_only ? s : w, stems_only ? k->stem_len : k->term_len, &tl);
            rc = term ? qx_doc_add_posting(doc, term, tl, k->pos, 1, e) : QUIRE_ENOMEM;
            if (rc == QUIRE_OK && !stems_only) {
                term = prefixed(b, PFX_TITLE_STEM, s, k->stem_len, &tl);
                rc = term ? qx_doc_add_term(doc, term, tl, 1, e) : QUIRE_ENOMEM;
            }
            /* The title also counts as body text. */
            /* fall through */
        case F_BODY: {
            unsigned wdf = kind == F_TITLE ? TITLE_WDF : 1;
            if (rc != QUIRE_OK)
                break;
            if (!stems_only)
                rc = qx_doc_add_posting(doc, w, k->term_len, k->pos, wdf, e);
            if (rc == QUIRE_OK && b->cfg.spelling && !(k->flags & (QA_STOP | QA_NUMBER | QA_CJK)))
                rc = qx_doc_add_spelling(doc, w, k->term_len, e);
            if (rc != QUIRE_OK)
                break;
            term = prefixed(b, PFX_STEM, s, k->stem_len, &tl);
            if (!term)
                rc = QUIRE_ENOMEM;
            else if (stems_only)
                rc = qx_doc_add_posting(doc, term, tl, k->pos, wdf, e);
            else
                rc = qx_doc_add_term(doc, term, tl, wdf, e);
            break;
        }
        }
        if (rc != QUIRE_OK) {
            if (rc == QUIRE_ENOMEM)
                snprintf(e->msg, sizeof e->msg, "out of memory");
            e->code = rc;
            return rc;
        }
    }
    return QUIRE_OK;
}

static quire_status analyse(docbuilder *b, const char *text, const char *lang,
                            uint32_t first, uint32_t *next, char *err)
{
    qa_tokens_reset(&b->tok);
    if (!text || !*text) {
        if (next)
            *next = first;
        return QUIRE_OK;
    }
    char msg[256];
    if (qa_run(b->an, text, strlen(text), lang, first, &b->tok, next, msg, sizeof msg) != 0)
        return qerr_set(err, QUIRE_ENOMEM, "%s", msg);
    return QUIRE_OK;
}

static quire_status add_booleans(qx_doc *doc, const quire_document *d,
                                 const char *lang, qx_err *e)
{
    char buf[QUIRE_MAX_ID_BYTES + 16];
    int rc = qx_doc_add_boolean(doc, buf, (size_t)snprintf(buf, sizeof buf, PFX_ID "%s", d->id), e);
    if (rc == QUIRE_OK)
        rc = qx_doc_add_boolean(doc, buf, (size_t)snprintf(buf, sizeof buf, PFX_LANG "%s", lang), e);
    qdate dt;
    int dated = d->date && *d->date && qdate_parse(d->date, 1, &dt);
    if (rc == QUIRE_OK && !dated)
        rc = qx_doc_set_value(doc, SLOT_DATE_UP, "~", 1, e);
    if (rc == QUIRE_OK && dated) {
        char key[9];
        qdate_key(&dt, key);
        rc = qx_doc_set_value(doc, SLOT_DATE, key, 8, e);
        if (rc == QUIRE_OK)
            rc = qx_doc_set_value(doc, SLOT_DATE_UP, key, 8, e);
        if (rc == QUIRE_OK)
            rc = qx_doc_add_boolean(doc, buf, (size_t)snprintf(buf, sizeof buf, PFX_YEAR "%.4s", key), e);
        if (rc == QUIRE_OK && dt.month)
            rc = qx_doc_add_boolean(doc, buf, (size_t)snprintf(buf, sizeof buf, PFX_MONTH "%.6s", key), e);
        if (rc == QUIRE_OK && dt.day)
            rc = qx_doc_add_boolean(doc, buf, (size_t)snprintf(buf, sizeof buf, PFX_DAY "%.8s", key), e);
    }
    return (quire_status)rc;
}

typedef struct name_ctx {
    docbuilder *b;
    qx_doc *doc;
    qx_err *e;
} name_ctx;

static int add_value_term(docbuilder *b, qx_doc *doc, const char *pfx, const char *v, size_t len, qx_err *e)
{
    char term[FV_TERM_MAX];
    int tl = fv_term(b->an, &b->tok, pfx, v, len, term);
    if (tl < 0) {
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return QUIRE_ENOMEM;
    }
    return tl ? qx_doc_add_boolean(doc, term, (size_t)tl, e) : QUIRE_OK;
}

static int add_name_term(void *ctx, const char *name, size_t len)
{
    name_ctx *c = ctx;
    return add_value_term(c->b, c->doc, PFX_AUTHOR_VALUE, name, len, c->e);
}

/* The exact-value terms that facet values filter by. */
static quire_status add_value_terms(docbuilder *b, qx_doc *doc, const quire_document *d, qx_err *e)
{
    int rc = QUIRE_OK;
    if (d->source && *d->source)
        rc = add_value_term(b, doc, PFX_SOURCE_VALUE, d->source, strlen(d->source), e);
    name_ctx c = {b, doc, e};
    if (rc == QUIRE_OK && d->author)
        rc = fv_each_name(d->author, strlen(d->author), add_name_term, &c);
    return (quire_status)rc;
}

/* s into b with FACET_SEP (which separates the fields) made a space. */
static void add_field(strbuf *b, const char *s)
{
    for (; s && *s; s++)
        sb_add(b, *s == FACET_SEP ? " " : s, 1);
}

/* SLOT_FACETS: date, language, source, authors (schema.h). */
static quire_status add_facet_value(qx_doc *doc, const quire_document *d, const char *lang, qx_err *e)
{
    strbuf b = {0};
    qdate dt;
    if (d->date && *d->date && qdate_parse(d->date, 1, &dt)) {
        char key[9];
        qdate_key(&dt, key);
        sb_add(&b, key, 8);
    }
    char sep = FACET_SEP;
    sb_add(&b, &sep, 1);
    add_field(&b, lang);
    sb_add(&b, &sep, 1);
    add_field(&b, d->source);
    sb_add(&b, &sep, 1);
    add_field(&b, d->author);
    if (strbuf_failed(&b)) {
        sb_free(&b);
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return QUIRE_ENOMEM;
    }
    int rc = qx_doc_set_value(doc, SLOT_FACETS, b.s, b.len, e);
    sb_free(&b);
    return (quire_status)rc;
}

/* The values a search breaks ties and counts facets by (the date's are
 * set with the date's terms). */
static quire_status add_values(qx_doc *doc, const quire_document *d,
                               const char *lang, qx_err *e)
{
    if (qx_doc_set_value(doc, SLOT_ID, d->id, strlen(d->id), e) != QUIRE_OK)
        return (quire_status)e->code;
    return add_facet_value(doc, d, lang, e);
}

/* Checksum of the stored record (head, then body) and its size. */
static void record_checksum(const char *head, size_t hlen, const char *body,
                            char *out, size_t *bytes)
{
    size_t blen = body ? strlen(body) : 0;
    uLong crc = crc32(0L, (const Bytef *)head, (uInt)hlen);
    /* crc32 takes at most UINT_MAX bytes a call. */
    for (size_t o = 0; o < blen; o += 1u << 30) {
        size_t n = blen - o < (1u << 30) ? blen - o : (1u << 30);
        crc = crc32(crc, (const Bytef *)body + o, (uInt)n);
    }
    snprintf(out, 24, "%08lx%08zx", crc, hlen + blen);
    if (bytes)
        *bytes = hlen + blen;
}

int docbuild_checksum(const quire_document *doc, char *out, size_t *bytes)
{
    size_t rlen = 0;
    char *record = docdata_encode(doc, &rlen);
    if (!record)
        return -1;
    record_checksum(record, rlen, doc->body, out, bytes);
    free(record);
    return 0;
}

/* The body blob (bodystore.h) from the body's tokens, now in b->tok. */
static quire_status store_body(docbuilder *b, qx_doc *doc, const char *body,
                               uint32_t first, qx_err *e, char *err)
{
    if (!body || !*body)
        return QUIRE_OK;
    char *blob;
    size_t blen;
    if (bs_encode(&b->zip, body, strlen(body), &b->tok, first, &blob, &blen) != 0)
        return qerr_set(err, QUIRE_ENOMEM, "out of memory compressing the body");
    int rc = qx_doc_set_value(doc, SLOT_BODY, blob, blen, e);
    free(blob);
    return rc == QUIRE_OK ? QUIRE_OK : qerr_from_shim(err, e, "building document");
}

quire_status docbuild_make(docbuilder *b, const quire_document *d,
                           built_doc *out, char *err)
{
    memset(out, 0, sizeof *out);
    quire_status st = docbuild_validate(d, err);
    if (st != QUIRE_OK)
        return st;
    if (d->lang && *d->lang)
        lang_canonical(d->lang, out->lang);
    else
        strcpy(out->lang, b->cfg.lang);
    snprintf(out->id_term, sizeof out->id_term, PFX_ID "%s", d->id);

    qx_err e = {0, ""};
    qx_doc *doc = qx_doc_new(&e);
    if (!doc)
        return qerr_from_shim(err, &e, "building document");
    size_t rlen = 0;
    char *record = docdata_encode(d, &rlen);
    if (!record) {
        qx_doc_free(doc);
        return qerr_set(err, QUIRE_ENOMEM, "out of memory");
    }
    record_checksum(record, rlen, d->body, out->checksum, &out->bytes);

    uint32_t next = 1;
    struct { const char *text; field_kind kind; } fields[] = {
        {d->title, F_TITLE}, {d->body, F_BODY}, {d->author, F_AUTHOR}, {d->source, F_SOURCE}};
    for (size_t i = 0; i < 4 && st == QUIRE_OK; i++) {
        uint32_t first = fields[i].kind == F_BODY ? next + TITLE_BODY_GAP : 1;
        st = analyse(b, fields[i].text, out->lang, first, fields[i].kind == F_TITLE ? &next : NULL, err);
        if (st == QUIRE_OK && add_field_terms(b, doc, fields[i].kind, &e) != QUIRE_OK)
            st = qerr_from_shim(err, &e, "building document");
        if (st == QUIRE_OK && fields[i].kind == F_BODY)
            st = store_body(b, doc, d->body, first, &e, err);
    }
    if (st == QUIRE_OK && (add_booleans(doc, d, out->lang, &e) != QUIRE_OK ||
                           add_value_terms(b, doc, d, &e) != QUIRE_OK ||
                           add_values(doc, d, out->lang, &e) != QUIRE_OK))
        st = qerr_from_shim(err, &e, "building document");
    if (st == QUIRE_OK && (qx_doc_set_value(doc, SLOT_CHECKSUM, out->checksum, strlen(out->checksum), &e) != QUIRE_OK ||
                           qx_doc_set_value(doc, SLOT_HEAD, record, rlen, &e) != QUIRE_OK))
        st = qerr_from_shim(err, &e, "building document");
    free(record);
    if (st != QUIRE_OK) {
        qx_doc_free(doc);
        return st;
    }
    out->doc = doc;
    return QUIRE_OK;
}
