/* facets.c — see facets.h. */
#include "facets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldvalue.h"
#include "schema.h"
#include "strbuf.h"
#include "strmap.h"

enum { DEFAULT_LIMIT = 10, MAX_NAMES = 64 };

/* The fields of SLOT_FACETS, in order. */
enum { F_DATE, F_LANG, F_SOURCE, F_AUTHORS, NFIELDS };

static const struct {
    const char *name;
    int field;
} KINDS[FACET_KINDS] = {
    [FACET_SOURCE] = {"source", F_SOURCE},
    [FACET_AUTHOR] = {"author", F_AUTHORS},
    [FACET_YEAR] = {"year", F_DATE},
    [FACET_MONTH] = {"month", F_DATE},
    [FACET_LANG] = {"lang", F_LANG},
};

int facets_parse(const char *list, unsigned limit, facet_request *out,
                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->limit = limit ? limit : DEFAULT_LIMIT;
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        const char *s = p, *e = p + n;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        p += n + (p[n] ? 1 : 0);
        if (s == e)
            continue;
        int k = -1;
        for (int i = 0; i < FACET_KINDS && k < 0; i++)
            if (strlen(KINDS[i].name) == (size_t)(e - s) && strncmp(KINDS[i].name, s, (size_t)(e - s)) == 0)
                k = i;
        if (k < 0) {
            snprintf(err, errlen, "unknown facet '%.*s' (facets: source, author, year, month, lang)",
                     (int)(e - s), s);
            return -1;
        }
        int dup = 0;
        for (size_t i = 0; i < out->n; i++)
            dup |= out->kind[i] == (facet_kind)k;
        if (!dup)
            out->kind[out->n++] = (facet_kind)k;
    }
    return 0;
}

/* ---- Counting one facet ------------------------------------------------- */

typedef struct entry {
    char *display;  /* the form shown: the most frequent one */
    uint64_t best;  /* documents with that form */
    uint64_t count; /* documents with the value */
    int many;       /* more than one form seen: a->forms counts them */
} entry;

struct names_ctx;

typedef struct acc {
    facet_kind kind;
    struct names_ctx *names; /* author facet: the names of one list */
    strmap *cache;  /* value -> term, kept by the searcher across searches */
    strmap *index;  /* key -> entry number */
    strmap *forms;  /* key NUL form -> documents with that form */
    entry *v;
    size_t n, cap;
    qa_analyzer *an;
    qa_tokens tok;
    int oom;
} acc;

/* Byte order of form (fl bytes) against the string s. */
static int cmp_form(const char *form, size_t fl, const char *s)
{
    size_t sl = strlen(s);
    int c = memcmp(form, s, fl < sl ? fl : sl);
    return c ? c : (fl > sl) - (fl < sl);
}

/* Add c to the documents of form (of key) and return its count. */
static uint64_t form_count(acc *a, const char *key, size_t kl, const char *form, size_t fl, uint64_t c)
{
    strbuf fk = {0};
    sb_add(&fk, key, kl);
    sb_add(&fk, "", 1);
    sb_add(&fk, form, fl);
    size_t vl;
    uint64_t fc = 0;
    const char *prev = fk.s ? strmap_get(a->forms, fk.s, fk.len, &vl) : NULL;
    if (prev)
        memcpy(&fc, prev, sizeof fc);
    fc += c;
    if (!fk.s || strmap_put(a->forms, fk.s, fk.len, (const char *)&fc, sizeof fc) != 0)
        a->oom = 1;
    sb_free(&fk);
    return fc;
}

static void acc_add(acc *a, const char *key, size_t kl, const char *form, size_t fl, uint64_t c)
{
    size_t vl, i;
    const char *at = strmap_get(a->index, key, kl, &vl);
    if (at) {
        memcpy(&i, at, sizeof i);
    } else {
        if (a->n == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 32;
            entry *v = realloc(a->v, cap * sizeof *v);
            if (!v) {
                a->oom = 1;
                return;
            }
            a->v = v;
            a->cap = cap;
        }
        i = a->n;
        entry *e = &a->v[i];
        memset(e, 0, sizeof *e);
        if (strmap_put(a->index, key, kl, (const char *)&i, sizeof i) != 0) {
            a->oom = 1;
            return;
        }
        a->n++;
    }
    entry *e = &a->v[i];
    e->count += c;
    if (!e->display) { /* the first form */
        if (!(e->display = strndup(form, fl)))
            a->oom = 1;
        e->best = c;
        return;
    }
    if (!e->many && cmp_form(form, fl, e->display) == 0) {
        e->best += c; /* still one form: it is the shown one */
        return;
    }
    /* Several forms: each one's running count decides which is shown. */
    if (!e->many) {
        e->many = 1;
        form_count(a, key, kl, e->display, strlen(e->display), e->best);
    }
    uint64_t fc = form_count(a, key, kl, form, fl, c);
    if (!a->oom && (fc > e->best || (fc == e->best && cmp_form(form, fl, e->display) < 0))) {
        char *d = strndup(form, fl);
        if (!d) {
            a->oom = 1;
            return;
        }
        free(e->display);
        e->display = d;
        e->best = fc;
    }
}

enum { CACHE_MAX = 100000 };

/* fv_term through the searcher's cache: the analysis of a value is most of
 * what a facet costs after the count. */
static int cached_term(acc *a, const char *pfx, const char *v, size_t len, char *term)
{
    char small[256];
    size_t pl = strlen(pfx), kl = pl + len;
    char *k = kl <= sizeof small ? small : malloc(kl);
    if (!k)
        return -1;
    memcpy(k, pfx, pl);
    memcpy(k + pl, v, len);
    size_t tl;
    const char *hit = strmap_get(a->cache, k, kl, &tl);
    int n;
    if (hit) {
        memcpy(term, hit, tl + 1);
        n = (int)tl;
    } else if ((n = fv_term(a->an, &a->tok, pfx, v, len, term)) >= 0) {
        if (strmap_count(a->cache) >= CACHE_MAX)
            strmap_clear(a->cache);
        if (strmap_put(a->cache, k, kl, term, (size_t)n) != 0)
            n = -1;
    }
    if (k != small)
        free(k);
    return n;
}

typedef struct names_ctx {
    acc *a;
    uint64_t count;
    char terms[MAX_NAMES][FV_TERM_MAX]; /* this list's names so far */
    size_t n;
} names_ctx;

static int add_name(void *ctx, const char *name, size_t len)
{
    names_ctx *c = ctx;
    char term[FV_TERM_MAX];
    int tl = cached_term(c->a, PFX_AUTHOR_VALUE, name, len, term);
    if (tl < 0) {
        c->a->oom = 1;
        return 1;
    }
    if (tl == 0)
        return 0;
    /* A name twice in one list is one term of the document: count once. */
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->terms[i], term) == 0)
            return 0;
    if (c->n < MAX_NAMES)
        memcpy(c->terms[c->n++], term, (size_t)tl + 1);
    acc_add(c->a, term, (size_t)tl, name, len, c->count);
    return c->a->oom;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* One counted slot value (len bytes, count documents) into the facet. */
static int add_value(void *ctx, const char *v, size_t len, uint64_t count)
{
    acc *a = ctx;
    char term[FV_TERM_MAX], month[8];
    int tl;
    switch (a->kind) {
    case FACET_SOURCE:
        if ((tl = cached_term(a, PFX_SOURCE_VALUE, v, len, term)) < 0)
            a->oom = 1;
        else if (tl > 0)
            acc_add(a, term, (size_t)tl, v, len, count);
        break;
    case FACET_AUTHOR:
        if (!a->names && !(a->names = malloc(sizeof *a->names))) {
            a->oom = 1;
            break;
        }
        a->names->a = a;
        a->names->count = count;
        a->names->n = 0;
        fv_each_name(v, len, add_name, a->names);
        break;
    case FACET_YEAR:
        if (len >= 4 && all_digits(v, 4))
            acc_add(a, v, 4, v, 4, count);
        break;
    case FACET_MONTH:
        if (len >= 6 && all_digits(v, 6) && memcmp(v + 4, "00", 2) != 0) {
            snprintf(month, sizeof month, "%.4s-%.2s", v, v + 4);
            acc_add(a, month, 7, month, 7, count);
        }
        break;
    default:
        if (len)
            acc_add(a, v, len, v, len, count);
        break;
    }
    return a->oom;
}

static int cmp_entry(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->display, b->display);
}

/* Put the keep best entries of v (n), best first, at its front: an
 * insertion into the kept few, as most entries lose to the last of them
 * at once (sorting every value of a facet with a thousand values cost more
 * than counting them). */
static void select_top(entry *v, size_t n, size_t keep)
{
    size_t have = 0;
    for (size_t i = 0; i < n && keep; i++) {
        if (have == keep && cmp_entry(&v[i], &v[keep - 1]) >= 0)
            continue;
        entry x = v[i];
        size_t j = have < keep ? have : keep - 1;
        if (have == keep)
            v[i] = v[keep - 1]; /* the one that drops out takes x's place */
        else
            v[i] = v[have];
        while (j > 0 && cmp_entry(&x, &v[j - 1]) < 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
        if (have < keep)
            have++;
    }
}

/* The query text that selects exactly e's documents: the shown form,
 * quoted (quire_query_quote escapes any quotes in it). */
static char *filter_for(acc *a, const entry *e)
{
    strbuf f = {0};
    switch (a->kind) {
    case FACET_SOURCE:
    case FACET_AUTHOR: {
        size_t n = quire_query_quote(e->display, NULL, 0);
        sb_adds(&f, a->kind == FACET_SOURCE ? "source:=" : "author:=");
        if (sb_reserve(&f, n) != 0)
            break;
        quire_query_quote(e->display, f.s + f.len, n + 1);
        f.len += n;
        break;
    }
    case FACET_YEAR: sb_addf(&f, "year:%s", e->display); break;
    case FACET_MONTH: sb_addf(&f, "date:%s", e->display); break;
    default: sb_addf(&f, "lang:%s", e->display); break;
    }
    return sb_take(&f);
}

/* ---- The set ------------------------------------------------------------ */

struct facet_set {
    quire_facet f[FACET_KINDS];
    size_t n;
};

static void free_values(quire_facet_value *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free((char *)v[i].value);
        free((char *)v[i].filter);
    }
    free(v);
}

void facets_free(facet_set *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free_values((quire_facet_value *)f->f[i].values, f->f[i].nvalues);
    free(f);
}

size_t facets_count(const facet_set *f)
{
    return f ? f->n : 0;
}

const quire_facet *facets_get(const facet_set *f, size_t i)
{
    return f && i < f->n ? &f->f[i] : NULL;
}

static void acc_free(acc *a)
{
    free(a->names);
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].display);
    free(a->v);
    strmap_free(a->index);
    strmap_free(a->forms);
    qa_tokens_free(&a->tok);
}

/* Each distinct value of one field with its number of documents. */
static int feed(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
    (void)vl;
    uint64_t c;
    memcpy(&c, v, sizeof c);
    return add_value(ctx, k, kl, c);
}

/* Facet i of rq, from the counts of its field's values, into f->f[f->n]. */
static int collect_one(const facet_request *rq, size_t i, strmap *const *fields, qa_analyzer *an,
                       strmap *cache, facet_set *f, qx_err *e)
{
    acc a = {0};
    a.kind = rq->kind[i];
    a.an = an;
    a.cache = cache;
    a.index = strmap_new();
    a.forms = strmap_new();
    if (!a.index || !a.forms)
        a.oom = 1;
    else if (fields[KINDS[a.kind].field])
        strmap_each(fields[KINDS[a.kind].field], feed, &a);
    size_t keep = a.n < rq->limit ? a.n : rq->limit;
    quire_facet_value *v = NULL;
    if (!a.oom && keep && !(v = calloc(keep, sizeof *v)))
        a.oom = 1;
    if (!a.oom) {
        select_top(a.v, a.n, keep);
        for (size_t k = 0; k < keep && !a.oom; k++) {
            v[k].count = a.v[k].count;
            if (!(v[k].filter = filter_for(&a, &a.v[k])))
                a.oom = 1;
            v[k].value = a.v[k].display;
            a.v[k].display = NULL;
        }
        quire_facet *out = &f->f[f->n];
        out->field = KINDS[a.kind].name;
        out->values = v;
        out->nvalues = keep;
        out->distinct = a.n;
        f->n++;
        v = NULL;
    }
    free_values(v, keep);
    acc_free(&a);
    if (a.oom) {
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory counting facets");
        return QUIRE_ENOMEM;
    }
    return QUIRE_OK;
}

/* Splitting the counted combinations into per-field counts. */
typedef struct split_ctx {
    strmap *field[NFIELDS];
    int oom;
} split_ctx;

static void count_into(split_ctx *c, strmap *m, const char *v, size_t len, uint64_t n)
{
    size_t vl;
    uint64_t have = 0;
    const char *p = strmap_get(m, v, len, &vl);
    if (p)
        memcpy(&have, p, sizeof have);
    have += n;
    if (strmap_put(m, v, len, (const char *)&have, sizeof have) != 0)
        c->oom = 1;
}

static int split_value(void *ctx, const char *v, size_t len, uint64_t n)
{
    split_ctx *c = ctx;
    const char *end = v + len;
    for (int f = 0; f < NFIELDS && v <= end; f++) {
        const char *sep = memchr(v, FACET_SEP, (size_t)(end - v));
        const char *e = f < NFIELDS - 1 && sep ? sep : end;
        if (c->field[f] && e > v)
            count_into(c, c->field[f], v, (size_t)(e - v), n);
        v = e + 1;
    }
    return c->oom;
}

int facets_collect(const facet_request *rq, qx_mset *m, qa_analyzer *an,
                   strmap *cache, facet_set **out, qx_err *e)
{
    *out = NULL;
    facet_set *f = calloc(1, sizeof *f);
    split_ctx c = {{NULL}, !f};
    for (size_t i = 0; i < rq->n && !c.oom; i++) {
        int fld = KINDS[rq->kind[i]].field;
        if (!c.field[fld] && !(c.field[fld] = strmap_new()))
            c.oom = 1;
    }
    int rc = c.oom ? QUIRE_ENOMEM : qx_mset_slot_counts(m, 0, split_value, &c, e);
    for (size_t i = 0; i < rq->n && rc == QUIRE_OK && !c.oom; i++)
        rc = collect_one(rq, i, c.field, an, cache, f, e);
    for (int k = 0; k < NFIELDS; k++)
        strmap_free(c.field[k]);
    if (rc == QUIRE_OK && c.oom) {
        e->code = rc = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory counting facets");
    }
    if (rc != QUIRE_OK) {
        facets_free(f);
        return rc;
    }
    *out = f;
    return QUIRE_OK;
}
