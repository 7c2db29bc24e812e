/* test_hitorder.c — the order of a page of hits (lib/hitorder.h) over
 * made-up Xapian results: weights that differ only in the last bits are
 * one score, ties go to the id, pages cut runs of ties anywhere, and a run
 * that may go on past what was fetched asks for more. */
#include "harness.h"
#include "hitorder.h"

typedef struct fake {
    const double *w;
    const char *const *key; /* id (relevance) or date */
    const char *const *id;
    int id_calls;
} fake;

static double f_weight(void *ctx, size_t i)
{
    return ((fake *)ctx)->w[i];
}

static quire_status copy(const char *s, char **out, size_t *len)
{
    *len = strlen(s);
    *out = malloc(*len + 1);
    if (!*out)
        return QUIRE_ENOMEM;
    memcpy(*out, s, *len + 1);
    return QUIRE_OK;
}

static quire_status f_key(void *ctx, size_t i, char **s, size_t *len)
{
    return copy(((fake *)ctx)->key[i], s, len);
}

static quire_status f_id(void *ctx, size_t i, char **s, size_t *len)
{
    fake *f = ctx;
    f->id_calls++;
    return copy(f->id[i], s, len);
}

/* The ids of the page, space-separated, "MORE" when it asks for more,
 * "KEYS" when it asks for sort keys. No key array: a relevance sort
 * without keys (ids then in f->id). */
static const char *page(fake *f, size_t n, int more, int by_date, size_t first, size_t count)
{
    static char out[512];
    ho_src src = {f, f_weight, f->key ? f_key : NULL, f_id};
    ho_page p;
    if (ho_order(&src, n, more, by_date, first, count, &p) != QUIRE_OK)
        return "ERROR";
    if (p.need_more)
        return "MORE";
    if (p.need_keys)
        return "KEYS";
    out[0] = '\0';
    for (size_t k = 0; k < p.n; k++) {
        const char *const *ids = by_date || !f->key ? f->id : f->key;
        strcat(out, k ? " " : "");
        strcat(out, ids[p.at[k]]);
    }
    ho_page_free(&p);
    return out;
}

static void rounding(void)
{
    /* Seen between one database and 3 shards: one unit in the last place. */
    CHECK(10.007039702084978 != 10.00703970208498);
    CHECK(ho_round(10.007039702084978) == ho_round(10.00703970208498));
    CHECK(ho_round(10.007039702084978) == 10.0070397021);
    CHECK(ho_round(0.0) == 0.0);
    CHECK(ho_round(1.5) == 1.5);
    CHECK(ho_round(3.6854190677234) == 3.68541906772);
}

static void near_ties_go_by_id(void)
{
    /* Xapian's order: by raw weight. z and a tie once rounded. */
    static const double w[] = {5.0, 2.0000000000000004, 2.0, 1.0};
    static const char *const key[] = {"m", "z", "a", "b"};
    fake f = {w, key, NULL, 0};
    CHECK_STR(page(&f, 4, 0, 0, 0, 4), "m a z b");
    CHECK_STR(page(&f, 4, 0, 0, 1, 1), "a");
    CHECK_STR(page(&f, 4, 0, 0, 2, 2), "z b");
}

static void exact_ties_are_in_id_order_already(void)
{
    /* Equal raw weights: Xapian sorted them by the id value. */
    static const double w[] = {3.0, 3.0, 3.0, 1.0};
    static const char *const key[] = {"a", "b", "c", "d"};
    fake f = {w, key, NULL, 0};
    CHECK_STR(page(&f, 4, 1, 0, 0, 2), "a b");
    CHECK_STR(page(&f, 4, 1, 0, 1, 2), "b c");
}

static void runs_past_the_end_ask_for_more(void)
{
    static const double w[] = {3.0, 2.0000000000000004, 2.0};
    static const char *const key[] = {"a", "z", "b"};
    fake f = {w, key, NULL, 0};
    /* The run {z, b} reaches the end and more hits may exist. */
    CHECK_STR(page(&f, 3, 1, 0, 0, 2), "MORE");
    /* Nothing beyond: sorted as it is. */
    CHECK_STR(page(&f, 3, 0, 0, 0, 2), "a b");
    /* A page before the run does not need it. */
    CHECK_STR(page(&f, 3, 1, 0, 0, 1), "a");
    /* Zero scores (a boolean query) are exact ties in id order. */
    static const double z[] = {0, 0, 0};
    static const char *const zk[] = {"a", "b", "c"};
    fake g = {z, zk, NULL, 0};
    CHECK_STR(page(&g, 3, 1, 0, 1, 2), "b c");
}

static void date_ties_go_by_score_then_id(void)
{
    /* Xapian's order: date, then raw weight, then its document number. */
    static const double w[] = {1.0, 2.0, 2.0, 2.0, 0.5};
    static const char *const date[] = {"19870301", "19870302", "19870302", "19870302", "19870303"};
    static const char *const id[] = {"x", "q", "c", "k", "a"};
    fake f = {w, date, id, 0};
    CHECK_STR(page(&f, 5, 0, 1, 0, 5), "x c k q a");
    CHECK_STR(page(&f, 5, 0, 1, 2, 2), "k q");
    /* Only runs of ties need their ids. */
    fake g = {w, date, id, 0};
    CHECK_STR(page(&g, 5, 0, 1, 0, 1), "x");
    CHECK_INT(g.id_calls, 0);
    /* A tied date run at the end: more may belong in it. */
    CHECK_STR(page(&f, 5, 1, 1, 0, 5), "MORE");
    CHECK_STR(page(&f, 4, 1, 1, 1, 2), "MORE");
    CHECK_STR(page(&f, 5, 1, 1, 0, 1), "x");
}

/* Sorted by relevance alone (no keys): a page without ties is in order as
 * it is; ties inside what was fetched are ordered with the ids of their
 * hits; a tie that may go on past it asks for the keys. */
static void without_keys(void)
{
    static const double w[] = {5.0, 4.0, 3.0, 2.0000000000000004, 2.0, 1.0, 0.5};
    static const char *const id[] = {"e", "d", "c", "z", "a", "b", "f"};
    fake f = {w, NULL, id, 0};
    CHECK_STR(page(&f, 7, 1, 0, 0, 2), "e d");
    CHECK_STR(page(&f, 7, 1, 0, 1, 2), "d c");
    CHECK_INT(f.id_calls, 0); /* no ties: no ids read */
    CHECK_STR(page(&f, 7, 1, 0, 0, 4), "e d c a"); /* ends inside the tie z|a */
    CHECK_INT(f.id_calls, 2);
    CHECK_STR(page(&f, 7, 1, 0, 4, 1), "z"); /* starts inside it */
    CHECK_STR(page(&f, 7, 0, 0, 6, 1), "f");
    CHECK_STR(page(&f, 5, 1, 0, 0, 4), "KEYS"); /* the tie reaches the end of what was fetched */
    CHECK_STR(page(&f, 5, 0, 0, 0, 4), "e d c a"); /* ... but nothing follows */
    CHECK_STR(page(&f, 7, 1, 0, 5, 2), "KEYS"); /* a page at the end */
}

static void empty_pages(void)
{
    static const double w[] = {1.0};
    static const char *const key[] = {"a"};
    fake f = {w, key, NULL, 0};
    CHECK_STR(page(&f, 1, 0, 0, 1, 10), "");
    CHECK_STR(page(&f, 1, 0, 0, 0, 0), "");
    CHECK_STR(page(&f, 0, 0, 0, 0, 10), "");
}

TEST_MAIN("hitorder", T(rounding), T(near_ties_go_by_id), T(exact_ties_are_in_id_order_already),
          T(runs_past_the_end_ask_for_more), T(date_ties_go_by_score_then_id),
          T(without_keys), T(empty_pages))
