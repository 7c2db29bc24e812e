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

int hl_find(const qa_tokens *t, const hl_spec *hl, size_t nhl, int in_title,
            int skip_stops, hl_match **out, size_t *n)
{
    size_t cap = 0, m = 0;
    hl_match *v = NULL;
    for (size_t i = 0; i < t->n; i++) {
        for (size_t s = 0; s < nhl; s++) {
            const hl_spec *sp = &hl[s];
            if (!sp->nterms || (sp->field == QF_TITLE && !in_title))
                continue;
            size_t last = i;
            int hit = sp->kind == HL_PHRASE ? (sp->nterms > 0 && phrase_at(t, i, sp, skip_stops, &last))
                                            : token_matches(t, &t->v[i], sp);
            if (!hit)
                continue;
            if (m == cap) {
                size_t nc = cap ? cap * 2 : 16;
                hl_match *nv = realloc(v, nc * sizeof *nv);
                if (!nv) {
                    free(v);
                    return -1;
                }
                v = nv;
                cap = nc;
            }
            v[m].start = t->v[i].start;
            v[m].end = t->v[last].end;
            v[m].group = sp->group;
            v[m].phrase = sp->kind == HL_PHRASE && sp->nterms > 1;
            m++;
        }
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
