/* suggest.c — see suggest.h. */
#include "suggest.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "searcher.h"
#include "strbuf.h"
#include "strmap.h"
#include "utf8.h"

enum {
    MIN_CHARS = 3,  /* shorter words are not corrected */
    MAX_CHARS = 40, /* nor longer ones */
    MAX_WORDS = 64  /* words looked at in one query */
};

/* A word of the query that a match must contain. */
typedef struct sword {
    size_t start, end;  /* bytes in the query */
    qfield field;
    int exact;          /* matched as typed (quoted, =word, a name) */
    char term[QA_MAX_TERM + 1], stem[QA_MAX_TERM + 1];
    uint64_t freq;      /* documents with the word itself in its field */
    int known;          /* the query finds it in the index */
    char *fix;          /* the correction, or NULL */
} sword;

typedef struct sug {
    quire_searcher *s;
    qa_tokens tok;
    sword w[MAX_WORDS];
    size_t n;
    quire_status st;
} sug;

static quire_status shim_error(sug *g, const qx_err *e)
{
    if (g->st == QUIRE_OK)
        g->st = qerr_from_shim(g->s->err, e, g->s->path);
    return g->st;
}

static int stems_only(const sug *g)
{
    return g->s->cfg.positions == QUIRE_POSITIONS_STEMS;
}

/* Where a field's words are in the term list ("" for body and title
 * words, which the body space holds too): NULL when the index keeps no
 * exact words there (positions=stems). */
static const char *word_space(const sug *g, qfield f)
{
    switch (f) {
    case QF_AUTHOR: return PFX_AUTHOR;
    case QF_SOURCE: return PFX_SOURCE;
    case QF_TITLE: return stems_only(g) ? NULL : PFX_TITLE;
    default: return stems_only(g) ? NULL : "";
    }
}

static uint64_t freq_of(sug *g, const char *pfx, const char *t)
{
    char term[QA_MAX_TERM + 8];
    size_t pl = strlen(pfx), tl = strlen(t);
    if (pl + tl >= sizeof term)
        return 0; /* longer than any indexed term */
    memcpy(term, pfx, pl);
    memcpy(term + pl, t, tl + 1);
    uint64_t f = 0;
    qx_err e;
    if (qx_db_term_freq(g->s->db, term, &f, &e) != QUIRE_OK)
        shim_error(g, &e);
    return f;
}

/* Is the word of token k in the index, as the query looks for it? */
static void look_up(sug *g, sword *w)
{
    const char *space = word_space(g, w->field);
    w->freq = space ? freq_of(g, space, w->term) : 0;
    w->known = w->freq > 0;
    int stemmed = w->field == QF_ANY || w->field == QF_TITLE;
    if (!w->known && stemmed && (!w->exact || stems_only(g)))
        w->known = freq_of(g, w->field == QF_TITLE ? PFX_TITLE_STEM : PFX_STEM, w->stem) > 0;
    if (!w->known && stemmed && !w->exact && g->s->syn) {
        /* A word of a synonym group matches through the group. */
        char key[QA_MAX_TERM + 2];
        size_t n;
        snprintf(key, sizeof key, "Z%s", w->stem);
        w->known = syn_find(g->s->syn, key, &n) != NULL;
    }
}

/* The words of node n (analysed) that a match must contain. */
static void collect(sug *g, const qnode *n)
{
    if (g->st != QUIRE_OK || n->kind == QK_NOT)
        return;
    if (n->kind != QK_WORD && n->kind != QK_PHRASE) {
        for (size_t i = 0; i < n->nkids; i++)
            collect(g, n->kids[i]);
        return;
    }
    char msg[128];
    qa_tokens_reset(&g->tok);
    if (qa_run(g->s->an, n->text, strlen(n->text), NULL, 0, &g->tok, NULL, msg, sizeof msg) != 0) {
        g->st = qerr_set(g->s->err, QUIRE_ENOMEM, "%s", msg);
        return;
    }
    for (size_t i = 0; i < g->tok.n && g->n < MAX_WORDS && g->st == QUIRE_OK; i++) {
        const qa_token *k = &g->tok.v[i];
        size_t chars = utf8_chars(qa_term(&g->tok, k), k->term_len);
        if ((k->flags & (QA_NUMBER | QA_CJK | QA_TOOLONG | QA_STOP)) || chars < MIN_CHARS || chars > MAX_CHARS)
            continue;
        sword *w = &g->w[g->n++];
        memset(w, 0, sizeof *w);
        w->start = n->tpos + k->start;
        w->end = n->tpos + k->end;
        w->field = n->field;
        w->exact = n->exact || n->kind == QK_PHRASE || g->tok.n > 1 || n->field == QF_AUTHOR ||
                   n->field == QF_SOURCE;
        memcpy(w->term, qa_term(&g->tok, k), k->term_len);
        memcpy(w->stem, qa_stem(&g->tok, k), k->stem_len);
        look_up(g, w);
    }
}

/* ---- Candidates from the term list -------------------------------------- */

/* Code points of s into out (at most max); the count, or max + 1 when
 * there are more. */
static size_t decode(const char *s, size_t len, uint32_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0, adv; i < len; i += adv) {
        if (n == max)
            return max + 1;
        if ((unsigned char)s[i] < 0x80) {
            out[n++] = (unsigned char)s[i];
            adv = 1;
            continue;
        }
        int32_t c = utf8_decode(s + i, len - i, &adv);
        out[n++] = c < 0 ? 0xFFFD : (uint32_t)c;
    }
    return n;
}

/* Edit distance of a and b (insertions, deletions, substitutions and swaps
 * of neighbours), or max + 1 when it is more than max. Only the band of
 * cells within max of the diagonal is computed; cells outside it stay at
 * max + 1. */
static unsigned distance(const uint32_t *a, size_t an, const uint32_t *b, size_t bn, unsigned max)
{
    const unsigned inf = max + 1;
    if ((an > bn ? an - bn : bn - an) > max)
        return inf;
    unsigned rows[3][MAX_CHARS + 2];
    unsigned *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= bn; j++)
        p[j] = j <= max ? (unsigned)j : inf;
    for (size_t i = 1; i <= an; i++) {
        size_t lo = i > max ? i - max : 1, hi = i + max < bn ? i + max : bn;
        c[0] = i <= max ? (unsigned)i : inf;
        c[lo - 1] = lo > 1 ? inf : c[0];
        unsigned low = c[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v < inf ? v : inf;
            if (c[j] < low)
                low = c[j];
        }
        if (hi < bn)
            c[hi + 1] = inf;
        if (low > max)
            return inf;
        unsigned *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[bn] <= max ? p[bn] : inf;
}

typedef struct scan {
    sug *g;
    const char *space;  /* the field's prefix in the term list */
    uint32_t word[MAX_CHARS];
    size_t wn;
    uint64_t wmask;     /* the word's characters, one bit each (mod 64) */
    unsigned max;
    unsigned best_d;    /* max + 1: none yet */
    uint64_t best_freq;
    char best[QA_MAX_TERM + 1];
} scan;

/* Could a term of tl bytes at t be within max characters of a word of wn
 * characters? (A cheap test before decoding: most terms fail it.) */
static int length_near(const char *t, size_t tl, size_t wn, unsigned max)
{
    if (tl + max < wn)
        return 0; /* fewer characters than bytes, never more */
    if (tl <= wn + max)
        return 1;
    for (size_t i = 0; i < tl; i++)
        if ((unsigned char)t[i] >= 0x80)
            return 1; /* multi-byte characters: decode to know */
    return 0;
}

/* Letters of an ASCII term that the word lacks, and of the word that the
 * term lacks, each need an edit: a cheap lower bound on the distance,
 * which rules out most terms of about the right length. 0 (no bound) for
 * other terms. */
static unsigned letters_apart(const scan *sc, const char *t, size_t tl)
{
    uint64_t tmask = 0;
    unsigned extra = 0, missing = 0;
    for (size_t i = 0; i < tl; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c >= 0x80)
            return 0;
        tmask |= 1ull << (c & 63);
        extra += !(sc->wmask >> (c & 63) & 1);
    }
    for (size_t i = 0; i < sc->wn; i++)
        missing += !(tmask >> (sc->word[i] & 63) & 1);
    return extra > missing ? extra : missing;
}

static int consider(void *ctx, const char *term, size_t len)
{
    scan *sc = ctx;
    size_t pl = strlen(sc->space);
    const char *t = term + pl;
    size_t tl = len - pl;
    if (!length_near(t, tl, sc->wn, sc->max) || letters_apart(sc, t, tl) > sc->max)
        return 0;
    uint32_t cand[MAX_CHARS];
    size_t cn = decode(t, tl, cand, MAX_CHARS);
    if (cn > MAX_CHARS || cn < 2 || tl > QA_MAX_TERM)
        return 0;
    unsigned d = distance(sc->word, sc->wn, cand, cn, sc->best_d <= sc->max ? sc->best_d : sc->max);
    if (d == 0 || d > sc->max || d > sc->best_d)
        return 0;
    char w[QA_MAX_TERM + 1];
    memcpy(w, t, tl);
    w[tl] = '\0';
    if (qa_is_stopword(sc->g->s->an, NULL, w, tl))
        return 0;
    uint64_t f = freq_of(sc->g, sc->space, w);
    if (sc->g->st != QUIRE_OK)
        return 1;
    if (d < sc->best_d || f > sc->best_freq) {
        sc->best_d = d;
        sc->best_freq = f;
        memcpy(sc->best, w, tl + 1);
    }
    return 0;
}

enum { VOCAB_BYTES = 16 * 1024 * 1024 };

/* One term of a cached part of the term list, with what the first
 * filters need, so that most terms are ruled out without reading them
 * (a zero-hit query scans tens of thousands of terms per word). */
typedef struct vterm {
    uint64_t mask;   /* its characters, one bit each (mod 64), as scan.wmask */
    uint32_t off;    /* where it starts in the list's text (after the prefix) */
    uint16_t bytes;
    uint16_t chars;  /* up to MAX_CHARS + 1 */
} vterm;

/* A part of the term list as one block: the count, the vterms (by length
 * in characters, so that a scan reads only the lengths within reach),
 * then the terms themselves (each NUL-terminated, in term list order), so
 * it can be kept in a strmap. */
typedef struct vlist {
    uint64_t n;
    vterm t[];
} vlist;

static int keep_term(void *ctx, const char *t, size_t len)
{
    strbuf *b = ctx;
    sb_add(b, t, len);
    sb_add(b, "", 1);
    return strbuf_failed(b);
}

/* By length, then by place in the term list (a total order, so that the
 * scan, and which of two equally good corrections it keeps, is the same
 * every time). */
static int by_chars(const void *a, const void *b)
{
    const vterm *x = a, *y = b;
    if (x->chars != y->chars)
        return x->chars < y->chars ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* The terms of text (NUL-terminated, len bytes in all, each starting
 * with the field's prefix of pl bytes) as a vlist block in out. */
static int index_terms(const char *text, size_t len, size_t pl, strbuf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i += strlen(text + i) + 1)
        n++;
    size_t head = offsetof(vlist, t) + n * sizeof(vterm);
    if (sb_reserve(out, head + len + 1) != 0)
        return -1;
    vlist *v = (vlist *)out->s; /* malloc'd: aligned for any type */
    memset(v, 0, head);
    v->n = n;
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        size_t tl = strlen(text + i);
        vterm *e = &v->t[k];
        size_t bl = tl > pl ? tl - pl : 0;
        uint32_t cp[MAX_CHARS + 1];
        size_t cn = decode(text + i + pl, bl, cp, MAX_CHARS);
        for (size_t j = 0; j < cn && j < MAX_CHARS; j++)
            e->mask |= 1ull << (cp[j] & 63);
        e->off = (uint32_t)(i + pl);
        e->bytes = (uint16_t)(bl < UINT16_MAX ? bl : UINT16_MAX);
        e->chars = (uint16_t)cn;
        i += tl + 1;
    }
    qsort(v->t, n, sizeof v->t[0], by_chars);
    memcpy(out->s + head, text, len);
    out->len = head + len;
    out->s[out->len] = '\0';
    return 0;
}

static unsigned bits(uint64_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* consider() every term starting with prefix: from the searcher's copy of
 * that part of the term list, made on first use (up to VOCAB_BYTES in
 * all, then read from the index each time); a persistent searcher so
 * reads the index once per first letter. */
static void scan_prefix(sug *g, const char *prefix, scan *sc)
{
    quire_searcher *s = g->s;
    size_t vl, pl = strlen(prefix), sl = strlen(sc->space);
    const char *block = s->vocab ? strmap_get(s->vocab, prefix, pl, &vl) : NULL;
    strbuf b = {0}, ix = {0};
    if (!block) {
        qx_err e;
        if (qx_db_terms_with_prefix(s->db, prefix, SIZE_MAX, keep_term, &b, NULL, &e) != QUIRE_OK) {
            shim_error(g, &e);
            sb_free(&b);
            return;
        }
        if (strbuf_failed(&b) || index_terms(b.s ? b.s : "", b.len, sl, &ix) != 0) {
            g->st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
            sb_free(&b);
            sb_free(&ix);
            return;
        }
        sb_free(&b);
        block = ix.s;
        vl = ix.len;
        if (!s->vocab)
            s->vocab = strmap_new();
        if (s->vocab && strmap_bytes(s->vocab) + vl < VOCAB_BYTES)
            strmap_put(s->vocab, prefix, pl, block, vl); /* a failure only costs the copy */
    }
    /* Read with memcpy: a strmap's values need not be aligned. */
    uint64_t n;
    memcpy(&n, block, sizeof n);
    const char *at = block + offsetof(vlist, t), *text = at + n * sizeof(vterm);
    /* The first term long enough to be within reach. */
    size_t shortest = sc->wn > sc->max ? sc->wn - sc->max : 0;
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        vterm e;
        memcpy(&e, at + mid * sizeof e, sizeof e);
        if (e.chars < shortest)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint64_t k = lo; k < n && g->st == QUIRE_OK; k++) {
        vterm e;
        memcpy(&e, at + k * sizeof e, sizeof e);
        if (e.chars > sc->wn + sc->max)
            break; /* longer ones all */
        /* Each character of one that the other lacks needs an edit. */
        if (bits(e.mask & ~sc->wmask) > sc->max || bits(sc->wmask & ~e.mask) > sc->max)
            continue;
        if (consider(sc, text + e.off - sl, sl + e.bytes))
            break;
    }
    sb_free(&ix);
}

/* The nearest, then most frequent, word of the field within max edits
 * whose first or second letter is the word's first (see suggest.h). */
static void from_term_list(sug *g, const sword *w, unsigned max, scan *sc)
{
    sc->g = g;
    sc->space = word_space(g, w->field);
    sc->max = max;
    sc->best_d = max + 1;
    sc->best_freq = 0;
    sc->best[0] = '\0';
    sc->wn = decode(w->term, strlen(w->term), sc->word, MAX_CHARS);
    sc->wmask = 0;
    for (size_t i = 0; i < sc->wn; i++)
        sc->wmask |= 1ull << (sc->word[i] & 63);
    size_t adv1, adv2;
    utf8_decode(w->term, strlen(w->term), &adv1);
    utf8_decode(w->term + adv1, strlen(w->term + adv1), &adv2);
    const char *starts[2] = {w->term, w->term + adv1};
    size_t lens[2] = {adv1, adv2};
    for (int i = 0; i < 2 && g->st == QUIRE_OK; i++) {
        if (i == 1 && lens[1] == lens[0] && memcmp(starts[0], starts[1], lens[0]) == 0)
            break; /* the same letter twice: scanned already */
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%s%.*s", sc->space, (int)lens[i], starts[i]);
        scan_prefix(g, prefix, sc);
    }
}

/* ---- Choosing corrections ----------------------------------------------- */

/* The correction of w, or NULL. rare: w is in the index; correct it only
 * to a word RARE_RATIO times as frequent. */
static char *correct(sug *g, const sword *w, int rare)
{
    unsigned max = utf8_chars(w->term, strlen(w->term)) >= SUGGEST_LONG ? 2 : 1;
    const char *space = word_space(g, w->field);
    scan sc;
    const char *fix = NULL;
    uint64_t ffreq = 0;
    char *table = NULL;
    if (g->s->cfg.spelling && (w->field == QF_ANY || w->field == QF_TITLE) && !searcher_has_remote(g->s)) {
        qx_err e;
        if (!(table = qx_db_spelling_suggestion(g->s->db, w->term, max, &e))) {
            shim_error(g, &e);
            return NULL;
        }
        if (*table) {
            fix = table;
            ffreq = space ? freq_of(g, space, table) : 0;
        }
    } else if (space) {
        from_term_list(g, w, max, &sc);
        if (sc.best_d <= max) {
            fix = sc.best;
            ffreq = sc.best_freq;
        }
    }
    char *out = NULL;
    if (g->st == QUIRE_OK && fix && strcmp(fix, w->term) != 0 && (!rare || ffreq >= RARE_RATIO * w->freq))
        out = strdup(fix);
    free(table);
    return out;
}

/* fix, in the case pattern of the word it replaces (raw, len bytes):
 * ALL CAPS or Capitalised (ASCII letters). */
static void add_cased(strbuf *b, const char *raw, size_t len, const char *fix)
{
    size_t upper = 0, letters = 0;
    for (size_t i = 0; i < len; i++) {
        char c = raw[i];
        letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        upper += c >= 'A' && c <= 'Z';
    }
    int all = letters > 1 && upper == letters, first = raw[0] >= 'A' && raw[0] <= 'Z';
    for (size_t i = 0; fix[i]; i++) {
        char c = fix[i];
        if ((all || (first && i == 0)) && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        sb_add(b, &c, 1);
    }
}

static int by_start(const void *a, const void *b)
{
    const sword *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Does the corrected query match more than total documents? */
static int matches_more(sug *g, const char *text, struct search_ctx *sc, uint64_t total)
{
    quire_searcher *s = g->s;
    qnode *tree = NULL;
    qbuild qb = {0};
    int more = 0;
    /* Only the count matters, and word pairs never change the matches
     * (proximity.h): build without them. */
    int proximity = sc->b.proximity;
    sc->b.proximity = 0;
    int built = searcher_parse(s, text, &tree) == QUIRE_OK && searcher_build(s, tree, sc, &qb) == QUIRE_OK;
    sc->b.proximity = proximity;
    if (built) {
        /* Counted, not ranked: only whether it reaches total + 1. */
        uint64_t lower, upper;
        qx_err e;
        if (qx_count(s->db, qb.query, total > UINT32_MAX - 1 ? UINT32_MAX : (unsigned)total + 1, 0,
                     &lower, &upper, &e) != QUIRE_OK)
            shim_error(g, &e);
        else
            more = lower > total;
    } else if (g->st == QUIRE_OK) {
        /* Not a query this index can run: no suggestion, and no error. */
        s->err[0] = '\0';
        s->err_offset = (size_t)-1;
    }
    qbuild_free(&qb);
    qnode_free(tree);
    return more;
}

/* Whether every word collect() would look at is one each match holds (the
 * query joins them all by AND, NEAR, phrases or '+'). Then a query that
 * matched has all of them in the index, and there is nothing to correct:
 * the common case is spared a frequency lookup per word. */
static int all_required(const qnode *n, quire_default_op op)
{
    switch (n->kind) {
    case QK_NOT:
        return 1;
    case QK_OR:
        return 0;
    case QK_GROUP:
        if (op == QUIRE_OP_OR) {
            for (size_t i = 0; i < n->nkids; i++)
                if (n->kids[i]->kind != QK_NOT &&
                    (n->kids[i]->kind != QK_REQUIRE || !all_required(n->kids[i], op)))
                    return 0;
            return 1;
        }
        /* fall through */
    default:
        for (size_t i = 0; i < n->nkids; i++)
            if (!all_required(n->kids[i], op))
                return 0;
        return 1;
    }
}

quire_status suggest_run(struct quire_searcher *s, const char *query,
                         const qnode *tree, struct search_ctx *sctx,
                         uint64_t total, char **out)
{
    *out = NULL;
    if (total > 0 && all_required(tree, sctx->b.op))
        return QUIRE_OK;
    /* Not zeroed whole: its words (~20 KB) are each set as collected. */
    sug *g = malloc(sizeof *g);
    if (!g)
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    memset(&g->tok, 0, sizeof g->tok);
    g->n = 0;
    g->st = QUIRE_OK;
    g->s = s;
    collect(g, tree);
    qsort(g->w, g->n, sizeof g->w[0], by_start);
    size_t fixes = 0;
    for (size_t i = 0; i < g->n && g->st == QUIRE_OK; i++) {
        sword *w = &g->w[i];
        if (!w->known || total == 0)
            fixes += (w->fix = correct(g, w, w->known)) != NULL;
    }
    quire_status st = g->st;
    if (st == QUIRE_OK && fixes) {
        strbuf b = {0};
        size_t at = 0;
        for (size_t i = 0; i < g->n; i++) {
            sword *w = &g->w[i];
            if (!w->fix || w->start < at)
                continue;
            sb_add(&b, query + at, w->start - at);
            add_cased(&b, query + w->start, w->end - w->start, w->fix);
            at = w->end;
        }
        sb_adds(&b, query + at);
        char *text = sb_take(&b);
        if (!text)
            st = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
        else if (matches_more(g, text, sctx, total))
            *out = text;
        else
            free(text);
        if (st == QUIRE_OK)
            st = g->st;
    }
    for (size_t i = 0; i < g->n; i++)
        free(g->w[i].fix);
    qa_tokens_free(&g->tok);
    free(g);
    if (st != QUIRE_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}
