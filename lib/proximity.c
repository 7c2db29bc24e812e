/* proximity.c — see proximity.h. Walks the query tree for sequences of
 * plain words, pairs consecutive ones, and turns each pair into a scaled
 * OP_NEAR (any order) query with a scaled OP_PHRASE (in order) inside it,
 * chained onto the query with OP_AND_MAYBE. */
#include "proximity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* One pair: its positional terms, how far apart the words are in the
 * query (1: adjacent; more when stopwords were bridged), and how many
 * times the query has it. */
typedef struct pair {
    char *a, *b;       /* prefixed positional terms */
    char *wa, *wb;     /* the words as analysed, for the description */
    unsigned dist;
    unsigned count;
} pair;

/* The last word of a sequence, waiting for its successor. */
typedef struct prev_word {
    int set;
    qfield field;
    char term[QA_MAX_TERM + 8];
    char word[QA_MAX_TERM + 1];
    unsigned gap; /* stopwords seen since it */
} prev_word;

typedef struct walker {
    const qbuild_ctx *c;
    qparse_error *err;
    qa_tokens tok;
    pair *v;
    size_t n, cap;
    int failed;
} walker;

static int w_fail(walker *w, int status, const char *msg)
{
    if (!w->failed) {
        w->failed = 1;
        w->err->status = status;
        w->err->offset = (size_t)-1;
        size_t n = strlen(msg) < sizeof w->err->msg ? strlen(msg) : sizeof w->err->msg - 1;
        memcpy(w->err->msg, msg, n);
        w->err->msg[n] = '\0';
    }
    return -1;
}

static int add_pair(walker *w, const prev_word *p, const char *term, const char *word)
{
    unsigned dist = p->gap + 1;
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i].dist == dist && !strcmp(w->v[i].a, p->term) && !strcmp(w->v[i].b, term)) {
            w->v[i].count++;
            return 0;
        }
    if (w->n == PROX_MAX_PAIRS)
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        pair *v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return w_fail(w, QUIRE_ENOMEM, "out of memory");
        w->v = v;
        w->cap = cap;
    }
    pair *q = &w->v[w->n];
    q->a = strdup(p->term);
    q->b = strdup(term);
    q->wa = strdup(p->word);
    q->wb = strdup(word);
    q->dist = dist;
    q->count = 1;
    w->n++; /* freed with the rest even if a strdup failed */
    if (!q->a || !q->b || !q->wa || !q->wb)
        return w_fail(w, QUIRE_ENOMEM, "out of memory");
    return 0;
}

/* Feed one word (kid of a group) to the sequence in p. */
static int feed_word(walker *w, const qnode *n, int forced, prev_word *p)
{
    const qconfig *cfg = w->c->cfg;
    qa_tokens_reset(&w->tok);
    char msg[256];
    if (qa_run(w->c->an, n->text, strlen(n->text), NULL, 0, &w->tok, NULL, msg, sizeof msg) != 0)
        return w_fail(w, QUIRE_ENOMEM, msg);
    if (w->tok.n == 0)
        return 0; /* punctuation: not a word */
    if (n->field != QF_ANY && n->field != QF_TITLE) {
        p->set = 0;
        return 0;
    }
    const qa_token *first = &w->tok.v[0], *last = &w->tok.v[w->tok.n - 1];
    int stop = (first->flags & QA_STOP) && !forced && !n->exact;
    if (w->tok.n == 1 && (stop || qbuild_not_indexed(cfg, first))) {
        /* A stopword: bridged, the window of the pair around it widens. */
        p->gap++;
        return 0;
    }
    /* The first token pairs with the previous word; the last one waits
     * for the next (a word the analyser splits is a phrase already). */
    const char *form;
    size_t len;
    char term[sizeof p->term];
    const char *pfx = qbuild_exact_prefix(cfg, n->field);
    if (p->set && p->field == n->field && !qbuild_not_indexed(cfg, first)) {
        qbuild_exact_form(cfg, n->field, &w->tok, first, &form, &len);
        snprintf(term, sizeof term, "%s%.*s", pfx, (int)len, form);
        if (add_pair(w, p, term, qa_term(&w->tok, first)) != 0)
            return -1;
    }
    p->set = !qbuild_not_indexed(cfg, last);
    p->gap = 0;
    p->field = n->field;
    if (p->set) {
        qbuild_exact_form(cfg, n->field, &w->tok, last, &form, &len);
        snprintf(p->term, sizeof p->term, "%s%.*s", pfx, (int)len, form);
        snprintf(p->word, sizeof p->word, "%s", qa_term(&w->tok, last));
    }
    return 0;
}

static int walk(walker *w, const qnode *n)
{
    if (w->failed)
        return -1;
    switch (n->kind) {
    case QK_GROUP: {
        prev_word p = {0};
        for (size_t i = 0; i < n->nkids && !w->failed; i++) {
            const qnode *k = n->kids[i];
            int forced = k->kind == QK_REQUIRE;
            if (forced)
                k = k->kids[0];
            if (k->kind == QK_WORD) {
                feed_word(w, k, forced, &p);
            } else {
                p.set = 0;
                walk(w, k);
            }
        }
        break;
    }
    case QK_AND:
    case QK_OR:
    case QK_REQUIRE:
        for (size_t i = 0; i < n->nkids; i++)
            walk(w, n->kids[i]);
        break;
    default:
        break; /* NOT, phrases, NEAR, wildcards, filters: no pairs */
    }
    return w->failed ? -1 : 0;
}

static void free_pairs(walker *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].a);
        free(w->v[i].b);
        free(w->v[i].wa);
        free(w->v[i].wb);
    }
    free(w->v);
}

/* One pair as a positional query (op QX_PHRASE or QX_NEAR) scaled by
 * weight times how often the query has the pair. */
static qx_query *pair_query(const pair *p, int op, unsigned window, double weight, qx_err *e)
{
    qx_query *t[2] = {qx_query_term(p->a, strlen(p->a), 1, 0, e), NULL};
    qx_query *q = NULL, *s = NULL;
    if (t[0] && (t[1] = qx_query_term(p->b, strlen(p->b), 1, 0, e)))
        q = qx_query_combine(op, t, 2, window, e);
    if (q)
        s = qx_query_scaled(q, weight * p->count, e);
    qx_query_free(t[0]);
    qx_query_free(t[1]);
    qx_query_free(q);
    return s;
}

/* The evidence of one pair: (near AND_MAYBE phrase), so that the phrase,
 * which implies the near match, is only checked where the words are near. */
static qx_query *pair_evidence(const pair *p, qx_err *e)
{
    qx_query *v[2] = {pair_query(p, QX_NEAR, PROX_UNORDERED_WINDOW + p->dist - 1, PROX_UNORDERED_WEIGHT, e), NULL};
    qx_query *q = NULL;
    if (v[0] && (v[1] = pair_query(p, QX_PHRASE, p->dist + 1, PROX_ORDERED_WEIGHT, e)))
        q = qx_query_combine(QX_AND_MAYBE, v, 2, 0, e);
    qx_query_free(v[0]);
    qx_query_free(v[1]);
    return q;
}

/* base AND_MAYBE each pair's evidence in turn. A chain, not base AND_MAYBE
 * (an OR of the pairs): Xapian 1.4 (seen with 1.4.22) mis-weights an OR of
 * positional queries on the optional side of AND_MAYBE, counting a phrase
 * whose words are in the document but not together whenever another branch
 * of the OR matches (tests/unit/test_proximity.c has the case). */
static qx_query *chain(const walker *w, qx_query *base, qx_err *e)
{
    qx_query *q = base;
    for (size_t i = 0; i < w->n && q; i++) {
        qx_query *x = pair_evidence(&w->v[i], e);
        qx_query *v[2] = {q, x}, *next = x ? qx_query_combine(QX_AND_MAYBE, v, 2, 0, e) : NULL;
        qx_query_free(x);
        if (q != base)
            qx_query_free(q);
        q = next;
    }
    return q;
}

const char prox_desc_head[] =
    "bm25 + proximity (0.118 x in order, 0.059 x within 8 words; Metzler & Croft 2005):";

/* Without printf for the common parts: formatting the weights for every
 * query cost a tenth of a two-word search. */
static char *describe(const walker *w)
{
    strbuf d = {0};
    sb_adds(&d, prox_desc_head);
    for (size_t i = 0; i < w->n; i++) {
        const pair *p = &w->v[i];
        sb_adds(&d, i ? ", \"" : " \"");
        sb_adds(&d, p->wa);
        sb_adds(&d, " ");
        sb_adds(&d, p->wb);
        sb_adds(&d, "\"");
        if (p->dist > 1)
            sb_addf(&d, "~%u", p->dist - 1);
        if (p->count > 1)
            sb_addf(&d, " x%u", p->count);
    }
    return sb_take(&d);
}

int prox_add(const qbuild_ctx *c, const qnode *root, qx_query **q,
             char **desc, qparse_error *err)
{
    *desc = NULL;
    walker w = {0};
    w.c = c;
    w.err = err;
    walk(&w, root);
    qa_tokens_free(&w.tok);
    if (!w.failed && w.n) {
        qx_err e;
        qx_query *r = chain(&w, *q, &e);
        if (!r)
            w_fail(&w, e.code, e.msg);
        else if (!(*desc = describe(&w))) {
            qx_query_free(r);
            w_fail(&w, QUIRE_ENOMEM, "out of memory");
        } else {
            qx_query_free(*q);
            *q = r;
        }
    }
    free_pairs(&w);
    return w.failed ? err->status : 0;
}
