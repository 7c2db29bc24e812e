/* test_search.c — searching through the public API (quire.h only): the
 * query constructs, highlights, markers, totals, sorting, --lang style
 * stemming, reopen, and errors with offsets. Expected ids are the ones the
 * article texts contain (see testdata/README.md, checked with grep). */
#include <limits.h>
#include <stdint.h>

#include "harness.h"
#include "quire.h"

static char tmp[256], idx_path[300];
static quire_searcher *S;

static void cleanup(void)
{
    quire_searcher_close(S);
    remove_tmpdir(tmp);
}

/* Index testdata/articles through the API, once. */
static quire_searcher *searcher(void)
{
    if (S)
        return S;
    atexit(cleanup);
    make_tmpdir(tmp, "search");
    snprintf(idx_path, sizeof idx_path, "%s/t.idx", tmp);
    quire_index *idx = index_articles(idx_path);
    if (!idx)
        return NULL;
    quire_index_close(idx);
    quire_searcher_open(idx_path, NULL, &S);
    return S;
}

/* Sorted ids of all hits, first two characters each ("01 02"), or an
 * error description. */
static const char *ids(const char *q, const quire_search_options *o)
{
    static char out[512];
    quire_search_options d = QUIRE_SEARCH_OPTIONS_INIT;
    if (!o)
        o = &d;
    quire_search_options oo = *o;
    oo.limit = 100;
    quire_results *r;
    quire_status st = quire_search(searcher(), q, &oo, &r);
    if (st != QUIRE_OK) {
        snprintf(out, sizeof out, "error %d@%zu: %s", st, quire_searcher_error_offset(S), quire_searcher_errmsg(S));
        return out;
    }
    char v[100][3];
    size_t n = quire_results_count(r);
    for (size_t i = 0; i < n; i++)
        snprintf(v[i], 3, "%s", quire_results_hit(r, i)->id);
    qsort(v, n, 3, (int (*)(const void *, const void *))strcmp);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, i ? " " : "");
        strcat(out, v[i]);
    }
    quire_results_free(r);
    return out;
}

static void words_phrases_fields(void)
{
    CHECK(searcher());
    CHECK_STR(ids("\"kim jong un\"", NULL), "01 02");
    CHECK_STR(ids("deploying", NULL), "01 02 03 05 09");
    CHECK_STR(ids("=deploying", NULL), "09");
    CHECK_STR(ids("\"kim jong un\" AND (russia OR moscow) NOT shoigu", NULL), "01");
    CHECK_STR(ids("title:seoul", NULL), "01 06");
    CHECK_STR(ids("author:\"mina park\"", NULL), "01 03 14 25");
    CHECK_STR(ids("deploy* date:2024-10", NULL), "01 02");
    CHECK_STR(ids("-shoigu lang:en date:2023..2023", NULL), "15 17");
    CHECK_STR(ids("id:07-envoy-speech.txt", NULL), "07");
    CHECK_STR(ids("ponomarenko NEAR/3 view", NULL), "06");
}

static void any_and_required(void)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.default_op = QUIRE_OP_OR;
    CHECK_STR(ids("zelenskyy ponomarenko", &o), "06 07 08");
    CHECK_STR(ids("+zelenskyy ponomarenko", &o), "07 08");
    CHECK_STR(ids("zelenskyy ponomarenko", NULL), "07");
}

static void stem_language_option(void)
{
    /* German's stemmer strips umlauts, so with every index language
     * "zürich" also finds "Zurich"; stemming in English only does not. */
    CHECK_STR(ids("z\xC3\xBCrich", NULL), "10 11");
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.lang = "en";
    CHECK_STR(ids("z\xC3\xBCrich", &o), "10");
    o.lang = "klingon!";
    CHECK(strncmp(ids("x", &o), "error 2@", 8) == 0);
}

/* First hit of q with markers, or NULL. */
static quire_results *first(const char *q, quire_search_options *o)
{
    quire_results *r = NULL;
    if (quire_search(searcher(), q, o, &r) != QUIRE_OK)
        return NULL;
    return r;
}

static void highlights_follow_the_query(void)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.highlight_start = "[";
    o.highlight_end = "]";
    quire_results *r = first("the shoigu", &o);
    CHECK(r && quire_results_count(r) > 0);
    const quire_hit *h = quire_results_hit(r, 0);
    CHECK_MSG(strstr(h->snippet_marked, "[Shoigu]") || strstr(h->snippet_marked, "[Shoigu's]"),
              "marked: %s", h->snippet_marked);
    CHECK_MSG(!strstr(h->snippet_marked, "[the]") && !strstr(h->snippet_marked, "[The]"),
              "a dropped stopword was highlighted: %s", h->snippet_marked);
    CHECK(strstr(quire_results_parsed(r), "(stopword \"the\")"));
    quire_results_free(r);

    r = first("\"minister of foreign affairs\"", &o);
    CHECK(r && quire_results_count(r) == 1);
    CHECK_MSG(strstr(quire_results_hit(r, 0)->snippet_marked, "[minister of foreign affairs]"),
              "marked: %s", quire_results_hit(r, 0)->snippet_marked);
    quire_results_free(r);

    r = first("title:seoul shells", &o);
    CHECK(r && quire_results_count(r) >= 1);
    h = quire_results_hit(r, 0);
    CHECK_MSG(strstr(h->title_marked, "[Seoul]"), "title: %s", h->title_marked);
    CHECK_MSG(!strstr(h->snippet_marked, "[Seoul]"), "title: term marked in body: %s", h->snippet_marked);
    CHECK(strstr(h->snippet_marked, "[shells]"));
    quire_results_free(r);

    /* No markers asked: no marked strings. */
    quire_search_options plain = QUIRE_SEARCH_OPTIONS_INIT;
    r = first("seoul", &plain);
    CHECK(r && quire_results_hit(r, 0)->snippet_marked == NULL);
    quire_results_free(r);
}

static void spans_are_byte_offsets(void)
{
    quire_results *r = first("self-propelled howitzer", NULL);
    CHECK(r && quire_results_count(r) == 2);
    for (size_t i = 0; i < quire_results_count(r); i++) {
        const quire_hit *h = quire_results_hit(r, i);
        CHECK(h->snippet_span_count >= 2);
        for (size_t k = 0; k < h->snippet_span_count; k++) {
            const quire_span *s = &h->snippet_spans[k];
            CHECK(s->start < s->end && s->end <= strlen(h->snippet));
            char w[64];
            snprintf(w, sizeof w, "%.*s", (int)(s->end - s->start), h->snippet + s->start);
            CHECK_MSG(strcmp(w, "self-propelled") == 0 || strcmp(w, "self propelled") == 0 ||
                          strncmp(w, "howitzer", 8) == 0,
                      "span covers '%s'", w);
        }
    }
    quire_results_free(r);
}

static void totals_paging_and_sorting(void)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 3;
    o.offset = 1;
    quire_results *r = first("russia OR moscow", &o);
    CHECK(r);
    int exact;
    CHECK_INT(quire_results_total(r, &exact), 5);
    CHECK(exact);
    CHECK_INT(quire_results_count(r), 3);
    CHECK_INT(quire_results_hit(r, 0)->rank, 2);
    CHECK(quire_results_hit(r, 3) == NULL);
    quire_results_free(r);

    /* Dates ascending and descending; undated documents last both ways. */
    o.offset = 0;
    o.limit = 100;
    o.no_snippets = 1;
    o.sort = QUIRE_SORT_DATE;
    r = first("the", &o);
    CHECK(r);
    size_t n = quire_results_count(r);
    CHECK(n > 5);
    for (size_t i = 1; i < n; i++) {
        const char *a = quire_results_hit(r, i - 1)->date, *b = quire_results_hit(r, i)->date;
        CHECK_MSG(!*b || (*a && strcmp(a, b) <= 0), "ascending: '%s' before '%s'", a, b);
    }
    CHECK(!*quire_results_hit(r, n - 1)->date);
    quire_results_free(r);
    o.sort = QUIRE_SORT_DATE_DESC;
    r = first("the", &o);
    CHECK(r);
    for (size_t i = 1; i < quire_results_count(r); i++) {
        const char *a = quire_results_hit(r, i - 1)->date, *b = quire_results_hit(r, i)->date;
        CHECK_MSG(!*b || (*a && strcmp(a, b) >= 0), "descending: '%s' before '%s'", a, b);
    }
    CHECK(!*quire_results_hit(r, quire_results_count(r) - 1)->date);
    quire_results_free(r);

    /* Counting only; no hits. */
    o.limit = 0;
    r = first("deploy*", &o);
    CHECK(r && quire_results_count(r) == 0 && quire_results_total(r, NULL) == 5);
    quire_results_free(r);
}

static void errors(void)
{
    quire_results *r = (quire_results *)1;
    CHECK_INT(quire_search(searcher(), "seoul \"kim", NULL, &r), QUIRE_ESYNTAX);
    CHECK(r == NULL);
    CHECK_INT(quire_searcher_error_offset(S), 6);
    CHECK(strstr(quire_searcher_errmsg(S), "quote"));
    CHECK_INT(quire_search(searcher(), NULL, NULL, &r), QUIRE_EINVAL);
    CHECK_INT(quire_search(searcher(), "x", NULL, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_search(NULL, "x", NULL, &r), QUIRE_EINVAL);
    quire_searcher_options so = QUIRE_SEARCHER_OPTIONS_INIT;
    so.max_wildcard_terms = 2;
    quire_searcher *s2;
    CHECK_INT(quire_searcher_open(idx_path, &so, &s2), QUIRE_OK);
    CHECK_INT(quire_search(s2, "seoul th*", NULL, &r), QUIRE_ELIMIT);
    CHECK_INT(quire_searcher_error_offset(s2), 6);
    quire_searcher_close(s2);
    CHECK_INT(quire_searcher_open("/nonexistent/x.idx", NULL, &s2), QUIRE_ENOTFOUND);
    CHECK(strstr(quire_searcher_errmsg(s2), "/nonexistent/x.idx"));
    quire_searcher_close(s2);
    quire_search_options bad = QUIRE_SEARCH_OPTIONS_INIT;
    bad.version = 99;
    CHECK_INT(quire_search(searcher(), "x", &bad, &r), QUIRE_EINVAL);
}

static void reopen_sees_new_commits(void)
{
    CHECK(searcher());
    uint64_t before, after;
    CHECK_INT(quire_searcher_doc_count(S, &before), QUIRE_OK);
    quire_index *idx;
    CHECK_INT(quire_index_open(idx_path, NULL, &idx), QUIRE_OK);
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "new-doc";
    d.title = "A late arrival";
    d.body = "Quokkas are small marsupials.";
    quire_add_outcome out;
    CHECK_INT(quire_index_add(idx, &d, &out), QUIRE_OK);
    CHECK_INT(out, QUIRE_ADDED);
    CHECK_INT(quire_index_commit(idx), QUIRE_OK);
    CHECK_STR(ids("quokka", NULL), ""); /* not yet: the searcher sees its revision */
    CHECK_INT(quire_searcher_reopen(S), QUIRE_OK);
    CHECK_STR(ids("quokka", NULL), "ne");
    CHECK_INT(quire_searcher_doc_count(S, &after), QUIRE_OK);
    CHECK_INT(after, before + 1);
    CHECK_INT(quire_index_delete(idx, "new-doc"), QUIRE_OK);
    CHECK_INT(quire_index_delete(idx, "new-doc"), QUIRE_ENOTFOUND);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(quire_searcher_reopen(S), QUIRE_OK);
    CHECK_STR(ids("quokka", NULL), "");
}

static void accent_folding_index(void)
{
    char p[400], src[512];
    snprintf(p, sizeof p, "%s/fold.idx", tmp[0] ? tmp : "/tmp");
    snprintf(src, sizeof src, "%s/articles", testdata_dir());
    quire_index_options io = QUIRE_INDEX_OPTIONS_INIT;
    io.fold_accents = 1;
    quire_index *idx;
    CHECK_INT(quire_index_open(p, &io, &idx), QUIRE_OK);
    const char *srcs[] = {src};
    quire_reader *r;
    CHECK_INT(quire_reader_open(srcs, 1, NULL, &r), QUIRE_OK);
    const quire_document *d;
    while (quire_reader_next(r, &d) == QUIRE_OK)
        CHECK_INT(quire_index_add(idx, d, NULL), QUIRE_OK);
    quire_reader_close(r);
    CHECK(strstr(quire_index_config(idx), "fold_accents=1"));
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p, NULL, &s), QUIRE_OK);
    const char *qs[] = {"zurich", "z\xC3\xBCrich", "cafe", "caf\xC3\xA9", "\"sao paulo\"", "naive"};
    const size_t want[] = {2, 2, 2, 2, 1, 1};
    for (size_t i = 0; i < 6; i++) {
        quire_results *res;
        CHECK_INT(quire_search(s, qs[i], NULL, &res), QUIRE_OK);
        CHECK_MSG(quire_results_total(res, NULL) == want[i], "%s: %llu hits", qs[i],
                  (unsigned long long)quire_results_total(res, NULL));
        quire_results_free(res);
    }
    quire_searcher_close(s);
}

/* *out: a searcher over a new index in its own directory of n documents
 * with ids d0, d1, ...; body(i) writes document i's body. NULL if that
 * failed (and a check failed). */
typedef void (*body_fn)(int i, char *buf, size_t len);

static void searcher_over(const char *name, int n, body_fn body, quire_searcher **out)
{
    *out = NULL;
    char dir[256], p[300];
    CHECK(make_tmpdir(dir, name) != NULL);
    snprintf(p, sizeof p, "%s/i.idx", dir);
    quire_index *idx;
    CHECK_INT(quire_index_open(p, NULL, &idx), QUIRE_OK);
    for (int i = 0; i < n; i++) {
        char id[32], text[128];
        snprintf(id, sizeof id, "d%d", i);
        body(i, text, sizeof text);
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = id;
        d.body = text;
        CHECK_INT(quire_index_add(idx, &d, NULL), QUIRE_OK);
    }
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(quire_searcher_open(p, NULL, out), QUIRE_OK);
}

/* Every third document has the phrase "grain harvest"; all have both words. */
static void grain_body(int i, char *buf, size_t len)
{
    snprintf(buf, len, i % 3 ? "grain harvest %d and shipping" : "harvest %d and grain shipping", i);
}

/* Totals: exact when few matches lie past the page, and on request
 * (exact_count_up_to) however many; otherwise an estimate marked as one. */
static void exact_count_on_request(void)
{
    quire_searcher *s;
    searcher_over("count", 1500, grain_body, &s);
    CHECK(s != NULL);
    int matching = 1500 - 500; /* i % 3 != 0 */
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.no_snippets = 1;
    quire_results *r;
    int exact;
    /* Few matches: exact without asking. */
    CHECK_INT(quire_search(s, "id:d3 OR id:d4 OR \"grain harvest 5\"", &o, &r), QUIRE_OK);
    CHECK_INT(quire_results_total(r, &exact), 3);
    CHECK(exact);
    quire_results_free(r);
    /* Many: an estimate unless asked, then exact. */
    CHECK_INT(quire_search(s, "\"grain harvest\"", &o, &r), QUIRE_OK);
    uint64_t est = quire_results_total(r, &exact);
    CHECK_MSG(exact ? est == (uint64_t)matching : 1, "exact total %llu, expected %d", (unsigned long long)est,
              matching);
    quire_results_free(r);
    o.exact_count_up_to = UINT_MAX;
    CHECK_INT(quire_search(s, "\"grain harvest\"", &o, &r), QUIRE_OK);
    CHECK_INT(quire_results_total(r, &exact), matching);
    CHECK(exact);
    quire_results_free(r);
    quire_searcher_close(s);
}

/* Matches past the page but few (Xapian's first pass knows only bounds on
 * their number): a counting pass makes the total exact, with proximity
 * pairs in the query and without. */
/* 100 documents have both words, a third of them as the phrase; 10 have
 * only one word and 10 only the other. */
static void alpha_beta_body(int i, char *buf, size_t len)
{
    if (i >= 110)
        snprintf(buf, len, "beta gamma %d", i);
    else if (i >= 100)
        snprintf(buf, len, "alpha gamma %d", i);
    else
        snprintf(buf, len, i % 3 ? "beta gamma alpha %d" : "alpha beta gamma %d", i);
}

static void few_matches_counted_exactly(void)
{
    quire_searcher *s;
    searcher_over("fewcount", 120, alpha_beta_body, &s);
    CHECK(s != NULL);
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.no_snippets = 1;
    static const struct {
        const char *q;
        quire_rank rank;
        uint64_t n;
    } cases[] = {
        {"\"alpha beta\"", QUIRE_RANK_DEFAULT, 34},
        {"alpha beta", QUIRE_RANK_DEFAULT, 100},
        {"alpha beta", QUIRE_RANK_BM25, 100},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        quire_results *r;
        int exact = 0;
        o.rank = cases[k].rank;
        CHECK_INT(quire_search(s, cases[k].q, &o, &r), QUIRE_OK);
        uint64_t n = quire_results_total(r, &exact);
        CHECK_MSG(exact && n == cases[k].n, "%s: total %llu%s, expected exactly %llu", cases[k].q,
                  (unsigned long long)n, exact ? "" : " (estimate)", (unsigned long long)cases[k].n);
        CHECK_INT(quire_results_count(r), 10);
        quire_results_free(r);
    }
    /* The Xapian query is described on demand, also after the searcher
     * that ran it is gone. */
    quire_results *r;
    o.rank = QUIRE_RANK_DEFAULT;
    CHECK_INT(quire_search(s, "alpha beta", &o, &r), QUIRE_OK);
    quire_searcher_close(s);
    CHECK(strstr(quire_results_xapian_query(r), "alpha PHRASE 2 beta") != NULL);
    CHECK(strstr(quire_results_xapian_query(r), "Zalpha AND Zbeta") != NULL);
    quire_results_free(r);
}

/* Did you mean offers a correction only if the corrected query finds
 * more than the query typed. */
static void animals_body(int i, char *buf, size_t len)
{
    static const char *const bodies[] = {"zebra stripes on the plain", "walrus tusks on the ice",
                                         "walrus colony on the ice"};
    snprintf(buf, len, "%s", bodies[i]);
}

static void suggestion_must_find_more(void)
{
    quire_searcher *s;
    searcher_over("sugmore", 3, animals_body, &s);
    CHECK(s != NULL);
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    quire_results *r;
    CHECK_INT(quire_search(s, "walrsu tusks", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r) ? quire_results_suggestion(r) : "(none)", "walrus tusks");
    quire_results_free(r);
    /* "zebra walrus" finds nothing either: no suggestion. */
    CHECK_INT(quire_search(s, "zebra walrsu", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r) ? quire_results_suggestion(r) : "(none)", "(none)");
    quire_results_free(r);
    quire_searcher_close(s);
}

TEST_MAIN("search", T(words_phrases_fields), T(any_and_required), T(stem_language_option),
          T(highlights_follow_the_query), T(spans_are_byte_offsets), T(totals_paging_and_sorting), T(errors),
          T(reopen_sees_new_commits), T(accent_folding_index), T(exact_count_on_request),
          T(few_matches_counted_exactly), T(suggestion_must_find_more))
