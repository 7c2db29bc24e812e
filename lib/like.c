/* like.c — see like.h. */
#include "like.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "searcher.h"
#include "strbuf.h"

enum {
    LIKE_TERMS = 20,     /* terms the search uses */
    LIKE_CANDIDATES = 40 /* asked of the ESet, before stopwords go */
};

typedef struct terms_ctx {
    quire_searcher *s;
    char *term[LIKE_TERMS];
    size_t n;
    int oom;
} terms_ctx;

static int take_term(void *ctx, const char *t, size_t len, double weight)
{
    (void)weight;
    terms_ctx *c = ctx;
    const char *stem = t + strlen(PFX_STEM);
    size_t sl = len - strlen(PFX_STEM);
    if (!sl || qa_is_stopword(c->s->an, NULL, stem, sl))
        return 0;
    if (!(c->term[c->n] = strndup(t, len)))
        return c->oom = 1;
    return ++c->n == LIKE_TERMS;
}

/* A highlight spec for a stem (a term without its Z). */
static int add_spec(qbuild *qb, const char *stem)
{
    hl_spec *v = realloc(qb->hl, (qb->nhl + 1) * sizeof *v);
    if (!v)
        return -1;
    qb->hl = v;
    hl_spec *sp = &v[qb->nhl];
    memset(sp, 0, sizeof *sp);
    sp->kind = HL_STEMS;
    sp->field = QF_ANY;
    sp->group = qb->ngroups;
    if (!(sp->terms = malloc(sizeof *sp->terms)) || !(sp->terms[0] = strdup(stem))) {
        free(sp->terms);
        return -1;
    }
    sp->nterms = 1;
    qb->nhl++;
    qb->ngroups++;
    return 0;
}

/* (the terms OR'ed) [FILTER user query] AND_NOT the document. */
static quire_status like_query(quire_searcher *s, const terms_ctx *c, const char *idterm, qbuild *qb)
{
    qx_err e;
    qx_query *v[LIKE_TERMS], *like = NULL, *self = NULL, *q = NULL;
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        if ((v[n] = qx_query_term(c->term[i], strlen(c->term[i]), 1, 0, &e)))
            n++;
    if (n == c->n)
        like = n ? qx_query_combine(QX_OR, v, n, 0, &e) : qx_query_match_nothing(&e);
    for (size_t i = 0; i < n; i++)
        qx_query_free(v[i]);
    if (like && qb->query) {
        qx_query *f[2] = {like, qb->query};
        q = qx_query_combine(QX_FILTER, f, 2, 0, &e);
        qx_query_free(like);
        like = q;
    }
    if (like && (self = qx_query_term(idterm, strlen(idterm), 1, 0, &e))) {
        qx_query *x[2] = {like, self};
        q = qx_query_combine(QX_AND_NOT, x, 2, 0, &e);
    } else {
        q = NULL;
    }
    qx_query_free(like);
    qx_query_free(self);
    if (!q)
        return qerr_from_shim(s->err, &e, s->path);
    qx_query_free(qb->query);
    qb->query = q;
    return QUIRE_OK;
}

quire_status like_build(quire_searcher *s, const char *id, qbuild *qb)
{
    uint32_t docid;
    quire_status st = searcher_docid(s, id, &docid);
    if (st != QUIRE_OK)
        return st;
    char idterm[QUIRE_MAX_ID_BYTES + 2];
    snprintf(idterm, sizeof idterm, PFX_ID "%s", id);
    qx_err e;
    terms_ctx c = {s, {0}, 0, 0};
    if (qx_db_eset(s->db, docid, LIKE_CANDIDATES, PFX_STEM, PFX_TITLE_STEM, take_term, &c, &e) != QUIRE_OK)
        st = qerr_from_shim(s->err, &e, s->path);
    else if (c.oom)
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (st == QUIRE_OK)
        st = like_query(s, &c, idterm, qb);
    /* (like "ID" (terms "stem" ...) (filter QUERY)) */
    strbuf d = {0};
    sb_adds(&d, "(like ");
    sb_add_quoted(&d, id, strlen(id));
    sb_adds(&d, " (terms");
    for (size_t i = 0; i < c.n; i++) {
        const char *stem = c.term[i] + strlen(PFX_STEM);
        sb_adds(&d, " ");
        sb_add_quoted(&d, stem, strlen(stem));
        if (st == QUIRE_OK && add_spec(qb, stem) != 0)
            st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    sb_adds(&d, ")");
    if (qb->parsed)
        sb_addf(&d, " (filter %s)", qb->parsed);
    sb_adds(&d, ")");
    free(qb->parsed);
    qb->parsed = sb_take(&d);
    free(qb->ranking);
    qb->ranking = strdup("bm25 on the document's terms (more like this; the query only filters)");
    if (st == QUIRE_OK && (!qb->parsed || !qb->ranking))
        st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; i < c.n; i++)
        free(c.term[i]);
    return st;
}
