/* article.c — quire_searcher_get(): one stored article by id, with its
 * whole body (the head record of docdata.h and the blocks of
 * bodystore.h, all inflated), and with a query, its matches highlighted
 * the way snippets highlight them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "highlight.h"
#include "schema.h"
#include "searcher.h"

typedef struct article_store {
    quire_article a;
    docdata dd;
    char *body;
    quire_span *tspans, *bspans;
    char *tmark, *bmark;
} article_store;

/* Free what st holds and empty it. */
static void store_clear(article_store *st)
{
    docdata_free(&st->dd);
    free(st->body);
    free(st->tspans);
    free(st->bspans);
    free(st->tmark);
    free(st->bmark);
    memset(st, 0, sizeof *st);
}

void quire_article_free(quire_article *a)
{
    article_store *st = (article_store *)a; /* a is its first member */
    if (!st)
        return;
    store_clear(st);
    free(st);
}

/* One try of a get, for searcher_retry. */
typedef struct get_job {
    const char *id;
    const qnode *tree;   /* the query to highlight, or NULL */
    search_ctx *sc;
    const quire_search_options *o;
    article_store *out;
} get_job;

/* The fields and whole body of docid into st. */
static quire_status read_article(quire_searcher *s, uint32_t docid, article_store *st)
{
    qx_err e;
    char *data = NULL, *blob = NULL;
    size_t len = 0, blen = 0;
    if (qx_db_get_value(s->db, docid, SLOT_HEAD, &data, &len, &e) != QUIRE_OK ||
        qx_db_get_value(s->db, docid, SLOT_BODY, &blob, &blen, &e) != QUIRE_OK) {
        free(data);
        return qerr_from_shim(s->err, &e, s->path);
    }
    int bad = docdata_decode(data, len, &st->dd);
    free(data);
    bodystore b;
    int oom = 0;
    if (!bad && (bad = bs_open(&b, blob, blen, &oom)) == 0) {
        bad = bs_read(&s->zip, &b, 0, b.text_len, &st->body, &oom);
        st->a.body_len = b.text_len;
        bs_close(&b);
    }
    free(blob);
    if (oom)
        return qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (bad)
        return qerr_set(s->err, QUIRE_ECORRUPT, "%s: document %u has a damaged stored record or body", s->path,
                        (unsigned)docid);
    return QUIRE_OK;
}

/* Spans (and marked texts) of the query's matches in title and body. */
static quire_status highlight(quire_searcher *s, get_job *j)
{
    article_store *st = j->out;
    qbuild qb;
    quire_status rc = searcher_build(s, j->tree, j->sc, &qb);
    if (rc != QUIRE_OK)
        return rc;
    char lang[LANG_CODE_MAX];
    if (!*st->dd.lang || lang_canonical(st->dd.lang, lang) != 0)
        strcpy(lang, s->cfg.lang);
    int skip_stops = s->cfg.stopwords == QUIRE_STOPWORDS_INDEX;
    if (snippet_text_spans(s->snip, st->dd.title, strlen(st->dd.title), lang, qb.hl, qb.nhl, 1, skip_stops,
                           &st->tspans, &st->a.title_span_count) != 0 ||
        snippet_text_spans(s->snip, st->body, st->a.body_len, lang, qb.hl, qb.nhl, 0, skip_stops, &st->bspans,
                           &st->a.body_span_count) != 0)
        rc = qerr_set(s->err, QUIRE_ENOMEM, "out of memory highlighting");
    qbuild_free(&qb);
    if (rc == QUIRE_OK && j->o->highlight_start && j->o->highlight_end) {
        st->tmark = hl_mark(st->dd.title, st->tspans, st->a.title_span_count, j->o->highlight_start,
                            j->o->highlight_end);
        st->bmark = hl_mark(st->body, st->bspans, st->a.body_span_count, j->o->highlight_start, j->o->highlight_end);
        if (!st->tmark || !st->bmark)
            rc = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    }
    return rc;
}

static quire_status get_once(quire_searcher *s, void *arg)
{
    get_job *j = arg;
    article_store *st = j->out;
    store_clear(st); /* a retry starts from nothing */
    uint32_t docid;
    quire_status rc = searcher_docid(s, j->id, &docid);
    if (rc == QUIRE_OK)
        rc = read_article(s, docid, st);
    if (rc == QUIRE_OK && j->tree)
        rc = highlight(s, j);
    return rc;
}

static quire_status searcher_get(quire_searcher *s, const char *id,
                                 const char *query,
                                 const quire_search_options *opts,
                                 quire_article **out)
{
    if (out)
        *out = NULL;
    quire_search_options o;
    quire_status rc = searcher_begin(s, out != NULL, opts, &o);
    if (rc != QUIRE_OK)
        return rc;
    if (!id || !*id || strlen(id) > QUIRE_MAX_ID_BYTES)
        return qerr_set(s->err, QUIRE_EINVAL, "invalid document id");
    search_ctx sc;
    qnode *tree = NULL;
    rc = searcher_ctx(s, &o, &sc);
    if (rc == QUIRE_OK && query && *query)
        rc = searcher_parse(s, query, &tree);
    article_store *st = rc == QUIRE_OK ? calloc(1, sizeof *st) : NULL;
    if (rc == QUIRE_OK && !st)
        rc = qerr_set(s->err, QUIRE_ENOMEM, "out of memory");
    if (rc == QUIRE_OK) {
        get_job j = {id, tree, &sc, &o, st};
        rc = searcher_unknown_if_partial(s, searcher_retry(s, get_once, &j));
    }
    qnode_free(tree);
    if (rc != QUIRE_OK) {
        if (st)
            quire_article_free(&st->a);
        return rc;
    }
    docdata *d = &st->dd;
    quire_article *a = &st->a;
    a->id = d->id;
    a->title = d->title;
    a->date = d->date;
    a->author = d->author;
    a->source = d->source;
    a->url = d->url;
    a->lang = d->lang;
    a->body = st->body ? st->body : "";
    a->title_spans = st->tspans;
    a->body_spans = st->bspans;
    a->title_marked = st->tmark;
    a->body_marked = st->bmark;
    *out = a;
    return QUIRE_OK;
}

quire_status quire_searcher_get(quire_searcher *s, const char *id,
                                const char *query,
                                const quire_search_options *opts,
                                quire_article **out)
{
    SEARCHER_CALL(s, searcher_get(s, id, query, opts, out));
}
