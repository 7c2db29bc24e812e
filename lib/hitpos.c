/* hitpos.c — see hitpos.h. */
#include "hitpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire.h"
#include "schema.h"

enum {
    MAX_FORM_SCAN = 4000, /* index terms examined for one stem's forms */
    MAX_TERMS = 256,      /* positional terms per spec */
    PHRASE_STOP_GAP = 4,  /* stopwords not indexed: positions a phrase may skip */
    /* From this many positional terms, a hit's term list is read first
     * and only the terms it has are looked up: a query of many words or
     * wildcards (999 wildcards: thousands of forms) otherwise made a
     * position lookup per form per hit, seconds for a page of snippets. */
    FILTER_FROM = 64
};

typedef struct hp_spec {
    int group;
    int phrase;   /* terms are a phrase's words, in order */
    char **terms; /* positional terms (with their prefix) */
    size_t nterms;
} hp_spec;

struct hp_plan {
    hp_spec *v;
    size_t n;
    size_t total;
    int gap; /* extra positions allowed between a phrase's words */
    const char **sorted; /* total >= FILTER_FROM: every term once, in byte
                            order (pointing into v) */
    size_t nsorted;
};

static void free_spec(hp_spec *s)
{
    for (size_t i = 0; i < s->nterms; i++)
        free(s->terms[i]);
    free(s->terms);
}

void hp_plan_free(hp_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free_spec(&p->v[i]);
    free(p->v);
    free(p->sorted);
    free(p);
}

size_t hp_plan_terms(const hp_plan *p)
{
    return p ? p->total : 0;
}

/* Append prefix + t to s (once: a phrase may repeat a word, alternatives
 * may not). Returns 0, or -1 when out of memory. */
static int add_term(hp_plan *p, hp_spec *s, const char *prefix, const char *t, size_t tl)
{
    size_t pl = strlen(prefix);
    if (!s->phrase) {
        if (s->nterms >= MAX_TERMS)
            return 0;
        for (size_t i = 0; i < s->nterms; i++)
            if (strlen(s->terms[i]) == pl + tl && memcmp(s->terms[i], prefix, pl) == 0 &&
                memcmp(s->terms[i] + pl, t, tl) == 0)
                return 0;
    }
    char **v = realloc(s->terms, (s->nterms + 1) * sizeof *v);
    if (!v)
        return -1;
    s->terms = v;
    char *x = malloc(pl + tl + 1);
    if (!x)
        return -1;
    memcpy(x, prefix, pl);
    memcpy(x + pl, t, tl);
    x[pl + tl] = '\0';
    s->terms[s->nterms++] = x;
    p->total++;
    return 0;
}

/* Collecting the indexed word forms of one stem spec. */
typedef struct forms_ctx {
    hp_plan *p;
    hp_spec *s;
    const hl_spec *spec;
    qa_analyzer *an;
    const char *const *langs;
    size_t nlangs;
    size_t scanned;
    int oom;
} forms_ctx;

static int has_stem(const hl_spec *spec, const char *st, size_t sl)
{
    for (size_t i = 0; i < spec->nterms; i++)
        if (strlen(spec->terms[i]) == sl && memcmp(spec->terms[i], st, sl) == 0)
            return 1;
    return 0;
}

static int collect_form(void *ctx, const char *t, size_t len)
{
    forms_ctx *c = ctx;
    if (++c->scanned > MAX_FORM_SCAN)
        return 1;
    for (size_t i = 0; i < (c->nlangs ? c->nlangs : 1); i++) {
        size_t sl;
        const char *st = qa_stem_term(c->an, c->nlangs ? c->langs[i] : NULL, t, len, &sl);
        if (!st) {
            c->oom = 1;
            return 1;
        }
        if (has_stem(c->spec, st, sl)) {
            if (add_term(c->p, c->s, "", t, len) != 0) {
                c->oom = 1;
                return 1;
            }
            break;
        }
    }
    return c->s->nterms >= MAX_TERMS;
}

/* The forms of a stem: candidates are the index's words that start with
 * the stem less its last character (Snowball mostly strips suffixes and
 * may change the stem's last letter, as happy -> happi), each kept when
 * it stems to one of the spec's stems. A form that escapes this (an
 * irregular one) only costs the window choice a match; the highlight
 * still finds it. */
static int stem_forms(forms_ctx *c, qx_db *db, const char *stem, qx_err *e)
{
    size_t len = strlen(stem), cut = len, chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)stem[i] & 0xC0) != 0x80;
    if (chars >= 4) {
        cut = len - 1;
        while (cut > 0 && ((unsigned char)stem[cut] & 0xC0) == 0x80)
            cut--;
    }
    char prefix[QA_MAX_TERM + 1];
    memcpy(prefix, stem, cut);
    prefix[cut] = '\0';
    c->scanned = 0;
    int rc = qx_db_terms_with_prefix(db, prefix, MAX_FORM_SCAN + 1, collect_form, c, NULL, e);
    if (rc == QUIRE_OK && c->oom) {
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return QUIRE_ENOMEM;
    }
    return rc;
}

/* Indexed expansions of a wildcard (words starting with its text). */
typedef struct prefix_ctx {
    hp_plan *p;
    hp_spec *s;
    int oom;
} prefix_ctx;

static int collect_prefixed(void *ctx, const char *t, size_t len)
{
    prefix_ctx *c = ctx;
    if (add_term(c->p, c->s, "", t, len) != 0) {
        c->oom = 1;
        return 1;
    }
    return c->s->nterms >= MAX_TERMS;
}

static int plan_spec(hp_plan *p, hp_spec *s, const hl_spec *h, qx_db *db, qa_analyzer *an,
                     int stems_only, const char *const *langs, size_t nlangs, qx_err *e)
{
    const char *pfx = stems_only ? PFX_STEM : "";
    s->group = h->group;
    s->phrase = h->kind == HL_PHRASE;
    switch (h->kind) {
    case HL_PHRASE:
    case HL_EXACT:
        for (size_t i = 0; i < h->nterms; i++)
            if (add_term(p, s, pfx, h->terms[i], strlen(h->terms[i])) != 0)
                return QUIRE_ENOMEM;
        return QUIRE_OK;
    case HL_STEMS:
        if (stems_only) {
            for (size_t i = 0; i < h->nterms; i++)
                if (add_term(p, s, PFX_STEM, h->terms[i], strlen(h->terms[i])) != 0)
                    return QUIRE_ENOMEM;
            return QUIRE_OK;
        }
        for (size_t i = 0; i < h->nterms; i++) {
            forms_ctx c = {p, s, h, an, langs, nlangs, 0, 0};
            int rc = stem_forms(&c, db, h->terms[i], e);
            if (rc != QUIRE_OK)
                return rc;
        }
        return QUIRE_OK;
    case HL_PREFIX: {
        char prefix[QA_MAX_TERM + 8];
        snprintf(prefix, sizeof prefix, "%s%s", pfx, h->terms[0]);
        prefix_ctx c = {p, s, 0};
        int rc = qx_db_terms_with_prefix(db, prefix, MAX_TERMS, collect_prefixed, &c, NULL, e);
        return rc == QUIRE_OK && c.oom ? QUIRE_ENOMEM : rc;
    }
    }
    return QUIRE_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* p->sorted for a plan with many terms; -1 when out of memory. */
static int sort_terms(hp_plan *p)
{
    if (p->total < FILTER_FROM)
        return 0;
    if (!(p->sorted = malloc(p->total * sizeof *p->sorted)))
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < p->v[i].nterms && n < p->total; k++)
            p->sorted[n++] = p->v[i].terms[k];
    qsort(p->sorted, n, sizeof *p->sorted, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || strcmp(p->sorted[u - 1], p->sorted[i]) != 0)
            p->sorted[u++] = p->sorted[i];
    p->nsorted = u;
    return 0;
}

/* Is term in the document, by present (from qx_db_doc_has_terms over
 * p->sorted)? Without a filter, every term may be. */
static int may_have(const hp_plan *p, const unsigned char *present, const char *term)
{
    if (!present)
        return 1;
    const char **at = bsearch(&term, p->sorted, p->nsorted, sizeof *p->sorted, cmp_str);
    return !at || present[at - p->sorted];
}

hp_plan *hp_plan_new(qx_db *db, qa_analyzer *an, const qconfig *cfg,
                     const char *const *langs, size_t nlangs,
                     const hl_spec *hl, size_t nhl, qx_err *e)
{
    hp_plan *p = calloc(1, sizeof *p);
    if (p && nhl)
        p->v = calloc(nhl, sizeof *p->v);
    if (!p || (nhl && !p->v)) {
        hp_plan_free(p);
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return NULL;
    }
    p->gap = cfg->stopwords == QUIRE_STOPWORDS_INDEX ? PHRASE_STOP_GAP : 0;
    int stems_only = cfg->positions == QUIRE_POSITIONS_STEMS;
    for (size_t i = 0; i < nhl; i++) {
        const hl_spec *h = &hl[i];
        if (h->field != QF_ANY || !h->nterms)
            continue; /* title-only words never match the body */
        int rc = plan_spec(p, &p->v[p->n], h, db, an, stems_only, langs, nlangs, e);
        p->n++;
        if (rc != QUIRE_OK) {
            if (rc == QUIRE_ENOMEM) {
                e->code = QUIRE_ENOMEM;
                snprintf(e->msg, sizeof e->msg, "out of memory");
            }
            hp_plan_free(p);
            return NULL;
        }
    }
    if (sort_terms(p) != 0) {
        hp_plan_free(p);
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return NULL;
    }
    return p;
}

/* ---- Per hit ------------------------------------------------------------ */

typedef struct mlist {
    hp_match *v;
    size_t n, cap;
    int oom;
} mlist;

static void push(mlist *l, uint32_t pos, uint32_t words, int group, int phrase)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        hp_match *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = 1;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    hp_match m = {pos, words, group, phrase};
    l->v[l->n++] = m;
}

/* Is there a position in v (ascending, n) within (after, after + 1 + gap]?
 * *at gets the first such position. */
static int follows(const uint32_t *v, size_t n, uint32_t after, uint32_t gap, uint32_t *at)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first element > after */
        size_t mid = (lo + hi) / 2;
        if (v[mid] <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && v[lo] <= after + 1 + gap) {
        *at = v[lo];
        return 1;
    }
    return 0;
}

static int phrase_matches(const hp_plan *p, const hp_spec *s, qx_db *db, uint32_t docid,
                          uint32_t from, const unsigned char *present, mlist *out, qx_err *e)
{
    for (size_t k = 0; k < s->nterms; k++)
        if (!may_have(p, present, s->terms[k]))
            return QUIRE_OK; /* a word is missing: no match anywhere */
    uint32_t **pos = calloc(s->nterms, sizeof *pos);
    size_t *np = calloc(s->nterms, sizeof *np);
    int rc = QUIRE_OK;
    if (!pos || !np)
        out->oom = 1, rc = QUIRE_ENOMEM;
    for (size_t k = 0; k < s->nterms && rc == QUIRE_OK; k++) {
        rc = qx_db_positions(db, docid, s->terms[k], strlen(s->terms[k]), &pos[k], &np[k], e);
        if (rc == QUIRE_OK && !np[k])
            break; /* a word is missing: no match anywhere */
    }
    for (size_t i = 0; rc == QUIRE_OK && np && np[s->nterms - 1] && i < np[0]; i++) {
        uint32_t at = pos[0][i];
        if (at < from)
            continue;
        size_t k = 1;
        while (k < s->nterms && follows(pos[k], np[k], at, (uint32_t)p->gap, &at))
            k++;
        if (k == s->nterms)
            push(out, pos[0][i], at - pos[0][i] + 1, s->group, s->nterms > 1);
    }
    for (size_t k = 0; pos && k < s->nterms; k++)
        free(pos[k]);
    free(pos);
    free(np);
    return rc;
}

static int cmp_match(const void *a, const void *b)
{
    const hp_match *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->group - y->group;
}

int hp_collect(const hp_plan *p, qx_db *db, uint32_t docid, uint32_t from,
               hp_match **out, size_t *n, qx_err *e)
{
    *out = NULL;
    *n = 0;
    mlist l = {0};
    int rc = QUIRE_OK;
    unsigned char *present = NULL;
    if (p->sorted) {
        if (!(present = malloc(p->nsorted)))
            l.oom = 1;
        else
            rc = qx_db_doc_has_terms(db, docid, p->sorted, p->nsorted, present, e);
    }
    for (size_t i = 0; i < p->n && rc == QUIRE_OK && !l.oom; i++) {
        const hp_spec *s = &p->v[i];
        if (!s->nterms)
            continue;
        if (s->phrase) {
            rc = phrase_matches(p, s, db, docid, from, present, &l, e);
            continue;
        }
        for (size_t k = 0; k < s->nterms && rc == QUIRE_OK; k++) {
            uint32_t *pos;
            size_t np;
            if (!may_have(p, present, s->terms[k]))
                continue;
            rc = qx_db_positions(db, docid, s->terms[k], strlen(s->terms[k]), &pos, &np, e);
            for (size_t j = 0; rc == QUIRE_OK && j < np; j++)
                if (pos[j] >= from)
                    push(&l, pos[j], 1, s->group, 0);
            if (rc == QUIRE_OK)
                free(pos);
        }
    }
    free(present);
    if (l.oom) {
        rc = e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
    }
    if (rc != QUIRE_OK) {
        free(l.v);
        return rc;
    }
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, cmp_match);
    *out = l.v;
    *n = l.n;
    return QUIRE_OK;
}
