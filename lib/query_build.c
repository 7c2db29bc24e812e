/* query_build.c — see query_build.h. Each node builds into a "bq": its
 * Xapian query plus how its parent should use it (excluded, required,
 * filter-only, droppable stopword) and its description for --explain. */
#include "query_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proximity.h"
#include "fieldvalue.h"
#include "schema.h"
#include "strbuf.h"

typedef struct bq {
    qx_query *q;  /* NULL: contributes nothing (dropped) */
    int neg;      /* exclude these documents */
    int req;      /* '+': required even with the OR default */
    int filter;   /* boolean: restricts, adds no weight */
    int stop;     /* an unquoted stopword a group may drop */
    char *desc;   /* S-expression */
    char *stopdesc; /* description once dropped as a stopword */
    size_t spec_first, spec_count; /* highlight specs this node made */
} bq;

typedef struct builder {
    const qbuild_ctx *c;
    qbuild *out;
    qparse_error *err;
    qa_tokens tok;
    int neg_depth;  /* > 0 inside NOT: nothing to highlight */
    int expanding;  /* building a synonym's entries: no further expansion */
    int failed;
} builder;

static void bq_free(bq *r)
{
    qx_query_free(r->q);
    free(r->desc);
    free(r->stopdesc);
    memset(r, 0, sizeof *r);
}

static int fail(builder *b, int status, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(builder *b, int status, size_t pos, const char *fmt, ...)
{
    if (!b->failed) {
        b->failed = 1;
        b->err->status = status;
        b->err->offset = pos;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->err->msg, sizeof b->err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int oom(builder *b)
{
    return fail(b, QUIRE_ENOMEM, (size_t)-1, "out of memory");
}

static int shim_fail(builder *b, const qx_err *e, size_t pos)
{
    return fail(b, e->code, pos, "%s", e->msg);
}

/* ---- Queries from terms ------------------------------------------------- */

static qx_query *term_q(builder *b, const char *prefix, const char *t, size_t tl,
                        uint32_t pos)
{
    char buf[QA_MAX_TERM + 8];
    size_t pl = strlen(prefix);
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, t, tl);
    qx_err e;
    qx_query *q = qx_query_term(buf, pl + tl, 1, pos, &e);
    if (!q)
        shim_fail(b, &e, (size_t)-1);
    return q;
}

static qx_query *combine(builder *b, int op, qx_query **v, size_t n, unsigned w)
{
    if (n == 1 && op != QX_AND_NOT && op != QX_AND_MAYBE && op != QX_FILTER) {
        qx_err e;
        qx_query *q = qx_query_combine(QX_OR, v, 1, 0, &e); /* a copy */
        if (!q)
            shim_fail(b, &e, (size_t)-1);
        return q;
    }
    qx_err e;
    qx_query *q = qx_query_combine(op, v, n, w, &e);
    if (!q)
        shim_fail(b, &e, (size_t)-1);
    return q;
}

static qx_query *combine2(builder *b, int op, qx_query *x, qx_query *y)
{
    qx_query *v[2] = {x, y};
    return combine(b, op, v, 2, 0);
}

/*
 * OP_SYNONYM over n alternatives (the stems of a word, the words of a
 * wildcard), as nested pairs. Xapian 1.4 estimates a synonym's term
 * frequency over a tree of pairwise ORs whose shape each database picks
 * from its own statistics, rounding at every node, so a flat synonym of 3
 * or more terms weighs differently in one database and in shards (seen:
 * 1.22814 against 1.22644). A pair is symmetric, so nested pairs fix the
 * shape and the weight is the same in every layout; the estimate is the
 * same formula, rounded at other points.
 */
static qx_query *synonym(builder *b, qx_query **v, size_t n)
{
    if (n <= 2)
        return combine(b, QX_SYNONYM, v, n, 0);
    size_t h = n / 2;
    qx_query *l = synonym(b, v, h);
    qx_query *r = l ? synonym(b, v + h, n - h) : NULL;
    qx_query *q = r ? combine2(b, QX_SYNONYM, l, r) : NULL;
    qx_query_free(l);
    qx_query_free(r);
    return q;
}

static qx_query *match_all(builder *b)
{
    qx_err e;
    qx_query *all = qx_query_match_all(&e);
    qx_query *q = all ? qx_query_unweighted(all, &e) : NULL;
    qx_query_free(all);
    if (!q)
        shim_fail(b, &e, (size_t)-1);
    return q;
}

/* ---- Highlight specs ---------------------------------------------------- */

static hl_spec *new_spec(builder *b, hl_kind kind, qfield field)
{
    if (b->neg_depth || (field != QF_ANY && field != QF_TITLE))
        return NULL;
    hl_spec *v = realloc(b->out->hl, (b->out->nhl + 1) * sizeof *v);
    if (!v) {
        oom(b);
        return NULL;
    }
    b->out->hl = v;
    hl_spec *s = &v[b->out->nhl++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->field = field;
    s->group = b->out->ngroups++;
    return s;
}

static int spec_add(builder *b, hl_spec *s, const char *t, size_t tl)
{
    if (!s)
        return b->failed ? -1 : 0;
    for (size_t i = 0; s->kind == HL_STEMS && i < s->nterms; i++)
        if (strlen(s->terms[i]) == tl && memcmp(s->terms[i], t, tl) == 0)
            return 0;
    char **v = realloc(s->terms, (s->nterms + 1) * sizeof *v);
    if (!v)
        return oom(b);
    s->terms = v;
    if (!(v[s->nterms] = strndup(t, tl)))
        return oom(b);
    s->nterms++;
    return 0;
}

/* ---- Leaves ------------------------------------------------------------- */

static int analyse(builder *b, const char *text)
{
    qa_tokens_reset(&b->tok);
    char msg[256];
    if (qa_run(b->c->an, text, strlen(text), NULL, 0, &b->tok, NULL, msg, sizeof msg) != 0)
        return fail(b, QUIRE_ENOMEM, (size_t)-1, "%s", msg);
    return 0;
}

static int stems_only(builder *b)
{
    return b->c->cfg->positions == QUIRE_POSITIONS_STEMS;
}

const char *qbuild_exact_prefix(const qconfig *cfg, qfield f)
{
    int stems = cfg->positions == QUIRE_POSITIONS_STEMS;
    switch (f) {
    case QF_TITLE: return stems ? PFX_TITLE_STEM : PFX_TITLE;
    case QF_AUTHOR: return PFX_AUTHOR;
    case QF_SOURCE: return PFX_SOURCE;
    default: return stems ? PFX_STEM : "";
    }
}

void qbuild_exact_form(const qconfig *cfg, qfield f, const qa_tokens *t,
                       const qa_token *k, const char **form, size_t *len)
{
    int stem = cfg->positions == QUIRE_POSITIONS_STEMS && (f == QF_ANY || f == QF_TITLE);
    *form = stem ? qa_stem(t, k) : qa_term(t, k);
    *len = stem ? k->stem_len : k->term_len;
}

int qbuild_not_indexed(const qconfig *cfg, const qa_token *k)
{
    return (k->flags & QA_TOOLONG) ||
           ((k->flags & QA_STOP) && cfg->stopwords == QUIRE_STOPWORDS_INDEX);
}

static const char *exact_prefix(builder *b, qfield f)
{
    return qbuild_exact_prefix(b->c->cfg, f);
}

static void exact_form(builder *b, qfield f, const qa_token *k, const char **t, size_t *tl)
{
    qbuild_exact_form(b->c->cfg, f, &b->tok, k, t, tl);
}

static int not_indexed(builder *b, const qa_token *k)
{
    return qbuild_not_indexed(b->c->cfg, k);
}

/* A phrase over the analysed tokens. */
static int phrase_q(builder *b, const qnode *n, unsigned slop, bq *r)
{
    const qa_tokens *t = &b->tok;
    qx_query **v = calloc(t->n ? t->n : 1, sizeof *v);
    if (!v)
        return oom(b);
    size_t m = 0;
    uint32_t first = 0, last = 0;
    hl_spec *s = new_spec(b, HL_PHRASE, n->field);
    if (s)
        s->on_stems = stems_only(b);
    for (size_t i = 0; i < t->n && !b->failed; i++) {
        const qa_token *k = &t->v[i];
        if (not_indexed(b, k))
            continue;
        const char *w;
        size_t wl;
        exact_form(b, n->field, k, &w, &wl);
        if (!m)
            first = k->pos;
        last = k->pos;
        if ((v[m] = term_q(b, exact_prefix(b, n->field), w, wl, k->pos + 1)))
            m++;
        spec_add(b, s, w, wl);
    }
    if (!b->failed && m)
        r->q = m == 1 ? v[0] : combine(b, QX_PHRASE, v, m, (unsigned)(last - first + 1) + slop);
    for (size_t i = 0; i < m; i++)
        if (!(m == 1 && r->q == v[0]))
            qx_query_free(v[i]);
    free(v);
    return b->failed ? -1 : 0;
}

/* An unquoted single word: its stems in every index language. */
static int stem_q(builder *b, const qnode *n, const qa_token *k, bq *r)
{
    const char *pfx = n->field == QF_TITLE ? PFX_TITLE_STEM : PFX_STEM;
    const char *term = qa_term(&b->tok, k);
    size_t nl = b->c->nlangs ? b->c->nlangs : 1;
    qx_query **v = calloc(nl, sizeof *v);
    char **seen = calloc(nl, sizeof *seen);
    if (!v || !seen) {
        free(v);
        free(seen);
        return oom(b);
    }
    hl_spec *s = new_spec(b, HL_STEMS, n->field);
    size_t m = 0;
    for (size_t i = 0; i < nl && !b->failed; i++) {
        const char *st = qa_stem(&b->tok, k);
        size_t sl = k->stem_len;
        if (b->c->nlangs && !(k->flags & (QA_NUMBER | QA_CJK)))
            st = qa_stem_term(b->c->an, b->c->langs[i], term, k->term_len, &sl);
        if (!st) {
            oom(b);
            break;
        }
        int dup = 0;
        for (size_t j = 0; j < m; j++)
            dup |= strlen(seen[j]) == sl && memcmp(seen[j], st, sl) == 0;
        if (dup)
            continue;
        if (!(seen[m] = strndup(st, sl))) {
            oom(b);
            break;
        }
        spec_add(b, s, st, sl);
        if (!(v[m] = term_q(b, pfx, st, sl, 0))) {
            free(seen[m]);
            break;
        }
        m++;
    }
    if (!b->failed)
        r->q = synonym(b, v, m);
    for (size_t i = 0; i < m; i++) {
        qx_query_free(v[i]);
        free(seen[i]);
    }
    free(v);
    free(seen);
    return b->failed ? -1 : 0;
}

static void describe_leaf(bq *r, const char *kind, const qnode *n, const char *text)
{
    static const char *fields[] = {"", "title", "author", "source"};
    strbuf d = {0};
    if (n->field != QF_ANY)
        sb_addf(&d, "(%s ", fields[n->field]);
    sb_addf(&d, "(%s", kind);
    if (n->kind == QK_PHRASE && n->slop)
        sb_addf(&d, "~%u", n->slop);
    sb_adds(&d, " ");
    sb_add_quoted(&d, text, strlen(text));
    sb_adds(&d, ")");
    if (n->field != QF_ANY)
        sb_adds(&d, ")");
    r->desc = sb_take(&d);
}

static int build_node(builder *b, const qnode *n, bq *r);

/* The synonym key of the tokens in b->tok (synonyms.h), or NULL when
 * there is nothing to look up or memory ran out (b->failed). */
static char *tokens_key(builder *b)
{
    const qa_tokens *t = &b->tok;
    const char **w = calloc(t->n ? t->n : 1, sizeof *w);
    size_t *l = calloc(t->n ? t->n : 1, sizeof *l), m = 0;
    const qa_token *one = NULL;
    char *key = NULL;
    if (w && l) {
        for (size_t i = 0; i < t->n; i++)
            if (t->v[i].term_len) {
                one = &t->v[i];
                w[m] = qa_term(t, one);
                l[m++] = one->term_len;
            }
        if (m && !(key = syn_key(w, l, m, qa_stem(t, one), one->stem_len)))
            oom(b);
    } else {
        oom(b);
    }
    free(w);
    free(l);
    return key;
}

/* The same, when n's words are to be expanded at all: body and title
 * words, not names (author:, source:). */
static char *synonym_key(builder *b, const qnode *n)
{
    if (!b->c->syn || b->expanding || n->field == QF_AUTHOR || n->field == QF_SOURCE)
        return NULL;
    return tokens_key(b);
}

/* A word or phrase in a synonym group also matches the group's other
 * entries, each built as if typed in its place (an unquoted word by its
 * stems, a phrase as a phrase) and scored with it as one term
 * (OP_SYNONYM). The entries' highlights count as the same query term.
 * key: from synonym_key() before r was built; freed here. */
static int expand_synonyms(builder *b, const qnode *n, char *key, size_t spec_first, bq *r)
{
    size_t ne = 0;
    const char *const *ent = key && r->q ? syn_find(b->c->syn, key, &ne) : NULL;
    if (!ent || ne < 2) {
        free(key);
        return b->failed ? -1 : 0;
    }
    qx_query **v = calloc(ne + 1, sizeof *v);
    strbuf d = {0};
    if (!v) {
        free(key);
        return oom(b);
    }
    size_t m = 0;
    v[m++] = r->q;
    sb_adds(&d, "(synonyms ");
    sb_adds(&d, r->desc ? r->desc : "");
    int group = spec_first < b->out->nhl ? b->out->hl[spec_first].group : -1;
    b->expanding = 1;
    for (size_t i = 0; i < ne && !b->failed; i++) {
        /* Skip the entry the query itself is. */
        char *ek = analyse(b, ent[i]) == 0 ? tokens_key(b) : NULL;
        int self = ek && strcmp(ek, key) == 0;
        free(ek);
        if (b->failed)
            break;
        if (self)
            continue;
        qnode en = {0};
        en.kind = QK_WORD;
        en.field = n->field;
        en.text = (char *)ent[i];
        en.pos = n->pos;
        bq er;
        size_t before = b->out->nhl;
        if (build_node(b, &en, &er) != 0) {
            bq_free(&er);
            break;
        }
        for (size_t k = before; group >= 0 && k < b->out->nhl; k++)
            b->out->hl[k].group = group;
        if (er.q) {
            v[m++] = er.q;
            er.q = NULL;
            sb_adds(&d, " ");
            sb_adds(&d, er.desc ? er.desc : "");
        }
        bq_free(&er);
    }
    b->expanding = 0;
    sb_adds(&d, ")");
    if (!b->failed && m > 1) {
        qx_query *q = synonym(b, v, m);
        if (q) {
            r->q = q;
            free(r->desc);
            r->desc = sb_take(&d);
        }
    }
    for (size_t i = (r->q == v[0]) ? 1 : 0; i < m; i++)
        qx_query_free(v[i]);
    sb_free(&d);
    free(v);
    free(key);
    return b->failed ? -1 : 0;
}

static int build_word(builder *b, const qnode *n, bq *r)
{
    if (analyse(b, n->text) != 0)
        return -1;
    if (b->tok.n == 0) {
        describe_leaf(r, "nothing", n, n->text);
        return 0; /* punctuation only: contributes nothing */
    }
    size_t spec_first = b->out->nhl;
    if (b->tok.n > 1) {
        char *key = synonym_key(b, n);
        describe_leaf(r, "phrase", n, n->text);
        if (phrase_q(b, n, 0, r) != 0) {
            free(key);
            return -1;
        }
        return expand_synonyms(b, n, key, spec_first, r);
    }
    const qa_token *k = &b->tok.v[0];
    if (not_indexed(b, k)) {
        describe_leaf(r, "stopword", n, n->text);
        return 0;
    }
    int stop = (k->flags & QA_STOP) && b->c->cfg->stopwords == QUIRE_STOPWORDS_QUERY;
    if (n->exact && stems_only(b) && (n->field == QF_ANY || n->field == QF_TITLE))
        return fail(b, QUIRE_ESYNTAX, n->pos,
                    "=word (exact match) needs an index that keeps the positions of words (positions=words)");
    r->stop = stop;
    if (stop) {
        strbuf d = {0};
        sb_adds(&d, "(stopword ");
        sb_add_quoted(&d, qa_term(&b->tok, k), k->term_len);
        sb_adds(&d, ")");
        r->stopdesc = sb_take(&d);
    }
    if (n->exact || n->field == QF_AUTHOR || n->field == QF_SOURCE) {
        describe_leaf(r, n->exact ? "exact" : "word", n, qa_term(&b->tok, k));
        hl_spec *s = new_spec(b, HL_EXACT, n->field);
        if (spec_add(b, s, qa_term(&b->tok, k), k->term_len) != 0)
            return -1;
        r->q = term_q(b, exact_prefix(b, n->field), qa_term(&b->tok, k), k->term_len, 0);
    } else {
        char *key = synonym_key(b, n);
        describe_leaf(r, "word", n, qa_term(&b->tok, k));
        if (stem_q(b, n, k, r) != 0) {
            free(key);
            return -1;
        }
        /* Last: expanding analyses the entries, so k is gone after it. */
        if (expand_synonyms(b, n, key, spec_first, r) != 0)
            return -1;
    }
    return r->q ? 0 : -1;
}

typedef struct expand_ctx {
    qx_query **v;
    size_t n;
    builder *b;
} expand_ctx;

static int collect_term(void *ctx, const char *t, size_t len)
{
    expand_ctx *x = ctx;
    qx_err e;
    if (!(x->v[x->n] = qx_query_term(t, len, 1, 0, &e))) {
        shim_fail(x->b, &e, (size_t)-1);
        return 1;
    }
    x->n++;
    return 0;
}

static int build_prefix(builder *b, const qnode *n, bq *r)
{
    if (analyse(b, n->text) != 0)
        return -1;
    if (b->tok.n != 1 || (b->tok.v[0].flags & QA_TOOLONG))
        return fail(b, QUIRE_ESYNTAX, n->pos, "a wildcard applies to one word ('%s*' is not one word)", n->text);
    const qa_token *k = &b->tok.v[0];
    const char *w = qa_term(&b->tok, k);
    char prefix[QA_MAX_TERM + 8];
    snprintf(prefix, sizeof prefix, "%s%s", exact_prefix(b, n->field), w);
    describe_leaf(r, "prefix", n, w);
    hl_spec *s = new_spec(b, HL_PREFIX, n->field);
    if (spec_add(b, s, w, k->term_len) != 0)
        return -1;
    unsigned max = b->c->max_wildcard;
    expand_ctx x = {calloc((size_t)max + 1, sizeof(qx_query *)), 0, b};
    if (!x.v)
        return oom(b);
    qx_err e;
    int more = 0;
    if (qx_db_terms_with_prefix(b->c->db, prefix, max, collect_term, &x, &more, &e) != QUIRE_OK)
        shim_fail(b, &e, n->pos);
    else if (more)
        fail(b, QUIRE_ELIMIT, n->pos, "'%s*' matches more than %u words; make the prefix longer", n->text, max);
    if (!b->failed) {
        if (x.n == 0) {
            r->q = qx_query_match_nothing(&e);
            if (!r->q)
                shim_fail(b, &e, n->pos);
        } else {
            r->q = synonym(b, x.v, x.n);
        }
    }
    for (size_t i = 0; i < x.n; i++)
        qx_query_free(x.v[i]);
    free(x.v);
    return b->failed ? -1 : 0;
}

static int build_filter(builder *b, const qnode *n, bq *r)
{
    strbuf d = {0};
    qx_err e;
    qx_query *q = NULL;
    char term[QUIRE_MAX_ID_BYTES + 16];
    _Static_assert(sizeof term >= FV_TERM_MAX, "room for a value term");
    if (n->kind == QK_ID) {
        if (strlen(n->text) > QUIRE_MAX_ID_BYTES)
            return fail(b, QUIRE_ESYNTAX, n->pos, "id is longer than %d bytes", QUIRE_MAX_ID_BYTES);
        snprintf(term, sizeof term, PFX_ID "%s", n->text);
        sb_adds(&d, "(id ");
        sb_add_quoted(&d, n->text, strlen(n->text));
        sb_adds(&d, ")");
        q = qx_query_term(term, strlen(term), 1, 0, &e);
    } else if (n->kind == QK_LANG) {
        snprintf(term, sizeof term, PFX_LANG "%s", n->text);
        sb_addf(&d, "(lang %s)", n->text);
        q = qx_query_term(term, strlen(term), 1, 0, &e);
    } else if (n->kind == QK_VALUE) {
        /* A whole author name or source: its exact-value term. */
        const char *field = n->field == QF_AUTHOR ? "author" : "source";
        int tl = fv_term(b->c->an, &b->tok, n->field == QF_AUTHOR ? PFX_AUTHOR_VALUE : PFX_SOURCE_VALUE,
                         n->text, strlen(n->text), term);
        if (tl < 0)
            return oom(b);
        if (tl == 0)
            return fail(b, QUIRE_ESYNTAX, n->pos, "%s:= needs a value", field);
        sb_addf(&d, "(%s= ", field);
        sb_add_quoted(&d, term + strlen(PFX_SOURCE_VALUE), (size_t)tl - strlen(PFX_SOURCE_VALUE));
        sb_adds(&d, ")");
        q = qx_query_term(term, (size_t)tl, 1, 0, &e);
    } else if (n->date_terms) {
        /* One day, month or year: a boolean term. */
        const char *pfx = PFX_DAY;
        size_t len = 8;
        if (memcmp(n->lo + 4, "00", 2) == 0)
            pfx = PFX_YEAR, len = 4;
        else if (memcmp(n->lo + 6, "00", 2) == 0)
            pfx = PFX_MONTH, len = 6;
        snprintf(term, sizeof term, "%s%.*s", pfx, (int)len, n->lo);
        sb_addf(&d, "(date %.*s)", (int)len, n->lo);
        q = qx_query_term(term, strlen(term), 1, 0, &e);
    } else {
        sb_addf(&d, "(date %s..%s)", n->lo, n->hi);
        q = qx_query_value_range(SLOT_DATE, *n->lo ? n->lo : NULL, *n->hi ? n->hi : NULL, &e);
    }
    if (!q) {
        sb_free(&d);
        return shim_fail(b, &e, n->pos);
    }
    r->q = qx_query_unweighted(q, &e);
    qx_query_free(q);
    r->filter = 1;
    r->desc = sb_take(&d);
    return r->q ? 0 : shim_fail(b, &e, n->pos);
}

/* ---- Inner nodes -------------------------------------------------------- */

static int build(builder *b, const qnode *n, bq *r);

static char *join_desc(const char *op, bq *kids, size_t n)
{
    strbuf d = {0};
    sb_addf(&d, "(%s", op);
    for (size_t i = 0; i < n; i++)
        if (kids[i].desc) {
            sb_adds(&d, " ");
            sb_adds(&d, kids[i].desc);
        }
    sb_adds(&d, ")");
    return sb_take(&d);
}

/* A dropped word highlights nothing: empty its specs. */
static void drop_specs(builder *b, const bq *k)
{
    for (size_t i = k->spec_first; i < k->spec_first + k->spec_count && i < b->out->nhl; i++) {
        hl_spec *s = &b->out->hl[i];
        for (size_t j = 0; j < s->nterms; j++)
            free(s->terms[j]);
        s->nterms = 0;
    }
}

/* AND-like combination of kids (explicit AND, or a group with the default
 * operator; or_mode for a group under the OR default). */
static int combine_all(builder *b, bq *kids, size_t n, int or_mode, bq *r)
{
    /* Drop unquoted stopwords when something else is searched for. */
    int others = 0;
    for (size_t i = 0; i < n; i++)
        others |= kids[i].q && !kids[i].neg && !kids[i].stop;
    for (size_t i = 0; i < n && others; i++)
        if (kids[i].q && kids[i].stop && !kids[i].neg && !kids[i].req) {
            qx_query_free(kids[i].q);
            kids[i].q = NULL;
            drop_specs(b, &kids[i]);
            free(kids[i].desc);
            kids[i].desc = kids[i].stopdesc;
            kids[i].stopdesc = NULL;
        }
    qx_query **w = calloc(n, sizeof *w), **req = calloc(n, sizeof *req),
             **opt = calloc(n, sizeof *opt), **flt = calloc(n, sizeof *flt),
             **neg = calloc(n, sizeof *neg);
    size_t nw = 0, nreq = 0, nopt = 0, nf = 0, nn = 0;
    qx_query *core = NULL, *tmp;
    if (!w || !req || !opt || !flt || !neg) {
        oom(b);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        bq *k = &kids[i];
        if (!k->q)
            continue;
        if (k->neg)
            neg[nn++] = k->q;
        else if (k->filter)
            flt[nf++] = k->q;
        else {
            w[nw++] = k->q;
            if (k->req)
                req[nreq++] = k->q;
            else
                opt[nopt++] = k->q;
        }
    }
    if (nw && !or_mode)
        core = combine(b, QX_AND, w, nw, 0);
    else if (nw && nreq && nopt) {
        qx_query *a = combine(b, QX_AND, req, nreq, 0), *o = a ? combine(b, QX_OR, opt, nopt, 0) : NULL;
        core = o ? combine2(b, QX_AND_MAYBE, a, o) : NULL;
        qx_query_free(a);
        qx_query_free(o);
    } else if (nw)
        core = combine(b, nreq ? QX_AND : QX_OR, w, nw, 0);
    if (b->failed)
        goto out;
    r->filter = !nw;
    if (nf) {
        qx_query *f = combine(b, QX_AND, flt, nf, 0);
        if (!f)
            goto out;
        if (core) {
            tmp = combine2(b, QX_FILTER, core, f);
            qx_query_free(core);
            qx_query_free(f);
            core = tmp;
        } else {
            core = f;
        }
    }
    if (nn && !b->failed) {
        qx_query *x = combine(b, QX_OR, neg, nn, 0);
        if (!core) {
            core = match_all(b);
            r->filter = 1;
        }
        tmp = (x && core) ? combine2(b, QX_AND_NOT, core, x) : NULL;
        qx_query_free(core);
        qx_query_free(x);
        core = tmp;
    }
    r->q = core;
    core = NULL;
out:
    qx_query_free(core);
    free(w);
    free(req);
    free(opt);
    free(flt);
    free(neg);
    return b->failed ? -1 : 0;
}

static int combine_any(builder *b, bq *kids, size_t n, bq *r)
{
    qx_query **v = calloc(n, sizeof *v);
    int *own = calloc(n, sizeof *own);
    size_t m = 0;
    int all_filter = 1;
    if (!v || !own) {
        free(v);
        free(own);
        return oom(b);
    }
    for (size_t i = 0; i < n && !b->failed; i++) {
        bq *k = &kids[i];
        if (!k->q)
            continue;
        if (k->neg) {
            qx_query *all = match_all(b);
            v[m] = all ? combine2(b, QX_AND_NOT, all, k->q) : NULL;
            qx_query_free(all);
            own[m] = 1;
        } else {
            v[m] = k->q;
            all_filter &= k->filter;
        }
        if (v[m])
            m++;
    }
    if (!b->failed && m) {
        r->q = combine(b, QX_OR, v, m, 0);
        r->filter = all_filter;
    }
    for (size_t i = 0; i < m; i++)
        if (own[i])
            qx_query_free(v[i]);
    free(v);
    free(own);
    return b->failed ? -1 : 0;
}

static int build_near(builder *b, const qnode *n, bq *r)
{
    qx_query **v = calloc(n->nkids, sizeof *v);
    if (!v)
        return oom(b);
    size_t m = 0;
    for (size_t i = 0; i < n->nkids && !b->failed; i++) {
        const qnode *k = n->kids[i];
        if (k->kind != QK_WORD && k->kind != QK_PHRASE) {
            fail(b, QUIRE_ESYNTAX, k->pos, "NEAR works on single words, not on %s",
                 k->kind == QK_NEAR ? "another NEAR (write one chain: a NEAR/5 b NEAR/5 c)"
                 : k->kind == QK_PREFIX ? "a wildcard"
                 : k->kind == QK_DATE || k->kind == QK_ID || k->kind == QK_LANG ? "a filter"
                                                                               : "a group");
            break;
        }
        if (analyse(b, k->text) != 0)
            break;
        if (b->tok.n != 1 || not_indexed(b, &b->tok.v[0])) {
            fail(b, QUIRE_ESYNTAX, k->pos, "NEAR works on single words ('%s' is %s)", k->text,
                 b->tok.n > 1 ? "a phrase" : "not an indexed word");
            break;
        }
        const char *w;
        size_t wl;
        exact_form(b, k->field, &b->tok.v[0], &w, &wl);
        hl_spec *s = new_spec(b, HL_EXACT, k->field);
        if (s)
            s->on_stems = stems_only(b) && (k->field == QF_ANY || k->field == QF_TITLE);
        if (spec_add(b, s, w, wl) != 0)
            break;
        if ((v[m] = term_q(b, exact_prefix(b, k->field), w, wl, 0)))
            m++;
    }
    if (!b->failed) {
        r->q = combine(b, QX_NEAR, v, m, n->near + (unsigned)m - 1);
        strbuf d = {0};
        sb_addf(&d, "(near/%u", n->near);
        for (size_t i = 0; i < n->nkids; i++) {
            sb_adds(&d, " ");
            sb_add_quoted(&d, n->kids[i]->text, strlen(n->kids[i]->text));
        }
        sb_adds(&d, ")");
        r->desc = sb_take(&d);
    }
    for (size_t i = 0; i < m; i++)
        qx_query_free(v[i]);
    free(v);
    return b->failed ? -1 : 0;
}

static int build_kids(builder *b, const qnode *n, bq **out)
{
    bq *kids = calloc(n->nkids, sizeof *kids);
    if (!kids)
        return oom(b);
    for (size_t i = 0; i < n->nkids; i++)
        if (build(b, n->kids[i], &kids[i]) != 0)
            break;
    *out = kids;
    return b->failed ? -1 : 0;
}

static int build_node(builder *b, const qnode *n, bq *r);

/* Build n, noting which highlight specs it made. */
static int build(builder *b, const qnode *n, bq *r)
{
    size_t before = b->out->nhl;
    int rc = build_node(b, n, r);
    r->spec_first = before;
    r->spec_count = b->out->nhl - before;
    return rc;
}

static int build_node(builder *b, const qnode *n, bq *r)
{
    memset(r, 0, sizeof *r);
    switch (n->kind) {
    case QK_WORD: return build_word(b, n, r);
    case QK_PHRASE: {
        if (analyse(b, n->text) != 0)
            return -1;
        size_t spec_first = b->out->nhl;
        char *key = synonym_key(b, n);
        describe_leaf(r, "phrase", n, n->text);
        if (phrase_q(b, n, n->slop, r) != 0) {
            free(key);
            return -1;
        }
        return expand_synonyms(b, n, key, spec_first, r);
    }
    case QK_PREFIX: return build_prefix(b, n, r);
    case QK_DATE:
    case QK_ID:
    case QK_LANG:
    case QK_VALUE: return build_filter(b, n, r);
    case QK_NEAR: return build_near(b, n, r);
    case QK_NOT:
    case QK_REQUIRE: {
        int neg = n->kind == QK_NOT;
        b->neg_depth += neg;
        int rc = build(b, n->kids[0], r);
        b->neg_depth -= neg;
        if (rc != 0)
            return rc;
        if (neg)
            r->neg = !r->neg;
        else
            r->req = 1;
        r->stop = 0; /* +the / -the: the user asked for it */
        strbuf d = {0};
        sb_addf(&d, "(%s %s)", neg ? "not" : "+", r->desc ? r->desc : "");
        free(r->desc);
        r->desc = sb_take(&d);
        return 0;
    }
    case QK_AND:
    case QK_OR:
    case QK_GROUP: {
        bq *kids = NULL;
        int rc = build_kids(b, n, &kids);
        int or_mode = n->kind == QK_GROUP && b->c->op == QUIRE_OP_OR;
        if (rc == 0)
            rc = n->kind == QK_OR ? combine_any(b, kids, n->nkids, r)
                                  : combine_all(b, kids, n->nkids, or_mode, r);
        if (rc == 0)
            r->desc = join_desc(n->kind == QK_OR || or_mode ? "or" : "and", kids, n->nkids);
        for (size_t i = 0; kids && i < n->nkids; i++) {
            /* combine_* made new queries; the kids' own are freed here. */
            bq_free(&kids[i]);
        }
        free(kids);
        return rc;
    }
    }
    return fail(b, QUIRE_ERROR, n->pos, "unknown query node");
}

/* Proximity evidence (proximity.h) added to a weighted query, and the
 * description of how the query is scored. */
static int add_ranking(builder *b, const qnode *root, bq *r)
{
    char *desc = NULL;
    if (!r->filter && b->c->proximity && prox_add(b->c, root, &r->q, &desc, b->err) != QUIRE_OK)
        return -1;
    b->out->ranking = desc ? desc
                    : strdup(r->filter            ? "none (only filters: every match scores 0)"
                             : b->c->proximity ? "bm25 (no word pairs for proximity)"
                                               : "bm25");
    return b->out->ranking ? 0 : oom(b);
}

int qbuild_run(const qbuild_ctx *c, const qnode *root, qbuild *out,
               qparse_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    err->offset = (size_t)-1;
    builder b = {0};
    b.c = c;
    b.out = out;
    b.err = err;
    bq r;
    int rc = build(&b, root, &r);
    qa_tokens_free(&b.tok);
    if (rc == 0 && !r.q)
        rc = fail(&b, QUIRE_ESYNTAX, 0,
                  "the query has nothing to search for (only punctuation or words this index does not keep)");
    if (rc == 0 && r.neg) {
        qx_query *all = match_all(&b);
        qx_query *q = all ? combine2(&b, QX_AND_NOT, all, r.q) : NULL;
        qx_query_free(all);
        qx_query_free(r.q);
        r.q = q;
        r.filter = 1; /* everything but: nothing to rank */
        rc = q ? 0 : -1;
    }
    if (rc == 0)
        rc = add_ranking(&b, root, &r);
    if (rc != 0) {
        bq_free(&r);
        qbuild_free(out);
        return err->status ? err->status : QUIRE_ERROR;
    }
    out->query = r.q;
    out->parsed = r.desc;
    free(r.stopdesc);
    return QUIRE_OK;
}

void qbuild_free(qbuild *b)
{
    qx_query_free(b->query);
    for (size_t i = 0; i < b->nhl; i++) {
        for (size_t j = 0; j < b->hl[i].nterms; j++)
            free(b->hl[i].terms[j]);
        free(b->hl[i].terms);
    }
    free(b->hl);
    free(b->parsed);
    free(b->ranking);
    memset(b, 0, sizeof *b);
}
