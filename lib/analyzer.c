/* analyzer.c — see analyzer.h. ICU's word breaker runs directly over the
 * UTF-8 text through a UText, so boundaries are byte offsets into the
 * caller's text with no conversion or offset mapping. */
#include "analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "normalize.h"
#include "stopwords.h"
#include "strmap.h"
#include "xapian_shim.h"

enum {
    MAX_LANGS = 32,           /* languages with resources in one analyzer */
    STEM_CACHE_MAX = 200000,  /* entries before the cache starts over */
    MAX_WORD_BYTES = 1024     /* longer segments are not normalised */
};

typedef struct lang_res {
    char code[LANG_CODE_MAX];
    qx_stem *stemmer; /* NULL: no stemming */
    strmap *cache;    /* term -> stem */
    strmap *stops;    /* normalised stopwords; NULL: none */
} lang_res;

struct qa_analyzer {
    UBreakIterator *words;
    UText ut;
    qn_normalizer *norm;
    char default_lang[LANG_CODE_MAX];
    lang_res langs[MAX_LANGS];
    size_t nlangs;
    lang_res none; /* for languages with neither stemmer nor stopwords */
    char *stembuf;
    size_t stembuf_cap;
};

void qa_tokens_reset(qa_tokens *t)
{
    t->n = 0;
    t->len = 0;
}

void qa_tokens_free(qa_tokens *t)
{
    free(t->v);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* Copy s into t->buf; returns its offset or -1. */
static long push_str(qa_tokens *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->bufcap) {
        size_t cap = t->bufcap ? t->bufcap * 2 : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b)
            return -1;
        t->buf = b;
        t->bufcap = cap;
    }
    size_t off = t->len;
    memcpy(t->buf + off, s, n);
    t->buf[off + n] = '\0';
    t->len += n + 1;
    return (long)off;
}

static qa_token *push_token(qa_tokens *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        qa_token *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return NULL;
        t->v = v;
        t->cap = cap;
    }
    qa_token *k = &t->v[t->n++];
    memset(k, 0, sizeof *k);
    return k;
}

static void free_res(lang_res *r)
{
    qx_stem_free(r->stemmer);
    strmap_free(r->cache);
    strmap_free(r->stops);
}

/* Stopword lists go through the same normaliser as text, so accent folding
 * and apostrophe rules apply to them exactly as to the words they match. */
static int load_stops(qa_analyzer *a, lang_res *r, const char *words)
{
    r->stops = strmap_new();
    if (!r->stops)
        return -1;
    const char *p = words;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t tl;
        const char *t = qn_word(a->norm, p, len, &tl, NULL);
        if (t && strmap_put(r->stops, t, tl, "", 0) != 0)
            return -1;
        p += len + (nl ? 1 : 0);
    }
    return 0;
}

static lang_res *get_res(qa_analyzer *a, const char *lang)
{
    if (!lang || !*lang)
        lang = a->default_lang;
    for (size_t i = 0; i < a->nlangs; i++)
        if (strcmp(a->langs[i].code, lang) == 0)
            return &a->langs[i];
    const char *sname = lang_stemmer(lang);
    const char *words = stopwords_for(lang);
    if ((!sname && !words) || a->nlangs == MAX_LANGS)
        return &a->none;
    lang_res *r = &a->langs[a->nlangs];
    memset(r, 0, sizeof *r);
    snprintf(r->code, sizeof r->code, "%s", lang);
    qx_err e;
    if (sname) {
        r->stemmer = qx_stem_new(sname, &e);
        r->cache = strmap_new();
    }
    if ((sname && (!r->stemmer || !r->cache)) || (words && load_stops(a, r, words) != 0)) {
        free_res(r);
        return &a->none;
    }
    a->nlangs++;
    return r;
}

qa_analyzer *qa_new(int fold_accents, const char *default_lang, char *err,
                    size_t errlen)
{
    qa_analyzer *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    UText init = UTEXT_INITIALIZER;
    a->ut = init;
    snprintf(a->default_lang, sizeof a->default_lang, "%s",
             default_lang && *default_lang ? default_lang : "en");
    a->norm = qn_new(fold_accents, err, errlen);
    if (!a->norm) {
        free(a);
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    a->words = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "ICU word break iterator unavailable: %s", u_errorName(st));
        qn_free(a->norm);
        free(a);
        return NULL;
    }
    return a;
}

void qa_free(qa_analyzer *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nlangs; i++)
        free_res(&a->langs[i]);
    ubrk_close(a->words);
    utext_close(&a->ut);
    qn_free(a->norm);
    free(a->stembuf);
    free(a);
}

static const char *stem_with(qa_analyzer *a, lang_res *r, const char *term,
                             size_t len, size_t *outlen)
{
    if (!r->stemmer) {
        *outlen = len;
        return term;
    }
    size_t vl;
    const char *hit = strmap_get(r->cache, term, len, &vl);
    if (hit) {
        *outlen = vl;
        return hit;
    }
    size_t need = len * 2 + 16;
    for (;;) {
        if (a->stembuf_cap < need) {
            char *b = realloc(a->stembuf, need);
            if (!b)
                return NULL;
            a->stembuf = b;
            a->stembuf_cap = need;
        }
        long sl = qx_stem_apply(r->stemmer, term, len, a->stembuf, a->stembuf_cap);
        if (sl < 0)
            return NULL;
        if ((size_t)sl < a->stembuf_cap) {
            *outlen = (size_t)sl;
            break;
        }
        need = (size_t)sl + 1;
    }
    if (strmap_count(r->cache) >= STEM_CACHE_MAX)
        strmap_clear(r->cache);
    strmap_put(r->cache, term, len, a->stembuf, *outlen); /* a miss is fine */
    return a->stembuf;
}

const char *qa_stem_term(qa_analyzer *a, const char *lang, const char *term,
                         size_t len, size_t *outlen)
{
    return stem_with(a, get_res(a, lang), term, len, outlen);
}

int qa_is_stopword(qa_analyzer *a, const char *lang, const char *term,
                   size_t len)
{
    lang_res *r = get_res(a, lang);
    return r->stops && strmap_get(r->stops, term, len, NULL) != NULL;
}

size_t qa_cache_bytes(const qa_analyzer *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nlangs; i++) {
        if (a->langs[i].cache)
            n += strmap_bytes(a->langs[i].cache);
        if (a->langs[i].stops)
            n += strmap_bytes(a->langs[i].stops);
    }
    return n;
}

/* Add one word segment [s, e) with ICU rule status to out. */
static int add_word(qa_analyzer *a, lang_res *r, const char *text, int32_t s,
                    int32_t e, int32_t status, uint32_t pos, qa_tokens *out)
{
    size_t wl = (size_t)(e - s);
    uint16_t flags = 0;
    if (status < UBRK_WORD_LETTER)
        flags |= QA_NUMBER;
    else if (status >= UBRK_WORD_KANA)
        flags |= QA_CJK;
    const char *t = NULL;
    size_t tl = 0;
    unsigned nf = 0;
    if (wl > MAX_WORD_BYTES) {
        flags |= QA_TOOLONG;
    } else {
        t = qn_word(a->norm, text + s, wl, &tl, &nf);
        if (!t)
            return 0; /* nothing left of it (e.g. a lone apostrophe form) */
        if (tl > QA_MAX_TERM)
            flags |= QA_TOOLONG;
    }
    if (nf & QN_ACRONYM)
        flags |= QA_ACRONYM;
    qa_token *k = push_token(out);
    if (!k)
        return -1;
    k->start = (uint32_t)s;
    k->end = (uint32_t)e;
    k->pos = pos;
    k->flags = flags;
    long off = push_str(out, flags & QA_TOOLONG ? "" : t, flags & QA_TOOLONG ? 0 : tl);
    if (off >= 0 && (flags & QA_TOOLONG)) { /* keeps its position and span; empty forms */
        k->term = k->stem = (uint32_t)off;
        k->term_len = k->stem_len = 0;
        return 0;
    }
    if (off < 0)
        return -1;
    k->term = (uint32_t)off;
    k->term_len = (uint16_t)tl;
    k->stem = k->term;
    k->stem_len = k->term_len;
    if (r->stops && !(flags & QA_ACRONYM) && strmap_get(r->stops, t, tl, NULL))
        k->flags |= QA_STOP;
    if (r->stemmer && !(flags & (QA_NUMBER | QA_CJK))) {
        size_t sl;
        /* t lives in the normaliser's buffer; use the copy in out. */
        const char *st = stem_with(a, r, out->buf + off, tl, &sl);
        if (!st)
            return -1;
        if (sl != tl || memcmp(st, out->buf + off, tl) != 0) {
            long so = push_str(out, st, sl);
            if (so < 0)
                return -1;
            k = &out->v[out->n - 1];
            k->stem = (uint32_t)so;
            k->stem_len = (uint16_t)sl;
        }
    }
    return 0;
}

int qa_run(qa_analyzer *a, const char *text, size_t len, const char *lang,
           uint32_t first_pos, qa_tokens *out, uint32_t *next_pos, char *err,
           size_t errlen)
{
    uint32_t pos = first_pos;
    if (next_pos)
        *next_pos = pos;
    if (len == 0)
        return 0;
    if (len > INT32_MAX) {
        snprintf(err, errlen, "text of %zu bytes is too long to analyse", len);
        return -1;
    }
    lang_res *r = get_res(a, lang);
    UErrorCode st = U_ZERO_ERROR;
    utext_openUTF8(&a->ut, text, (int64_t)len, &st);
    ubrk_setUText(a->words, &a->ut, &st);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "ICU word break failed: %s", u_errorName(st));
        return -1;
    }
    int32_t s = ubrk_first(a->words);
    for (int32_t e = ubrk_next(a->words); e != UBRK_DONE; s = e, e = ubrk_next(a->words)) {
        int32_t status = ubrk_getRuleStatus(a->words);
        if (status < UBRK_WORD_NONE_LIMIT)
            continue; /* spaces, punctuation, symbols, emoji */
        size_t before = out->n;
        if (add_word(a, r, text, s, e, status, pos, out) != 0) {
            snprintf(err, errlen, "out of memory while analysing text");
            return -1;
        }
        if (out->n != before)
            pos++;
    }
    if (next_pos)
        *next_pos = pos;
    return 0;
}
