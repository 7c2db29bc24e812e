/* hitorder.c — see hitorder.h. */
#include "hitorder.h"

#include <stdlib.h>
#include <string.h>

/* Exact doubles: 10^0 .. 10^22. */
static const double pow10tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* t rounded to an integer, halves away from zero (|t| < 2^62). */
static double round_int(double t)
{
    return (double)(long long)(t + (t < 0 ? -0.5 : 0.5));
}

double ho_round(double w)
{
    double a = w < 0 ? -w : w;
    if (w == 0 || w != w || a < 1e-20 || a > 1e20)
        return w; /* far outside the range of weights */
    /* e = floor(log10(a)), by comparison with powers of ten (no libm). */
    int e = 0;
    if (a >= 1) {
        while (e < 22 && a >= pow10tab[e + 1])
            e++;
    } else {
        while (e > -22 && a * pow10tab[-e] < 1)
            e--;
    }
    /* To a multiple of a power of ten: k / 10^n is the double nearest that
     * decimal, so the score prints as it compares. All rounding happens in
     * this process, so equal weights always round alike. */
    int n = 11 - e;
    return n >= 0 ? round_int(w * pow10tab[n]) / pow10tab[n] : round_int(w / pow10tab[-n]) * pow10tab[-n];
}

typedef struct entry {
    size_t at;
    double raw, score;
    char *key, *id; /* id: by_date only, fetched for ties */
    size_t keylen, idlen;
} entry;

typedef struct ctx {
    const ho_src *src;
    int by_date;
} ctx;

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

static quire_status load(ctx *c, entry *e, size_t i)
{
    e->at = i;
    e->raw = c->src->weight(c->src->ctx, i);
    e->score = ho_round(e->raw);
    return c->src->key ? c->src->key(c->src->ctx, i, &e->key, &e->keylen) : QUIRE_OK;
}

/* Do hits a and b belong to one run (equal keys before the id)? */
static int same_run(const ctx *c, const entry *a, const entry *b)
{
    if (a->score != b->score)
        return 0;
    return !c->by_date || bytes_cmp(a->key, a->keylen, b->key, b->keylen) == 0;
}

static int by_id(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    return bytes_cmp(a->id, a->idlen, b->id, b->idlen);
}

static void free_entries(entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].key);
        if (v[i].id != v[i].key)
            free(v[i].id);
    }
    free(v);
}

/* Sort the run v[a, b) by id. */
static quire_status sort_run(ctx *c, entry *v, size_t a, size_t b)
{
    if (b - a < 2)
        return QUIRE_OK;
    for (size_t k = a; k < b; k++) {
        if (!c->by_date && c->src->key) { /* the key is the id */
            v[k].id = v[k].key;
            v[k].idlen = v[k].keylen;
            continue;
        }
        quire_status st = c->src->id(c->src->ctx, v[k].at, &v[k].id, &v[k].idlen);
        if (st != QUIRE_OK)
            return st;
    }
    qsort(v + a, b - a, sizeof *v, by_id);
    return QUIRE_OK;
}

/* Does Xapian's order of the run v[a, b) already hold by id? Xapian
 * breaks ties of its raw weight by the sort value, which is the id in a
 * relevance sort with keys; other ties it breaks by its document number. */
static int ordered(const ctx *c, const entry *v, size_t a, size_t b)
{
    if (c->by_date || !c->src->key)
        return b - a < 2;
    for (size_t k = a + 1; k < b; k++)
        if (v[k].raw != v[a].raw)
            return 0;
    return 1;
}

/* Double the room of *v (holding *cap entries, all used). */
static quire_status room(entry **v, size_t *cap)
{
    entry *nv = realloc(*v, 2 * *cap * sizeof *nv);
    if (!nv)
        return QUIRE_ENOMEM;
    *v = nv;
    *cap *= 2;
    return QUIRE_OK;
}

quire_status ho_order(const ho_src *src, size_t n, int more, int by_date,
                      size_t first, size_t count, ho_page *out)
{
    memset(out, 0, sizeof *out);
    if (first >= n || !count)
        return QUIRE_OK;
    size_t end = count > n - first ? n : first + count;
    ctx c = {src, by_date};
    /* Load [lo, hi): the page and the rest of the runs it cuts. */
    size_t lo = first, hi = end, cap = end - first + 16;
    entry *v = calloc(cap, sizeof *v);
    if (!v)
        return QUIRE_ENOMEM;
    quire_status st = QUIRE_OK;
    for (size_t i = lo; i < hi && st == QUIRE_OK; i++)
        st = load(&c, &v[i - lo], i);
    /* Hits before the page in its first run, nearest first, put in front
     * once at the end (inserting each in front would copy the run every
     * time: a deep page inside a long run cost its square). */
    size_t nb = 0, bcap = 16;
    entry *back = st == QUIRE_OK && lo > 0 ? calloc(bcap, sizeof *back) : NULL;
    if (st == QUIRE_OK && lo > 0 && !back)
        st = QUIRE_ENOMEM;
    while (st == QUIRE_OK && lo > 0) {
        entry e = {0};
        if ((st = load(&c, &e, lo - 1)) != QUIRE_OK || !same_run(&c, &e, &v[0])) {
            free(e.key);
            break;
        }
        if (nb == bcap && (st = room(&back, &bcap)) != QUIRE_OK) {
            free(e.key);
            break;
        }
        back[nb++] = e;
        lo--;
    }
    if (nb) {
        entry *nv = st == QUIRE_OK ? malloc((nb + cap) * sizeof *nv) : NULL;
        if (nv) {
            for (size_t k = 0; k < nb; k++)
                nv[k] = back[nb - 1 - k];
            memcpy(nv + nb, v, (hi - first) * sizeof *v);
            free(v);
            free(back);
            v = nv;
            cap += nb;
        } else {
            if (st == QUIRE_OK)
                st = QUIRE_ENOMEM;
            free_entries(back, nb);
            lo = first; /* v holds the page alone */
        }
    } else {
        free(back);
    }
    while (st == QUIRE_OK && hi < n) {
        entry e = {0};
        if ((st = load(&c, &e, hi)) != QUIRE_OK || !same_run(&c, &v[hi - 1 - lo], &e)) {
            free(e.key);
            break;
        }
        if (hi - lo == cap && (st = room(&v, &cap)) != QUIRE_OK) {
            free(e.key);
            break;
        }
        v[hi++ - lo] = e;
    }
    size_t m = hi - lo;
    /* Without keys, a run of ties that may go on past what was fetched
     * needs them (it may be long: a boolean query is one run); ties inside
     * what was fetched are sorted below with the ids of their hits. */
    if (st == QUIRE_OK && !src->key && hi == n && more) {
        out->run_low = v[m - 1].raw; /* Xapian's order: lowest raw last */
        free_entries(v, m);
        out->need_keys = 1;
        return QUIRE_OK;
    }
    /* The last run may go on past what was fetched, with hits that belong
     * before some of the page: fetch more. Not for a run of zero scores in
     * a relevance sort (a boolean query): zero is exact, so all its hits
     * tie exactly and Xapian has them in id order already. */
    int zero_run = !by_date && v[m - 1].raw == 0;
    if (st == QUIRE_OK && hi == n && more && !zero_run) {
        free_entries(v, m);
        out->need_more = 1;
        return QUIRE_OK;
    }
    for (size_t a = 0; a < m && st == QUIRE_OK;) {
        size_t b = a + 1;
        while (b < m && same_run(&c, &v[a], &v[b]))
            b++;
        if (!ordered(&c, v, a, b))
            st = sort_run(&c, v, a, b);
        a = b;
    }
    if (st == QUIRE_OK) {
        out->n = end - first;
        out->at = malloc(out->n * sizeof *out->at);
        out->score = malloc(out->n * sizeof *out->score);
        if (!out->at || !out->score)
            st = QUIRE_ENOMEM;
        for (size_t k = 0; st == QUIRE_OK && k < out->n; k++) {
            out->at[k] = v[first - lo + k].at;
            out->score[k] = v[first - lo + k].score;
        }
    }
    free_entries(v, m);
    if (st != QUIRE_OK)
        ho_page_free(out);
    return st;
}

void ho_page_free(ho_page *p)
{
    free(p->at);
    free(p->score);
    memset(p, 0, sizeof *p);
}
