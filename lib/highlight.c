/* highlight.c — see highlight.h. */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* a (al bytes) equals the string b. Most tokens differ in the first byte,
 * so that is tested before anything walks b. */
static int eq(const char *a, size_t al, const char *b)
{
    if (al == 0)
        return b[0] == '\0';
    return a[0] == b[0] && strncmp(a, b, al) == 0 && b[al] == '\0';
}

/* Does the phrase spec match at token i? Sets *last to its last token. */
static int phrase_at(const qa_tokens *t, size_t i, const hl_spec *s,
                     int skip_stops, size_t *last)
{
    /* A phrase starts at one of its own words, not at a skipped one. */
    if ((t->v[i].flags & QA_TOOLONG) || (skip_stops && (t->v[i].flags & QA_STOP)))
        return 0;
    size_t j = i;
    for (size_t k = 0; k < s->nterms; k++) {
        while (j < t->n && ((t->v[j].flags & QA_TOOLONG) || (skip_stops && (t->v[j].flags & QA_STOP))))
            j++;
        if (j >= t->n)
            return 0;
        const qa_token *tk = &t->v[j];
        const char *w = s->on_stems ? qa_stem(t, tk) : qa_term(t, tk);
        size_t wl = s->on_stems ? tk->stem_len : tk->term_len;
        if (!eq(w, wl, s->terms[k]))
            return 0; /* tokens are consecutive positions, so no gap check */
        *last = j;
        j++;
    }
    return 1;
}

static int token_matches(const qa_tokens *t, const qa_token *k, const hl_spec *s)
{
    if (k->flags & QA_TOOLONG)
        return 0;
    const char *w = qa_term(t, k), *st = qa_stem(t, k);
    switch (s->kind) {
    case HL_STEMS:
        for (size_t i = 0; i < s->nterms; i++)
            if (eq(st, k->stem_len, s->terms[i]))
                return 1;
        return 0;
    case HL_EXACT: /* only the form that matched: on stems only in a stems index */
        return s->on_stems ? eq(st, k->stem_len, s->terms[0]) : eq(w, k->term_len, s->terms[0]);
    case HL_PREFIX: {
        size_t pl = strlen(s->terms[0]);
        return k->term_len >= pl && memcmp(w, s->terms[0], pl) == 0;
    }
    default:
        return 0;
    }
}

/* The specs a token can match, by the first byte of the form they compare
 * (the stem, or the word as written), in spec order: a token is tested
 * against one bucket of each kind instead of every spec. A query of many
 * words or wildcards has hundreds of specs, and snippets test every token
 * of every hit's passage (999 wildcards, 100 hits: 5 s, most of it here). */
typedef struct buckets {
    size_t start[2][257]; /* [on stem?][first byte]: offsets into spec */
    size_t *spec;
} buckets;

/* Does spec sp compare token stems (1) or written forms (0)? */
static int keyed_on_stem(const hl_spec *sp)
{
    return sp->kind == HL_STEMS || (sp->kind == HL_EXACT && sp->on_stems) ||
           (sp->kind == HL_PHRASE && sp->on_stems);
}

/* Count (fill 0) or place (fill 1) spec s in the bucket of each first
 * byte it can match on; returns how many. */
static size_t spec_keys(const hl_spec *sp, size_t s, buckets *b, int fill)
{
    unsigned char seen[256] = {0};
    size_t n = 0, k = keyed_on_stem(sp);
    size_t nt = sp->kind == HL_STEMS ? sp->nterms : 1;
    for (size_t i = 0; i < nt; i++) {
        unsigned char c = (unsigned char)sp->terms[i][0];
        if (seen[c]++)
            continue;
        if (fill)
            b->spec[b->start[k][c + 1]++] = s;
        else
            b->start[k][c + 1]++;
        n++;
    }
    return n;
}

static int usable(const hl_spec *sp, int in_title)
{
    return sp->nterms && !(sp->field == QF_TITLE && !in_title);
}

/* NULL when out of memory. */
static buckets *bucket_specs(const hl_spec *hl, size_t nhl, int in_title)
{
    buckets *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    size_t total = 0;
    for (size_t s = 0; s < nhl; s++)
        if (usable(&hl[s], in_title))
            total += spec_keys(&hl[s], s, b, 0);
    if (!(b->spec = malloc((total ? total : 1) * sizeof *b->spec))) {
        free(b);
        return NULL;
    }
    /* Bucket c's count is at [c + 1]; the running sum turns it into bucket
     * c's start, and filling moves [c + 1] on to bucket c's end, which is
     * where bucket c + 1 starts: then bucket c is [start[c], start[c + 1]). */
    size_t at = 0;
    for (int k = 0; k < 2; k++)
        for (int c = 0; c < 257; c++) {
            size_t n = b->start[k][c];
            b->start[k][c] = at;
            at += n;
        }
    for (size_t s = 0; s < nhl; s++)
        if (usable(&hl[s], in_title))
            spec_keys(&hl[s], s, b, 1);
    return b;
}

/* Append a match of spec sp at tokens i..last to *v. -1 when out of memory. */
static int add_match(hl_match **v, size_t *m, size_t *cap, const qa_tokens *t, size_t i, size_t last,
                     const hl_spec *sp)
{
    if (*m == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        hl_match *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    (*v)[*m].start = t->v[i].start;
    (*v)[*m].end = t->v[last].end;
    (*v)[*m].group = sp->group;
    (*v)[*m].phrase = sp->kind == HL_PHRASE && sp->nterms > 1;
    (*m)++;
    return 0;
}

/* Test token i against spec sp; on a hit, add the match. */
static int try_spec(const qa_tokens *t, size_t i, const hl_spec *sp, int skip_stops, hl_match **v, size_t *m,
                    size_t *cap)
{
    size_t last = i;
    int hit = sp->kind == HL_PHRASE ? phrase_at(t, i, sp, skip_stops, &last) : token_matches(t, &t->v[i], sp);
    return hit ? add_match(v, m, cap, t, i, last, sp) : 0;
}

enum { BUCKETS_FROM = 16 }; /* fewer specs: testing them all is as cheap */

int hl_find(const qa_tokens *t, const hl_spec *hl, size_t nhl, int in_title,
            int skip_stops, hl_match **out, size_t *n)
{
    size_t cap = 0, m = 0;
    hl_match *v = NULL;
    buckets *b = nhl >= BUCKETS_FROM ? bucket_specs(hl, nhl, in_title) : NULL;
    if (nhl >= BUCKETS_FROM && !b)
        return -1;
    int failed = 0;
    for (size_t i = 0; i < t->n && !failed; i++) {
        if (!b) {
            for (size_t s = 0; s < nhl && !failed; s++)
                if (usable(&hl[s], in_title))
                    failed = try_spec(t, i, &hl[s], skip_stops, &v, &m, &cap) != 0;
            continue;
        }
        /* The two buckets this token can match, merged in spec order. */
        const qa_token *tk = &t->v[i];
        unsigned char cs = tk->stem_len ? (unsigned char)qa_stem(t, tk)[0] : 0;
        unsigned char cw = tk->term_len ? (unsigned char)qa_term(t, tk)[0] : 0;
        size_t a = b->start[1][cs], ae = b->start[1][cs + 1];
        size_t w = b->start[0][cw], we = b->start[0][cw + 1];
        while ((a < ae || w < we) && !failed) {
            size_t s = (w >= we || (a < ae && b->spec[a] < b->spec[w])) ? b->spec[a++] : b->spec[w++];
            failed = try_spec(t, i, &hl[s], skip_stops, &v, &m, &cap) != 0;
        }
    }
    if (b)
        free(b->spec);
    free(b);
    if (failed) {
        free(v);
        return -1;
    }
    *out = v;
    *n = m;
    return 0;
}

int hl_spans(const hl_match *m, size_t n, quire_span **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!n)
        return 0;
    quire_span *s = malloc(n * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++) {
        s[i].start = m[i].start;
        s[i].end = m[i].end;
    }
    /* Sort by start (insertion sort: matches arrive nearly in order). */
    for (size_t i = 1; i < n; i++) {
        quire_span x = s[i];
        size_t j = i;
        while (j > 0 && s[j - 1].start > x.start) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = x;
    }
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i].start <= s[k].end) {
            if (s[i].end > s[k].end)
                s[k].end = s[i].end;
        } else {
            s[++k] = s[i];
        }
    }
    *out = s;
    *nout = k + 1;
    return 0;
}

char *hl_mark(const char *text, const quire_span *s, size_t n,
              const char *start, const char *end)
{
    strbuf b = {0};
    size_t at = 0, len = strlen(text);
    for (size_t i = 0; i < n; i++) {
        if (s[i].start < at || s[i].end > len)
            continue;
        sb_add(&b, text + at, s[i].start - at);
        sb_adds(&b, start);
        sb_add(&b, text + s[i].start, s[i].end - s[i].start);
        sb_adds(&b, end);
        at = s[i].end;
    }
    sb_add(&b, text + at, len - at);
    return sb_take(&b);
}
